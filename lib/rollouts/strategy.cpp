#include "lib/rollouts/strategy.hpp"

#include "lib/rollouts/json_fields.hpp"

#include <fmt/format.h>

namespace nova::rollouts {

std::string strategy_name(const nlohmann::json& rollout) {
    if (fields::has(rollout, {"spec", "strategy", "canary"})) {
        return "Canary";
    }
    if (fields::has(rollout, {"spec", "strategy", "blueGreen"})) {
        return "BlueGreen";
    }
    return {};
}

std::string canary_step(const nlohmann::json& rollout) {
    const auto& steps = fields::array_at(rollout, {"spec", "strategy", "canary", "steps"});
    const auto index = fields::optional_int_at(rollout, {"status", "currentStepIndex"});
    if (!fields::has(rollout, {"spec", "strategy", "canary"}) || !index || steps.empty()) {
        return {};
    }
    return fmt::format("{}/{}", *index, steps.size());
}

std::optional<std::size_t> current_step_index(const nlohmann::json& rollout) {
    const auto& steps = fields::array_at(rollout, {"spec", "strategy", "canary", "steps"});
    if (!fields::has(rollout, {"spec", "strategy", "canary"}) || steps.empty()) {
        return std::nullopt;
    }
    const auto index = fields::int_at(rollout, {"status", "currentStepIndex"});
    // A negative index would make argo's Go code panic; treat it as no current step.
    if (index < 0 || static_cast<std::size_t>(index) >= steps.size()) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(index);
}

std::int64_t max_traffic_weight(const nlohmann::json& rollout) {
    return fields::optional_int_at(
               rollout, {"spec", "strategy", "canary", "trafficRouting", "maxTrafficWeight"})
        .value_or(100);
}

std::int64_t current_set_weight(const nlohmann::json& rollout) {
    if (fields::bool_at(rollout, {"status", "abort"})) {
        return 0;
    }
    const auto index = current_step_index(rollout);
    if (!index) {
        return max_traffic_weight(rollout);
    }
    const auto& steps = fields::array_at(rollout, {"spec", "strategy", "canary", "steps"});
    for (auto i = static_cast<std::ptrdiff_t>(*index); i >= 0; --i) {
        if (const auto weight =
                fields::optional_int_at(steps[static_cast<std::size_t>(i)], {"setWeight"})) {
            return *weight;
        }
    }
    return 0;
}

} // namespace nova::rollouts
