#include "lib/core/error.hpp"
#include "lib/nova/context_map.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using fleet::ContextSource;

namespace {

std::vector<fleet::WorkloadCluster> clusters(std::initializer_list<const char*> names) {
    std::vector<fleet::WorkloadCluster> result;
    for (const auto* name : names) {
        fleet::WorkloadCluster cluster;
        cluster.name = name;
        result.push_back(cluster);
    }
    return result;
}

// The message of the error `action` throws, which must carry `code`.
template <typename Action>
std::string error_message(Action action, core::ExitCode code) {
    try {
        action();
    } catch (const core::Error& error) {
        CHECK(error.code() == code);
        return error.what();
    }
    FAIL("no error");
    return {};
}

// A bad flag or variable: a usage error (exit 2).
template <typename Action>
std::string usage_message(Action action) {
    return error_message(action, core::ExitCode::usage);
}

// A bad config file is bad configuration, like a bad kubeconfig (exit 1).
template <typename Action>
std::string config_message(Action action) {
    return error_message(action, core::ExitCode::failure);
}

} // namespace

TEST_CASE("context precedence: flag, environment, config file, same name, unmapped") {
    fleet::ContextSources sources;
    sources.flag_values = {"a=flag-a"};
    sources.environment = "a=env-a,b=env-b";
    sources.config = fleet::PluginConfig{{{"a", "cfg-a"}, {"b", "cfg-b"}, {"c", "cfg-c"}}};
    sources.kubeconfig_contexts = {"flag-a", "env-b", "cfg-c", "d"};
    const auto mapping = fleet::map_cluster_contexts(clusters({"a", "b", "c", "d", "e"}), sources);
    REQUIRE(mapping.targets.size() == 5);
    const auto& t = mapping.targets;
    CHECK((t[0].context == "flag-a" && t[0].source == ContextSource::flag));
    CHECK((t[1].context == "env-b" && t[1].source == ContextSource::environment));
    CHECK((t[2].context == "cfg-c" && t[2].source == ContextSource::config_file));
    CHECK((t[3].context == "d" && t[3].source == ContextSource::same_name));
    CHECK((t[4].context.empty() && t[4].source == ContextSource::none));
    for (const auto& target : t) {
        CHECK(target.context_exists);
        REQUIRE(target.info);
        CHECK(target.info->name == target.cluster);
    }
    CHECK(mapping.unknown_clusters.empty());
}

TEST_CASE("a mapped context missing from the kubeconfig is flagged, not dropped") {
    fleet::ContextSources sources;
    sources.flag_values = {"a=nope"};
    sources.kubeconfig_contexts = {"a"};
    const auto mapping = fleet::map_cluster_contexts(clusters({"a"}), sources);
    CHECK(mapping.targets.at(0).context == "nope");
    CHECK_FALSE(mapping.targets.at(0).context_exists);
}

TEST_CASE("names given a context that are not clusters are reported") {
    fleet::ContextSources sources;
    sources.flag_values = {"typo=x"};
    sources.environment = "other=y";
    sources.config = fleet::PluginConfig{{{"a", "z"}, {"gone", "z"}}};
    const auto mapping = fleet::map_cluster_contexts(clusters({"a"}), sources);
    CHECK(mapping.unknown_clusters == std::vector<std::string>{"gone", "other", "typo"});
}

TEST_CASE("NAME=CONTEXT syntax") {
    CHECK(fleet::parse_cluster_context_flags({"a=b", "c = d=e"}) ==
          std::map<std::string, std::string>{{"a", "b"}, {"c", "d=e"}});
    CHECK(fleet::parse_cluster_contexts_env("a=b, c=d,") ==
          std::map<std::string, std::string>{{"a", "b"}, {"c", "d"}});
    CHECK(fleet::parse_cluster_contexts_env("").empty());
    CHECK(usage_message([] {
              fleet::parse_cluster_context_flags({"a=b", "oops"});
          }) == "--cluster-context: bad entry \"oops\" (want NAME=CONTEXT)");
    CHECK(usage_message([] { fleet::parse_cluster_context_flags({"=ctx"}); }) ==
          "--cluster-context: bad entry \"=ctx\" (want NAME=CONTEXT)");
    CHECK(usage_message([] { fleet::parse_cluster_contexts_env("a=b,c="); }) ==
          "NOVA_ROLLOUTS_CLUSTER_CONTEXTS: bad entry \"c=\" (want NAME=CONTEXT)");
    CHECK(usage_message([] {
              fleet::parse_cluster_context_flags({"a=b", "a=c"});
          }) == "--cluster-context: cluster \"a\" is mapped twice");
    // map_cluster_contexts checks every source, even one a cluster does not need.
    fleet::ContextSources sources;
    sources.environment = "broken";
    CHECK(usage_message([&] {
              fleet::map_cluster_contexts({}, sources);
          }).starts_with("NOVA_ROLLOUTS_CLUSTER_CONTEXTS: bad entry"));
}

