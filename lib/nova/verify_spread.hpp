#pragma once

#include "lib/core/label_selector.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/nova/cluster_view.hpp"
#include "lib/nova/schedule_policy.hpp"
#include "lib/nova/spread.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// `verify-spread`: where Nova should have put a rollout's replicas (the SchedulePolicy that
// selects each object, the eligible clusters and the split of spread.hpp, the same functions
// nova-sim places with), held against what each workload cluster runs. Pure: the command
// gathers, this compares, lib/render prints.
namespace nova::fleet {

// What the control plane says about placement, as read.
struct PlacementObjects {
    PolicySet policies;
    core::Labels namespace_labels;            // of the rollout's Namespace object
    std::vector<WorkloadCluster> clusters;    // Nova's Cluster objects
    std::vector<nlohmann::json> replica_sets; // the control plane's ReplicaSets (spec, labels)
    std::vector<nlohmann::json> jobs;         // the control plane's Jobs (spec, labels, status)
};

struct SpreadOptions {
    // --tolerance: Divide and percentageSplit may differ from the model by ±1 per cluster, as
    // long as the total is the same (within_tolerance): Nova's remainder rule is undocumented.
    bool tolerance = false;
};

// One cluster's line of a table.
enum class RowResult {
    match,    // as expected
    mismatch, // not as expected: `reason` says how
    unknown,  // the cluster could not be read (exit 5 unless it is in standby)
};

// "Match", "Mismatch", "Unknown".
std::string_view to_string(RowResult result);

struct SpreadRow {
    std::string cluster;
    std::int64_t expected = 0;
    std::optional<std::int64_t> desired; // the copy's spec.replicas (Job: parallelism); 0 when
                                         // there is no copy; nullopt when not read
    std::optional<std::int64_t> ready;   // its pods that are ready (Job: running or done)
    bool copy = false;                   // a copy of the object is in the cluster
    std::optional<Exclusion> excluded;   // the policy's clusterSelector picks it, Nova does not
    RowResult result = RowResult::match;
    std::string reason;   // one line for people, for mismatch and unknown
    bool missing = false; // unknown and counts as not read (exit 5)

    bool operator==(const SpreadRow&) const = default;
};

// One object that should have replicas: a ReplicaSet of the rollout, or a running analysis Job.
struct SpreadSubject {
    std::string kind; // ReplicaSet or Job
    std::string name;
    std::string role;          // stable, canary, active, preview, old (scaling down), analysis
    std::int64_t replicas = 0; // spec.replicas (Job: spec.parallelism) in the control plane
    std::vector<std::string> policies; // the SchedulePolicies that select it, by name
    std::optional<std::string> group;  // its ScheduleGroup under the policy (groupBy value)
    std::string group_by;              // the policy's groupBy label key
    std::optional<SplitRule> rule;     // nullopt without exactly one policy
    std::string topology_key;
    std::int64_t unplaced = 0;
    std::vector<ExcludedCluster> excluded;
    std::vector<SpreadRow> rows; // eligible clusters, then any other cluster that has a copy or
                                 // could not be read, in name order
    // Problems of the object as a whole (no policy, several, nothing eligible, a wrong total),
    // and notes that are not problems (replicas floored away by percentageSplit).
    std::vector<std::string> problems;
    std::vector<std::string> notes;
    RowResult result = RowResult::match;

    bool operator==(const SpreadSubject&) const = default;
};

enum class SpreadVerdict {
    as_expected, // exit 0
    mismatch,    // exit 3
    incomplete,  // exit 5: everything read matches, but some cluster could not be read
};

// "AsExpected", "Mismatch", "Incomplete".
std::string_view to_string(SpreadVerdict verdict);

struct SpreadReport {
    std::string rollout;
    std::string namespace_name;
    bool tolerance = false;
    std::vector<SpreadSubject> subjects;
    std::vector<std::string> warnings; // SchedulePolicies that could not be read
    SpreadVerdict verdict = SpreadVerdict::as_expected;
    std::vector<std::string> reasons;          // every mismatch reason, in table order
    std::vector<std::string> missing_clusters; // clusters that could not be read

    bool operator==(const SpreadReport&) const = default;
};

// The expected spread of one object held against the clusters' copies: the matching policies,
// the eligible and excluded clusters, the split, and per cluster the copy's desired and ready
// replicas. `copies` are the object's copies (from the join of `view`; for a Job built by
// job_copies), `readings` say which clusters were read.
SpreadSubject verify_subject(SpreadSubject subject, const nlohmann::json& object,
                             const PlacementObjects& control,
                             const std::vector<ClusterReplicaSet>& copies,
                             const std::vector<ClusterReading>& readings,
                             const SpreadOptions& options);

// The whole check for a rollout: every ReplicaSet of `view` with replicas in the control plane,
// and the Jobs of its running AnalysisRuns that have not finished.
SpreadReport verify_spread(const RolloutView& view, const PlacementObjects& control,
                           const std::vector<ClusterReading>& readings,
                           const SpreadOptions& options);

// The copies of analysis Job `name` in the clusters, as ClusterReplicaSets: desired is the
// copy's spec.parallelism, pods those labelled job-name=<name> there, ready those running or
// done (a Job's pod counts while it works and once it has succeeded).
std::vector<ClusterReplicaSet> job_copies(std::string_view name,
                                          const std::vector<ClusterReading>& readings);

} // namespace nova::fleet
