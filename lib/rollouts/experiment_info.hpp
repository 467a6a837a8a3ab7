#pragma once

#include "lib/rollouts/analysis_run_info.hpp"
#include "lib/rollouts/object_set.hpp"
#include "lib/rollouts/replica_set_info.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// An Experiment with its own ReplicaSets (untagged) and AnalysisRuns (§3.9).
struct ExperimentInfo {
    ObjectMeta meta;
    std::string status; // status.phase
    std::string message;
    std::string icon;
    std::int64_t revision = 0;
    std::vector<ReplicaSetInfo> replica_sets;
    std::vector<AnalysisRunInfo> analysis_runs;

    bool operator==(const ExperimentInfo&) const = default;
};

ExperimentInfo make_experiment_info(const nlohmann::json& experiment, const ObjectSet& objects);

// The experiment named `name` of `objects` (`get experiment`). Throws core::Error
// `experiment.argoproj.io "NAME" not found` when there is none.
ExperimentInfo build_experiment_info(const ObjectSet& objects, std::string_view name);

// The experiments of `objects` owned by `owner_uid`: revision descending, then creation time.
std::vector<ExperimentInfo> experiment_infos(std::string_view owner_uid, const ObjectSet& objects);

} // namespace nova::rollouts
