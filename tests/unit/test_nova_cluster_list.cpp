#include "lib/nova/cluster_list.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using fleet::ClusterTarget;
using fleet::ContextSource;
using fleet::ProbeResult;
using fleet::Reachability;
using std::chrono::microseconds;

namespace {

fleet::WorkloadCluster cluster(const std::string& name, const std::string& ready,
                               const std::string& standby, const std::string& idle = "False") {
    return fleet::parse_cluster({
        {"metadata", {{"name", name}}},
        {"spec", {{"kubernetesversion", "1.25"}, {"region", "us-east-1"}, {"zone", "us-east-1a"}}},
        {"status",
         {{"conditions",
           {{{"type", "Ready"}, {"status", ready}},
            {{"type", "Idle"}, {"status", idle}},
            {{"type", "Standby"}, {"status", standby}}}}}},
    });
}

ClusterTarget mapped(const fleet::WorkloadCluster& info,
                     ContextSource source = ContextSource::same_name) {
    return ClusterTarget{info.name, "ctx-" + info.name, source, true, info};
}

ProbeResult answered(const std::string& version, microseconds latency) {
    return ProbeResult{true, version, latency, {}};
}

ProbeResult failed(const std::string& error) {
    return ProbeResult{false, {}, {}, error};
}

} // namespace

TEST_CASE("clusters: a ready cluster that answers", "[nova]") {
    const auto entries =
        fleet::build_cluster_entries({mapped(cluster("wlc-1", "True", "False", "True"))},
                                     {answered("v1.29.0", microseconds(1234))});
    REQUIRE(entries.size() == 1);
    const auto& entry = entries[0];
    CHECK(entry.name == "wlc-1");
    CHECK(entry.context == "ctx-wlc-1");
    CHECK(entry.source == ContextSource::same_name);
    CHECK(entry.reachability == Reachability::reachable);
    CHECK(entry.latency == microseconds(1234));
    CHECK(entry.error.empty());
    CHECK_FALSE(entry.missing);
    // The server's own answer is current; Nova's spec stays in `info` for the documents.
    CHECK(entry.kubernetes_version == "v1.29.0");
    CHECK(entry.server_version == "v1.29.0");
    CHECK(entry.info->kubernetes_version == "1.25");
    CHECK(entry.info->idle == "True");
    CHECK(fleet::missing_clusters(entries).empty());
}

TEST_CASE("clusters: not ready in Nova's eyes but reachable is not missing", "[nova]") {
    const auto entries = fleet::build_cluster_entries({mapped(cluster("wlc-1", "False", "False"))},
                                                      {answered("v1.29.0", microseconds(10))});
    CHECK(entries[0].info->health == fleet::ClusterHealth::not_ready);
    CHECK(entries[0].reachability == Reachability::reachable);
    CHECK_FALSE(entries[0].missing);
}

TEST_CASE("clusters: an unreachable cluster is missing, with the probe's error", "[nova]") {
    const auto entries = fleet::build_cluster_entries(
        {mapped(cluster("wlc-1", "True", "False")), mapped(cluster("wlc-2", "True", "False"))},
        {answered("v1.29.0", microseconds(900)),
         failed("the connection to the server 127.0.0.1:1 was refused")});
    const auto& entry = entries[1];
    CHECK(entry.reachability == Reachability::unreachable);
    CHECK(entry.error == "the connection to the server 127.0.0.1:1 was refused");
    CHECK_FALSE(entry.latency);
    CHECK(entry.missing);
    // Without an answer, Nova's version is all there is.
    CHECK(entry.kubernetes_version == "1.25");
    CHECK(entry.server_version.empty());
    CHECK(fleet::missing_clusters(entries) == std::vector<std::string>{"wlc-2"});
}

TEST_CASE("clusters: a cluster in standby that does not answer is planned, not missing", "[nova]") {
    const auto entries = fleet::build_cluster_entries(
        {mapped(cluster("parked", "False", "True", "True"))}, {failed("refused")});
    CHECK(entries[0].info->health == fleet::ClusterHealth::standby);
    CHECK(entries[0].reachability == Reachability::unreachable);
    CHECK(entries[0].error == "refused");
    CHECK_FALSE(entries[0].missing);
}

