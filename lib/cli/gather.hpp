#pragma once

// The I/O half of get, list and status (DESIGN.md §4): resolve the kubeconfig once, read the
// control plane in one concurrent round, then every workload cluster in a second one, and hand
// plain objects to the pure layers. Watch mode follows the same collections with WATCH streams
// from the listed resourceVersions, one connection per stream for as long as the plan holds.

#include "lib/kube/client.hpp"
#include "lib/kube/config.hpp"
#include "lib/nova/cluster_view.hpp"
#include "lib/nova/context_map.hpp"
#include "lib/rollouts/object_set.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nova::cli {

// The kubeconfig, read once, and the control plane resolved from it with kubectl's flags.
struct Connection {
    kube::Environment env;
    kube::Overrides overrides;
    kube::KubeConfig kubeconfig;
    std::shared_ptr<const kube::RestConfig> control_plane;
    std::string namespace_name; // -n, else the context's namespace, else "default"
};

// Throws core::Error (exit 1) with kubectl's message for a bad kubeconfig or context.
Connection connect(const kube::Overrides& overrides);

// The flags that say how to reach the workload clusters (DESIGN.md §6).
struct ClusterFlags {
    std::vector<std::string> cluster_contexts;  // --cluster-context NAME=CONTEXT, repeatable
    std::vector<std::string> workload_contexts; // --workload-contexts a,b, repeatable
};

void add_cluster_flags(CLI::App& command, ClusterFlags& flags);

// Nova's Cluster objects in the control plane (cluster-scoped).
inline constexpr const char* nova_clusters_path = "/apis/cluster.elotl.co/v1alpha1/clusters";

// Everything that can name a workload cluster's context (DESIGN.md §6), read once: the flags,
// NOVA_ROLLOUTS_CLUSTER_CONTEXTS, the config file and the kubeconfig's contexts. Throws
// core::Error (exit 1) for a config file that cannot be read or parsed.
fleet::ContextSources context_sources(const Connection& connection, const ClusterFlags& flags);

// A client for the commands: kubectl's verbosity, this program's User-Agent.
std::unique_ptr<kube::Client> make_client(const Connection& connection);

// How long one workload cluster may take to answer its round: --request-timeout when given,
// otherwise this, so that a dead or hung cluster never holds the others' output back.
inline constexpr std::chrono::seconds default_cluster_timeout{5};

// What `get rollout`, `get experiment` and `status` show: the named object.
struct TreeRequest {
    enum class Subject { rollout, experiment };
    Subject subject = Subject::rollout;
    std::string name;
    bool workload_clusters = true; // read the workload clusters (round 2)
    // Also read the rollout's workloadRef Deployment (only the structured documents show its
    // containers; argo's tree never does). It rides along with round 2, costing no round.
    bool deployment = false;
    // Also read what Nova places by (verify-spread): SchedulePolicies and the Namespace object
    // and Jobs in round 1, the analysis Jobs in every cluster in round 2.
    bool placement = false;
};

// The plain data handed to lib/rollouts and lib/nova.
struct TreeData {
    rollouts::ObjectSet objects;                 // the control plane's
    std::vector<fleet::ClusterReading> readings; // one per workload cluster
    // Lines for stderr: cluster names given a context that are not Nova clusters, a Cluster list
    // that could not be read.
    std::vector<std::string> warnings;
    // The control plane's Cluster objects could not be read (other than 404: no Nova there):
    // the clusters are unknown, so the output is incomplete (exit 5).
    bool clusters_unknown = false;
    // Nova's Cluster objects as listed (empty with --workload-contexts or without Nova).
    std::vector<nlohmann::json> clusters;
    // With TreeRequest::placement: the SchedulePolicies (none without Nova's CRD), the
    // namespace's Namespace object, and the control plane's Jobs of the namespace.
    std::vector<nlohmann::json> schedule_policies;
    std::vector<nlohmann::json> namespaces;
    std::vector<nlohmann::json> jobs;
};

// Gathers and follows one rollout or experiment with everything around it.
class TreeSource {
public:
    TreeSource(kube::Client& client, const Connection& connection, ClusterFlags flags,
               TreeRequest request);
    ~TreeSource();
    TreeSource(const TreeSource&) = delete;
    TreeSource& operator=(const TreeSource&) = delete;

    // Round 1 against the control plane, round 2 against every mapped workload cluster.
    // Throws core::Error when the control plane cannot be read, or (from the pure layer) when
    // the rollout or experiment does not exist.
    const TreeData& gather();

    // Called with the data after changes; return false to stop following.
    using OnChange = std::function<bool(const TreeData&)>;

    struct FollowOptions {
        std::optional<kube::SteadyClock::time_point> deadline;
        // Changes are reported at most this often; a burst ends with one report.
        std::chrono::milliseconds min_interval{0};
        // Report even without changes this often (ages advance); 0: never.
        std::chrono::milliseconds refresh{0};
    };

    // After gather(): follows WATCH streams from the listed resourceVersions, control plane and
    // clusters alike, in one kube::Client::watch(): reports after a burst and refreshes are its
    // ticks, so the streams stay connected. A collection is listed again by its watch after
    // 410 Gone, a permanent error (403, 404) or a dropped connection. A workload cluster that
    // failed its read in gather(), or fails later, is Unreachable with the reason meanwhile
    // and listed again with a backoff (within a second, backing off to 8 s); once every one of its
    // collections is listed it is shown and followed like the others. When the rollout's selector,
    // its analysis Jobs or the clusters change, round 2 is gathered again with the new selectors
    // (the only time the streams are connected anew).
    kube::WatchEnd follow(const OnChange& on_change, const FollowOptions& options);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// `list rollouts`: the rollouts of one namespace or all (-A), optionally one name.
struct RolloutListRequest {
    bool all_namespaces = false;
    std::string name; // --name: a field selector
};

struct RolloutList {
    std::vector<nlohmann::json> items; // in the API's order
    std::string resource_version;
};

// One LIST request. Throws core::Error when it fails.
RolloutList list_rollouts(kube::Client& client, const Connection& connection,
                          const RolloutListRequest& request);

// Follows the rollouts listed (re-listing on 410 Gone), calling `on_rollout` for every rollout
// added or modified; return false to stop.
kube::WatchEnd follow_rollouts(kube::Client& client, const Connection& connection,
                               const RolloutListRequest& request, RolloutList& list,
                               const std::function<bool(const nlohmann::json&)>& on_rollout,
                               std::optional<kube::SteadyClock::time_point> deadline);

// `list experiments`: one LIST request. Throws core::Error when it fails.
std::vector<nlohmann::json> list_experiments(kube::Client& client, const Connection& connection,
                                             bool all_namespaces);

} // namespace nova::cli
