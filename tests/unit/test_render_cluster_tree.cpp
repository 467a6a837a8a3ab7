// The multi-cluster tree: goldens of tests/data/multicluster, and argo's goldens unchanged when
// the rollout is not spread by Nova.

#include "argo_golden_support.hpp"
#include "lib/render/cluster_tree.hpp"
#include "lib/render/rollout_view.hpp"
#include "multicluster_support.hpp"

#include <catch2/catch.hpp>

using namespace nova;

TEST_CASE("multi-cluster scenarios render as their goldens") {
    for (const auto& name : test::multicluster_scenarios()) {
        SECTION(name) {
            const auto scenario = test::load_multicluster_scenario(name);
            const auto view = test::scenario_view(scenario);
            REQUIRE(view.multi_cluster);
            CHECK(view.incomplete() == (scenario.exit_code == 5));
            test::check_golden(
                "multicluster/" + name + ".txt",
                render::render_rollout_view(view, render::Palette(false), scenario.now));
        }
    }
}

TEST_CASE("the multi-cluster tree in colour") {
    const auto scenario = test::load_multicluster_scenario("pods-failing");
    test::check_golden("multicluster/pods-failing.color.txt",
                       render::render_rollout_view(test::scenario_view(scenario),
                                                   render::Palette(true), scenario.now));
}

TEST_CASE("a rollout not spread by Nova prints argo's goldens byte for byte") {
    // Clusters that were read and hold nothing of the rollout (argo's fixtures on nova-sim).
    fleet::ClusterReading empty;
    empty.cluster = "kind-workload-1";
    empty.context = "kind-workload-1";
    const std::vector<std::vector<fleet::ClusterReading>> cases{{}, {empty}};
    const auto now = test::argo_golden_now();
    for (const auto& scenario : test::argo_scenarios()) {
        if (scenario.command.at(0) != "get") {
            continue;
        }
        for (const auto& readings : cases) {
            INFO(scenario.golden << " with " << readings.size() << " cluster(s)");
            const auto set = test::make_object_set(test::argo_scenario_objects(scenario, now));
            std::string output;
            if (scenario.command.at(1) == "rollout") {
                const auto view = fleet::build_rollout_view(
                    rollouts::build_rollout_info(set, scenario.command.at(2)), readings);
                CHECK_FALSE(view.multi_cluster);
                output = render::render_rollout_view(view, render::Palette(false), now);
            } else {
                const auto view = fleet::build_experiment_view(
                    rollouts::build_experiment_info(set, scenario.command.at(2)), readings);
                CHECK_FALSE(view.multi_cluster);
                output = render::render_experiment_view(view, render::Palette(false), now);
            }
            CHECK(output == test::argo_expected_output(scenario));
        }
    }
}

TEST_CASE("the Clusters block aligns names, states and counts") {
    fleet::ClusterSummary ready;
    ready.cluster = "a";
    ready.status = "Ready";
    ready.icon = "\u2714";
    ready.stable = {5, 5};
    ready.canary = {0, 1};
    ready.pods = {5, 6};
    fleet::ClusterSummary down;
    down.cluster = "a-much-longer-cluster-name";
    down.state = fleet::ReadState::unreachable;
    down.status = "Unreachable";
    down.icon = "\u26a0";
    down.error = "connection refused";
    const auto text = render::render_clusters_block({ready, down}, render::ClusterCounts::canary,
                                                    render::Palette(false));
    CHECK(text == "Clusters:\n"
                  "  a                           \u2714 Ready        stable:5/5  canary:0/1  "
                  "ready:5/6\n"
                  "  a-much-longer-cluster-name  \u26a0 Unreachable  connection refused\n");
    CHECK(render::render_clusters_block({}, render::ClusterCounts::canary, render::Palette(false))
              .empty());
    // Short names start their values at column 17, as the header's other values.
    CHECK(render::render_clusters_block({ready}, render::ClusterCounts::pods,
                                        render::Palette(false)) ==
          "Clusters:\n  a              \u2714 Ready  ready:5/6\n");
}

TEST_CASE("colour does not move the Clusters block's columns") {
    fleet::ClusterSummary ready;
    ready.cluster = "a";
    ready.status = "Ready";
    ready.icon = "\u2714";
    const auto plain = render::render_clusters_block({ready}, render::ClusterCounts::blue_green,
                                                     render::Palette(false));
    const auto coloured = render::render_clusters_block({ready}, render::ClusterCounts::blue_green,
                                                        render::Palette(true));
    CHECK(plain == "Clusters:\n  a              \u2714 Ready  stable:0/0  preview:0/0  "
                   "ready:0/0\n");
    CHECK(coloured == "Clusters:\n  a              \x1b[32m\u2714\x1b[0m Ready  stable:0/0  "
                      "preview:0/0  ready:0/0\n");
}

