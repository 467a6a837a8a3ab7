#pragma once

#include "lib/nova/cluster.hpp"
#include "lib/nova/context_map.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The model of `clusters`: one entry per Nova workload cluster, with what Nova says about it,
// the kubeconfig context that reaches it, and what one probe of that context (GET /version)
// found. Pure: the command probes and measures, this joins.
namespace nova::fleet {

// What the probe of one cluster's context found. The command measures `latency` (I/O timing).
struct ProbeResult {
    bool answered = false;      // GET /version succeeded
    std::string server_version; // its gitVersion ("" when the answer has none)
    std::chrono::microseconds latency{};
    std::string error; // when it did not answer (any text: the entry flattens it)
};

// Whether a cluster could be probed.
enum class Reachability {
    reachable,   // /version answered
    unreachable, // the probe failed (refused, TLS, 401/403, deadline...) or the context is
                 // missing from the kubeconfig: `error` says why
    unmapped,    // no context reaches it: nothing was asked
};

// "Reachable", "Unreachable", "Unmapped".
std::string_view to_string(Reachability reachability);

struct ClusterEntry {
    std::string name;
    std::string context; // "" when unmapped
    ContextSource source = ContextSource::none;
    // Nova's Cluster object; nullopt with --workload-contexts (no Cluster objects are read).
    std::optional<WorkloadCluster> info;
    // The kubernetes version: the server's own gitVersion when the probe answered (current, and
    // what kubectl would report), else Nova's spec.kubernetesversion (what its agent last
    // reported; it may lag an upgrade, or name only major.minor); "" when neither is known.
    std::string kubernetes_version;
    std::string server_version; // /version's gitVersion; "" when the probe did not answer
    Reachability reachability = Reachability::unmapped;
    std::optional<std::chrono::microseconds> latency; // reachable only
    std::string error; // unreachable and unmapped: why, as one printable line
    // Whether the cluster counts as not reached for exit code 5: unreachable or unmapped,
    // unless Nova has parked it in standby (planned; `get` counts clusters the same way).
    bool missing = false;

    bool operator==(const ClusterEntry&) const = default;
};

// One entry per target, in the targets' order. `probes` holds one element per target: nullopt
// for a target that was not probed (unmapped, or its context is not in the kubeconfig, whose
// entries take their reason from make_reading), the probe's result otherwise.
std::vector<ClusterEntry>
build_cluster_entries(const std::vector<ClusterTarget>& targets,
                      const std::vector<std::optional<ProbeResult>>& probes);

// The names of the missing entries, in order.
std::vector<std::string> missing_clusters(const std::vector<ClusterEntry>& entries);

} // namespace nova::fleet
