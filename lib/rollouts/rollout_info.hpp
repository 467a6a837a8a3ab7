#pragma once

#include "lib/rollouts/analysis_run_info.hpp"
#include "lib/rollouts/experiment_info.hpp"
#include "lib/rollouts/object_set.hpp"
#include "lib/rollouts/replica_set_info.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

struct ContainerInfo {
    std::string name;
    std::string image;

    bool operator==(const ContainerInfo&) const = default;
};

struct WorkloadRef {
    std::string kind;
    std::string name;
    bool found = false; // a Deployment of that name was among the objects

    bool operator==(const WorkloadRef&) const = default;
};

// Everything `get rollout` shows about a rollout, and what `status` and `list` compute from it
// (reference/argo-rollouts-plugin.md §3). Plain values: no timestamps are turned into ages here,
// so two infos built from the same objects compare equal whenever they are seen.
struct RolloutInfo {
    ObjectMeta meta;
    std::int64_t generation = 0; // metadata.generation

    std::string status; // §3.6
    std::string message;
    std::string icon;
    bool aborted = false; // status.abort

    std::string strategy;      // "Canary", "BlueGreen" or ""
    std::string step;          // "1/3" or "" (canary only)
    std::string set_weight;    // canary only
    std::string actual_weight; // canary only

    std::int64_t desired = 1;
    std::int64_t current = 0;
    std::int64_t updated = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;

    std::vector<ReplicaSetInfo> replica_sets; // owned by the rollout, sorted as argo does
    std::vector<ExperimentInfo> experiments;
    std::vector<AnalysisRunInfo> analysis_runs;

    // Not shown by the tree (argo's dashboard uses them): the pod template's containers, taken
    // from the workloadRef Deployment when there is one.
    std::vector<ContainerInfo> containers;
    std::vector<ContainerInfo> init_containers;
    std::optional<WorkloadRef> workload_ref;
    std::string restarted_at;        // status.restartedAt as written, or "Never"
    std::string observed_generation; // status.observedGeneration

    bool operator==(const RolloutInfo&) const = default;
};

// Builds the info of rollout `name` from `objects` (§3.0). Throws core::Error
// `rollout.argoproj.io "NAME" not found` (exit 1) when there is no such rollout.
//
// Unlike argo, a workloadRef whose Deployment is not among `objects` is not an error: argo only
// uses that Deployment for `containers`, which the tree never shows; `workload_ref.found` tells.
RolloutInfo build_rollout_info(const ObjectSet& objects, std::string_view name);

// The same from the rollout object itself.
RolloutInfo make_rollout_info(const nlohmann::json& rollout, const ObjectSet& objects);

// An image with the tags of the ReplicaSets running it (§3.10).
struct ImageInfo {
    std::string image;
    std::vector<std::string> tags;

    bool operator==(const ImageInfo&) const = default;
};

// The header's `Images:` list: images of the rollout's ReplicaSets that have replicas, tagged
// canary/stable/active/preview/ping/pong, then those of its experiments (`Σ:<template>`).
std::vector<ImageInfo> rollout_images(const RolloutInfo& info);
std::vector<ImageInfo> experiment_images(const ExperimentInfo& info);

// The revisions of the tree, highest first (§3.2).
std::vector<std::int64_t> revisions(const RolloutInfo& info);

// A revision's children, in the tree's order: ReplicaSets, then experiments, then runs.
struct RevisionGroup {
    std::int64_t revision = 0;
    std::vector<const ReplicaSetInfo*> replica_sets;
    std::vector<const ExperimentInfo*> experiments;
    std::vector<const AnalysisRunInfo*> analysis_runs;
};
std::vector<RevisionGroup> revision_groups(const RolloutInfo& info);

} // namespace nova::rollouts
