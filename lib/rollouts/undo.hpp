#pragma once

// `undo`: which ReplicaSet's pod template a rollout goes back to, whether it already has it, and
// the JSON patch that puts it back (reference §2.10).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

inline constexpr std::string_view revision_annotation = "rollout.argoproj.io/revision";
inline constexpr std::string_view pod_template_hash_label = "rollouts-pod-template-hash";

// The value of --to-revision: a plain decimal integer within int64, 0 or more ("" and "0x10",
// "+3", "1e3" or 2^63 are not). Throws core::usage_error naming the flag.
std::int64_t parse_to_revision(std::string_view text);

// The ?labelSelector= text of the rollout's spec.selector (matchLabels and matchExpressions),
// "" for none. Throws core::Error for a selector Kubernetes would refuse.
std::string replica_set_selector(const nlohmann::json& rollout);

// The ReplicaSets whose controller ownerReference (controller: true) has `uid`, in list order.
std::vector<nlohmann::json> controlled_replica_sets(const std::vector<nlohmann::json>& replica_sets,
                                                    std::string_view uid);

// The rollout.argoproj.io/revision annotation: 0 when absent, nullopt when not an integer.
std::optional<std::int64_t> replica_set_revision(const nlohmann::json& replica_set);

struct UndoTarget {
    std::string replica_set;     // its name
    std::int64_t revision = 0;   // its revision, the real one (argo prints the flag value)
    nlohmann::json pod_template; // its spec.template without the pod-template-hash label
};

// argo's choice: with `to_revision` > 0 the first ReplicaSet of that revision, else the one with
// the second-highest revision (ReplicaSets without a valid revision are left out). Throws
// core::Error `unable to find specified revision N in history` or `no revision found for
// rollout "NAME"`, and when the chosen ReplicaSet has no pod template (or one that is not an
// object).
UndoTarget undo_target(const std::vector<nlohmann::json>& replica_sets, std::int64_t to_revision,
                       std::string_view rollout_name);

// `pod_template` without the rollouts-pod-template-hash label (and without an empty labels map
// left behind, as Go's omitempty would drop it).
nlohmann::json without_pod_template_hash(nlohmann::json pod_template);

// Kubernetes' semantic DeepDerivative on JSON: whether everything `desired` sets is also in
// `actual`. Go decides on typed fields, where only nil pointers, nil or empty maps and slices,
// and empty strings are "unset"; JSON has no types, so here null, "", [] and {} in `desired`
// (or a member absent from it) are unset and ignored, while numbers and booleans, zero or false
// included, must be equal. Two deliberate differences: an array set in `desired` must have as
// many elements as `actual`'s (Go compares only the first len(desired), so a rollout with one
// container "matched" a revision with two), and quantities ("500m") are compared as written,
// which is how the API server stores both templates.
bool semantic_derivative(const nlohmann::json& desired, const nlohmann::json& actual);

// Whether `current` (the template the rollout or its workload has now) already is the target's
// template: semantic_derivative of both without the pod-template-hash label. A missing or empty
// `current` matches nothing.
bool template_matches(const nlohmann::json& current, const nlohmann::json& target_template);

// The JSON patch that restores `pod_template` at `pointer` ("/spec/template", or "/template"
// for a PodTemplate): [{"op":"replace","path":POINTER,"value":TEMPLATE}].
nlohmann::json undo_patch(const std::string& pointer, const nlohmann::json& pod_template);

// argo's line when the template already matches: `skipped rollback (current template already
// matches revision N)`, N being the real revision.
std::string skipped_message(std::int64_t revision);

} // namespace nova::rollouts
