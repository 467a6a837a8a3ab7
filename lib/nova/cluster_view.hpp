#pragma once

#include "lib/nova/cluster.hpp"
#include "lib/nova/context_map.hpp"
#include "lib/rollouts/experiment_info.hpp"
#include "lib/rollouts/pod_info.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The rollout tree joined with what every workload cluster runs (DESIGN.md §4 step 4). Nova
// copies each ReplicaSet the argo-rollouts controller creates in the control plane onto workload
// clusters, keeping its name, namespace and labels, and each copy gets its own pods there; the
// analysis Jobs are copied the same way. Pure: the command gathers, this joins.
namespace nova::fleet {

// How a cluster's round went.
enum class ReadState {
    read,        // its objects were listed
    unreachable, // the list failed (connection, TLS, auth, deadline...): `error` says why
    unmapped,    // no context reaches it: nothing was asked
};

// "Read", "Unreachable", "Unmapped".
std::string_view to_string(ReadState state);

// What the command read from one workload cluster, as the API returned it. Objects of other
// rollouts may be among them: only those that join are used.
struct ClusterReading {
    std::string cluster; // Nova cluster name
    std::string context;
    ContextSource source = ContextSource::none;
    std::optional<WorkloadCluster> info; // the Cluster object, when there is one
    ReadState state = ReadState::read;
    std::string error; // one line, for unreachable clusters
    std::vector<nlohmann::json> replica_sets;
    std::vector<nlohmann::json> pods;     // of the rollout's ReplicaSets (label-selected)
    std::vector<nlohmann::json> jobs;     // the analysis Jobs, when listed (optional)
    std::vector<nlohmann::json> job_pods; // pods of the analysis Jobs (label job-name)
};

// A reading to fill in for `target`: cluster, context, source and info copied; `unmapped` when
// the target has no context, `read` otherwise (the command sets unreachable and the error when
// the list fails). A context missing from the kubeconfig gives `unreachable` with the reason.
ClusterReading make_reading(const ClusterTarget& target);

// Pods ready of pods counted.
struct PodCount {
    std::int64_t ready = 0;
    std::int64_t total = 0;

    bool operator==(const PodCount&) const = default;
};

// One ReplicaSet's copy in one cluster, or the lack of knowledge about it.
struct ClusterReplicaSet {
    std::string cluster;
    ReadState state = ReadState::read; // unreachable / unmapped: nothing is known below
    // Why, as one printable line.
    std::string error;
    rollouts::ObjectMeta meta; // the copy's own metadata (its uid and creation time there)
    std::string status;        // argo's ReplicaSet health of the copy: Healthy, Progressing...
    std::string icon;
    std::int64_t desired = 0;            // spec.replicas of the copy: Nova's share for that cluster
    std::int64_t replicas = 0;           // status.replicas
    std::int64_t ready = 0;              // status.readyReplicas
    std::int64_t available = 0;          // status.availableReplicas
    bool matched_by_hash = false;        // found by its rollouts-pod-template-hash, not its name
    std::vector<rollouts::PodInfo> pods; // `cluster` set, in argo's pod order

    bool operator==(const ClusterReplicaSet&) const = default;
};

// One analysis Job's copy in one cluster, or, for a Job still running, a cluster that could
// not be read (it may be running there).
struct ClusterJob {
    std::string cluster;
    ReadState state = ReadState::read; // unreachable / unmapped: nothing is known below
    std::string error;                 // why, as one printable line
    rollouts::ObjectMeta meta;         // the Job's (or, without the Job object, its first pod's)
    std::string status;                // Successful, Failed, Running, Pending (analysis phases)
    std::string icon;
    std::vector<rollouts::PodInfo> pods; // `cluster` set, in argo's pod order

    bool operator==(const ClusterJob&) const = default;
};

// One line of the header's `Clusters:` block.
struct ClusterSummary {
    std::string cluster;
    std::string context;
    ContextSource source = ContextSource::none;
    ReadState state = ReadState::read;
    std::string error;                   // why it was not read, as one printable line
    std::optional<ClusterHealth> health; // nullopt without a Cluster object
    // The word shown for the cluster: Ready, Standby, NotReady, Unknown (Nova's conditions, for a
    // read cluster), Reachable (read, no Cluster object), Unreachable, Unmapped; a standby
    // cluster that cannot be read stays Standby.
    std::string status;
    std::string icon;
    PodCount stable; // pods of the stable ReplicaSet there
    PodCount canary; // pods of the canary (blue-green: preview) ReplicaSet there
    PodCount pods;   // every pod of the rollout's ReplicaSets there
    // Whether the cluster counts as not read for exit code 5: unreachable or unmapped, unless
    // in standby (planned: nothing of ours runs there).
    bool missing = false;

    bool operator==(const ClusterSummary&) const = default;
};

// The per-cluster half of a tree: copies of its ReplicaSets and Jobs, by name.
struct ClusterJoin {
    // ReplicaSet name -> one entry per cluster that has a copy (or could not be read, for
    // ReplicaSets with replicas), in the clusters' order.
    std::map<std::string, std::vector<ClusterReplicaSet>> replica_sets;
    // Job name -> one entry per cluster that runs it, in the clusters' order.
    std::map<std::string, std::vector<ClusterJob>> jobs;

    bool operator==(const ClusterJoin&) const = default;
};

// `get rollout`'s model: argo's info plus every cluster.
struct RolloutView {
    rollouts::RolloutInfo info;
    std::vector<ClusterSummary> clusters; // in the readings' order
    ClusterJoin join;
    // False when the rollout is not spread by Nova: no cluster holds a copy of anything of it and
    // every cluster was read. Then the views print exactly argo's text.
    bool multi_cluster = false;

    // Whether the output is incomplete (exit 5): some cluster is `missing`.
    [[nodiscard]] bool incomplete() const;
    // The names of the missing clusters, in order.
    [[nodiscard]] std::vector<std::string> missing_clusters() const;

    bool operator==(const RolloutView&) const = default;
};

// `get experiment`'s model.
struct ExperimentView {
    rollouts::ExperimentInfo info;
    std::vector<ClusterSummary> clusters; // stable/canary counts stay 0
    ClusterJoin join;
    bool multi_cluster = false;

    [[nodiscard]] bool incomplete() const;
    [[nodiscard]] std::vector<std::string> missing_clusters() const;

    bool operator==(const ExperimentView&) const = default;
};

// Joins `info` (built from the control plane) with the clusters' readings:
// * each ReplicaSet (the rollout's and its experiments') with its copy in each cluster: the
//   ReplicaSet of the same name, else one with the same rollouts-pod-template-hash label;
// * each copy with its pods: owned by the copy's uid there, else carrying its hash label;
// * each analysis Job (by name) with the Job of that name and the pods labelled job-name
//   (or batch.kubernetes.io/job-name) with it;
// * the summary of each cluster.
// Unreachable and unmapped clusters appear under every ReplicaSet that has replicas, unless
// they are in standby.
RolloutView build_rollout_view(rollouts::RolloutInfo info,
                               const std::vector<ClusterReading>& readings);

ExperimentView build_experiment_view(rollouts::ExperimentInfo info,
                                     const std::vector<ClusterReading>& readings);

// The names of the analysis Jobs of `info` (its runs' and its experiments' runs'), sorted and
// unique: what the second round selects Job pods by (`job-name in (...)`).
std::vector<std::string> analysis_job_names(const rollouts::RolloutInfo& info);

// Whether a pod counts as ready: every container ready, and at least one.
bool pod_ready(const rollouts::PodInfo& pod);

} // namespace nova::fleet
