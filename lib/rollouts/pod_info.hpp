#pragma once

#include "lib/rollouts/object_set.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace nova::rollouts {

// A pod under its ReplicaSet, with the status kubectl would print for it
// (reference/argo-rollouts-plugin.md §3.5).
struct PodInfo {
    ObjectMeta meta;
    std::string status; // kubectl-style: Running, ImagePullBackOff, Init:0/1, Terminating, ...
    std::string icon;
    std::int64_t ready_containers = 0;
    std::int64_t total_containers = 0;
    std::int64_t restarts = 0;
    // The workload cluster the pod runs in; empty for the API server the rollout lives in.
    std::string cluster;

    std::string ready() const; // "<ready>/<total>"

    bool operator==(const PodInfo&) const = default;
};

PodInfo make_pod_info(const nlohmann::json& pod);

// argo's pod order within a ReplicaSet: creation time ascending, then name ascending.
bool pod_order(const PodInfo& a, const PodInfo& b);

} // namespace nova::rollouts
