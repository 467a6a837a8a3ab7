#pragma once

// The controllers of a simulated Kubernetes cluster and its kubelet: what turns Deployments,
// ReplicaSets and Jobs written to the hosting cluster and the workload clusters into pods that
// start, become Ready, and (for Jobs) complete or fail. Nothing runs in the Nova control plane,
// which has no nodes: Nova sums the workload clusters' status back there.
//
//   Deployment -> a ReplicaSet per pod template, `<deployment>-<pod-template-hash>`, revision
//                 annotations; a changed template scales the old ones to 0 (Recreate-like)
//   ReplicaSet -> pods `<replicaset>-<5 chars>`, newest deleted first on scale-down
//   Job        -> one pod at a time, `<job>-<5 chars>`, until `completions` succeeded (Complete)
//                 or more than `backoffLimit` failed (Failed); SimSettings::failing_jobs makes
//                 the next pods fail
//   kubelet    -> a new pod is Pending (ContainerCreating) for SimSettings::pod_start, then
//                 Running and Ready; a Job's pod ends SimSettings::job_run after that
//
// Status is written only when it changes, so watchers see one event per real transition.

#include "lib/core/duration.hpp"
#include "lib/sim/controllers.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nova::sim {

// The pod-template-hash of a pod template, as the Deployment controller names its ReplicaSets:
// the FNV-1a hash of the template, its ten decimal digits encoded with Kubernetes' "safe"
// alphabet ("5d8b4b6c9f"). Stable for equal templates.
std::string pod_template_hash(const nlohmann::json& pod_template);

class ClusterController : public Controller {
public:
    explicit ClusterController(SimSettings& settings);
    [[nodiscard]] std::string_view name() const override { return "cluster"; }
    void reconcile(const Fleet& fleet, const SimTime& time) override;

private:
    struct Cluster {
        std::string name; // the context: kind-cp, kind-workload-1...
        Store* store = nullptr;
        int index = 0; // 0: the hosting cluster; workload clusters from 1 (pod and host IPs)
    };
    // What this controller remembers of the pods it created (timestamps have second precision).
    struct PodMemory {
        core::Clock::time_point created;
        bool fails = false; // a Job's pod that is to fail
        std::string cluster;
    };

    void reconcile_cluster(const Cluster& cluster, const SimTime& time);
    // Deployment -> its ReplicaSets (create, scale, revisions); then its status from theirs.
    void sync_deployment(const Cluster& cluster, const nlohmann::json& deployment,
                         const std::vector<nlohmann::json>& replica_sets);
    void deployment_status(const Cluster& cluster, const nlohmann::json& deployment,
                           const std::vector<nlohmann::json>& replica_sets, const SimTime& time);
    // ReplicaSet -> as many pods as it wants; then its status from them.
    void sync_replica_set(const Cluster& cluster, const nlohmann::json& replica_set,
                          const std::vector<nlohmann::json>& pods, const SimTime& time);
    void replica_set_status(const Cluster& cluster, const nlohmann::json& replica_set,
                            const std::vector<nlohmann::json>& pods);
    // Job -> a pod at a time, and its status.
    void sync_job(const Cluster& cluster, const nlohmann::json& job,
                  const std::vector<nlohmann::json>& pods, const SimTime& time);
    // The kubelet: Pending -> Running and Ready -> (a Job's pod) Succeeded or Failed.
    void run_pod(const Cluster& cluster, const nlohmann::json& pod, const SimTime& time);

    // Creates a Pending pod from `pod_template`, controlled by `owner`, and returns it.
    nlohmann::json create_pod(const Cluster& cluster, const nlohmann::json& owner,
                              const std::string& owner_api_version, const std::string& owner_kind,
                              const nlohmann::json& pod_template, nlohmann::json extra_labels,
                              const SimTime& time);
    [[nodiscard]] core::Clock::time_point created_at(const nlohmann::json& pod) const;
    std::string random_suffix();
    std::string pod_ip(const Cluster& cluster);

    SimSettings& m_settings;
    std::mt19937_64 m_random;
    std::unordered_map<std::string, PodMemory> m_pods; // by pod uid
    std::map<std::string, std::uint32_t> m_next_ip;    // by cluster
};

} // namespace nova::sim