TEST_CASE("the config file") {
    CHECK(fleet::parse_plugin_config("", "c.yaml").cluster_contexts.empty());
    CHECK(fleet::parse_plugin_config("# nothing yet\n", "c.yaml").cluster_contexts.empty());
    CHECK(fleet::parse_plugin_config("clusterContexts:\n", "c.yaml").cluster_contexts.empty());
    CHECK(
        fleet::parse_plugin_config("clusterContexts:\n  wlc-1: kind-wlc-1\n  wlc-2: k2\n", "c.yaml")
            .cluster_contexts ==
        std::map<std::string, std::string>{{"wlc-1", "kind-wlc-1"}, {"wlc-2", "k2"}});
    CHECK(config_message([] { fleet::parse_plugin_config("clustercontexts: {}\n", "c.yaml"); }) ==
          "config file c.yaml:1: unknown setting \"clustercontexts\" (known: clusterContexts)");
    CHECK(config_message([] {
              fleet::parse_plugin_config("clusterContexts:\n  a: [x]\n", "c.yaml");
          }) == "config file c.yaml:2: clusterContexts: bad entry for \"a\" (want cluster: "
                "context)");
    CHECK(config_message([] {
              fleet::parse_plugin_config("clusterContexts: [a]\n", "c.yaml");
          }).starts_with("config file c.yaml:1: clusterContexts: want a mapping"));
    CHECK(config_message([] {
              fleet::parse_plugin_config("- a\n", "c.yaml");
          }).starts_with("config file c.yaml:1: want a mapping"));
    CHECK(config_message([] {
              fleet::parse_plugin_config("a: [\n", "c.yaml");
          }).starts_with("config file c.yaml:"));
}

TEST_CASE("where the config file is") {
    CHECK(fleet::plugin_config_path("/x", "/home/u") == "/x/kubectl-nova-rollouts/config.yaml");
    CHECK(fleet::plugin_config_path("", "/home/u") ==
          "/home/u/.config/kubectl-nova-rollouts/config.yaml");
    CHECK(fleet::plugin_config_path(std::nullopt, "/home/u") ==
          "/home/u/.config/kubectl-nova-rollouts/config.yaml");
    CHECK(fleet::plugin_config_path(std::nullopt, std::nullopt).empty());
}

TEST_CASE("flag --workload-contexts names contexts directly") {
    const auto targets = fleet::workload_context_targets({"k1,k2", "k2, k3"}, {"k1", "k2"});
    REQUIRE(targets.size() == 3);
    CHECK(targets[0].cluster == "k1");
    CHECK(targets[0].context == "k1");
    CHECK(targets[0].source == ContextSource::workload_contexts);
    CHECK_FALSE(targets[0].info);
    CHECK(targets[2].cluster == "k3");
    CHECK_FALSE(targets[2].context_exists);
    CHECK(usage_message([] { fleet::workload_context_targets({"a,,b"}, {}); }) ==
          "--workload-contexts: empty context name in \"a,,b\"");
    CHECK(usage_message([] { fleet::workload_context_targets({}, {}); }) ==
          "--workload-contexts: no context given");
}

TEST_CASE("context sources by name") {
    CHECK(fleet::to_string(ContextSource::flag) == "--cluster-context");
    CHECK(fleet::to_string(ContextSource::environment) == "NOVA_ROLLOUTS_CLUSTER_CONTEXTS");
    CHECK(fleet::to_string(ContextSource::none) == "unmapped");
}
