#include "lib/nova/verify_spread.hpp"

#include "lib/core/text.hpp"
#include "lib/rollouts/job_outcome.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace nova::fleet {

namespace fields = rollouts::fields;

namespace {

// At most this many pods are named in one reason; the rest are counted.
constexpr std::size_t named_pods = 3;

std::string plural(std::int64_t count, std::string_view word) {
    return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

std::string labels_text(const core::Labels& labels) {
    std::string out;
    for (const auto& [key, value] : labels) {
        out += (out.empty() ? "" : ",") + key + "=" + value;
    }
    return out.empty() ? std::string("none") : out;
}

bool terminating(const rollouts::PodInfo& pod) {
    return pod.status == "Terminating";
}

// Whether a pod counts as running its share: ready and not on its way out; a Job's pod also
// once it has completed its work.
bool counts(const rollouts::PodInfo& pod, bool job) {
    if (terminating(pod)) {
        return false;
    }
    return pod_ready(pod) || (job && pod.status == "Completed");
}

const ClusterReading* reading_of(const std::vector<ClusterReading>& readings,
                                 const std::string& cluster) {
    for (const auto& reading : readings) {
        if (reading.cluster == cluster) {
            return &reading;
        }
    }
    return nullptr;
}

// status.phase of the pod `name` as the cluster returned it ("" when not among the readings).
std::string phase_of(const ClusterReading* reading, const std::string& name) {
    if (reading == nullptr) {
        return {};
    }
    for (const auto* pods : {&reading->pods, &reading->job_pods}) {
        for (const auto& pod : *pods) {
            if (fields::string_at(pod, {"metadata", "name"}) == name) {
                return fields::string_at(pod, {"status", "phase"});
            }
        }
    }
    return {};
}

// "pod X is Pending (ImagePullBackOff)", for the pods that do not count.
std::string pod_problems(const ClusterReplicaSet& copy, const ClusterReading* reading, bool job) {
    std::vector<std::string> lines;
    std::size_t others = 0;
    for (const auto& pod : copy.pods) {
        if (counts(pod, job)) {
            continue;
        }
        if (lines.size() == named_pods) {
            ++others;
            continue;
        }
        const auto phase = phase_of(reading, pod.meta.name);
        std::string state;
        if (terminating(pod)) {
            state = "Terminating";
        } else if (!phase.empty() && phase != pod.status) {
            state = fmt::format("{} ({})", phase, pod.status);
        } else {
            state = pod.status.empty() ? std::string("not ready") : pod.status;
        }
        if (phase == "Running" && pod.status == "Running") {
            state = fmt::format("Running but not ready ({} containers ready)", pod.ready());
        }
        lines.push_back(fmt::format("pod {} is {}", pod.meta.name, state));
    }
    if (others > 0) {
        lines.push_back(
            fmt::format("and {} more", plural(static_cast<std::int64_t>(others), "pod")));
    }
    return core::join(lines, ", ");
}

std::optional<std::string> role_of(const rollouts::ReplicaSetInfo& info) {
    if (info.canary) {
        return "canary";
    }
    if (info.preview) {
        return "preview";
    }
    if (info.stable) {
        return "stable";
    }
    if (info.active) {
        return "active";
    }
    return std::nullopt;
}

bool job_finished(const nlohmann::json& job) {
    return rollouts::job_condition_outcome(job).has_value();
}

std::string describe_exclusion(const ExcludedCluster& excluded) {
    return fmt::format("{} ({})", to_string(excluded.reason), excluded.detail);
}

} // namespace

std::string_view to_string(RowResult result) {
    switch (result) {
    case RowResult::match:
        return "Match";
    case RowResult::mismatch:
        return "Mismatch";
    case RowResult::unknown:
        break;
    }
    return "Unknown";
}

std::string_view to_string(SpreadVerdict verdict) {
    switch (verdict) {
    case SpreadVerdict::as_expected:
        return "AsExpected";
    case SpreadVerdict::mismatch:
        return "Mismatch";
    case SpreadVerdict::incomplete:
        break;
    }
    return "Incomplete";
}

SpreadSubject verify_subject(SpreadSubject subject, const nlohmann::json& object,
                             const PlacementObjects& control,
                             const std::vector<ClusterReplicaSet>& copies,
                             const std::vector<ClusterReading>& readings,
                             const SpreadOptions& options) {
    const bool job = subject.kind == "Job";
    const auto what = fmt::format("{} {}", subject.kind, subject.name);

    // Which policy places it. None and several both mean Nova does not place it at all.
    const auto matching =
        matching_policies(control.policies.policies, object, control.namespace_labels);
    for (const auto& policy : matching) {
        subject.policies.push_back(policy.name);
    }

    // cluster -> its copy (read clusters only)
    std::map<std::string, const ClusterReplicaSet*> copy_in;
    for (const auto& copy : copies) {
        if (copy.state == ReadState::read) {
            copy_in.emplace(copy.cluster, &copy);
        }
    }

    ExpectedSplit split;
    std::set<std::string> eligible;
    if (matching.size() == 1) {
        const auto& policy = matching.front();
        subject.group = schedule_group(policy, object);
        subject.group_by = policy.group_by;
        if (policy.spread) {
            subject.topology_key = policy.spread->topology_key;
        }
        const auto eligibility = eligible_clusters(policy, control.clusters);
        subject.excluded = eligibility.excluded;
        split = expected_split(policy, eligibility.eligible, subject.replicas);
        subject.rule = split.rule;
        subject.unplaced = split.unplaced;
        for (const auto& cluster : eligibility.eligible) {
            eligible.insert(cluster.name);
        }
        if (eligibility.eligible.empty()) {
            subject.problems.push_back(fmt::format(
                "no cluster that SchedulePolicy {} selects is ready, so Nova places none of the "
                "{} of {}",
                policy.name, plural(subject.replicas, "replica"), what));
        } else if (split.unplaced > 0) {
            subject.notes.push_back(fmt::format(
                "{} of {} placed nowhere: {}", plural(split.unplaced, "replica"), subject.replicas,
                split.rule == SplitRule::percentage
                    ? "percentageSplit floors each share and covers only the values it lists"
                    : "no eligible cluster takes them"));
        }
        if (split.rule == SplitRule::one_cluster) {
            // Nova picks the one cluster by capacity: whichever eligible cluster holds all of
            // them is the expected one.
            ReplicaCounts desired;
            for (const auto& [cluster, copy] : copy_in) {
                desired[cluster] = copy->desired;
            }
            if (matches_exactly(split, desired)) {
                for (auto& [cluster, replicas] : split.replicas) {
                    const auto it = desired.find(cluster);
                    replicas = it == desired.end() ? 0 : it->second;
                }
            }
        }
    } else if (matching.empty()) {
        subject.problems.push_back(fmt::format(
            "no SchedulePolicy selects {} (labels {}), so Nova places it nowhere: add one whose "
            "namespaceSelector and resourceSelectors match it",
            what, labels_text(core::labels_of(object))));
    } else {
        subject.problems.push_back(fmt::format(
            "SchedulePolicies {} all select {}; Nova does not place an object several policies "
            "select as either of them would: make exactly one match",
            core::join(subject.policies, ", "), what));
    }

    // The rows: eligible clusters, excluded ones, any other with a copy or not read.
    std::map<std::string, const ExcludedCluster*> excluded;
    for (const auto& cluster : subject.excluded) {
        excluded.emplace(cluster.name, &cluster);
    }
    std::set<std::string> names(eligible.begin(), eligible.end());
    for (const auto& [name, cluster] : excluded) {
        names.insert(name);
    }
    for (const auto& [name, copy] : copy_in) {
        if (copy->desired != 0 || !copy->pods.empty() || eligible.contains(name)) {
            names.insert(name);
        }
    }
    for (const auto& reading : readings) {
        if (reading.state != ReadState::read) {
            names.insert(reading.cluster);
        }
    }

    ReplicaCounts desired_counts;
    bool all_read = true;
    for (const auto& name : names) {
        SpreadRow row;
        row.cluster = name;
        if (const auto it = split.replicas.find(name); it != split.replicas.end()) {
            row.expected = it->second;
        }
        if (const auto it = excluded.find(name); it != excluded.end()) {
            row.excluded = it->second->reason;
        }
        const ClusterReading* reading = reading_of(readings, name);
        if (reading != nullptr && reading->state != ReadState::read) {
            row.result = RowResult::unknown;
            const bool standby = reading->info && reading->info->health == ClusterHealth::standby;
            row.missing = !standby;
            row.reason = reading->state == ReadState::unmapped
                             ? fmt::format("{} could not be read: no kubeconfig context reaches "
                                           "it (--cluster-context {}=CONTEXT)",
                                           name, name)
                             : fmt::format("{} could not be read: {}", name,
                                           core::one_line(core::trim(reading->error)));
            if (row.missing) {
                all_read = false;
            }
            subject.rows.push_back(std::move(row));
            continue;
        }
        const auto copy = copy_in.find(name);
        row.copy = copy != copy_in.end();
        row.desired = row.copy ? copy->second->desired : 0;
        std::int64_t ready = 0;
        if (row.copy) {
            for (const auto& pod : copy->second->pods) {
                ready += counts(pod, job) ? 1 : 0;
            }
        }
        row.ready = ready;
        desired_counts[name] = *row.desired;

        const bool placed_right =
            options.tolerance && subject.rule &&
                    (*subject.rule == SplitRule::divide || *subject.rule == SplitRule::percentage)
                ? std::llabs(*row.desired - row.expected) <= 1
                : *row.desired == row.expected;
        const bool running_right = ready == *row.desired;
        if (placed_right && running_right) {
            subject.rows.push_back(std::move(row));
            continue;
        }
        row.result = RowResult::mismatch;
        std::string detail;
        if (!placed_right) {
            if (!row.copy) {
                detail = fmt::format("it has no copy of {}", what);
            } else if (row.excluded) {
                detail = fmt::format("its copy asks for {}, but Nova places nothing on a cluster "
                                     "that is {}",
                                     *row.desired, describe_exclusion(*excluded.at(name)));
            } else if (!eligible.contains(name) && matching.size() == 1) {
                detail = fmt::format(
                    "its copy asks for {}, but SchedulePolicy {} does not select this cluster",
                    *row.desired, subject.policies.front());
            } else {
                detail = fmt::format("its copy asks for {}", *row.desired);
            }
        }
        if (!running_right) {
            const auto pods = pod_problems(*copy->second, reading, job);
            if (!pods.empty()) {
                detail += (detail.empty() ? "" : "; ") + pods;
            }
            const auto live = std::count_if(copy->second->pods.begin(), copy->second->pods.end(),
                                            [](const auto& pod) { return !terminating(pod); });
            if (live < *row.desired) {
                // The cluster has not made them (its controllers are behind, or refuse: quota).
                detail += (detail.empty() ? "" : "; ") +
                          (live == 0 ? std::string("no pod there yet")
                                     : fmt::format("{} not created there yet",
                                                   plural(*row.desired - live, "more pod")));
            }
        }
        if (ready != row.expected) {
            row.reason = fmt::format("{} runs {} of the expected {}", name, ready, row.expected);
            if (!detail.empty()) {
                row.reason += ": " + detail;
            }
        } else {
            row.reason = fmt::format("{} runs the expected {}, but {}", name, row.expected, detail);
        }
        subject.rows.push_back(std::move(row));
    }

    if (options.tolerance && all_read && subject.rule && !subject.rows.empty() &&
        (*subject.rule == SplitRule::divide || *subject.rule == SplitRule::percentage) &&
        !within_tolerance(split, desired_counts)) {
        subject.problems.push_back(
            fmt::format("the clusters' copies ask for {} in all, expected {}",
                        total(desired_counts), total(split.replicas)));
    }

    const bool any_mismatch =
        !subject.problems.empty() ||
        std::any_of(subject.rows.begin(), subject.rows.end(),
                    [](const auto& row) { return row.result == RowResult::mismatch; });
    const bool any_missing = std::any_of(subject.rows.begin(), subject.rows.end(),
                                         [](const auto& row) { return row.missing; });
    subject.result = any_mismatch  ? RowResult::mismatch
                     : any_missing ? RowResult::unknown
                                   : RowResult::match;
    return subject;
}

std::vector<ClusterReplicaSet> job_copies(std::string_view name,
                                          const std::vector<ClusterReading>& readings) {
    std::vector<ClusterReplicaSet> copies;
    for (const auto& reading : readings) {
        if (reading.state != ReadState::read) {
            continue;
        }
        const nlohmann::json* job = rollouts::find_named(reading.jobs, name);
        std::vector<rollouts::PodInfo> pods;
        for (const auto& pod : reading.job_pods) {
            auto job_name = fields::label(pod, "job-name");
            if (job_name.empty()) {
                job_name = fields::label(pod, "batch.kubernetes.io/job-name");
            }
            if (job_name == name) {
                auto info = rollouts::make_pod_info(pod);
                info.cluster = reading.cluster;
                pods.push_back(std::move(info));
            }
        }
        if (job == nullptr && pods.empty()) {
            continue;
        }
        ClusterReplicaSet copy;
        copy.cluster = reading.cluster;
        if (job != nullptr) {
            copy.meta = rollouts::object_meta(*job);
            copy.desired = fields::optional_int_at(*job, {"spec", "parallelism"}).value_or(1);
        } else {
            // Without the Job object (not listed), its pods say how many it runs at once.
            copy.desired = static_cast<std::int64_t>(pods.size());
        }
        std::stable_sort(pods.begin(), pods.end(), rollouts::pod_order);
        copy.pods = std::move(pods);
        copies.push_back(std::move(copy));
    }
    return copies;
}

SpreadReport verify_spread(const RolloutView& view, const PlacementObjects& control,
                           const std::vector<ClusterReading>& readings,
                           const SpreadOptions& options) {
    SpreadReport report;
    report.rollout = view.info.meta.name;
    report.namespace_name = view.info.meta.namespace_name;
    report.tolerance = options.tolerance;
    for (const auto& rejected : control.policies.rejected) {
        report.warnings.push_back("ignored " + rejected.error);
    }

    const auto add = [&](SpreadSubject subject, const nlohmann::json& object,
                         const std::vector<ClusterReplicaSet>& copies) {
        report.subjects.push_back(
            verify_subject(std::move(subject), object, control, copies, readings, options));
    };

    static const std::vector<ClusterReplicaSet> no_copies;
    for (const auto& info : view.info.replica_sets) {
        const nlohmann::json* object = rollouts::find_named(control.replica_sets, info.meta.name);
        if (object == nullptr) {
            continue;
        }
        const auto replicas = fields::optional_int_at(*object, {"spec", "replicas"}).value_or(1);
        if (replicas <= 0) {
            continue; // scaled down: nothing should run anywhere
        }
        SpreadSubject subject;
        subject.kind = "ReplicaSet";
        subject.name = info.meta.name;
        subject.role = role_of(info).value_or("old");
        subject.replicas = replicas;
        const auto it = view.join.replica_sets.find(info.meta.name);
        add(std::move(subject), *object,
            it == view.join.replica_sets.end() ? no_copies : it->second);
    }
    for (const auto& run : view.info.analysis_runs) {
        if (run.status != "Running" && run.status != "Pending" && !run.status.empty()) {
            continue;
        }
        for (const auto& job : run.jobs) {
            const nlohmann::json* object = rollouts::find_named(control.jobs, job.meta.name);
            if (object == nullptr || job_finished(*object)) {
                continue;
            }
            SpreadSubject subject;
            subject.kind = "Job";
            subject.name = job.meta.name;
            subject.role = "analysis";
            subject.replicas =
                fields::optional_int_at(*object, {"spec", "parallelism"}).value_or(1);
            add(std::move(subject), *object, job_copies(job.meta.name, readings));
        }
    }

    std::set<std::string> missing;
    bool mismatch = false;
    for (const auto& subject : report.subjects) {
        for (const auto& problem : subject.problems) {
            report.reasons.push_back(problem);
        }
        for (const auto& row : subject.rows) {
            if (row.result == RowResult::mismatch) {
                report.reasons.push_back(row.reason);
            }
            if (row.missing) {
                missing.insert(row.cluster);
            }
        }
        mismatch = mismatch || subject.result == RowResult::mismatch;
    }
    for (const auto& reading : readings) {
        const bool standby = reading.info && reading.info->health == ClusterHealth::standby;
        if (reading.state != ReadState::read && !standby) {
            missing.insert(reading.cluster);
        }
    }
    report.missing_clusters.assign(missing.begin(), missing.end());
    report.verdict = mismatch           ? SpreadVerdict::mismatch
                     : !missing.empty() ? SpreadVerdict::incomplete
                                        : SpreadVerdict::as_expected;
    return report;
}

} // namespace nova::fleet