TEST_CASE("clusters: an idle cluster", "[nova]") {
    const auto entries = fleet::build_cluster_entries(
        {mapped(cluster("idle", "True", "False", "True"))}, {answered("", microseconds(5))});
    CHECK(entries[0].info->idle == "True");
    CHECK_FALSE(entries[0].missing);
    // An answer without gitVersion: Nova's version.
    CHECK(entries[0].kubernetes_version == "1.25");
    CHECK(entries[0].server_version.empty());
}

TEST_CASE("clusters: an unmapped cluster says how to map it, and is missing", "[nova]") {
    const auto info = cluster("edge-eu-1", "True", "False");
    const auto entries = fleet::build_cluster_entries(
        {ClusterTarget{info.name, "", ContextSource::none, true, info}}, {std::nullopt});
    const auto& entry = entries[0];
    CHECK(entry.reachability == Reachability::unmapped);
    CHECK(entry.context.empty());
    CHECK(entry.error == "no kubeconfig context: map it with --cluster-context edge-eu-1=CONTEXT");
    CHECK(entry.missing);
    CHECK(fleet::to_string(entry.reachability) == "Unmapped");
}

TEST_CASE("clusters: an unmapped cluster in standby is not missing", "[nova]") {
    const auto info = cluster("parked", "False", "True");
    const auto entries = fleet::build_cluster_entries(
        {ClusterTarget{info.name, "", ContextSource::none, true, info}}, {std::nullopt});
    CHECK(entries[0].reachability == Reachability::unmapped);
    CHECK_FALSE(entries[0].missing);
}

TEST_CASE("clusters: a context named by a flag but missing from the kubeconfig", "[nova]") {
    const auto info = cluster("wlc-2", "True", "False");
    const auto entries = fleet::build_cluster_entries(
        {ClusterTarget{info.name, "wl-two", ContextSource::flag, false, info}}, {std::nullopt});
    CHECK(entries[0].reachability == Reachability::unreachable);
    CHECK(entries[0].error ==
          "context \"wl-two\" (from --cluster-context) is not in the kubeconfig");
    CHECK(entries[0].missing);
}

TEST_CASE("clusters: a mapped cluster the command could not probe", "[nova]") {
    // A context whose user entry cannot be used gets the resolver's error as a failed probe.
    const auto entries = fleet::build_cluster_entries({mapped(cluster("wlc-1", "True", "False"))},
                                                      {failed("user \"x\" has no credentials")});
    CHECK(entries[0].reachability == Reachability::unreachable);
    CHECK(entries[0].error == "user \"x\" has no credentials");
    // Fewer probes than targets: the rest were not probed, which is never silent.
    const auto short_probes =
        fleet::build_cluster_entries({mapped(cluster("wlc-1", "True", "False"))}, {});
    CHECK(short_probes[0].reachability == Reachability::unreachable);
    CHECK(short_probes[0].error == "not probed");
}

TEST_CASE("clusters: missing fields and no Cluster object", "[nova]") {
    // --workload-contexts: no Cluster objects; a bare Cluster object: no spec, no conditions.
    const auto bare = fleet::parse_cluster({{"metadata", {{"name", "bare"}}}});
    const auto entries = fleet::build_cluster_entries(
        {ClusterTarget{"kind-a", "kind-a", ContextSource::workload_contexts, true, std::nullopt},
         mapped(bare)},
        {answered("", microseconds(7)), failed("timeout")});
    CHECK_FALSE(entries[0].info);
    CHECK(entries[0].kubernetes_version.empty());
    CHECK(entries[0].reachability == Reachability::reachable);
    CHECK(entries[1].info->ready.empty());
    CHECK(entries[1].info->health == fleet::ClusterHealth::unknown);
    CHECK(entries[1].kubernetes_version.empty());
    CHECK(entries[1].missing);
}

TEST_CASE("clusters: a server's multi-line or escaping error stays one printable line", "[nova]") {
    const auto entries =
        fleet::build_cluster_entries({mapped(cluster("wlc-1", "True", "False"))},
                                     {failed("error: You must be logged in to the server "
                                             "(Unauthorized)\n\tsee \x1b[31mhere\x1b[0m\r")});
    const std::string& error = entries[0].error;
    CHECK(error ==
          "error: You must be logged in to the server (Unauthorized)  see U+001B[31mhereU+001B[0m");
    CHECK(error.find_first_of("\n\t\r\x1b") == std::string::npos);
    CHECK(entries[0].reachability == Reachability::unreachable);
}
