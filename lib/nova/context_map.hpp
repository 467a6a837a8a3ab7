#pragma once

#include "lib/nova/cluster.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Which kubeconfig context reaches each workload cluster (DESIGN.md §6). Pure: the command reads
// the environment variable, the config file and the kubeconfig, and passes their contents here.
// A syntax error in a flag or the variable is a core::usage_error (exit 2), one in the config file
// a core::Error (exit 1, bad configuration); both name the source and the bad entry.
namespace nova::fleet {

// Where a cluster's context came from, in order of precedence.
enum class ContextSource {
    flag,              // --cluster-context NAME=CONTEXT
    environment,       // NOVA_ROLLOUTS_CLUSTER_CONTEXTS
    config_file,       // clusterContexts in the plugin's config file
    same_name,         // a kubeconfig context named like the cluster
    workload_contexts, // --workload-contexts: the context is the cluster (no Cluster objects)
    none,              // unmapped
};

// "--cluster-context", "NOVA_ROLLOUTS_CLUSTER_CONTEXTS", "config file", "same name",
// "--workload-contexts", "unmapped": what `clusters` prints in its SOURCE column.
std::string_view to_string(ContextSource source);

inline constexpr std::string_view cluster_contexts_env = "NOVA_ROLLOUTS_CLUSTER_CONTEXTS";

// The plugin's config file. Schema (YAML, every key optional, unknown keys are an error so that
// a typo never goes unnoticed):
//
//   clusterContexts:          # Nova cluster name -> kubeconfig context
//     wlc-1: kind-wlc-1
//     wlc-2: kind-wlc-2
struct PluginConfig {
    std::map<std::string, std::string> cluster_contexts;

    bool operator==(const PluginConfig&) const = default;
};

// Parses the config file's content; `path` only names the file in messages. An empty text (or
// only comments) is an empty config. Throws core::Error (exit 1) naming the file and line.
PluginConfig parse_plugin_config(std::string_view text, std::string_view path);

// Where the config file is: $XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml when
// XDG_CONFIG_HOME is set and not empty, else $HOME/.config/kubectl-nova-rollouts/config.yaml;
// "" when neither is set. Arguments are the variables' values, nullopt when unset.
std::string plugin_config_path(const std::optional<std::string>& xdg_config_home,
                               const std::optional<std::string>& home);

// "NAME=CONTEXT" entries: the values of a repeated --cluster-context flag.
std::map<std::string, std::string>
parse_cluster_context_flags(const std::vector<std::string>& values);

// "name=ctx,name=ctx": the environment variable. Empty entries (a trailing comma) are allowed.
std::map<std::string, std::string> parse_cluster_contexts_env(std::string_view value);

// Everything that can name a context, as the command found it.
struct ContextSources {
    std::vector<std::string> flag_values;         // each --cluster-context value, in order
    std::optional<std::string> environment;       // NOVA_ROLLOUTS_CLUSTER_CONTEXTS, if set
    std::optional<PluginConfig> config;           // the parsed config file, if there is one
    std::vector<std::string> kubeconfig_contexts; // the names of the kubeconfig's contexts
};

// A workload cluster and how to reach it.
struct ClusterTarget {
    std::string cluster; // the Nova cluster name (the context, with --workload-contexts)
    std::string context; // "" when unmapped
    ContextSource source = ContextSource::none;
    // False when the context named by a flag, the variable or the config file is not in the
    // kubeconfig: the command reports that cluster as unreachable with that reason.
    bool context_exists = true;
    // Nova's view of the cluster; nullopt with --workload-contexts (no Cluster objects read).
    std::optional<WorkloadCluster> info;

    bool operator==(const ClusterTarget&) const = default;
};

struct ContextMapping {
    std::vector<ClusterTarget> targets; // one per cluster, in the clusters' order
    // Cluster names given a context (flag, variable or config file) that are not among the
    // clusters, sorted: worth a warning, since they are usually typos.
    std::vector<std::string> unknown_clusters;
};

// Maps every cluster to a context: --cluster-context, then the environment variable, then the
// config file, then a kubeconfig context with the cluster's name; otherwise unmapped. Throws
// core::usage_error on bad flag or variable syntax.
ContextMapping map_cluster_contexts(const std::vector<WorkloadCluster>& clusters,
                                    const ContextSources& sources);

// --workload-contexts: each value a comma-separated list of contexts (the flag may repeat),
// each context its own cluster, in the order given, duplicates dropped. `kubeconfig_contexts`
// sets context_exists. Throws core::usage_error on an empty entry or an empty list.
std::vector<ClusterTarget>
workload_context_targets(const std::vector<std::string>& values,
                         const std::vector<std::string>& kubeconfig_contexts);

} // namespace nova::fleet
