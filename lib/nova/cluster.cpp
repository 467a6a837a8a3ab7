#include "lib/nova/cluster.hpp"

#include "lib/rollouts/json_fields.hpp"

#include <algorithm>

namespace nova::fleet {

namespace fields = rollouts::fields;

namespace {

const nlohmann::json* condition_of(const nlohmann::json& cluster, std::string_view type) {
    for (const auto& condition : fields::array_at(cluster, {"status", "conditions"})) {
        if (fields::string_at(condition, {"type"}) == type) {
            return &condition;
        }
    }
    return nullptr;
}

std::string condition_status(const nlohmann::json& cluster, std::string_view type) {
    const auto* condition = condition_of(cluster, type);
    return condition == nullptr ? std::string() : fields::string_at(*condition, {"status"});
}

ClusterHealth health_of(const WorkloadCluster& cluster) {
    if (cluster.ready == "True") {
        return ClusterHealth::ready;
    }
    if (cluster.ready == "False") {
        return cluster.standby == "True" ? ClusterHealth::standby : ClusterHealth::not_ready;
    }
    return ClusterHealth::unknown;
}

} // namespace

std::string_view to_string(ClusterHealth health) {
    switch (health) {
    case ClusterHealth::ready:
        return "Ready";
    case ClusterHealth::standby:
        return "Standby";
    case ClusterHealth::not_ready:
        return "NotReady";
    case ClusterHealth::unknown:
        break;
    }
    return "Unknown";
}

WorkloadCluster parse_cluster(const nlohmann::json& cluster) {
    WorkloadCluster result;
    result.name = fields::string_at(cluster, {"metadata", "name"});
    result.kubernetes_version = fields::string_at(cluster, {"spec", "kubernetesversion"});
    result.kubernetes_cluster = fields::string_at(cluster, {"spec", "kubernetescluster"});
    result.provider = fields::string_at(cluster, {"spec", "provider"});
    if (const auto* labels = fields::find(cluster, {"metadata", "labels"});
        labels != nullptr && labels->is_object()) {
        for (const auto& [key, value] : labels->items()) {
            if (value.is_string()) {
                result.labels.emplace(key, value.get<std::string>());
            }
        }
    }
    const auto spec_or_label = [&](std::string_view spec_field, const std::string& label) {
        auto value = fields::string_at(cluster, {"spec", spec_field});
        if (value.empty()) {
            if (const auto it = result.labels.find(label); it != result.labels.end()) {
                value = it->second;
            }
        }
        return value;
    };
    result.region = spec_or_label("region", "nova.elotl.co/cluster.region");
    result.zone = spec_or_label("zone", "nova.elotl.co/cluster.zone");
    result.ready = condition_status(cluster, "Ready");
    result.idle = condition_status(cluster, "Idle");
    result.standby = condition_status(cluster, "Standby");
    if (const auto* ready = condition_of(cluster, "Ready")) {
        result.ready_reason = fields::string_at(*ready, {"reason"});
        result.ready_message = fields::string_at(*ready, {"message"});
    }
    result.health = health_of(result);
    return result;
}

std::vector<WorkloadCluster> parse_clusters(const nlohmann::json& list) {
    const nlohmann::json* items = &list;
    if (list.is_object()) {
        items = fields::find(list, {"items"});
    }
    std::vector<WorkloadCluster> clusters;
    if (items == nullptr || !items->is_array()) {
        return clusters;
    }
    for (const auto& item : *items) {
        if (item.is_object()) {
            clusters.push_back(parse_cluster(item));
        }
    }
    std::stable_sort(clusters.begin(), clusters.end(),
                     [](const auto& a, const auto& b) { return a.name < b.name; });
    return clusters;
}

} // namespace nova::fleet
