#include "lib/rollouts/experiment_info.hpp"

#include "lib/core/error.hpp"
#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace nova::rollouts {

ExperimentInfo make_experiment_info(const nlohmann::json& experiment, const ObjectSet& objects) {
    ExperimentInfo info;
    info.meta = object_meta(experiment);
    info.status = fields::string_at(experiment, {"status", "phase"});
    info.message = fields::string_at(experiment, {"status", "message"});
    info.icon = std::string(icons::for_analysis(info.status));
    info.revision = revision_of(experiment);
    info.replica_sets = replica_set_infos(info.meta.uid, nullptr, objects);
    info.analysis_runs = analysis_run_infos(info.meta.uid, objects);
    return info;
}

ExperimentInfo build_experiment_info(const ObjectSet& objects, std::string_view name) {
    const auto* experiment = find_named(objects.experiments, name);
    if (experiment == nullptr) {
        throw core::Error(fmt::format("experiment.argoproj.io \"{}\" not found", name));
    }
    return make_experiment_info(*experiment, objects);
}

std::vector<ExperimentInfo> experiment_infos(std::string_view owner_uid, const ObjectSet& objects) {
    std::vector<ExperimentInfo> infos;
    for (const auto& experiment : objects.experiments) {
        if (is_owned_by(experiment, owner_uid)) {
            infos.push_back(make_experiment_info(experiment, objects));
        }
    }
    // argo's comparator is not a strict order; the tree groups by revision anyway, so a stable
    // sort on (revision descending, creation ascending) gives the order it intends.
    std::stable_sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) {
        if (a.revision != b.revision) {
            return a.revision > b.revision;
        }
        return a.meta.created < b.meta.created;
    });
    return infos;
}

} // namespace nova::rollouts
