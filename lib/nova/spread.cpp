#include "lib/nova/spread.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace nova::fleet {

namespace {

std::string health_detail(const WorkloadCluster& cluster) {
    auto detail = fmt::format("Ready={}", cluster.ready.empty() ? "(none)" : cluster.ready);
    if (!cluster.ready_reason.empty() || !cluster.ready_message.empty()) {
        detail +=
            fmt::format(" ({}{}{})", cluster.ready_reason,
                        cluster.ready_reason.empty() || cluster.ready_message.empty() ? "" : ": ",
                        cluster.ready_message);
    }
    if (cluster.health == ClusterHealth::standby) {
        detail += ", Standby=True";
    }
    return detail;
}

std::optional<Exclusion> health_exclusion(ClusterHealth health) {
    switch (health) {
    case ClusterHealth::ready:
        return std::nullopt;
    case ClusterHealth::standby:
        return Exclusion::standby;
    case ClusterHealth::not_ready:
        return Exclusion::not_ready;
    case ClusterHealth::unknown:
        break;
    }
    return Exclusion::health_unknown;
}

// Adds `replicas` divided evenly over the domain's clusters.
void divide_within(const TopologyDomain& domain, std::int64_t replicas, ReplicaCounts& counts) {
    const auto shares = divide_evenly(replicas, domain.clusters.size());
    for (std::size_t i = 0; i < shares.size(); ++i) {
        counts[domain.clusters[i]] = shares[i];
    }
}

} // namespace

core::Labels cluster_labels(const WorkloadCluster& cluster) {
    auto labels = cluster.labels;
    // emplace keeps a label the object has; only missing ones are filled in.
    labels.emplace("kubernetes.io/metadata.name", cluster.name);
    if (!cluster.region.empty()) {
        labels.emplace("nova.elotl.co/cluster.region", cluster.region);
    }
    if (!cluster.zone.empty()) {
        labels.emplace("nova.elotl.co/cluster.zone", cluster.zone);
    }
    return labels;
}

std::string_view to_string(Exclusion reason) {
    switch (reason) {
    case Exclusion::standby:
        return "Standby";
    case Exclusion::not_ready:
        return "NotReady";
    case Exclusion::health_unknown:
        return "Unknown";
    case Exclusion::no_topology_value:
        break;
    }
    return "NoTopologyValue";
}

ClusterEligibility eligible_clusters(const SchedulePolicy& policy,
                                     const std::vector<WorkloadCluster>& clusters) {
    ClusterEligibility result;
    for (const auto& cluster : clusters) {
        const auto labels = cluster_labels(cluster);
        if (!policy.cluster_selector.matches(labels)) {
            continue;
        }
        if (const auto reason = health_exclusion(cluster.health)) {
            result.excluded.push_back({cluster.name, *reason, health_detail(cluster)});
            continue;
        }
        if (policy.spread && !labels.contains(policy.spread->topology_key)) {
            result.excluded.push_back({cluster.name, Exclusion::no_topology_value,
                                       fmt::format("no label {}", policy.spread->topology_key)});
            continue;
        }
        result.eligible.push_back(cluster);
    }
    const auto by_name = [](const auto& a, const auto& b) {
        return a.name < b.name;
    };
    std::stable_sort(result.eligible.begin(), result.eligible.end(), by_name);
    std::stable_sort(result.excluded.begin(), result.excluded.end(), by_name);
    return result;
}

std::vector<TopologyDomain> topology_domains(std::string_view topology_key,
                                             const std::vector<WorkloadCluster>& clusters) {
    std::map<std::string, std::set<std::string>> members;
    for (const auto& cluster : clusters) {
        const auto labels = cluster_labels(cluster);
        if (const auto it = labels.find(std::string(topology_key)); it != labels.end()) {
            members[it->second].insert(cluster.name);
        }
    }
    std::vector<TopologyDomain> domains;
    for (auto& [value, names] : members) {
        domains.push_back({value, {names.begin(), names.end()}});
    }
    return domains;
}

std::vector<std::int64_t> divide_evenly(std::int64_t replicas, std::size_t parts) {
    std::vector<std::int64_t> shares(parts, 0);
    if (parts == 0 || replicas <= 0) {
        return shares;
    }
    const auto count = static_cast<std::int64_t>(parts);
    for (std::int64_t i = 0; i < count; ++i) {
        shares[static_cast<std::size_t>(i)] = replicas / count + (i < replicas % count ? 1 : 0);
    }
    return shares;
}

