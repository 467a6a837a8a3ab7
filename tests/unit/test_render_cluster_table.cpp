#include "lib/render/cluster_table.hpp"
#include "lib/render/document.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace nova;
using fleet::ClusterTarget;
using fleet::ContextSource;
using fleet::ProbeResult;
using std::chrono::microseconds;

namespace {

fleet::WorkloadCluster cluster(const std::string& name, const std::string& ready,
                               const std::string& idle, const std::string& standby,
                               const std::string& region) {
    return fleet::parse_cluster({
        {"metadata", {{"name", name}}},
        {"spec", {{"kubernetesversion", "1.25"}, {"region", region}, {"zone", region + "a"}}},
        {"status",
         {{"conditions",
           {{{"type", "Ready"}, {"status", ready}},
            {{"type", "Idle"}, {"status", idle}},
            {{"type", "Standby"}, {"status", standby}}}}}},
    });
}

// Every state once: ready, not ready, standby (down, not missing), unreachable, unmapped, a
// context from a flag, and a bare Cluster object.
std::vector<fleet::ClusterEntry> fleet_entries() {
    const auto ready = cluster("wlc-1", "True", "False", "False", "us-east-1");
    const auto not_ready = cluster("wlc-2", "False", "False", "False", "us-west-2");
    const auto parked = cluster("wlc-3", "False", "True", "True", "us-east-1");
    const auto down = cluster("wlc-4", "True", "False", "False", "us-west-2");
    const auto edge = cluster("edge-eu-1", "True", "True", "False", "eu-west-1");
    const auto bare = fleet::parse_cluster({{"metadata", {{"name", "bare"}}}});
    return fleet::build_cluster_entries(
        {
            {"bare", "bare", ContextSource::same_name, true, bare},
            {"edge-eu-1", "", ContextSource::none, true, edge},
            {"wlc-1", "kind-wlc-1", ContextSource::config_file, true, ready},
            {"wlc-2", "kind-wlc-2", ContextSource::flag, true, not_ready},
            {"wlc-3", "kind-wlc-3", ContextSource::environment, true, parked},
            {"wlc-4", "kind-wlc-4", ContextSource::same_name, true, down},
        },
        {
            ProbeResult{true, "", microseconds(15'400), {}},
            std::nullopt,
            ProbeResult{true, "v1.29.0", microseconds(1'234), {}},
            ProbeResult{true, "v1.28.3", microseconds(2'345'678), {}},
            ProbeResult{false, {}, {}, "the server 127.0.0.1:3 did not answer within 5s"},
            ProbeResult{false, {}, {}, "the connection to the server 127.0.0.1:4 was refused"},
        });
}

} // namespace

TEST_CASE("clusters: latency for people", "[render]") {
    CHECK(render::format_latency(microseconds(0)) == "0.0ms");
    CHECK(render::format_latency(microseconds(850)) == "0.8ms");
    CHECK(render::format_latency(microseconds(9'949)) == "9.9ms");
    CHECK(render::format_latency(microseconds(10'000)) == "10ms");
    CHECK(render::format_latency(microseconds(42'499)) == "42ms");
    CHECK(render::format_latency(microseconds(999'000)) == "999ms");
    CHECK(render::format_latency(microseconds(1'250'000)) == "1.25s");
    CHECK(render::format_latency(microseconds(-5)) == "0.0ms");
}

TEST_CASE("clusters: the table shows every state plainly", "[render]") {
    const auto text = render::render_cluster_table(fleet_entries(), render::Palette(false));
    CHECK(text ==
          "NAME       CONTEXT     SOURCE                          READY  IDLE   STANDBY  "
          "K8S-VERSION  REGION     ZONE        REACHABLE\n"
          "bare       bare        same name                       -      -      -        -     "
          "       -          -           ✔ 15ms\n"
          "edge-eu-1  -           unmapped                        True   True   False    1.25  "
          "       eu-west-1  eu-west-1a  ? no kubeconfig context: map it with --cluster-context "
          "edge-eu-1=CONTEXT\n"
          "wlc-1      kind-wlc-1  config file                     True   False  False    "
          "v1.29.0      us-east-1  us-east-1a  ✔ 1.2ms\n"
          "wlc-2      kind-wlc-2  --cluster-context               False  False  False    "
          "v1.28.3      us-west-2  us-west-2a  ✔ 2.35s\n"
          "wlc-3      kind-wlc-3  NOVA_ROLLOUTS_CLUSTER_CONTEXTS  False  True   True     1.25  "
          "       us-east-1  us-east-1a  ⚠ the server 127.0.0.1:3 did not answer within 5s\n"
          "wlc-4      kind-wlc-4  same name                       True   False  False    1.25  "
          "       us-west-2  us-west-2a  ⚠ the connection to the server 127.0.0.1:4 was "
          "refused\n");
}

TEST_CASE("clusters: colour only on the REACHABLE icons", "[render]") {
    const auto entries = fleet_entries();
    const auto text = render::render_cluster_table(entries, render::Palette(true));
    CHECK(text.find("\x1b[32m✔\x1b[0m 1.2ms") != std::string::npos);
    CHECK(text.find("\x1b[31m⚠\x1b[0m the connection") != std::string::npos);
    CHECK(text.find("\x1b[33m?\x1b[0m no kubeconfig context") != std::string::npos);
    // The escapes take no width: the columns line up as without colour.
    const auto plain = render::render_cluster_table(entries, render::Palette(false));
    std::string stripped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            i = text.find('m', i);
            continue;
        }
        stripped += text[i];
    }
    CHECK(stripped == plain);
}

TEST_CASE("clusters: the ClusterList document", "[render]") {
    const auto document = render::cluster_list_document(fleet_entries());
    CHECK(document["apiVersion"] == "nova-rollouts.elotl.co/v1alpha1");
    CHECK(document["kind"] == "ClusterList");
    CHECK(document["complete"] == false);
    // wlc-3 is in standby: down, but not missing.
    CHECK(document["missingClusters"] == nlohmann::json::array({"edge-eu-1", "wlc-4"}));
    REQUIRE(document["items"].size() == 6);

    const auto& wlc1 = document["items"][2];
    const std::vector<std::string> keys{"name",
                                        "context",
                                        "contextSource",
                                        "ready",
                                        "idle",
                                        "standby",
                                        "health",
                                        "kubernetesVersion",
                                        "novaKubernetesVersion",
                                        "serverVersion",
                                        "region",
                                        "zone",
                                        "state",
                                        "latencyMicroseconds",
                                        "error",
                                        "missing"};
    std::vector<std::string> order;
    for (const auto& [key, value] : wlc1.items()) {
        order.push_back(key);
    }
    CHECK(order == keys);
    CHECK(wlc1["name"] == "wlc-1");
    CHECK(wlc1["context"] == "kind-wlc-1");
    CHECK(wlc1["contextSource"] == "config file");
    CHECK(wlc1["ready"] == "True");
    CHECK(wlc1["health"] == "Ready");
    CHECK(wlc1["kubernetesVersion"] == "v1.29.0");
    CHECK(wlc1["novaKubernetesVersion"] == "1.25");
    CHECK(wlc1["serverVersion"] == "v1.29.0");
    CHECK(wlc1["state"] == "Reachable");
    CHECK(wlc1["latencyMicroseconds"] == 1234);
    CHECK(wlc1["error"].is_null());
    CHECK(wlc1["missing"] == false);

    const auto& edge = document["items"][1];
    CHECK(edge["context"].is_null());
    CHECK(edge["contextSource"] == "unmapped");
    CHECK(edge["state"] == "Unmapped");
    CHECK(edge["latencyMicroseconds"].is_null());
    CHECK(edge["serverVersion"].is_null());
    CHECK(edge["missing"] == true);

    const auto& parked = document["items"][4];
    CHECK(parked["health"] == "Standby");
    CHECK(parked["state"] == "Unreachable");
    CHECK(parked["missing"] == false);

    const auto& bare = document["items"][0];
    CHECK(bare["ready"].is_null());
    CHECK(bare["health"] == "Unknown");
    CHECK(bare["region"].is_null());
    CHECK(bare["kubernetesVersion"].is_null());
}

TEST_CASE("clusters: a document without Cluster objects, and an empty one", "[render]") {
    const auto entries = fleet::build_cluster_entries(
        {{"kind-a", "kind-a", ContextSource::workload_contexts, true, std::nullopt}},
        {ProbeResult{true, "v1.29.0", microseconds(3), {}}});
    const auto document = render::cluster_list_document(entries);
    CHECK(document["complete"] == true);
    CHECK(document["items"][0]["health"].is_null());
    CHECK(document["items"][0]["novaKubernetesVersion"].is_null());
    CHECK(document["items"][0]["contextSource"] == "--workload-contexts");

    const auto empty = render::cluster_list_document({});
    CHECK(empty["complete"] == true);
    CHECK(empty["items"].empty());
    // YAML reads back as the JSON: the version stays a string.
    const auto yaml = render::to_yaml_text(document);
    CHECK(yaml.find("serverVersion: v1.29.0\n") != std::string::npos);
    CHECK(yaml.find("latencyMicroseconds: 3\n") != std::string::npos);
}

TEST_CASE("clusters: a server's multi-line error keeps its row, in the table and documents",
          "[render]") {
    const auto info = cluster("wlc-1", "True", "False", "False", "us-east-1");
    const std::string status = "Unauthorized:\n\ttoken \x1b]0;pwned\x07 expired\r\n";
    const auto entries = fleet::build_cluster_entries(
        {{"wlc-1", "kind-wlc-1", ContextSource::same_name, true, info},
         {"wlc-2", "kind-wlc-2", ContextSource::same_name, true, info}},
        {ProbeResult{false, {}, {}, status}, ProbeResult{true, "v1.29.0", microseconds(10), {}}});
    const auto text = render::render_cluster_table(entries, render::Palette(false));
    // The header and one row per cluster, nothing for a terminal to act on.
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find('\t') == std::string::npos);
    CHECK(text.find("⚠ Unauthorized:  token U+001B]0;pwnedU+0007 expired\n") != std::string::npos);
    const auto document = render::cluster_list_document(entries);
    CHECK(document["items"][0]["error"] == "Unauthorized:  token U+001B]0;pwnedU+0007 expired");
}

TEST_CASE("clusters: a Cluster's own text (region, zone, version) and a context name keep their "
          "row",
          "[render]") {
    const auto info = cluster("wlc-1", "True", "False", "False", "us-\neast\t1\x1b[2J");
    const auto entries = fleet::build_cluster_entries(
        {{"wlc-1", "ctx\nwith newline", ContextSource::flag, true, info}},
        {ProbeResult{true, "v1.29.0\r\n-evil", microseconds(10), {}}});
    const auto text = render::render_cluster_table(entries, render::Palette(false));
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("ctx with newline") != std::string::npos);
    CHECK(text.find("us- east 1U+001B[2J") != std::string::npos);
    CHECK(text.find("v1.29.0  -evil") != std::string::npos);
}
