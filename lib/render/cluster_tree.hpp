#pragma once

#include "lib/core/duration.hpp"
#include "lib/nova/cluster_view.hpp"
#include "lib/render/palette.hpp"
#include "lib/render/tree.hpp"

#include <string>
#include <vector>

// `get rollout` and `get experiment` with every workload cluster (docs/output-format.md shows
// an example). argo's header and tree, plus:
// * a `Clusters:` block after `Replicas:` in the header, one aligned line per cluster:
//     `  <cluster>  <icon> <status>  stable:<ready>/<total>  canary:<ready>/<total>
//      ready:<ready>/<total>`, or the reason for an unreachable or unmapped cluster;
// * under each ReplicaSet, one `⎈ <cluster>` row of kind Cluster per cluster holding a copy:
//   the copy's health, AGE and `ready:<readyReplicas>/<spec.replicas>`, and that cluster's pods
//   under it; an unreachable or unmapped cluster gets a row with the reason in INFO (the root
//   cause of the error; the Clusters block has the whole text);
// * under each analysis Job, a Cluster row per cluster running it, with its pods.
// A view that is not multi-cluster prints exactly argo's text (render_rollout).
namespace nova::render {

std::string render_rollout_view(const fleet::RolloutView& view, const Palette& palette,
                                core::Clock::time_point now);
std::string render_experiment_view(const fleet::ExperimentView& view, const Palette& palette,
                                   core::Clock::time_point now);

// The parts.
// Which counts the `Clusters:` block shows for a read cluster.
enum class ClusterCounts {
    canary,     // stable:r/t  canary:r/t  ready:r/t
    blue_green, // stable:r/t  preview:r/t  ready:r/t
    pods,       // ready:r/t (an experiment)
};
ClusterCounts cluster_counts_for(const rollouts::RolloutInfo& info);

// "Clusters:" and a line per cluster; "" when there are none.
std::string render_clusters_block(const std::vector<fleet::ClusterSummary>& clusters,
                                  ClusterCounts counts, const Palette& palette);
TreeNode rollout_view_tree(const fleet::RolloutView& view, const Palette& palette,
                           core::Clock::time_point now);
TreeNode cluster_replica_set_node(const fleet::ClusterReplicaSet& copy, const Palette& palette,
                                  core::Clock::time_point now);
TreeNode cluster_job_node(const fleet::ClusterJob& copy, const Palette& palette,
                          core::Clock::time_point now);

} // namespace nova::render
