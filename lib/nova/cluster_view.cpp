#include "lib/nova/cluster_view.hpp"

#include "lib/core/text.hpp"
#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/job_outcome.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/replica_set_info.hpp"

#include <algorithm>
#include <set>

namespace nova::fleet {

namespace fields = rollouts::fields;
namespace icons = rollouts::icons;

namespace {

constexpr std::string_view hash_label = "rollouts-pod-template-hash";

// A ReplicaSet of the tree, with whether the control plane says it has replicas: only those
// get a row for a cluster that could not be read (an old, scaled-down revision runs nowhere).
struct Wanted {
    const rollouts::ReplicaSetInfo* info;
    bool has_replicas;
};

std::string job_name_of(const nlohmann::json& pod) {
    auto name = fields::label(pod, "job-name");
    return name.empty() ? fields::label(pod, "batch.kubernetes.io/job-name") : name;
}

std::vector<rollouts::PodInfo> sorted(std::vector<rollouts::PodInfo> pods) {
    std::stable_sort(pods.begin(), pods.end(), rollouts::pod_order);
    return pods;
}

rollouts::PodInfo pod_in(const nlohmann::json& pod, const std::string& cluster) {
    auto info = rollouts::make_pod_info(pod);
    info.cluster = cluster;
    return info;
}

ClusterReplicaSet copy_of(const nlohmann::json& replica_set, const std::string& cluster) {
    ClusterReplicaSet copy;
    copy.cluster = cluster;
    copy.meta = rollouts::object_meta(replica_set);
    copy.status = rollouts::replica_set_health(replica_set);
    copy.icon = std::string(icons::for_replica_set(copy.status));
    // The API server defaults spec.replicas to 1; a copy always has it written.
    copy.desired = fields::optional_int_at(replica_set, {"spec", "replicas"}).value_or(1);
    copy.replicas = fields::int_at(replica_set, {"status", "replicas"});
    copy.ready = fields::int_at(replica_set, {"status", "readyReplicas"});
    copy.available = fields::int_at(replica_set, {"status", "availableReplicas"});
    return copy;
}

// The copies of `wanted` in one read cluster, each with its pods, by ReplicaSet name.
std::map<std::string, ClusterReplicaSet> copies_in(const ClusterReading& reading,
                                                   const std::vector<Wanted>& wanted) {
    // Pass 1 by name, pass 2 by hash among the copies left, so that an experiment's ReplicaSet
    // sharing a template hash with the canary never takes the canary's copy.
    std::vector<bool> claimed(reading.replica_sets.size(), false);
    std::map<std::string, std::size_t> chosen; // ReplicaSet name -> index of its copy
    std::set<std::string> by_hash;
    for (const auto& item : wanted) {
        for (std::size_t i = 0; i < reading.replica_sets.size(); ++i) {
            if (!claimed[i] && fields::string_at(reading.replica_sets[i], {"metadata", "name"}) ==
                                   item.info->meta.name) {
                claimed[i] = true;
                chosen.emplace(item.info->meta.name, i);
                break;
            }
        }
    }
    for (const auto& item : wanted) {
        const auto& hash = item.info->pod_template_hash;
        if (hash.empty() || chosen.count(item.info->meta.name) != 0) {
            continue;
        }
        for (std::size_t i = 0; i < reading.replica_sets.size(); ++i) {
            if (!claimed[i] && fields::label(reading.replica_sets[i], hash_label) == hash) {
                claimed[i] = true;
                chosen.emplace(item.info->meta.name, i);
                by_hash.insert(item.info->meta.name);
                break;
            }
        }
    }

    std::map<std::string, ClusterReplicaSet> copies;
    std::vector<std::string> uids;
    std::map<std::string, std::string> name_of_uid;
    std::vector<std::pair<std::string, std::string>> hashes; // copy hash -> ReplicaSet name
    for (const auto& item : wanted) {
        const auto it = chosen.find(item.info->meta.name);
        if (it == chosen.end()) {
            continue;
        }
        const auto& object = reading.replica_sets[it->second];
        auto copy = copy_of(object, reading.cluster);
        copy.matched_by_hash = by_hash.count(item.info->meta.name) != 0;
        uids.push_back(copy.meta.uid);
        name_of_uid.emplace(copy.meta.uid, item.info->meta.name);
        auto hash = fields::label(object, hash_label);
        hashes.emplace_back(hash.empty() ? item.info->pod_template_hash : hash,
                            item.info->meta.name);
        copies.emplace(item.info->meta.name, std::move(copy));
    }
    std::set<std::string> seen; // a pod listed twice is counted once
    for (const auto& pod : reading.pods) {
        const auto key = fields::string_at(pod, {"metadata", "uid"}) + "/" +
                         fields::string_at(pod, {"metadata", "name"});
        if (!seen.insert(key).second) {
            continue;
        }
        std::string owner;
        if (const auto uid = rollouts::owner_among(pod, uids)) {
            owner = name_of_uid.at(*uid);
        } else if (const auto hash = fields::label(pod, hash_label); !hash.empty()) {
            const auto it = std::find_if(hashes.begin(), hashes.end(),
                                         [&](const auto& entry) { return entry.first == hash; });
            if (it != hashes.end()) {
                owner = it->second;
            }
        }
        if (!owner.empty()) {
            copies.at(owner).pods.push_back(pod_in(pod, reading.cluster));
        }
    }
    for (auto& [name, copy] : copies) {
        copy.pods = sorted(std::move(copy.pods));
    }
    return copies;
}

// A Job's status as an analysis phase, from the Job object.
std::string job_status(const nlohmann::json& job) {
    if (auto outcome = rollouts::job_condition_outcome(job)) {
        return *outcome;
    }
    return fields::int_at(job, {"status", "active"}) > 0 ? "Running" : "Pending";
}

// The same from its pods, when the Job itself was not listed.
std::string job_status_from_pods(const std::vector<const nlohmann::json*>& pods) {
    bool all_succeeded = !pods.empty();
    bool running = false;
    for (const auto* pod : pods) {
        const auto phase = fields::string_at(*pod, {"status", "phase"});
        if (phase == "Failed") {
            return "Failed";
        }
        all_succeeded = all_succeeded && phase == "Succeeded";
        running = running || phase == "Running";
    }
    if (all_succeeded) {
        return "Successful";
    }
    return running ? "Running" : "Pending";
}

std::optional<ClusterJob> job_in(const ClusterReading& reading, const std::string& name) {
    const nlohmann::json* job = rollouts::find_named(reading.jobs, name);
    std::vector<const nlohmann::json*> pods;
    std::set<std::string> seen;
    for (const auto& pod : reading.job_pods) {
        if (job_name_of(pod) == name &&
            seen.insert(fields::string_at(pod, {"metadata", "name"})).second) {
            pods.push_back(&pod);
        }
    }
    if (job == nullptr && pods.empty()) {
        return std::nullopt;
    }
    ClusterJob copy;
    copy.cluster = reading.cluster;
    for (const auto* pod : pods) {
        copy.pods.push_back(pod_in(*pod, reading.cluster));
    }
    copy.pods = sorted(std::move(copy.pods));
    if (job != nullptr) {
        copy.meta = rollouts::object_meta(*job);
        copy.status = job_status(*job);
    } else {
        copy.meta = copy.pods.front().meta;
        copy.meta.name = name;
        copy.status = job_status_from_pods(pods);
    }
    copy.icon = std::string(icons::for_analysis(copy.status));
    return copy;
}

std::vector<const rollouts::JobInfo*> jobs_of(const std::vector<rollouts::AnalysisRunInfo>& runs) {
    std::vector<const rollouts::JobInfo*> jobs;
    for (const auto& run : runs) {
        for (const auto& job : run.jobs) {
            jobs.push_back(&job);
        }
    }
    return jobs;
}

ClusterJoin join_clusters(const std::vector<ClusterReading>& readings,
                          const std::vector<Wanted>& wanted,
                          const std::vector<const rollouts::JobInfo*>& jobs) {
    ClusterJoin join;
    for (const auto& reading : readings) {
        if (reading.state != ReadState::read) {
            if (reading.info && reading.info->health == ClusterHealth::standby) {
                continue; // parked on purpose: none of our ReplicaSets runs there
            }
            const std::string error = core::one_line(core::trim(reading.error));
            for (const auto& item : wanted) {
                if (item.has_replicas) {
                    ClusterReplicaSet unknown;
                    unknown.cluster = reading.cluster;
                    unknown.state = reading.state;
                    unknown.error = error;
                    join.replica_sets[item.info->meta.name].push_back(std::move(unknown));
                }
            }
            // A finished Job's copies are history; a running one may be in this cluster.
            for (const auto* job : jobs) {
                if (job->status.empty() || job->status == "Running" || job->status == "Pending") {
                    ClusterJob unknown;
                    unknown.cluster = reading.cluster;
                    unknown.state = reading.state;
                    unknown.error = error;
                    join.jobs[job->meta.name].push_back(std::move(unknown));
                }
            }
            continue;
        }
        auto copies = copies_in(reading, wanted);
        for (const auto& item : wanted) {
            const auto it = copies.find(item.info->meta.name);
            if (it == copies.end()) {
                continue;
            }
            auto& copy = it->second;
            // Nova may keep scaled-to-zero copies of an old revision everywhere: noise, unless
            // the ReplicaSet is live (then a 0 share in a cluster is worth seeing).
            if (!item.has_replicas && copy.desired == 0 && copy.replicas == 0 &&
                copy.pods.empty()) {
                continue;
            }
            join.replica_sets[item.info->meta.name].push_back(std::move(copy));
        }
        for (const auto* job : jobs) {
            if (auto copy = job_in(reading, job->meta.name)) {
                join.jobs[job->meta.name].push_back(std::move(*copy));
            }
        }
    }
    return join;
}

ClusterSummary summary_of(const ClusterReading& reading) {
    ClusterSummary summary;
    summary.cluster = reading.cluster;
    summary.context = reading.context;
    summary.source = reading.source;
    summary.state = reading.state;
    // Server and plugin text (a Status message, a plugin's install hint) for one row: one
    // printable line, that cannot break the row or drive the terminal.
    summary.error = core::one_line(core::trim(reading.error));
    if (reading.info) {
        summary.health = reading.info->health;
    }
    const bool standby = summary.health == ClusterHealth::standby;
    if (reading.state == ReadState::read) {
        summary.status = summary.health ? std::string(to_string(*summary.health)) : "Reachable";
    } else {
        // Parked on purpose: nothing of ours runs there, so not reading it loses nothing.
        summary.status = standby ? "Standby" : std::string(to_string(reading.state));
        summary.missing = !standby;
    }
    if (summary.status == "Ready" || summary.status == "Reachable") {
        summary.icon = icons::ok;
    } else if (summary.status == "Standby") {
        summary.icon = icons::neutral;
    } else if (summary.status == "NotReady") {
        summary.icon = icons::bad;
    } else if (summary.status == "Unreachable") {
        summary.icon = icons::warning;
    } else {
        summary.icon = icons::unknown;
    }
    return summary;
}

void count(PodCount& counter, const std::vector<rollouts::PodInfo>& pods) {
    for (const auto& pod : pods) {
        ++counter.total;
        if (pod_ready(pod)) {
            ++counter.ready;
        }
    }
}

bool any_copy(const ClusterJoin& join) {
    for (const auto& [name, copies] : join.replica_sets) {
        for (const auto& copy : copies) {
            if (copy.state == ReadState::read) {
                return true;
            }
        }
    }
    for (const auto& [name, copies] : join.jobs) {
        for (const auto& copy : copies) {
            if (copy.state == ReadState::read) {
                return true;
            }
        }
    }
    return false;
}

bool multi_cluster(const std::vector<ClusterReading>& readings, const ClusterJoin& join) {
    return any_copy(join) || std::any_of(readings.begin(), readings.end(),
                                         [](const auto& r) { return r.state != ReadState::read; });
}

std::vector<std::string> missing_of(const std::vector<ClusterSummary>& clusters) {
    std::vector<std::string> names;
    for (const auto& cluster : clusters) {
        if (cluster.missing) {
            names.push_back(cluster.cluster);
        }
    }
    return names;
}

const std::vector<ClusterReplicaSet>* copies_of(const ClusterJoin& join, const std::string& name) {
    const auto it = join.replica_sets.find(name);
    return it == join.replica_sets.end() ? nullptr : &it->second;
}

} // namespace

std::string_view to_string(ReadState state) {
    switch (state) {
    case ReadState::read:
        return "Read";
    case ReadState::unreachable:
        return "Unreachable";
    case ReadState::unmapped:
        break;
    }
    return "Unmapped";
}

ClusterReading make_reading(const ClusterTarget& target) {
    ClusterReading reading;
    reading.cluster = target.cluster;
    reading.context = target.context;
    reading.source = target.source;
    reading.info = target.info;
    if (target.context.empty()) {
        reading.state = ReadState::unmapped;
        reading.error =
            "no kubeconfig context: map it with --cluster-context " + target.cluster + "=CONTEXT";
    } else if (!target.context_exists) {
        reading.state = ReadState::unreachable;
        reading.error = "context " + core::quote(target.context) + " (from " +
                        std::string(to_string(target.source)) + ") is not in the kubeconfig";
    }
    return reading;
}

std::vector<std::string> analysis_job_names(const rollouts::RolloutInfo& info) {
    auto jobs = jobs_of(info.analysis_runs);
    for (const auto& experiment : info.experiments) {
        const auto more = jobs_of(experiment.analysis_runs);
        jobs.insert(jobs.end(), more.begin(), more.end());
    }
    std::set<std::string> names;
    for (const auto* job : jobs) {
        names.insert(job->meta.name);
    }
    return {names.begin(), names.end()};
}

bool pod_ready(const rollouts::PodInfo& pod) {
    return pod.total_containers > 0 && pod.ready_containers == pod.total_containers;
}

bool RolloutView::incomplete() const {
    return !missing_clusters().empty();
}

std::vector<std::string> RolloutView::missing_clusters() const {
    return missing_of(clusters);
}

bool ExperimentView::incomplete() const {
    return !missing_clusters().empty();
}

std::vector<std::string> ExperimentView::missing_clusters() const {
    return missing_of(clusters);
}

RolloutView build_rollout_view(rollouts::RolloutInfo info,
                               const std::vector<ClusterReading>& readings) {
    RolloutView view;
    view.info = std::move(info);
    std::vector<Wanted> wanted;
    for (const auto& replica_set : view.info.replica_sets) {
        wanted.push_back({&replica_set, replica_set.replicas > 0});
    }
    std::vector<const rollouts::JobInfo*> jobs = jobs_of(view.info.analysis_runs);
    for (const auto& experiment : view.info.experiments) {
        for (const auto& replica_set : experiment.replica_sets) {
            wanted.push_back({&replica_set, replica_set.replicas > 0});
        }
        const auto more = jobs_of(experiment.analysis_runs);
        jobs.insert(jobs.end(), more.begin(), more.end());
    }
    view.join = join_clusters(readings, wanted, jobs);
    view.multi_cluster = multi_cluster(readings, view.join);

    for (const auto& reading : readings) {
        auto summary = summary_of(reading);
        for (const auto& replica_set : view.info.replica_sets) {
            const auto* copies = copies_of(view.join, replica_set.meta.name);
            if (copies == nullptr) {
                continue;
            }
            for (const auto& copy : *copies) {
                if (copy.cluster != reading.cluster || copy.state != ReadState::read) {
                    continue;
                }
                count(summary.pods, copy.pods);
                if (replica_set.stable) {
                    count(summary.stable, copy.pods);
                } else if (replica_set.canary || replica_set.preview) {
                    count(summary.canary, copy.pods);
                }
            }
        }
        view.clusters.push_back(std::move(summary));
    }
    return view;
}

ExperimentView build_experiment_view(rollouts::ExperimentInfo info,
                                     const std::vector<ClusterReading>& readings) {
    ExperimentView view;
    view.info = std::move(info);
    std::vector<Wanted> wanted;
    for (const auto& replica_set : view.info.replica_sets) {
        wanted.push_back({&replica_set, replica_set.replicas > 0});
    }
    view.join = join_clusters(readings, wanted, jobs_of(view.info.analysis_runs));
    view.multi_cluster = multi_cluster(readings, view.join);
    for (const auto& reading : readings) {
        auto summary = summary_of(reading);
        for (const auto& [name, copies] : view.join.replica_sets) {
            for (const auto& copy : copies) {
                if (copy.cluster == reading.cluster && copy.state == ReadState::read) {
                    count(summary.pods, copy.pods);
                }
            }
        }
        view.clusters.push_back(std::move(summary));
    }
    return view;
}

} // namespace nova::fleet
