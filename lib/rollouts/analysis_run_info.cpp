#include "lib/rollouts/analysis_run_info.hpp"

#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <algorithm>

namespace nova::rollouts {

namespace {

// The measurements argo reads for a metric: those of the first result with that name.
const nlohmann::json& measurements_of(const nlohmann::json& run, const std::string& metric) {
    for (const auto& result : fields::array_at(run, {"status", "metricResults"})) {
        if (fields::string_at(result, {"name"}) == metric) {
            return fields::array_at(result, {"measurements"});
        }
    }
    static const nlohmann::json none = nlohmann::json::array();
    return none;
}

} // namespace

AnalysisRunInfo make_analysis_run_info(const nlohmann::json& run) {
    AnalysisRunInfo info;
    info.meta = object_meta(run);
    info.status = fields::string_at(run, {"status", "phase"});
    info.icon = std::string(icons::for_analysis(info.status));
    info.revision = revision_of(run);
    for (const auto& result : fields::array_at(run, {"status", "metricResults"})) {
        info.successful += fields::int_at(result, {"successful"});
        info.failed += fields::int_at(result, {"failed"});
        info.inconclusive += fields::int_at(result, {"inconclusive"});
        info.error += fields::int_at(result, {"error"});
        const auto metric = fields::string_at(result, {"name"});
        for (const auto& measurement : measurements_of(run, metric)) {
            const auto* metadata = fields::find(measurement, {"metadata"});
            const auto phase = fields::string_at(measurement, {"phase"});
            if (metadata == nullptr) {
                info.measurements.push_back(MeasurementInfo{
                    .metric_name = metric,
                    .status = phase,
                    .value = fields::string_at(measurement, {"value"}),
                    .started_at = fields::time_at(measurement, {"startedAt"}),
                });
                continue;
            }
            if (!metadata->is_object() || !metadata->contains("job-name")) {
                continue;
            }
            auto namespace_name = info.meta.namespace_name;
            if (metadata->contains("job-namespace")) {
                namespace_name = fields::string_at(*metadata, {"job-namespace"});
            }
            info.jobs.push_back(JobInfo{
                .meta =
                    ObjectMeta{
                        .name = fields::string_at(*metadata, {"job-name"}),
                        .namespace_name = namespace_name,
                        .uid = {},
                        .created = fields::time_at(measurement, {"startedAt"}),
                    },
                .status = phase,
                .icon = std::string(icons::for_analysis(phase)),
                .metric_name = metric,
                .cluster = {},
            });
        }
    }
    return info;
}

std::vector<AnalysisRunInfo> analysis_run_infos(std::string_view owner_uid,
                                                const ObjectSet& objects) {
    std::vector<AnalysisRunInfo> infos;
    for (const auto& run : objects.analysis_runs) {
        if (is_owned_by(run, owner_uid)) {
            infos.push_back(make_analysis_run_info(run));
        }
    }
    std::stable_sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) {
        if (a.revision != b.revision) {
            return a.revision > b.revision;
        }
        if (a.meta.created != b.meta.created) {
            return a.meta.created < b.meta.created;
        }
        return a.meta.name > b.meta.name;
    });
    return infos;
}

} // namespace nova::rollouts
