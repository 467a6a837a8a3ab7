#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace nova::rollouts {

// A rollout's Status and Message as argo computes them (GetRolloutPhase,
// reference/argo-rollouts-plugin.md §3.6): the controller's status.phase when it wrote one,
// otherwise the client-side fallback older controllers need.
struct RolloutPhase {
    std::string status; // Healthy, Progressing, Paused, Degraded (or what the controller wrote)
    std::string message;

    bool operator==(const RolloutPhase&) const = default;
};

RolloutPhase rollout_phase(const nlohmann::json& rollout);

// spec.replicas, or 1 when unset (argo's default).
std::int64_t desired_replicas(const nlohmann::json& rollout);

} // namespace nova::rollouts