std::string_view to_string(SplitRule rule) {
    switch (rule) {
    case SplitRule::divide:
        return "Divide";
    case SplitRule::percentage:
        return "PercentageSplit";
    case SplitRule::duplicate:
        return "Duplicate";
    case SplitRule::one_cluster:
        break;
    }
    return "OneCluster";
}

ExpectedSplit expected_split(const SchedulePolicy& policy,
                             const std::vector<WorkloadCluster>& eligible, std::int64_t replicas) {
    replicas = std::max<std::int64_t>(replicas, 0);
    ExpectedSplit split;
    for (const auto& cluster : eligible) {
        split.replicas[cluster.name] = 0;
    }

    if (!policy.spread) {
        split.rule = SplitRule::one_cluster;
        if (!split.replicas.empty()) {
            split.replicas.begin()->second = replicas; // first by name: the map is ordered
        }
    } else {
        const auto& spread = *policy.spread;
        const auto domains = topology_domains(spread.topology_key, eligible);
        if (spread.mode == SpreadMode::duplicate) {
            split.rule = SplitRule::duplicate;
            for (const auto& domain : domains) {
                for (const auto& name : domain.clusters) {
                    split.replicas[name] = replicas;
                }
            }
            split.unplaced = domains.empty() ? replicas : 0;
            return split;
        }
        if (spread.percentage_split.empty()) {
            split.rule = SplitRule::divide;
            const auto shares = divide_evenly(replicas, domains.size());
            for (std::size_t i = 0; i < domains.size(); ++i) {
                divide_within(domains[i], shares[i], split.replicas);
            }
        } else {
            split.rule = SplitRule::percentage;
            // Floored per value, as Nova documents; a domain without an entry gets nothing.
            for (const auto& domain : domains) {
                const auto share =
                    std::find_if(spread.percentage_split.begin(), spread.percentage_split.end(),
                                 [&](const auto& s) { return s.topology_value == domain.value; });
                if (share != spread.percentage_split.end()) {
                    divide_within(domain, replicas * share->percentage / 100, split.replicas);
                }
            }
        }
    }
    split.unplaced = replicas - total(split.replicas);
    return split;
}

std::int64_t total(const ReplicaCounts& counts) {
    std::int64_t sum = 0;
    for (const auto& [cluster, replicas] : counts) {
        sum += replicas;
    }
    return sum;
}

bool matches_exactly(const ExpectedSplit& expected, const ReplicaCounts& actual) {
    const auto count_in = [](const ReplicaCounts& counts, const std::string& cluster) {
        const auto it = counts.find(cluster);
        return it == counts.end() ? std::int64_t{0} : it->second;
    };
    if (expected.rule == SplitRule::one_cluster) {
        const auto wanted = total(expected.replicas);
        if (total(actual) != wanted) {
            return false;
        }
        std::size_t holders = 0;
        for (const auto& [cluster, replicas] : actual) {
            if (replicas == 0) {
                continue;
            }
            if (replicas != wanted || !expected.replicas.contains(cluster)) {
                return false;
            }
            ++holders;
        }
        return holders <= 1;
    }
    for (const auto& [cluster, replicas] : expected.replicas) {
        if (count_in(actual, cluster) != replicas) {
            return false;
        }
    }
    for (const auto& [cluster, replicas] : actual) {
        if (replicas != count_in(expected.replicas, cluster)) {
            return false;
        }
    }
    return true;
}

bool within_tolerance(const ExpectedSplit& expected, const ReplicaCounts& actual) {
    if (expected.rule == SplitRule::duplicate || expected.rule == SplitRule::one_cluster) {
        return matches_exactly(expected, actual);
    }
    if (total(actual) != total(expected.replicas)) {
        return false;
    }
    for (const auto& [cluster, replicas] : actual) {
        const auto it = expected.replicas.find(cluster);
        if (it == expected.replicas.end()) {
            if (replicas != 0) {
                return false; // placed on a cluster the policy does not allow
            }
        } else if (std::llabs(replicas - it->second) > 1) {
            return false;
        }
    }
    // An expected cluster missing from `actual` runs 0.
    for (const auto& [cluster, replicas] : expected.replicas) {
        if (!actual.contains(cluster) && replicas > 1) {
            return false;
        }
    }
    return true;
}

} // namespace nova::fleet
