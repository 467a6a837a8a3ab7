#pragma once

// The simulated argo-rollouts controller (`run --controllers`), in the Nova control plane: what
// argo-rollouts v1.6 does for a canary Rollout without traffic routing and for a blue-green
// Rollout, with the objects and status fields the real controller writes
// (reference/argo-rollouts-plugin.md §3):
//
//   ReplicaSets `<rollout>-<pod-template-hash>`, one per revision, scaled step by step
//     (setWeight, pause, analysis), canaryMetadata/stableMetadata on their pod templates;
//   blue-green: the new revision's ReplicaSet at full size (or previewReplicaCount) beside the
//     active one, the previewService/activeService selectors (rollouts-pod-template-hash),
//     BlueGreenPause (autoPromotionEnabled false, autoPromotionSeconds), and the old
//     ReplicaSet's scale-down-deadline (scaleDownDelaySeconds, abortScaleDownDelaySeconds);
//     pre- and post-promotion analysis are not simulated;
//   AnalysisRuns `<rollout>-<hash>-<revision>-<step>` from AnalysisTemplates, whose `job`
//     metrics run as Jobs `<run-uid>.<metric>.<n>` (Nova places them; their status decides);
//   the Rollout's status: phase, message, pauseConditions, conditions, counters...
//
// The control plane has no pods: the ReplicaSets' status (readyReplicas, availableReplicas) is
// what the Nova controller sums back from the workload clusters, and it is what decides progress.

#include "lib/sim/controllers.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace nova::sim {

// Runs when settings.argo_controller is "always", or "auto" once the hosting cluster's
// Deployment elotl/argo-rollouts has an available replica (as in the tutorial).
std::unique_ptr<Controller> make_argo_controller(SimSettings& settings);

namespace argo {

// apimachinery's rand.SafeEncodeString of the decimal form of `value`: every digit becomes a
// character of "bcdfghjklmnpqrstvwxz2456789" (so hashes read like "5cddbfbdbf").
std::string safe_encode(std::uint32_t value);

// The rollouts-pod-template-hash of a pod template: FNV-1a (32 bits) over the template's
// canonical JSON (and the collision count), safe-encoded. Stable for a template.
std::string pod_template_hash(const nlohmann::json& pod_template,
                              std::optional<std::int64_t> collision_count = std::nullopt);

// status.currentStepHash: FNV-1a of the canary steps, safe-encoded.
std::string step_hash(const nlohmann::json& steps);

// The canary/stable split closest to `weight` of `replicas` (argo's
// approximateWeightedCanaryStableReplicaCounts): 20% of 10 is {2, 8}.
std::pair<std::int64_t, std::int64_t> weighted_counts(std::int64_t replicas, std::int64_t weight,
                                                      std::int64_t max_weight,
                                                      std::int64_t max_surge);

} // namespace argo

} // namespace nova::sim
