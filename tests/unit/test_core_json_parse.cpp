#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"

#include <catch2/catch.hpp>

#include <string>

using nlohmann::json;
using nova::core::JsonParseOptions;
using nova::core::parse_json;

namespace {

// {"a": [[[ ... ]]]} with `levels` objects and arrays in all.
std::string nested(std::size_t levels) {
    return "{\"a\": " + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
}

JsonParseOptions strict() {
    JsonParseOptions options;
    options.reject_duplicate_keys = true;
    return options;
}

} // namespace

TEST_CASE("JSON parses as nlohmann parses it", "[core][json]") {
    CHECK(parse_json(R"({"a": [1, "two", null, {"b": true}], "c": 1.5})") ==
          json{{"a", {1, "two", nullptr, {{"b", true}}}}, {"c", 1.5}});
    CHECK(parse_json("  [ ]\n") == json::array());
    CHECK(parse_json(R"("a string")") == "a string");
}

TEST_CASE("a JSON syntax error names its line and column, without nlohmann's tag", "[core][json]") {
    CHECK_THROWS_WITH(parse_json("{\n  \"a\": x\n}"),
                      Catch::StartsWith("parse error at line 2, column 8: syntax error"));
    CHECK_THROWS_AS(parse_json("{"), nova::core::Error);
    CHECK_THROWS_AS(parse_json(""), nova::core::Error);
}

TEST_CASE("JSON nested deeper than the limit is refused before it is parsed", "[core][json]") {
    CHECK(parse_json(nested(1000)).is_object());
    CHECK_THROWS_WITH(parse_json(nested(1001)),
                      "line 1, column 1006: nested deeper than 1000 levels");
    // 50,000 levels once overflowed the stack when the document was copied.
    CHECK_THROWS_WITH(parse_json(nested(50'000)),
                      Catch::EndsWith("nested deeper than 1000 levels"));
    JsonParseOptions shallow;
    shallow.max_depth = 3;
    CHECK(parse_json(R"({"a": [{"b": 1}]})", shallow).is_object());
    CHECK_THROWS_WITH(parse_json("{\"a\": [\n  [{}]]}", shallow),
                      "line 2, column 4: nested deeper than 3 levels");
    // Brackets inside strings, escaped quotes included, are not nesting.
    CHECK(parse_json(R"({"a": "[[[[{{{{\"[[[["})", shallow)["a"] == "[[[[{{{{\"[[[[");
    CHECK_THROWS_WITH(parse_json(nested(1001), strict()),
                      Catch::EndsWith("nested deeper than 1000 levels"));
}

TEST_CASE("duplicate keys are the last one's unless refused, naming the key and its object",
          "[core][json]") {
    const std::string text = R"({"metadata": {"name": "a", "name": "b"}})";
    CHECK(parse_json(text)["metadata"]["name"] == "b");
    CHECK_THROWS_WITH(parse_json(text, strict()), "duplicate key \"name\" in metadata");
    CHECK_THROWS_WITH(parse_json(R"({"kind": "Rollout", "spec": {}, "kind": "x"})", strict()),
                      "duplicate key \"kind\" at the top level");
    CHECK_THROWS_WITH(
        parse_json(R"({"spec": {"args": [{"name": "a"}, {"name": "b", "value": 1, "name": "c"}]}})",
                   strict()),
        "duplicate key \"name\" in spec.args[1]");
    CHECK_THROWS_WITH(parse_json(R"([1, [2, {"x": 1}], {"k": {}, "k": {}}])", strict()),
                      "duplicate key \"k\" in [2]");
    // The same key in different objects is not a duplicate.
    const json same_keys =
        parse_json(R"({"a": {"name": 1}, "b": [{"name": 2}, {"name": 3}], "name": 4})", strict());
    CHECK(same_keys["b"][1]["name"] == 3);
    CHECK(same_keys["name"] == 4);
}
