#include "lib/rollouts/strategy.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

namespace {

json canary(json steps, json status) {
    return json{{"spec", {{"strategy", {{"canary", {{"steps", std::move(steps)}}}}}}},
                {"status", std::move(status)}};
}

const json four_steps = R"([{"setWeight": 10}, {"pause": {}}, {"setCanaryScale": {"weight": 50}},
                             {"setWeight": 40}])"_json;

} // namespace

TEST_CASE("strategy names", "[rollouts]") {
    CHECK(strategy_name(canary(json::array(), json::object())) == "Canary");
    CHECK(strategy_name(R"({"spec": {"strategy": {"blueGreen": {}}}})"_json) == "BlueGreen");
    CHECK(strategy_name(R"({"spec": {"strategy": {"canary": null}}})"_json).empty());
    CHECK(strategy_name(json::object()).empty());
}

TEST_CASE("step text needs an index and at least one step", "[rollouts]") {
    CHECK(canary_step(canary(four_steps, R"({"currentStepIndex": 1})"_json)) == "1/4");
    CHECK(canary_step(canary(four_steps, R"({"currentStepIndex": 4})"_json)) == "4/4");
    CHECK(canary_step(canary(four_steps, json::object())).empty());
    CHECK(canary_step(canary(json::array(), R"({"currentStepIndex": 0})"_json)).empty());
}

TEST_CASE("set weight walks back to the last setWeight", "[rollouts]") {
    CHECK(current_set_weight(canary(four_steps, R"({"currentStepIndex": 0})"_json)) == 10);
    CHECK(current_set_weight(canary(four_steps, R"({"currentStepIndex": 2})"_json)) == 10);
    CHECK(current_set_weight(canary(four_steps, R"({"currentStepIndex": 3})"_json)) == 40);
    // No index means step 0.
    CHECK(current_set_weight(canary(four_steps, json::object())) == 10);
    // Past the last step, or no steps at all: the maximum weight.
    CHECK(current_set_weight(canary(four_steps, R"({"currentStepIndex": 4})"_json)) == 100);
    CHECK(current_set_weight(canary(json::array(), json::object())) == 100);
    // Before any setWeight.
    CHECK(current_set_weight(canary(R"([{"pause": {}}, {"setWeight": 5}])"_json,
                                    R"({"currentStepIndex": 0})"_json)) == 0);
    // Aborted: 0 whatever the step.
    CHECK(current_set_weight(
              canary(four_steps, R"({"currentStepIndex": 3, "abort": true})"_json)) == 0);
}

TEST_CASE("the maximum weight comes from traffic routing", "[rollouts]") {
    auto rollout = canary(four_steps, R"({"currentStepIndex": 4})"_json);
    CHECK(max_traffic_weight(rollout) == 100);
    rollout["spec"]["strategy"]["canary"]["trafficRouting"] = R"({"maxTrafficWeight": 1000})"_json;
    CHECK(max_traffic_weight(rollout) == 1000);
    CHECK(current_set_weight(rollout) == 1000);
}

TEST_CASE("the current step index", "[rollouts]") {
    CHECK(current_step_index(canary(four_steps, R"({"currentStepIndex": 3})"_json)) == 3u);
    CHECK_FALSE(current_step_index(canary(four_steps, R"({"currentStepIndex": 4})"_json)));
    CHECK_FALSE(current_step_index(canary(four_steps, R"({"currentStepIndex": -1})"_json)));
    CHECK_FALSE(current_step_index(R"({"spec": {"strategy": {"blueGreen": {}}}})"_json));
}
