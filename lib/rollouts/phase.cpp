#include "lib/rollouts/phase.hpp"

#include "lib/rollouts/json_fields.hpp"

namespace nova::rollouts {

namespace {

// status.observedGeneration is a string: numeric since v0.10, a hash before. Anything that is not
// a number below metadata.generation counts as observed.
bool generation_observed(const nlohmann::json& rollout) {
    const auto observed =
        fields::parse_int(fields::string_at(rollout, {"status", "observedGeneration"}));
    return !observed || *observed >= fields::int_at(rollout, {"metadata", "generation"});
}

bool analysis_phase_completed(const std::string& phase) {
    return phase == "Successful" || phase == "Failed" || phase == "Error" ||
           phase == "Inconclusive";
}

bool same_instant(const nlohmann::json& rollout, fields::Path a, fields::Path b) {
    const auto first = fields::time_at(rollout, a);
    const auto second = fields::time_at(rollout, b);
    if (first && second) {
        return *first == *second;
    }
    return fields::string_at(rollout, a) == fields::string_at(rollout, b);
}

RolloutPhase calculate_phase(const nlohmann::json& rollout) {
    for (const auto& condition : fields::array_at(rollout, {"status", "conditions"})) {
        const auto message = fields::string_at(condition, {"message"});
        if (fields::string_at(condition, {"type"}) == "InvalidSpec") {
            return {"Degraded", "InvalidSpec: " + message};
        }
        const auto reason = fields::string_at(condition, {"reason"});
        if (reason == "RolloutAborted" || reason == "ProgressDeadlineExceeded") {
            return {"Degraded", reason + ": " + message};
        }
    }
    if (fields::bool_at(rollout, {"spec", "paused"})) {
        return {"Paused", "manually paused"};
    }
    const auto& pause_conditions = fields::array_at(rollout, {"status", "pauseConditions"});
    if (!pause_conditions.empty()) {
        return {"Paused", fields::string_at(pause_conditions.front(), {"reason"})};
    }
    if (fields::has(rollout, {"spec", "restartAt"}) &&
        (!fields::has(rollout, {"status", "restartedAt"}) ||
         !same_instant(rollout, {"spec", "restartAt"}, {"status", "restartedAt"}))) {
        return {"Progressing", "rollout is restarting"};
    }
    const auto updated = fields::int_at(rollout, {"status", "updatedReplicas"});
    if (updated < desired_replicas(rollout)) {
        return {"Progressing", "more replicas need to be updated"};
    }
    if (fields::int_at(rollout, {"status", "availableReplicas"}) < updated) {
        return {"Progressing", "updated replicas are still becoming available"};
    }
    const auto current_hash = fields::string_at(rollout, {"status", "currentPodHash"});
    const auto stable_rs = fields::string_at(rollout, {"status", "stableRS"});
    const bool fully_promoted = stable_rs == current_hash;
    if (fields::has(rollout, {"spec", "strategy", "blueGreen"})) {
        const auto active = fields::string_at(rollout, {"status", "blueGreen", "activeSelector"});
        if (active.empty() || active != current_hash) {
            return {"Progressing", "active service cutover pending"};
        }
        if (stable_rs.empty() || !fully_promoted) {
            const bool waiting_for_analysis =
                fields::has(rollout, {"spec", "strategy", "blueGreen", "postPromotionAnalysis"}) &&
                (!fields::has(rollout, {"status", "blueGreen", "postPromotionAnalysisRunStatus"}) ||
                 !analysis_phase_completed(
                     fields::string_at(rollout, {"status", "blueGreen",
                                                 "postPromotionAnalysisRunStatus", "status"})));
            if (waiting_for_analysis) {
                return {"Progressing", "waiting for analysis to complete"};
            }
            return {"Progressing", "waiting for post-promotion verification to complete"};
        }
    } else if (fields::has(rollout, {"spec", "strategy", "canary"})) {
        // Only a basic canary: blue-green and traffic-routed canaries keep old replicas on
        // purpose (scale-down delay).
        if (!fields::has(rollout, {"spec", "strategy", "canary", "trafficRouting"}) &&
            fields::int_at(rollout, {"status", "replicas"}) > updated) {
            return {"Progressing", "old replicas are pending termination"};
        }
        if (stable_rs.empty() || !fully_promoted) {
            return {"Progressing", "waiting for all steps to complete"};
        }
    }
    return {"Healthy", ""};
}

} // namespace

std::int64_t desired_replicas(const nlohmann::json& rollout) {
    return fields::optional_int_at(rollout, {"spec", "replicas"}).value_or(1);
}

RolloutPhase rollout_phase(const nlohmann::json& rollout) {
    if (!generation_observed(rollout)) {
        return {"Progressing", "waiting for rollout spec update to be observed"};
    }
    if (fields::bool_at(rollout, {"status", "controllerPause"}) &&
        fields::array_at(rollout, {"status", "pauseConditions"}).empty()) {
        return {"Progressing", "waiting for rollout to unpause"};
    }
    // argo's third check (the workloadRef's generation) depends on a field that is never set
    // when the rollout is read from the API, so it never fires in the CLI.
    if (auto phase = fields::string_at(rollout, {"status", "phase"}); !phase.empty()) {
        return {std::move(phase), fields::string_at(rollout, {"status", "message"})};
    }
    return calculate_phase(rollout);
}

} // namespace nova::rollouts
