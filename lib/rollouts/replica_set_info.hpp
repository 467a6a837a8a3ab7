#pragma once

#include "lib/rollouts/object_set.hpp"
#include "lib/rollouts/pod_info.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// A ReplicaSet node of the tree (reference/argo-rollouts-plugin.md §3.4).
struct ReplicaSetInfo {
    ObjectMeta meta;
    std::string status; // Healthy, Progressing, ScaledDown, ReplicaFailure
    std::string icon;
    std::int64_t revision = 0;
    std::string pod_template_hash; // label rollouts-pod-template-hash
    // Tags, only for ReplicaSets of a rollout (never for an experiment's).
    bool stable = false;
    bool canary = false;
    bool active = false;
    bool preview = false;
    bool ping = false;
    bool pong = false;
    std::int64_t replicas = 0;       // status.replicas
    std::int64_t available = 0;      // status.availableReplicas
    std::string template_name;       // annotation experiment.argoproj.io/template-name
    std::string scale_down_deadline; // annotation scale-down-deadline, as written (RFC 3339)
    std::vector<std::string> images;
    std::vector<std::string> init_container_images;
    // Sorted as argo sorts them (pod_order). A per-cluster view may add pods with `cluster` set.
    std::vector<PodInfo> pods;

    bool operator==(const ReplicaSetInfo&) const = default;
};

// argo's health of one ReplicaSet object.
std::string replica_set_health(const nlohmann::json& replica_set);

// The ReplicaSets of `objects` owned by `owner_uid`, tagged against `rollout` when given (null
// for an experiment's ReplicaSets), each with its pods, sorted: revision descending, then name.
std::vector<ReplicaSetInfo> replica_set_infos(std::string_view owner_uid,
                                              const nlohmann::json* rollout,
                                              const ObjectSet& objects);

// The INFO word for a scale-down deadline seen at `now`: "passed", a human duration until the
// deadline, or "" when the annotation is not RFC 3339 (argo's ScaleDownDelay).
std::string scale_down_delay(const ReplicaSetInfo& replica_set, core::Clock::time_point now);

} // namespace nova::rollouts
