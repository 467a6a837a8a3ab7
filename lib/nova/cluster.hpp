#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Nova's workload clusters as the control plane describes them: `clusters.cluster.elotl.co`
// objects (reference/nova-and-peers.md §1.2, DESIGN.md §6).
namespace nova::fleet {

// What Nova says about a cluster, from its Ready and Standby conditions.
enum class ClusterHealth {
    ready,     // Ready=True
    standby,   // Ready=False and Standby=True: parked on purpose, a planned state, not a failure
    not_ready, // Ready=False otherwise
    unknown,   // Ready=Unknown, or no Ready condition at all
};

// "Ready", "Standby", "NotReady", "Unknown".
std::string_view to_string(ClusterHealth health);

// One `Cluster` object (cluster.elotl.co/v1alpha1).
struct WorkloadCluster {
    std::string name; // metadata.name: the name SchedulePolicies and Nova's labels use
    std::string kubernetes_version; // spec.kubernetesversion
    std::string kubernetes_cluster; // spec.kubernetescluster
    std::string provider;           // spec.provider
    std::string region;             // spec.region, else label nova.elotl.co/cluster.region
    std::string zone;               // spec.zone, else label nova.elotl.co/cluster.zone
    std::map<std::string, std::string> labels;
    // The conditions' statuses as written ("True", "False", "Unknown"); "" when absent.
    std::string ready;
    std::string idle;
    std::string standby;
    // The Ready condition's reason and message, for `clusters` and for a not-ready cluster.
    std::string ready_reason;
    std::string ready_message;
    ClusterHealth health = ClusterHealth::unknown;

    bool operator==(const WorkloadCluster&) const = default;
};

// One Cluster object. Lenient like the rest of the model: absent or mistyped fields read as
// empty, so one odd object never hides the others.
WorkloadCluster parse_cluster(const nlohmann::json& cluster);

// The clusters of a ClusterList (an object with `items`) or of a plain JSON array of Cluster
// objects, sorted by name. Anything else gives an empty list.
std::vector<WorkloadCluster> parse_clusters(const nlohmann::json& list);

} // namespace nova::fleet
