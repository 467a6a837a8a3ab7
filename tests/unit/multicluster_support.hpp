#pragma once

// The multi-cluster scenarios of tests/data/multicluster as views, and golden files that can be
// regenerated: run a test binary with UPDATE_GOLDENS=1 to rewrite the goldens it compares to
// (then review the diff).

#include "argo_golden_support.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/nova/cluster_view.hpp"
#include "lib/nova/context_map.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/rollout_info.hpp"
#include "lib/sim/environment.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace nova::test {

inline const std::vector<std::string>& multicluster_scenarios() {
    static const std::vector<std::string> names{"split-canary", "uneven-split", "cluster-down",
                                                "unmapped-cluster", "pods-failing"};
    return names;
}

struct MultiClusterScenario {
    std::string name;
    std::string rollout;
    std::string namespace_name;
    core::Clock::time_point now;
    std::vector<std::string> contexts;
    std::map<std::string, std::string> unreachable; // context -> error text
    int exit_code = 0;
    std::vector<nlohmann::json> control_plane;
    std::map<std::string, std::vector<nlohmann::json>> clusters; // context -> objects
};

inline std::vector<nlohmann::json> read_folder(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<nlohmann::json> objects;
    for (const auto& file : files) {
        for (auto& object : sim::read_manifest_file(file)) {
            objects.push_back(std::move(object));
        }
    }
    return objects;
}

inline MultiClusterScenario load_multicluster_scenario(const std::string& name) {
    const auto base = test_data_dir() / "multicluster" / name;
    const auto meta = sim::read_manifest_file(base / "scenario.yaml").at(0);
    MultiClusterScenario scenario;
    scenario.name = name;
    scenario.rollout = meta.at("rollout").get<std::string>();
    scenario.namespace_name = meta.at("namespace").get<std::string>();
    scenario.now = core::parse_rfc3339(meta.at("now").get<std::string>());
    scenario.contexts = meta.at("contexts").get<std::vector<std::string>>();
    if (meta.contains("unreachable") && meta["unreachable"].is_object()) {
        scenario.unreachable = meta["unreachable"].get<std::map<std::string, std::string>>();
    }
    scenario.exit_code = meta.value("exitCode", 0);
    for (const auto& entry : std::filesystem::directory_iterator(base)) {
        if (!entry.is_directory()) {
            continue;
        }
        const auto context = entry.path().filename().string();
        auto objects = read_folder(entry.path());
        if (context == "nova") {
            scenario.control_plane = std::move(objects);
        } else {
            scenario.clusters[context] = std::move(objects);
        }
    }
    return scenario;
}

inline std::vector<nlohmann::json> of_kind(const std::vector<nlohmann::json>& objects,
                                           std::string_view kind) {
    std::vector<nlohmann::json> selected;
    for (const auto& object : objects) {
        if (object.value("kind", std::string()) == kind) {
            selected.push_back(object);
        }
    }
    return selected;
}

// What the command's second round returns for `target` in this scenario.
inline fleet::ClusterReading scenario_reading(const MultiClusterScenario& scenario,
                                              const fleet::ClusterTarget& target) {
    auto reading = fleet::make_reading(target);
    if (reading.state != fleet::ReadState::read) {
        return reading;
    }
    if (const auto it = scenario.unreachable.find(target.context);
        it != scenario.unreachable.end()) {
        reading.state = fleet::ReadState::unreachable;
        reading.error = it->second;
        return reading;
    }
    const auto it = scenario.clusters.find(target.context);
    if (it == scenario.clusters.end()) {
        return reading; // read, and empty
    }
    for (const auto& object : it->second) {
        const auto kind = object.value("kind", std::string());
        if (kind == "ReplicaSet") {
            reading.replica_sets.push_back(object);
        } else if (kind == "Job") {
            reading.jobs.push_back(object);
        } else if (kind == "Pod") {
            if (rollouts::fields::label(object, "job-name").empty()) {
                reading.pods.push_back(object);
            } else {
                reading.job_pods.push_back(object);
            }
        }
    }
    return reading;
}

inline std::vector<fleet::ClusterReading> scenario_readings(const MultiClusterScenario& scenario) {
    nlohmann::json list{{"items", of_kind(scenario.control_plane, "Cluster")}};
    fleet::ContextSources sources;
    sources.kubeconfig_contexts = scenario.contexts;
    const auto mapping = fleet::map_cluster_contexts(fleet::parse_clusters(list), sources);
    std::vector<fleet::ClusterReading> readings;
    for (const auto& target : mapping.targets) {
        readings.push_back(scenario_reading(scenario, target));
    }
    return readings;
}

inline fleet::RolloutView scenario_view(const MultiClusterScenario& scenario) {
    const auto objects = make_object_set(scenario.control_plane);
    return fleet::build_rollout_view(rollouts::build_rollout_info(objects, scenario.rollout),
                                     scenario_readings(scenario));
}

inline std::filesystem::path golden_dir() {
    return test_data_dir() / "golden";
}

inline bool updating_goldens() {
    const char* value = std::getenv("UPDATE_GOLDENS");
    return value != nullptr && std::string(value) == "1";
}

// Compares `actual` with tests/data/golden/<relative>, or rewrites that file when
// UPDATE_GOLDENS=1.
inline void check_golden(const std::string& relative, const std::string& actual) {
    const auto path = golden_dir() / relative;
    if (updating_goldens()) {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        WARN("rewrote " << path.string());
        return;
    }
    INFO("golden " << path.string() << " (UPDATE_GOLDENS=1 rewrites it)");
    REQUIRE(std::filesystem::exists(path));
    CHECK(actual == read_text(path));
}

} // namespace nova::test
