#include "lib/rollouts/rollout_info.hpp"

#include "lib/core/error.hpp"
#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/phase.hpp"
#include "lib/rollouts/strategy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace nova::rollouts {

namespace {

std::vector<ContainerInfo> containers_of(const nlohmann::json& object, std::string_view list) {
    std::vector<ContainerInfo> containers;
    for (const auto& container : fields::array_at(object, {"spec", "template", "spec", list})) {
        containers.push_back(ContainerInfo{fields::string_at(container, {"name"}),
                                           fields::string_at(container, {"image"})});
    }
    return containers;
}

std::string actual_weight(const nlohmann::json& rollout, const RolloutInfo& info) {
    if (!current_step_index(rollout)) {
        return std::to_string(max_traffic_weight(rollout));
    }
    if (info.available <= 0) {
        return "0";
    }
    if (!fields::has(rollout, {"spec", "strategy", "canary", "trafficRouting"})) {
        // The share of available pods in the canary ReplicaSet (the last one tagged canary).
        std::string weight = "0";
        for (const auto& replica_set : info.replica_sets) {
            if (replica_set.canary) {
                weight = std::to_string(replica_set.available * max_traffic_weight(rollout) /
                                        info.available);
            }
        }
        return weight;
    }
    if (fields::has(rollout, {"status", "canary", "weights"})) {
        return std::to_string(
            fields::int_at(rollout, {"status", "canary", "weights", "canary", "weight"}));
    }
    return info.set_weight;
}

// Adds `image` to `images` as argo does: a new image keeps its tags as given; a known one gets
// the sorted union of both tag lists. The list stays sorted by image.
void merge_image(std::vector<ImageInfo>& images, ImageInfo image) {
    const auto it = std::find_if(images.begin(), images.end(),
                                 [&](const auto& known) { return known.image == image.image; });
    if (it == images.end()) {
        images.push_back(std::move(image));
    } else {
        std::set<std::string> tags(it->tags.begin(), it->tags.end());
        tags.insert(image.tags.begin(), image.tags.end());
        it->tags.assign(tags.begin(), tags.end());
    }
    std::stable_sort(images.begin(), images.end(),
                     [](const auto& a, const auto& b) { return a.image < b.image; });
}

} // namespace

RolloutInfo make_rollout_info(const nlohmann::json& rollout, const ObjectSet& objects) {
    RolloutInfo info;
    info.meta = object_meta(rollout);
    info.generation = fields::int_at(rollout, {"metadata", "generation"});
    info.replica_sets = replica_set_infos(info.meta.uid, &rollout, objects);
    info.experiments = experiment_infos(info.meta.uid, objects);
    info.analysis_runs = analysis_run_infos(info.meta.uid, objects);

    info.desired = desired_replicas(rollout);
    info.current = fields::int_at(rollout, {"status", "replicas"});
    info.updated = fields::int_at(rollout, {"status", "updatedReplicas"});
    info.ready = fields::int_at(rollout, {"status", "readyReplicas"});
    info.available = fields::int_at(rollout, {"status", "availableReplicas"});
    info.aborted = fields::bool_at(rollout, {"status", "abort"});

    info.strategy = strategy_name(rollout);
    if (info.strategy == "Canary") {
        info.step = canary_step(rollout);
        info.set_weight = std::to_string(current_set_weight(rollout));
        info.actual_weight = actual_weight(rollout, info);
    }

    auto phase = rollout_phase(rollout);
    info.status = std::move(phase.status);
    info.message = std::move(phase.message);
    info.icon = std::string(icons::for_rollout(info.status));

    const nlohmann::json* template_source = &rollout;
    if (const auto* reference = fields::find(rollout, {"spec", "workloadRef"})) {
        WorkloadRef workload{fields::string_at(*reference, {"kind"}),
                             fields::string_at(*reference, {"name"}), false};
        // argo looks the name up among Deployments whatever the kind says.
        if (const auto* deployment = find_named(objects.deployments, workload.name)) {
            workload.found = true;
            template_source = deployment;
        }
        info.workload_ref = std::move(workload);
    }
    info.containers = containers_of(*template_source, "containers");
    info.init_containers = containers_of(*template_source, "initContainers");
    info.restarted_at = fields::string_at(rollout, {"status", "restartedAt"});
    if (info.restarted_at.empty()) {
        info.restarted_at = "Never";
    }
    info.observed_generation = fields::string_at(rollout, {"status", "observedGeneration"});
    return info;
}

RolloutInfo build_rollout_info(const ObjectSet& objects, std::string_view name) {
    const auto* rollout = find_named(objects.rollouts, name);
    if (rollout == nullptr) {
        // The informer-cache form argo prints (singular resource name).
        throw core::Error(fmt::format("rollout.argoproj.io \"{}\" not found", name));
    }
    return make_rollout_info(*rollout, objects);
}

std::vector<ImageInfo> experiment_images(const ExperimentInfo& info) {
    std::vector<ImageInfo> images;
    for (const auto& replica_set : info.replica_sets) {
        if (replica_set.replicas <= 0) {
            continue;
        }
        for (const auto& image : replica_set.images) {
            ImageInfo entry{image, {}};
            if (!replica_set.template_name.empty()) {
                entry.tags.push_back("\u03a3:" + replica_set.template_name); // Σ:
            }
            merge_image(images, std::move(entry));
        }
    }
    return images;
}

std::vector<ImageInfo> rollout_images(const RolloutInfo& info) {
    std::vector<ImageInfo> images;
    for (const auto& replica_set : info.replica_sets) {
        if (replica_set.replicas <= 0) {
            continue;
        }
        for (const auto& image : replica_set.images) {
            ImageInfo entry{image, {}};
            const std::pair<bool, const char*> tags[] = {
                {replica_set.canary, "canary"}, {replica_set.stable, "stable"},
                {replica_set.active, "active"}, {replica_set.preview, "preview"},
                {replica_set.ping, "ping"},     {replica_set.pong, "pong"},
            };
            for (const auto& [applies, tag] : tags) {
                if (applies) {
                    entry.tags.emplace_back(tag);
                }
            }
            merge_image(images, std::move(entry));
        }
    }
    for (const auto& experiment : info.experiments) {
        for (auto& image : experiment_images(experiment)) {
            merge_image(images, std::move(image));
        }
    }
    return images;
}

std::vector<std::int64_t> revisions(const RolloutInfo& info) {
    std::set<std::int64_t, std::greater<>> all;
    for (const auto& replica_set : info.replica_sets) {
        all.insert(replica_set.revision);
    }
    for (const auto& experiment : info.experiments) {
        all.insert(experiment.revision);
    }
    for (const auto& run : info.analysis_runs) {
        all.insert(run.revision);
    }
    return {all.begin(), all.end()};
}

std::vector<RevisionGroup> revision_groups(const RolloutInfo& info) {
    std::vector<RevisionGroup> groups;
    for (const auto revision : revisions(info)) {
        RevisionGroup group;
        group.revision = revision;
        for (const auto& replica_set : info.replica_sets) {
            if (replica_set.revision == revision) {
                group.replica_sets.push_back(&replica_set);
            }
        }
        for (const auto& experiment : info.experiments) {
            if (experiment.revision == revision) {
                group.experiments.push_back(&experiment);
            }
        }
        for (const auto& run : info.analysis_runs) {
            if (run.revision == revision) {
                group.analysis_runs.push_back(&run);
            }
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

} // namespace nova::rollouts
