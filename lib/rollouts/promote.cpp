#include "lib/rollouts/promote.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <cstdint>

namespace nova::rollouts {
namespace {

using nlohmann::json;

// argo's literal bodies (promote.go); the space after a comma is theirs.
constexpr const char* unpause_patch = R"({"spec":{"paused":false}})";
constexpr const char* clear_pause_conditions_patch = R"({"status":{"pauseConditions":null}})";
constexpr const char* unpause_and_clear_pause_conditions_patch =
    R"({"spec":{"paused":false},"status":{"pauseConditions":null}})";
constexpr const char* promote_full_patch = R"({"status":{"promoteFull":true}})";
constexpr const char* unpause_and_promote_full_patch =
    R"({"spec":{"paused":false},"status":{"promoteFull":true}})";

std::string set_step_index_patch(std::int64_t index) {
    return R"({"status":{"currentStepIndex":)" + std::to_string(index) + "}}";
}

std::string clear_pause_conditions_and_controller_pause_patch(std::int64_t index) {
    return R"({"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":)" +
           std::to_string(index) + "}}";
}

std::string clear_pause_conditions_with_step_patch(std::int64_t index) {
    return R"({"status":{"pauseConditions":null, "currentStepIndex":)" + std::to_string(index) +
           "}}";
}

std::string unpause_and_clear_pause_conditions_with_step_patch(std::int64_t index) {
    return R"({"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":)" +
           std::to_string(index) + "}}";
}

bool is_canary(const json& rollout) {
    return fields::has(rollout, {"spec", "strategy", "canary"});
}

std::int64_t step_count(const json& rollout) {
    return static_cast<std::int64_t>(
        fields::array_at(rollout, {"spec", "strategy", "canary", "steps"}).size());
}

// argo's GetCurrentCanaryStep followed by its "++ unless past the last step": the index the
// rollout moves to. Only meaningful for a canary with steps; an absent index is step 0.
std::int64_t next_step_index(const json& rollout) {
    const std::int64_t index =
        fields::optional_int_at(rollout, {"status", "currentStepIndex"}).value_or(0);
    return index < step_count(rollout) ? index + 1 : index;
}

bool has_steps(const json& rollout) {
    return is_canary(rollout) && step_count(rollout) > 0;
}

bool step_analysis_inconclusive(const json& rollout) {
    return is_canary(rollout) &&
           fields::string_at(rollout, {"status", "canary", "currentStepAnalysisRunStatus",
                                       "status"}) == "Inconclusive";
}

// -c and -a only make sense for a canary with steps. argo refuses blue-green and a canary
// without steps, and dereferences a nil canary otherwise; here every case gets a message.
void check_skippable(const json& rollout, const char* flag) {
    if (has_steps(rollout)) {
        return;
    }
    const std::string name = core::quote(fields::string_at(rollout, {"metadata", "name"}));
    const std::string what = fields::has(rollout, {"spec", "strategy", "blueGreen"})
                                 ? "is a blue-green rollout, which has no steps to skip"
                                 : "has no canary steps to skip";
    throw core::Error("rollout " + name + " " + what + "; promote it without " + flag);
}

} // namespace

void check_promote_flags(const PromoteFlags& flags) {
    if (flags.skip_current_step && flags.skip_all_steps) {
        throw core::usage_error("--skip-current-step and --skip-all-steps cannot be used together");
    }
}

PromotePatches promote_patches(const json& rollout, const PromoteFlags& flags) {
    check_promote_flags(flags);
    PromotePatches patches;
    const bool paused = fields::bool_at(rollout, {"spec", "paused"});
    if (flags.skip_current_step) {
        check_skippable(rollout, "--skip-current-step");
        patches.status_patch = set_step_index_patch(next_step_index(rollout));
        patches.unified_patch = patches.status_patch;
        return patches;
    }
    if (flags.skip_all_steps) {
        check_skippable(rollout, "--skip-all-steps");
        patches.status_patch = set_step_index_patch(step_count(rollout));
        patches.unified_patch = patches.status_patch;
        return patches;
    }
    if (paused) {
        patches.spec_patch = unpause_patch;
    }
    if (flags.full) {
        if (fields::string_at(rollout, {"status", "currentPodHash"}) !=
            fields::string_at(rollout, {"status", "stableRS"})) {
            patches.status_patch = promote_full_patch;
        }
        patches.unified_patch = unpause_and_promote_full_patch;
        return patches;
    }
    patches.unified_patch = unpause_and_clear_pause_conditions_patch;
    const bool pause_conditions = !fields::array_at(rollout, {"status", "pauseConditions"}).empty();
    if (step_analysis_inconclusive(rollout) && pause_conditions &&
        fields::bool_at(rollout, {"status", "controllerPause"})) {
        // Stuck on an inconclusive analysis: leave the controller's pause and the step
        // behind, or a pause step next would hold the rollout again at once.
        if (has_steps(rollout)) {
            patches.status_patch =
                clear_pause_conditions_and_controller_pause_patch(next_step_index(rollout));
        }
    } else if (pause_conditions) {
        patches.status_patch = clear_pause_conditions_patch;
    } else if (has_steps(rollout)) {
        const std::int64_t next = next_step_index(rollout);
        patches.status_patch = clear_pause_conditions_with_step_patch(next);
        patches.unified_patch = unpause_and_clear_pause_conditions_with_step_patch(next);
    }
    return patches;
}

} // namespace nova::rollouts
