#pragma once

#include "lib/core/label_selector.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/nova/schedule_policy.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Where Nova is expected to put an object's replicas under a SchedulePolicy: eligible clusters,
// topology domains and the split (reference/nova-and-peers.md §1.3, §1.7, §1.9 point 2). Pure.
// nova-sim places replicas with expected_split and `verify-spread` checks against it, so the
// simulator and the check can never disagree about the rule.
namespace nova::fleet {

// The labels a policy's clusterSelector and topologyKey see on a cluster: its own labels, plus
// the ones Nova sets on every Cluster (kubernetes.io/metadata.name, nova.elotl.co/cluster.region
// and .zone; reference §1.2) filled in from its name and fields when the object lacks them.
core::Labels cluster_labels(const WorkloadCluster& cluster);

// Why a cluster the clusterSelector picked gets nothing.
enum class Exclusion {
    standby,           // Ready=False and Standby=True: parked by Nova on purpose
    not_ready,         // Ready=False
    health_unknown,    // Ready=Unknown, or no Ready condition
    no_topology_value, // lacks the topologyKey label, so it is in no domain
};

// "Standby", "NotReady", "Unknown", "NoTopologyValue".
std::string_view to_string(Exclusion reason);

struct ExcludedCluster {
    std::string name;
    Exclusion reason = Exclusion::not_ready;
    std::string detail; // one line for people, e.g. `Ready=False (KubeletDown: node gone)`

    bool operator==(const ExcludedCluster&) const = default;
};

struct ClusterEligibility {
    std::vector<WorkloadCluster> eligible; // in name order
    // Selected by clusterSelector but not schedulable, in name order, so a command can name
    // them. Clusters the selector does not pick are in neither list.
    std::vector<ExcludedCluster> excluded;
};

// The clusters `policy` may place onto: those its clusterSelector picks that are Ready and, when
// it has spreadConstraints, carry the topologyKey label (Kubernetes' topology spread skips
// nodes without the key too; Nova's handling is undocumented).
ClusterEligibility eligible_clusters(const SchedulePolicy& policy,
                                     const std::vector<WorkloadCluster>& clusters);

// Clusters sharing one value of the topologyKey label.
struct TopologyDomain {
    std::string value;
    std::vector<std::string> clusters; // in name order

    bool operator==(const TopologyDomain&) const = default;
};

// The domains of `clusters` by `topology_key`, in value order. A cluster without the label is
// in none. With kubernetes.io/metadata.name every cluster is its own domain.
std::vector<TopologyDomain> topology_domains(std::string_view topology_key,
                                             const std::vector<WorkloadCluster>& clusters);

// THE REMAINDER RULE, used at every level: `replicas` over `parts` as evenly as possible, the
// first `replicas % parts` parts getting one more. Parts are always in name order (domains by
// topology value, clusters by name), so 3 over {wlc-1, wlc-2} is 2/1. Nova's own rule for an
// uneven Divide is undocumented (reference §1.7); name order is deterministic, independent of
// list order and time, easy to predict by hand, and what Karmada does (karmada#4220). Any other
// rule differs by at most one replica per cluster, which `within_tolerance` accepts.
// Empty when parts is 0; negative replicas count as 0.
std::vector<std::int64_t> divide_evenly(std::int64_t replicas, std::size_t parts);

// How an expected split was computed.
enum class SplitRule {
    divide,      // an even split over the domains, then over each domain's clusters
    percentage,  // percentageSplit per domain (floored), then even within each domain
    duplicate,   // every eligible cluster runs all replicas
    one_cluster, // no spreadConstraints: the whole group goes to one cluster of Nova's choice
};

// "Divide", "PercentageSplit", "Duplicate", "OneCluster".
std::string_view to_string(SplitRule rule);

using ReplicaCounts = std::map<std::string, std::int64_t>; // cluster name → replicas

struct ExpectedSplit {
    SplitRule rule = SplitRule::divide;
    // Every eligible cluster, zeros included. For one_cluster Nova picks by capacity, which no
    // object shows: this model (and nova-sim) picks the first eligible cluster by name, and
    // the checks below accept any one eligible cluster.
    ReplicaCounts replicas;
    // Replicas asked for that no cluster gets: floored away by percentageSplit (5 at 70/30 is
    // 3/1 and one replica is dropped, as Nova documents, reference §1.7), the share of a
    // topologyValue with no eligible cluster or of percentages under 100, or all of them when
    // no cluster is eligible. Nova places them nowhere, so neither does the model.
    std::int64_t unplaced = 0;

    bool operator==(const ExpectedSplit&) const = default;
};

// The expected replicas per cluster for one object with `replicas` replicas (one member of a
// ScheduleGroup: each pod controller of a group is split on its own, see schedule_group).
// `eligible` comes from eligible_clusters; a cluster in it without the topologyKey label gets
// nothing. Within a domain of several clusters the domain's replicas are divided evenly by the
// same remainder rule (Divide and percentageSplit) or copied to each (Duplicate).
ExpectedSplit expected_split(const SchedulePolicy& policy,
                             const std::vector<WorkloadCluster>& eligible, std::int64_t replicas);

// The sum of the counts.
std::int64_t total(const ReplicaCounts& counts);

// Whether `actual` (cluster → replicas running there; a missing cluster counts as 0) is
// exactly the expected split. For one_cluster: all of the replicas on any one eligible cluster.
bool matches_exactly(const ExpectedSplit& expected, const ReplicaCounts& actual);

// verify-spread's --tolerance: for Divide and percentageSplit, any split that places the same
// total, nothing outside the eligible clusters, and each cluster within ±1 of the expectation
// (so any other remainder rule passes, a lost or extra replica does not). Duplicate and
// one_cluster involve no rounding, so they must match exactly.
bool within_tolerance(const ExpectedSplit& expected, const ReplicaCounts& actual);

} // namespace nova::fleet
