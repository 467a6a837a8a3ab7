#include "lib/nova/cluster.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using fleet::ClusterHealth;

namespace {

nlohmann::json cluster(const std::string& name, const std::string& ready,
                       const std::string& standby, const std::string& idle = "False") {
    return {
        {"apiVersion", "cluster.elotl.co/v1alpha1"},
        {"kind", "Cluster"},
        {"metadata",
         {{"name", name},
          {"labels",
           {{"kubernetes.io/metadata.name", name}, {"nova.elotl.co/cluster.zone", "z-label"}}}}},
        {"spec", {{"name", name}, {"kubernetesversion", "1.25"}, {"region", "us-east-1"}}},
        {"status",
         {{"conditions",
           {{{"type", "Ready"}, {"status", ready}, {"reason", "R"}, {"message", "m"}},
            {{"type", "Idle"}, {"status", idle}},
            {{"type", "Standby"}, {"status", standby}}}}}},
    };
}

} // namespace

TEST_CASE("a Cluster object's fields, labels and conditions") {
    const auto parsed = fleet::parse_cluster(cluster("wlc-1", "True", "False", "True"));
    CHECK(parsed.name == "wlc-1");
    CHECK(parsed.kubernetes_version == "1.25");
    CHECK(parsed.region == "us-east-1");
    CHECK(parsed.zone == "z-label"); // spec.zone absent: the label
    CHECK(parsed.labels.at("kubernetes.io/metadata.name") == "wlc-1");
    CHECK(parsed.ready == "True");
    CHECK(parsed.idle == "True");
    CHECK(parsed.standby == "False");
    CHECK(parsed.ready_reason == "R");
    CHECK(parsed.ready_message == "m");
    CHECK(parsed.health == ClusterHealth::ready);
}

TEST_CASE("cluster health from Ready and Standby") {
    CHECK(fleet::parse_cluster(cluster("a", "True", "False")).health == ClusterHealth::ready);
    // Parked on purpose: planned, not a failure.
    CHECK(fleet::parse_cluster(cluster("a", "False", "True")).health == ClusterHealth::standby);
    CHECK(fleet::parse_cluster(cluster("a", "False", "False")).health == ClusterHealth::not_ready);
    CHECK(fleet::parse_cluster(cluster("a", "Unknown", "False")).health == ClusterHealth::unknown);
    CHECK(fleet::parse_cluster({{"metadata", {{"name", "bare"}}}}).health ==
          ClusterHealth::unknown);
    CHECK(fleet::to_string(ClusterHealth::standby) == "Standby");
    CHECK(fleet::to_string(ClusterHealth::not_ready) == "NotReady");
}

TEST_CASE("odd Cluster objects read as empty fields, never an exception") {
    const auto parsed =
        fleet::parse_cluster({{"metadata", {{"name", "x"}, {"labels", {{"a", 1}, {"b", "c"}}}}},
                              {"spec", "not an object"},
                              {"status", {{"conditions", "nope"}}}});
    CHECK(parsed.name == "x");
    CHECK(parsed.labels == std::map<std::string, std::string>{{"b", "c"}});
    CHECK(parsed.ready.empty());
    CHECK(parsed.health == ClusterHealth::unknown);
}

TEST_CASE("a ClusterList or an array, sorted by name") {
    const nlohmann::json items = {cluster("wlc-2", "True", "False"),
                                  cluster("wlc-1", "False", "True"), "junk"};
    const auto from_list = fleet::parse_clusters({{"kind", "ClusterList"}, {"items", items}});
    REQUIRE(from_list.size() == 2);
    CHECK(from_list[0].name == "wlc-1");
    CHECK(from_list[1].name == "wlc-2");
    CHECK(fleet::parse_clusters(items) == from_list);
    CHECK(fleet::parse_clusters({{"kind", "ClusterList"}}).empty());
    CHECK(fleet::parse_clusters(nullptr).empty());
}
