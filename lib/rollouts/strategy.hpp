#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

// Strategy, step and weights of a rollout (reference/argo-rollouts-plugin.md §3.7).
namespace nova::rollouts {

// "Canary", "BlueGreen", or "" when the rollout has neither.
std::string strategy_name(const nlohmann::json& rollout);

// "<status.currentStepIndex>/<number of steps>" for a canary with steps and an index; else "".
std::string canary_step(const nlohmann::json& rollout);

// The index of the current canary step (status.currentStepIndex, 0 when unset), or nullopt when
// there is no current step: no steps, or the index is past the last one.
std::optional<std::size_t> current_step_index(const nlohmann::json& rollout);

// trafficRouting.maxTrafficWeight, 100 when unset.
std::int64_t max_traffic_weight(const nlohmann::json& rollout);

// The weight the canary is meant to have now: 0 when aborted, the maximum when no step is
// current, else the last setWeight at or before the current step (0 if none).
std::int64_t current_set_weight(const nlohmann::json& rollout);

} // namespace nova::rollouts
