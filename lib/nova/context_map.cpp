#include "lib/nova/context_map.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace nova::fleet {

namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string trim(std::string_view text) {
    return std::string(core::trim(text));
}

// One NAME=CONTEXT entry into `pairs`; `origin` names the source in messages.
void add_pair(std::map<std::string, std::string>& pairs, std::string_view entry,
              std::string_view origin) {
    const auto equals = entry.find('=');
    const auto name = trim(entry.substr(0, equals == std::string_view::npos ? 0 : equals));
    const auto context =
        equals == std::string_view::npos ? std::string() : trim(entry.substr(equals + 1));
    if (equals == std::string_view::npos || name.empty() || context.empty()) {
        throw core::usage_error(std::string(origin) + ": bad entry " + core::quote(entry) +
                                " (want NAME=CONTEXT)");
    }
    if (!pairs.emplace(name, context).second) {
        throw core::usage_error(std::string(origin) + ": cluster " + core::quote(name) +
                                " is mapped twice");
    }
}

std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(',', start);
        parts.push_back(trim(text.substr(start, end - start)));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

std::string yaml_problem(std::string_view path, const YAML::Mark& mark, std::string_view what) {
    std::string message = "config file " + std::string(path);
    if (mark.line >= 0) {
        message += ":" + std::to_string(mark.line + 1);
    }
    return message + ": " + std::string(what);
}

} // namespace

std::string_view to_string(ContextSource source) {
    switch (source) {
    case ContextSource::flag:
        return "--cluster-context";
    case ContextSource::environment:
        return cluster_contexts_env;
    case ContextSource::config_file:
        return "config file";
    case ContextSource::same_name:
        return "same name";
    case ContextSource::workload_contexts:
        return "--workload-contexts";
    case ContextSource::none:
        break;
    }
    return "unmapped";
}

PluginConfig parse_plugin_config(std::string_view text, std::string_view path) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        throw core::Error(yaml_problem(path, error.mark, error.msg));
    }
    PluginConfig config;
    if (!root || root.IsNull()) {
        return config;
    }
    if (!root.IsMap()) {
        throw core::Error(yaml_problem(path, root.Mark(), "want a mapping of settings"));
    }
    for (const auto& setting : root) {
        const auto key = setting.first.Scalar();
        if (key != "clusterContexts") {
            throw core::Error(
                yaml_problem(path, setting.first.Mark(),
                             "unknown setting " + core::quote(key) + " (known: clusterContexts)"));
        }
        const auto& contexts = setting.second;
        if (contexts.IsNull()) {
            continue;
        }
        if (!contexts.IsMap()) {
            throw core::Error(yaml_problem(path, contexts.Mark(),
                                           "clusterContexts: want a mapping of cluster: context"));
        }
        for (const auto& entry : contexts) {
            const auto name = entry.first.Scalar();
            if (!entry.second.IsScalar() || entry.second.Scalar().empty() || name.empty()) {
                throw core::Error(yaml_problem(path, entry.first.Mark(),
                                               "clusterContexts: bad entry for " +
                                                   core::quote(name) + " (want cluster: context)"));
            }
            if (!config.cluster_contexts.emplace(name, entry.second.Scalar()).second) {
                throw core::Error(yaml_problem(path, entry.first.Mark(),
                                               "clusterContexts: cluster " + core::quote(name) +
                                                   " is mapped twice"));
            }
        }
    }
    return config;
}

std::string plugin_config_path(const std::optional<std::string>& xdg_config_home,
                               const std::optional<std::string>& home) {
    constexpr std::string_view tail = "/kubectl-nova-rollouts/config.yaml";
    if (xdg_config_home && !xdg_config_home->empty()) {
        return *xdg_config_home + std::string(tail);
    }
    if (home && !home->empty()) {
        return *home + "/.config" + std::string(tail);
    }
    return {};
}

std::map<std::string, std::string>
parse_cluster_context_flags(const std::vector<std::string>& values) {
    std::map<std::string, std::string> pairs;
    for (const auto& value : values) {
        add_pair(pairs, value, "--cluster-context");
    }
    return pairs;
}

std::map<std::string, std::string> parse_cluster_contexts_env(std::string_view value) {
    std::map<std::string, std::string> pairs;
    for (const auto& entry : split_commas(value)) {
        if (!entry.empty()) {
            add_pair(pairs, entry, cluster_contexts_env);
        }
    }
    return pairs;
}

ContextMapping map_cluster_contexts(const std::vector<WorkloadCluster>& clusters,
                                    const ContextSources& sources) {
    const auto flags = parse_cluster_context_flags(sources.flag_values);
    const auto environment = sources.environment ? parse_cluster_contexts_env(*sources.environment)
                                                 : std::map<std::string, std::string>{};
    const std::map<std::string, std::string> empty;
    const auto& config = sources.config ? sources.config->cluster_contexts : empty;
    const std::pair<const std::map<std::string, std::string>*, ContextSource> layers[] = {
        {&flags, ContextSource::flag},
        {&environment, ContextSource::environment},
        {&config, ContextSource::config_file},
    };

    ContextMapping mapping;
    std::set<std::string> names;
    for (const auto& cluster : clusters) {
        names.insert(cluster.name);
        ClusterTarget target;
        target.cluster = cluster.name;
        target.info = cluster;
        for (const auto& [pairs, source] : layers) {
            if (const auto it = pairs->find(cluster.name); it != pairs->end()) {
                target.context = it->second;
                target.source = source;
                target.context_exists = contains(sources.kubeconfig_contexts, it->second);
                break;
            }
        }
        if (target.source == ContextSource::none &&
            contains(sources.kubeconfig_contexts, cluster.name)) {
            target.context = cluster.name;
            target.source = ContextSource::same_name;
        }
        mapping.targets.push_back(std::move(target));
    }
    std::set<std::string> unknown;
    for (const auto& [pairs, source] : layers) {
        for (const auto& entry : *pairs) {
            if (names.count(entry.first) == 0) {
                unknown.insert(entry.first);
            }
        }
    }
    mapping.unknown_clusters.assign(unknown.begin(), unknown.end());
    return mapping;
}

std::vector<ClusterTarget>
workload_context_targets(const std::vector<std::string>& values,
                         const std::vector<std::string>& kubeconfig_contexts) {
    std::vector<ClusterTarget> targets;
    std::set<std::string> seen;
    for (const auto& value : values) {
        for (const auto& context : split_commas(value)) {
            if (context.empty()) {
                throw core::usage_error("--workload-contexts: empty context name in " +
                                        core::quote(value));
            }
            if (!seen.insert(context).second) {
                continue;
            }
            targets.push_back(ClusterTarget{
                .cluster = context,
                .context = context,
                .source = ContextSource::workload_contexts,
                .context_exists = contains(kubeconfig_contexts, context),
                .info = std::nullopt,
            });
        }
    }
    if (targets.empty()) {
        throw core::usage_error("--workload-contexts: no context given");
    }
    return targets;
}

} // namespace nova::fleet
