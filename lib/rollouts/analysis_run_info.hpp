#pragma once

#include "lib/rollouts/object_set.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// A Job of an AnalysisRun. argo never reads Job objects: these come from the run's measurements
// that name a job (reference/argo-rollouts-plugin.md §3.1); meta.created is the measurement's
// startedAt.
struct JobInfo {
    ObjectMeta meta;
    std::string status; // the measurement phase
    std::string icon;
    std::string metric_name;
    // The workload cluster the Job runs in; empty for the API server the rollout lives in.
    std::string cluster;

    bool operator==(const JobInfo&) const = default;
};

// A measurement with no metadata (a non-Job provider); not shown in the tree.
struct MeasurementInfo {
    std::string metric_name;
    std::string status;
    std::string value;
    std::optional<core::TimePoint> started_at;

    bool operator==(const MeasurementInfo&) const = default;
};

struct AnalysisRunInfo {
    ObjectMeta meta;
    std::string status; // status.phase, possibly empty
    std::string icon;
    std::int64_t revision = 0;
    // Sums over status.metricResults.
    std::int64_t successful = 0;
    std::int64_t failed = 0;
    std::int64_t inconclusive = 0;
    std::int64_t error = 0;
    std::vector<JobInfo> jobs; // in measurement order
    std::vector<MeasurementInfo> measurements;

    bool operator==(const AnalysisRunInfo&) const = default;
};

AnalysisRunInfo make_analysis_run_info(const nlohmann::json& run);

// The runs of `objects` owned by `owner_uid`, sorted: revision descending, creation time
// ascending, then name descending (argo's order).
std::vector<AnalysisRunInfo> analysis_run_infos(std::string_view owner_uid,
                                                const ObjectSet& objects);

} // namespace nova::rollouts
