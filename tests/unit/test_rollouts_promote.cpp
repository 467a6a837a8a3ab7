#include "lib/core/error.hpp"
#include "lib/rollouts/promote.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace nova;
using nlohmann::json;
using rollouts::PromoteFlags;

namespace {

// A canary with three steps: setWeight, pause, setWeight.
json canary(json status, bool paused = false) {
    json rollout = {{"metadata", {{"name", "demo"}}}, {"status", std::move(status)}};
    rollout["spec"]["paused"] = paused;
    rollout["spec"]["strategy"]["canary"]["steps"] =
        json::array({{{"setWeight", 20}}, {{"pause", json::object()}}, {{"setWeight", 60}}});
    return rollout;
}

json canary_without_steps(json status, bool paused = false) {
    return {{"metadata", {{"name", "demo"}}},
            {"spec", {{"paused", paused}, {"strategy", {{"canary", json::object()}}}}},
            {"status", std::move(status)}};
}

json blue_green(json status, bool paused = false) {
    return {
        {"metadata", {{"name", "demo"}}},
        {"spec",
         {{"paused", paused}, {"strategy", {{"blueGreen", {{"activeService", "demo-active"}}}}}}},
        {"status", std::move(status)}};
}

const json paused_by_step = json::array({{{"reason", "CanaryPauseStep"}}});
const json inconclusive = {{"currentStepAnalysisRunStatus", {{"status", "Inconclusive"}}}};

constexpr const char* unpause = R"({"spec":{"paused":false}})";
constexpr const char* unpause_and_clear =
    R"({"spec":{"paused":false},"status":{"pauseConditions":null}})";

struct Row {
    const char* what;
    json rollout;
    PromoteFlags flags;
    std::optional<std::string> status_patch;
    std::optional<std::string> spec_patch;
    std::optional<std::string> unified_patch;
};

const PromoteFlags plain{};
const PromoteFlags full{true, false, false};
const PromoteFlags skip_current{false, true, false};
const PromoteFlags skip_all{false, false, true};

std::vector<Row> rows() {
    return {
        // -c: one step on, from the status only; the spec is left alone even when paused.
        {"-c moves one step on", canary({{"currentStepIndex", 1}}, true), skip_current,
         R"({"status":{"currentStepIndex":2}})", std::nullopt,
         R"({"status":{"currentStepIndex":2}})"},
        {"-c without an index starts from step 0", canary(json::object()), skip_current,
         R"({"status":{"currentStepIndex":1}})", std::nullopt,
         R"({"status":{"currentStepIndex":1}})"},
        {"-c past the last step stays there", canary({{"currentStepIndex", 3}}), skip_current,
         R"({"status":{"currentStepIndex":3}})", std::nullopt,
         R"({"status":{"currentStepIndex":3}})"},
        // -a: to the end; it wins over --full (which only keeps the message).
        {"-a jumps past the last step", canary({{"currentStepIndex", 0}}, true), skip_all,
         R"({"status":{"currentStepIndex":3}})", std::nullopt,
         R"({"status":{"currentStepIndex":3}})"},
        {"-a wins over --full", canary({{"currentStepIndex", 0}}), PromoteFlags{true, false, true},
         R"({"status":{"currentStepIndex":3}})", std::nullopt,
         R"({"status":{"currentStepIndex":3}})"},
        // --full: promoteFull only while the pod hash is not the stable one; unpause if paused.
        {"--full on an update in progress, paused",
         canary(
             {{"currentPodHash", "new"}, {"stableRS", "old"}, {"pauseConditions", paused_by_step}},
             true),
         full, R"({"status":{"promoteFull":true}})", unpause,
         R"({"spec":{"paused":false},"status":{"promoteFull":true}})"},
        {"--full on a stable rollout, not paused",
         canary({{"currentPodHash", "old"}, {"stableRS", "old"}}), full, std::nullopt, std::nullopt,
         R"({"spec":{"paused":false},"status":{"promoteFull":true}})"},
        {"--full on a blue-green rollout", blue_green({{"currentPodHash", "new"}}), full,
         R"({"status":{"promoteFull":true}})", std::nullopt,
         R"({"spec":{"paused":false},"status":{"promoteFull":true}})"},
        // Stuck on an inconclusive step analysis, paused by the controller.
        {"inconclusive analysis under a controller pause",
         canary({{"currentStepIndex", 1},
                 {"pauseConditions", paused_by_step},
                 {"controllerPause", true},
                 {"canary", inconclusive}},
                true),
         plain,
         R"({"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":2}})",
         unpause, unpause_and_clear},
        {"inconclusive analysis on a canary without steps",
         canary_without_steps({{"pauseConditions", paused_by_step},
                               {"controllerPause", true},
                               {"canary", inconclusive}}),
         plain, std::nullopt, std::nullopt, unpause_and_clear},
        // Pause conditions: cleared.
        {"inconclusive without a controller pause only clears the conditions",
         canary({{"currentStepIndex", 1},
                 {"pauseConditions", paused_by_step},
                 {"canary", inconclusive}}),
         plain, R"({"status":{"pauseConditions":null}})", std::nullopt, unpause_and_clear},
        {"a canary on a pause step",
         canary({{"currentStepIndex", 1}, {"pauseConditions", paused_by_step}}), plain,
         R"({"status":{"pauseConditions":null}})", std::nullopt, unpause_and_clear},
        {"a blue-green rollout waiting for promotion, paused",
         blue_green({{"pauseConditions", json::array({{{"reason", "BlueGreenPause"}}})}}, true),
         plain, R"({"status":{"pauseConditions":null}})", unpause, unpause_and_clear},
        // A canary with steps and no pause conditions: the next step.
        {"a running canary skips its current step", canary({{"currentStepIndex", 0}}, true), plain,
         R"({"status":{"pauseConditions":null, "currentStepIndex":1}})", unpause,
         R"({"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":1}})"},
        {"a canary past its last step stays there", canary({{"currentStepIndex", 3}}), plain,
         R"({"status":{"pauseConditions":null, "currentStepIndex":3}})", std::nullopt,
         R"({"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":3}})"},
        {"a null pause-condition list counts as none", canary({{"pauseConditions", nullptr}}),
         plain, R"({"status":{"pauseConditions":null, "currentStepIndex":1}})", std::nullopt,
         R"({"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":1}})"},
        // Otherwise: no status patch, unpause if paused.
        {"a healthy blue-green rollout", blue_green(json::object()), plain, std::nullopt,
         std::nullopt, unpause_and_clear},
        {"a blue-green rollout paused by hand", blue_green(json::object(), true), plain,
         std::nullopt, unpause, unpause_and_clear},
        {"a canary without steps, paused by hand", canary_without_steps(json::object(), true),
         plain, std::nullopt, unpause, unpause_and_clear},
        {"a rollout with no strategy and no status", json{{"spec", {{"paused", true}}}}, plain,
         std::nullopt, unpause, unpause_and_clear},
    };
}

// Why promote_patches refuses `rollout` (exit 1), or "no error".
std::string promote_refusal(const json& rollout, const PromoteFlags& flags) {
    try {
        (void)rollouts::promote_patches(rollout, flags);
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ExitCode::failure);
        return error.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("promote patches, row by row of argo's table", "[rollouts]") {
    for (const auto& row : rows()) {
        INFO(row.what);
        const auto patches = rollouts::promote_patches(row.rollout, row.flags);
        CHECK(patches.status_patch == row.status_patch);
        CHECK(patches.spec_patch == row.spec_patch);
        CHECK(patches.unified_patch == row.unified_patch);
    }
}

TEST_CASE("promote patches are valid JSON", "[rollouts]") {
    for (const auto& row : rows()) {
        INFO(row.what);
        const auto patches = rollouts::promote_patches(row.rollout, row.flags);
        for (const auto& patch :
             {patches.status_patch, patches.spec_patch, patches.unified_patch}) {
            if (patch) {
                CHECK(json::accept(*patch));
            }
        }
    }
}

TEST_CASE("promote refuses to skip steps a rollout does not have", "[rollouts]") {
    CHECK(promote_refusal(blue_green(json::object()), skip_current) ==
          "rollout \"demo\" is a blue-green rollout, which has no steps to skip; promote it "
          "without --skip-current-step");
    CHECK(promote_refusal(canary_without_steps(json::object()), skip_all) ==
          "rollout \"demo\" has no canary steps to skip; promote it without --skip-all-steps");
    // argo dereferences a nil canary here.
    CHECK(promote_refusal(json{{"metadata", {{"name", "demo"}}}}, skip_current) ==
          "rollout \"demo\" has no canary steps to skip; promote it without --skip-current-step");
    CHECK(promote_refusal(json{{"metadata", {{"name", "demo"}}}}, skip_all) ==
          "rollout \"demo\" has no canary steps to skip; promote it without --skip-all-steps");
}

TEST_CASE("promote takes -c or -a, not both", "[rollouts]") {
    CHECK_NOTHROW(rollouts::check_promote_flags(skip_current));
    CHECK_NOTHROW(rollouts::check_promote_flags(PromoteFlags{true, false, true}));
    try {
        rollouts::check_promote_flags(PromoteFlags{false, true, true});
        FAIL("no error");
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ExitCode::usage);
        CHECK(std::string(error.what()) ==
              "--skip-current-step and --skip-all-steps cannot be used together");
    }
}

TEST_CASE("promote refuses a rollout whose fields have the wrong type, as argo's decode does",
          "[rollouts]") {
    // Read leniently these were a no-op (not paused, no steps: nothing to write), or a clamped
    // index sent to the server.
    json yes = canary(json::object());
    yes["spec"]["paused"] = "yes";
    for (const auto& flags : {plain, full}) {
        CHECK(promote_refusal(yes, flags) ==
              "invalid rollout \"demo\": spec.paused must be true or false, not \"yes\"");
    }
    json not_a_list = canary(json::object());
    not_a_list["spec"]["strategy"]["canary"]["steps"] = "notalist";
    for (const auto& flags : {plain, full, skip_current, skip_all}) {
        CHECK(promote_refusal(not_a_list, flags) ==
              "invalid rollout \"demo\": "
              "spec.strategy.canary.steps must be a list, not "
              "\"notalist\"");
    }
    CHECK(promote_refusal(canary({{"currentStepIndex", 1e30}}), plain) ==
          "invalid rollout \"demo\": status.currentStepIndex must be an integer from 0 to "
          "2147483647, not 1e+30");
    CHECK(promote_refusal(canary({{"currentStepIndex", -1}}), skip_current) ==
          "invalid rollout \"demo\": status.currentStepIndex must be an integer from 0 to "
          "2147483647, not -1");
    CHECK(promote_refusal(canary({{"currentStepIndex", "1"}}), plain) ==
          "invalid rollout \"demo\": status.currentStepIndex must be an integer from 0 to "
          "2147483647, not \"1\"");
    CHECK(promote_refusal(canary({{"pauseConditions", "paused"}}), plain) ==
          "invalid rollout \"demo\": status.pauseConditions must be a list, not \"paused\"");
    CHECK(promote_refusal(canary({{"controllerPause", 1}}), plain) ==
          "invalid rollout \"demo\": status.controllerPause must be true or false, not 1");
    CHECK(promote_refusal(canary({{"currentPodHash", 5}}), full) ==
          "invalid rollout \"demo\": status.currentPodHash must be a string, not 5");
    json canary_text = canary(json::object());
    canary_text["spec"]["strategy"]["canary"] = "yes";
    CHECK(promote_refusal(canary_text, plain) ==
          "invalid rollout \"demo\": spec.strategy.canary must be an object, not \"yes\"");
    json step_text = canary(json::object());
    step_text["spec"]["strategy"]["canary"]["steps"][1] = "pause";
    CHECK(promote_refusal(step_text, plain) ==
          "invalid rollout \"demo\": spec.strategy.canary.steps[1] must be an object, not "
          "\"pause\"");
    json strategy_text = canary(json::object());
    strategy_text["spec"]["strategy"] = "canary";
    CHECK(promote_refusal(strategy_text, plain) ==
          "invalid rollout \"demo\": spec.strategy must be an object, not \"canary\"");
    // The largest int32 index is still an index (past the last step: it stays there).
    const auto patches =
        rollouts::promote_patches(canary({{"currentStepIndex", 2147483647}}), plain);
    CHECK(patches.status_patch ==
          R"({"status":{"pauseConditions":null, "currentStepIndex":2147483647}})");
}

TEST_CASE("promote: a half promotion is one line, whatever the server said", "[rollouts]") {
    CHECK(
        rollouts::half_promoted_message("demo", R"({"status":{"pauseConditions":null}})",
                                        "from server (Invalid): bad\nspec\r\n") ==
        R"(rollout "demo" is half promoted: its status was changed ({"status":{"pauseConditions":null}}) but unpausing its spec failed: from server (Invalid): bad spec  ; `resume` it to finish)");
}
