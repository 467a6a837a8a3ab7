#include "lib/rollouts/promote.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/strict_fields.hpp"

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

// What promote reads of a rollout, read strictly (strict_fields.hpp): a field of the wrong type
// or out of range is refused, not taken as its zero value.
struct PromoteFacts {
    std::string name;
    bool paused = false;
    bool canary = false;
    bool blue_green = false;
    std::int64_t step_count = 0;
    std::int64_t step_index = 0; // an absent index is step 0
    bool pause_conditions = false;
    bool controller_pause = false;
    bool step_analysis_inconclusive = false;
    std::string current_pod_hash;
    std::string stable_rs;

    [[nodiscard]] bool has_steps() const { return canary && step_count > 0; }
    // argo's GetCurrentCanaryStep followed by its "++ unless past the last step": the index
    // the rollout moves to. Only meaningful for a canary with steps.
    [[nodiscard]] std::int64_t next_step_index() const {
        return step_index < step_count ? step_index + 1 : step_index;
    }
};

PromoteFacts read_facts(const json& rollout) {
    PromoteFacts facts;
    facts.name = fields::string_at(rollout, {"metadata", "name"});
    const strict::Fields read(rollout, "rollout " + core::quote(facts.name));
    facts.paused = read.boolean({"spec", "paused"}).value_or(false);
    facts.canary = read.object({"spec", "strategy", "canary"}) != nullptr;
    facts.blue_green = read.object({"spec", "strategy", "blueGreen"}) != nullptr;
    if (const json* steps = read.array_of_objects({"spec", "strategy", "canary", "steps"})) {
        facts.step_count = static_cast<std::int64_t>(steps->size());
    }
    // argo indexes the steps with it: a negative one would be out of bounds.
    facts.step_index = read.int32({"status", "currentStepIndex"}, 0).value_or(0);
    const json* conditions = read.array({"status", "pauseConditions"});
    facts.pause_conditions = conditions != nullptr && !conditions->empty();
    facts.controller_pause = read.boolean({"status", "controllerPause"}).value_or(false);
    facts.step_analysis_inconclusive =
        facts.canary &&
        read.string({"status", "canary", "currentStepAnalysisRunStatus", "status"}).value_or("") ==
            "Inconclusive";
    facts.current_pod_hash = read.string({"status", "currentPodHash"}).value_or("");
    facts.stable_rs = read.string({"status", "stableRS"}).value_or("");
    return facts;
}

// -c and -a only make sense for a canary with steps. argo refuses blue-green and a canary
// without steps, and dereferences a nil canary otherwise; here every case gets a message.
void check_skippable(const PromoteFacts& facts, const char* flag) {
    if (facts.has_steps()) {
        return;
    }
    const std::string what = facts.blue_green
                                 ? "is a blue-green rollout, which has no steps to skip"
                                 : "has no canary steps to skip";
    throw core::Error("rollout " + core::quote(facts.name) + " " + what + "; promote it without " +
                      flag);
}

} // namespace

void check_promote_flags(const PromoteFlags& flags) {
    if (flags.skip_current_step && flags.skip_all_steps) {
        throw core::usage_error("--skip-current-step and --skip-all-steps cannot be used together");
    }
}

PromotePatches promote_patches(const json& rollout, const PromoteFlags& flags) {
    check_promote_flags(flags);
    const PromoteFacts facts = read_facts(rollout);
    PromotePatches patches;
    if (flags.skip_current_step) {
        check_skippable(facts, "--skip-current-step");
        patches.status_patch = set_step_index_patch(facts.next_step_index());
        patches.unified_patch = patches.status_patch;
        return patches;
    }
    if (flags.skip_all_steps) {
        check_skippable(facts, "--skip-all-steps");
        patches.status_patch = set_step_index_patch(facts.step_count);
        patches.unified_patch = patches.status_patch;
        return patches;
    }
    if (facts.paused) {
        patches.spec_patch = unpause_patch;
    }
    if (flags.full) {
        if (facts.current_pod_hash != facts.stable_rs) {
            patches.status_patch = promote_full_patch;
        }
        patches.unified_patch = unpause_and_promote_full_patch;
        return patches;
    }
    patches.unified_patch = unpause_and_clear_pause_conditions_patch;
    if (facts.step_analysis_inconclusive && facts.pause_conditions && facts.controller_pause) {
        // Stuck on an inconclusive analysis: leave the controller's pause and the step
        // behind, or a pause step next would hold the rollout again at once.
        if (facts.has_steps()) {
            patches.status_patch =
                clear_pause_conditions_and_controller_pause_patch(facts.next_step_index());
        }
    } else if (facts.pause_conditions) {
        patches.status_patch = clear_pause_conditions_patch;
    } else if (facts.has_steps()) {
        const std::int64_t next = facts.next_step_index();
        patches.status_patch = clear_pause_conditions_with_step_patch(next);
        patches.unified_patch = unpause_and_clear_pause_conditions_with_step_patch(next);
    }
    return patches;
}

std::string half_promoted_message(std::string_view rollout_name, std::string_view status_patch,
                                  std::string_view why) {
    return "rollout " + core::quote(rollout_name) + " is half promoted: its status was changed (" +
           std::string(status_patch) + ") but unpausing its spec failed: " + core::one_line(why) +
           "; `resume` it to finish";
}

} // namespace nova::rollouts
