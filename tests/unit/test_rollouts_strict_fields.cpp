#include "lib/core/error.hpp"
#include "lib/rollouts/strict_fields.hpp"

#include <catch2/catch.hpp>

#include <string>

using nlohmann::json;
using nova::rollouts::strict::Fields;

TEST_CASE("strict fields: absent and null read as nothing, the right types as themselves",
          "[rollouts]") {
    const json rollout = json::parse(R"({
        "spec": {"paused": true, "strategy": {"canary": {"steps": [{"setWeight": 20}]}},
                 "template": null},
        "status": {"currentStepIndex": 1, "stableRS": "abc", "whole": 2.0, "big": 2147483647}})");
    const Fields read(rollout, "rollout \"demo\"");
    CHECK(read.boolean({"spec", "paused"}) == true);
    CHECK_FALSE(read.boolean({"spec", "missing"}));
    CHECK(read.object({"spec", "template"}) == nullptr);
    CHECK(read.object({"spec", "nothing", "deeper"}) == nullptr);
    CHECK(read.array_of_objects({"spec", "strategy", "canary", "steps"})->size() == 1);
    CHECK(read.int32({"status", "currentStepIndex"}, 0) == 1);
    CHECK(read.int32({"status", "whole"}) == 2);
    CHECK(read.int32({"status", "big"}) == 2147483647);
    CHECK(read.string({"status", "stableRS"}) == "abc");
    CHECK_FALSE(read.string({"status", "currentPodHash"}));
}

TEST_CASE("strict fields: the wrong type is one line naming the field and the object",
          "[rollouts]") {
    const json rollout = json::parse(R"({
        "spec": {"paused": "yes", "strategy": {"canary": {"steps": "notalist"}},
                 "list": [{"a": 1}, "x"], "scalar": 5},
        "status": {"currentStepIndex": 1e30, "negative": -1, "half": 1.5, "text": "1",
                   "huge": 18446744073709551615, "stableRS": 7}})");
    const Fields read(rollout, "rollout \"demo\"");
    CHECK_THROWS_WITH(read.boolean({"spec", "paused"}),
                      "invalid rollout \"demo\": spec.paused must be true or false, not \"yes\"");
    CHECK_THROWS_WITH(read.array({"spec", "strategy", "canary", "steps"}),
                      "invalid rollout \"demo\": spec.strategy.canary.steps must be a list, not "
                      "\"notalist\"");
    CHECK_THROWS_WITH(read.array_of_objects({"spec", "list"}),
                      "invalid rollout \"demo\": spec.list[1] must be an object, not \"x\"");
    CHECK_THROWS_WITH(read.object({"spec", "paused"}),
                      "invalid rollout \"demo\": spec.paused must be an object, not \"yes\"");
    // An object on the way that is not one.
    CHECK_THROWS_WITH(read.string({"spec", "scalar", "name"}),
                      "invalid rollout \"demo\": spec.scalar must be an object, not 5");
    CHECK_THROWS_WITH(read.string({"status", "stableRS"}),
                      "invalid rollout \"demo\": status.stableRS must be a string, not 7");
    // Integers: out of int32, below the minimum, fractional, or written as a string.
    CHECK_THROWS_WITH(read.int32({"status", "currentStepIndex"}, 0),
                      "invalid rollout \"demo\": status.currentStepIndex must be an integer from "
                      "0 to 2147483647, not 1e+30");
    CHECK_THROWS_WITH(read.int32({"status", "negative"}, 0),
                      Catch::EndsWith("from 0 to 2147483647, not -1"));
    CHECK(read.int32({"status", "negative"}) == -1);
    CHECK_THROWS_WITH(read.int32({"status", "half"}), Catch::EndsWith("not 1.5"));
    CHECK_THROWS_WITH(read.int32({"status", "text"}), Catch::EndsWith("not \"1\""));
    CHECK_THROWS_WITH(read.int32({"status", "huge"}), Catch::EndsWith("not 18446744073709551615"));
}

TEST_CASE("strict fields: a long value is cut short in the message", "[rollouts]") {
    const json object = {{"spec", {{"paused", std::string(100, 'x')}}}};
    CHECK_THROWS_WITH(Fields(object, "rollout \"demo\"").boolean({"spec", "paused"}),
                      "invalid rollout \"demo\": spec.paused must be true or false, not \"" +
                          std::string(39, 'x') + "...");
}

TEST_CASE("strict fields: a long value is cut between characters, not inside one", "[rollouts]") {
    // The quote and 7 pairs of é (2 bytes) and € (3 bytes) make 36 bytes, one more é 38: the
    // 40 bytes would end inside the next €, which goes whole.
    std::string text;
    for (int i = 0; i < 30; ++i) {
        text += "\u00e9\u20ac"; // é (2 bytes), € (3 bytes)
    }
    const json object = {{"spec", {{"paused", text}}}};
    std::string expected = "\"";
    for (int i = 0; i < 7; ++i) {
        expected += "\u00e9\u20ac";
    }
    expected += "\u00e9";
    CHECK_THROWS_WITH(Fields(object, "rollout \"demo\"").boolean({"spec", "paused"}),
                      "invalid rollout \"demo\": spec.paused must be true or false, not " +
                          expected + "...");
}
