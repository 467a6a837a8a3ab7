#pragma once

// How a Kubernetes Job ended, as its conditions say: the one reading shared by the tree's Job
// rows, verify-spread and nova-sim's analysis.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace nova::rollouts {

// "Successful" for a true Complete condition, "Failed" for a true Failed one, nullopt while
// neither is set (running, or a status without conditions).
std::optional<std::string> job_condition_outcome(const nlohmann::json& job);

} // namespace nova::rollouts
