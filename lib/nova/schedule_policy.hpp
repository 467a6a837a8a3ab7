#pragma once

#include "lib/core/label_selector.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Nova's SchedulePolicy (policy.elotl.co/v1alpha1, cluster-scoped; reference/nova-and-peers.md
// §1.3) and which objects it selects. Pure: objects in, values out. Shared by nova-sim's
// simulated scheduler and by `verify-spread`, so both read a policy the same way.
namespace nova::fleet {

// How replicas go to topology domains. Divide is the default: policies without spreadMode
// split 10 replicas 5/5 in Elotl's own tutorials (reference §1.3).
enum class SpreadMode {
    divide,    // the replicas are shared out across the domains
    duplicate, // every domain runs all of them
};

// "Divide", "Duplicate".
std::string_view to_string(SpreadMode mode);

// One entry of spreadConstraints.percentageSplit.
struct PercentageShare {
    std::string topology_value; // a value of the topologyKey label
    int percentage = 0;         // 0–100

    bool operator==(const PercentageShare&) const = default;
};

struct SpreadConstraints {
    std::string topology_key; // a Cluster label key; clusters sharing its value form a domain
    SpreadMode mode = SpreadMode::divide;
    // Empty: an even split. Used by Divide only; Duplicate copies everything anyway.
    std::vector<PercentageShare> percentage_split;

    bool operator==(const SpreadConstraints&) const = default;
};

// The parts of a SchedulePolicy that decide what is placed where. Fields Nova has but this model
// does not use (orderedClusterSelector, overrides, resourceSelectors.kinds) are ignored: they are
// known only from examples, not from a CRD (reference §1.3, §5).
struct SchedulePolicy {
    std::string name;
    core::LabelSelector namespace_selector; // against the namespace's labels
    // An object is selected when it matches ANY of these; none at all selects nothing.
    std::vector<core::LabelSelector> resource_selectors;
    core::LabelSelector cluster_selector; // over Cluster labels; empty = every cluster
    std::string group_by;                 // groupBy.labelKey; "" = no grouping
    // Absent: the whole group goes to ONE cluster Nova picks by capacity.
    std::optional<SpreadConstraints> spread;
};

// One SchedulePolicy object. Throws core::Error naming the policy and the field on malformed
// input: a missing name, spec, namespaceSelector or resourceSelectors (the CRD requires them),
// a bad label selector, an unknown spreadMode, a percentageSplit entry without a topologyValue,
// with a percentage outside 0–100, a repeated topologyValue, or percentages summing over 100
// (that would place more replicas than asked for).
// percentageSplit is read as the 2023 CRD's list of {topologyValue, percentage} and also as the
// map {value: percentage} the v1.5 docs show (reference §1.3: the current shape is unconfirmed).
SchedulePolicy parse_schedule_policy(const nlohmann::json& policy);

// A policy that could not be read, and why (the core::Error's message).
struct RejectedPolicy {
    std::string name; // metadata.name, "" when even that is missing
    std::string error;

    bool operator==(const RejectedPolicy&) const = default;
};

struct PolicySet {
    std::vector<SchedulePolicy> policies; // sorted by name
    std::vector<RejectedPolicy> rejected; // in list order
};

// The policies of a SchedulePolicyList (an object with `items`) or of a JSON array. A malformed
// policy is set aside with its error, so one bad policy never hides the others.
PolicySet parse_schedule_policies(const nlohmann::json& list);

// Whether `policy` selects `object`: the namespace's labels match namespaceSelector and the
// object's labels match one of resourceSelectors.labelSelectors. `namespace_labels` are the
// labels of the object's Namespace object (the API server gives every namespace
// kubernetes.io/metadata.name=<name>; pass them as read). An object without metadata.namespace
// is cluster-scoped: namespaceSelector does not apply to it, as Nova's docs say such objects
// are matched too (reference §1.3).
bool selects(const SchedulePolicy& policy, const nlohmann::json& object,
             const core::Labels& namespace_labels);

// The policies that select `object`, in the order given. None and several are both ordinary
// outcomes for a caller to report (Nova's choice among several is undocumented).
std::vector<SchedulePolicy> matching_policies(const std::vector<SchedulePolicy>& policies,
                                              const nlohmann::json& object,
                                              const core::Labels& namespace_labels);

// The ScheduleGroup `object` joins under `policy`: the value of its groupBy label, "" when the
// object lacks the label; nullopt when the policy has no groupBy.
//
// What a group means for the split: Nova schedules a group as one unit, so without
// spreadConstraints every object of a group lands on the same single cluster. With
// spreadConstraints each pod controller in the group is split on its own replica count
// (expected_split in spread.hpp). The tutorial's policy groups by `role`, and argo gives the
// stable and canary ReplicaSets role=stable and role=canary: they are different groups, each
// split on its own, so with 7 stable and 3 canary replicas over two clusters the clusters run
// 4+2 and 3+1, not 5 and 5.
std::optional<std::string> schedule_group(const SchedulePolicy& policy,
                                          const nlohmann::json& object);

} // namespace nova::fleet
