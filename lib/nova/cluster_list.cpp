#include "lib/nova/cluster_list.hpp"

#include "lib/core/text.hpp"
#include "lib/nova/cluster_view.hpp"

namespace nova::fleet {

std::string_view to_string(Reachability reachability) {
    switch (reachability) {
    case Reachability::reachable:
        return "Reachable";
    case Reachability::unreachable:
        return "Unreachable";
    case Reachability::unmapped:
        break;
    }
    return "Unmapped";
}

std::vector<ClusterEntry>
build_cluster_entries(const std::vector<ClusterTarget>& targets,
                      const std::vector<std::optional<ProbeResult>>& probes) {
    std::vector<ClusterEntry> entries;
    entries.reserve(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const ClusterTarget& target = targets[i];
        const std::optional<ProbeResult> probe = i < probes.size() ? probes[i] : std::nullopt;
        ClusterEntry entry;
        entry.name = target.cluster;
        entry.context = target.context;
        entry.source = target.source;
        entry.info = target.info;
        // The same reasons `get` gives for an unmapped cluster or a missing context.
        const ClusterReading reading = make_reading(target);
        if (reading.state == ReadState::unmapped) {
            entry.reachability = Reachability::unmapped;
            entry.error = reading.error;
        } else if (reading.state == ReadState::unreachable || !probe) {
            entry.reachability = Reachability::unreachable;
            entry.error = reading.error.empty() ? "not probed" : reading.error;
        } else if (probe->answered) {
            entry.reachability = Reachability::reachable;
            entry.latency = probe->latency;
        } else {
            entry.reachability = Reachability::unreachable;
            entry.error = probe->error.empty() ? "no answer" : probe->error;
        }
        if (probe && probe->answered && !probe->server_version.empty()) {
            entry.server_version = probe->server_version;
            entry.kubernetes_version = probe->server_version;
        } else if (entry.info) {
            entry.kubernetes_version = entry.info->kubernetes_version;
        }
        // The reason is server and plugin text (a Status message, a plugin's install hint):
        // one printable line, so that it keeps its row and cannot drive the terminal.
        entry.error = core::one_line(core::trim(entry.error));
        const bool standby = entry.info && entry.info->health == ClusterHealth::standby;
        entry.missing = entry.reachability != Reachability::reachable && !standby;
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::vector<std::string> missing_clusters(const std::vector<ClusterEntry>& entries) {
    std::vector<std::string> names;
    for (const auto& entry : entries) {
        if (entry.missing) {
            names.push_back(entry.name);
        }
    }
    return names;
}

} // namespace nova::fleet