TEST_CASE("get experiment with clusters") {
    rollouts::ObjectSet objects;
    objects.add({{"kind", "Experiment"},
                 {"metadata",
                  {{"name", "exp"},
                   {"namespace", "ns"},
                   {"uid", "exp-uid"},
                   {"creationTimestamp", "2025-06-02T10:00:00Z"}}},
                 {"status", {{"phase", "Running"}}}});
    const nlohmann::json replica_set{
        {"kind", "ReplicaSet"},
        {"metadata",
         {{"name", "exp-a"},
          {"namespace", "ns"},
          {"uid", "cp-e"},
          {"creationTimestamp", "2025-06-02T10:00:00Z"},
          {"ownerReferences", {{{"uid", "exp-uid"}}}}}},
        {"spec", {{"replicas", 1}}},
        {"status", {{"replicas", 1}, {"readyReplicas", 1}, {"availableReplicas", 1}}}};
    objects.add(replica_set);
    fleet::ClusterReading a;
    a.cluster = "a";
    a.context = "a";
    auto copy = replica_set;
    copy["metadata"]["uid"] = "a-e";
    copy["metadata"].erase("ownerReferences");
    a.replica_sets = {copy};
    fleet::ClusterReading b;
    b.cluster = "b";
    b.state = fleet::ReadState::unmapped;
    const auto view =
        fleet::build_experiment_view(rollouts::build_experiment_info(objects, "exp"), {a, b});
    const auto now = core::parse_rfc3339("2025-06-02T10:20:30Z");
    CHECK(render::render_experiment_view(view, render::Palette(false), now) ==
          "Name:            exp\n"
          "Namespace:       ns\n"
          "Status:          \u25cc Running\n"
          "Clusters:\n"
          "  a              \u2714 Reachable  ready:0/0\n"
          "  b              ? Unmapped\n"
          "\n"
          "NAME        KIND        STATUS      AGE  INFO\n"
          "\u03a3 exp       Experiment  \u25cc Running   20m  \n"
          "\u2514\u2500\u2500\u29c9 exp-a  ReplicaSet  \u2714 Healthy   20m  \n"
          "   \u251c\u2500\u2500\u2388 a   Cluster     \u2714 Healthy   20m  ready:1/1\n"
          "   \u2514\u2500\u2500\u2388 b   Cluster     ? Unmapped       no kubeconfig context\n");
}

TEST_CASE("a cluster's multi-line error keeps its tree row and Clusters line") {
    fleet::ClusterReplicaSet down;
    down.cluster = "wlc-1";
    down.state = fleet::ReadState::unreachable;
    down.error = "from server (Unauthorized): token\n\texpired \x1b[2J";
    const auto node =
        render::cluster_replica_set_node(down, render::Palette(false), core::Clock::time_point{});
    CHECK(node.info == "token  expired U+001B[2J");
    fleet::ClusterSummary summary;
    summary.cluster = "wlc-1";
    summary.state = fleet::ReadState::unreachable;
    summary.status = "Unreachable";
    summary.icon = "\u26a0";
    summary.error = down.error;
    CHECK(render::render_clusters_block({summary}, render::ClusterCounts::canary,
                                        render::Palette(false)) ==
          "Clusters:\n  wlc-1          \u26a0 Unreachable  from server (Unauthorized): token  "
          "expired U+001B[2J\n");
}

TEST_CASE("a running Job's row names the clusters that could not be read") {
    fleet::ClusterJob down;
    down.cluster = "wlc-2";
    down.state = fleet::ReadState::unreachable;
    down.error = "Get \"https://10.0.0.2/api\": dial tcp 10.0.0.2:443: connect: connection refused";
    const auto node =
        render::cluster_job_node(down, render::Palette(false), core::Clock::time_point{});
    CHECK(node.name == "⎈ wlc-2");
    CHECK(node.kind == "Cluster");
    CHECK(node.status == "⚠ Unreachable");
    CHECK(node.info == "connection refused");
    CHECK(node.children.empty());
    fleet::ClusterJob unmapped;
    unmapped.cluster = "edge";
    unmapped.state = fleet::ReadState::unmapped;
    const auto row =
        render::cluster_job_node(unmapped, render::Palette(false), core::Clock::time_point{});
    CHECK(row.status == "? Unmapped");
    CHECK(row.info == "no kubeconfig context");
}
