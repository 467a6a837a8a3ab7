#include "lib/sim/cluster_controller.hpp"

#include "lib/core/error.hpp"
#include "lib/sim/environment.hpp"
#include "lib/sim/generated_names.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>
#include <vector>

namespace nova::sim {

namespace {

using nlohmann::json;

constexpr const char* k_revision = "deployment.kubernetes.io/revision";
constexpr const char* k_desired_replicas = "deployment.kubernetes.io/desired-replicas";
constexpr const char* k_max_replicas = "deployment.kubernetes.io/max-replicas";
constexpr const char* k_hash_label = "pod-template-hash";

std::string text(const json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& member(const json& object, const char* key) {
    static const json null;
    if (!object.is_object()) {
        return null;
    }
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

std::int64_t integer(const json& object, const char* key, std::int64_t fallback) {
    const json& value = member(object, key);
    return value.is_number_integer() ? value.get<std::int64_t>() : fallback;
}

const json& meta(const json& object) {
    return member(object, "metadata");
}
std::string name_of(const json& object) {
    return text(meta(object), "name");
}
std::string namespace_of(const json& object) {
    return text(meta(object), "namespace");
}
std::string uid_of(const json& object) {
    return text(meta(object), "uid");
}
bool being_deleted(const json& object) {
    return meta(object).contains("deletionTimestamp");
}

// The ownerReference with controller: true, or null.
const json& controller_of(const json& object) {
    static const json null;
    const json& refs = member(meta(object), "ownerReferences");
    if (refs.is_array()) {
        for (const auto& ref : refs) {
            if (ref.is_object() && ref.value("controller", false)) {
                return ref;
            }
        }
    }
    return null;
}

json owner_reference(const json& owner, const std::string& api_version, const std::string& kind) {
    return {{"apiVersion", api_version}, {"kind", kind},       {"name", name_of(owner)},
            {"uid", uid_of(owner)},      {"controller", true}, {"blockOwnerDeletion", true}};
}

std::string stamp(core::Clock::time_point t) {
    return core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(t));
}

std::string phase_of(const json& pod) {
    const std::string phase = text(member(pod, "status"), "phase");
    return phase.empty() ? "Pending" : phase;
}
bool terminal(const json& pod) {
    const std::string phase = phase_of(pod);
    return phase == "Succeeded" || phase == "Failed";
}
bool condition_true(const json& status, std::string_view type) {
    const json& conditions = member(status, "conditions");
    if (!conditions.is_array()) {
        return false;
    }
    for (const auto& condition : conditions) {
        if (text(condition, "type") == type) {
            return text(condition, "status") == "True";
        }
    }
    return false;
}
bool ready(const json& pod) {
    return phase_of(pod) == "Running" && condition_true(member(pod, "status"), "Ready");
}

// The pods of `all` controlled by the owner with `uid`, not terminating.
std::vector<json> controlled(const std::vector<json>& all, const std::string& uid) {
    std::vector<json> out;
    for (const auto& object : all) {
        if (!being_deleted(object) && text(controller_of(object), "uid") == uid) {
            out.push_back(object);
        }
    }
    return out;
}

// 64 hex digits derived from `seed`: image digests that stay the same for an image.
std::string hex64(std::string_view seed) {
    std::string out;
    std::uint32_t hash = fnv1a(seed);
    for (int i = 0; i < 8; ++i) {
        hash = fnv1a(seed, hash ^ static_cast<std::uint32_t>(i + 1));
        char buffer[9];
        std::snprintf(buffer, sizeof buffer, "%08x", hash);
        out += buffer;
    }
    return out;
}

// One condition of a status, keeping lastTransitionTime (and, with `update_time`, the
// Deployment's lastUpdateTime) when nothing about it changed, so that recomputing a status
// that did not change gives an equal object.
json condition(const json& old_status, const std::string& type, const std::string& status,
               const std::string& reason, const std::string& message, const std::string& now,
               bool update_time, bool probe_time = false) {
    json old;
    const json& conditions = member(old_status, "conditions");
    if (conditions.is_array()) {
        for (const auto& c : conditions) {
            if (text(c, "type") == type) {
                old = c;
            }
        }
    }
    const bool same_status = !old.is_null() && text(old, "status") == status;
    const bool same =
        same_status && text(old, "reason") == reason && text(old, "message") == message;
    json out = {{"type", type}, {"status", status}};
    if (probe_time) {
        out["lastProbeTime"] = same ? member(old, "lastProbeTime") : json(now);
    }
    if (update_time) {
        out["lastUpdateTime"] = same ? member(old, "lastUpdateTime") : json(now);
    }
    out["lastTransitionTime"] = same_status ? member(old, "lastTransitionTime") : json(now);
    if (!reason.empty()) {
        out["reason"] = reason;
    }
    if (!message.empty()) {
        out["message"] = message;
    }
    return out;
}

// A pod condition, as the kubelet writes it (lastProbeTime null).
json pod_condition(const json& old_status, const std::string& type, bool value,
                   const std::string& reason, const std::string& message, const std::string& now) {
    json out = condition(old_status, type, value ? "True" : "False", reason, message, now, false);
    out["lastProbeTime"] = nullptr;
    return out;
}

// Sets `key` to `value`, or removes it when `value` is 0 (Go's omitempty).
void set_count(json& status, const char* key, std::int64_t value) {
    if (value == 0) {
        status.erase(key);
    } else {
        status[key] = value;
    }
}

// A Deployment's maxSurge, resolved against `replicas` (percentages round up).
std::int64_t max_surge(const json& deployment, std::int64_t replicas) {
    const json& strategy = member(member(deployment, "spec"), "strategy");
    if (text(strategy, "type") == "Recreate") {
        return 0;
    }
    const json& surge = member(member(strategy, "rollingUpdate"), "maxSurge");
    if (surge.is_number_integer()) {
        return surge.get<std::int64_t>();
    }
    std::string percent = surge.is_string() ? surge.get<std::string>() : "25%";
    if (!percent.empty() && percent.back() == '%') {
        percent.pop_back();
    }
    try {
        return static_cast<std::int64_t>(
            std::ceil(static_cast<double>(replicas) * std::stod(percent) / 100.0));
    } catch (const std::exception&) {
        return 0;
    }
}

std::string qos_class(const json& pod_spec) {
    const json& containers = member(pod_spec, "containers");
    if (containers.is_array()) {
        for (const auto& container : containers) {
            const json& resources = member(container, "resources");
            if (resources.is_object() && !resources.empty()) {
                return "Burstable";
            }
        }
    }
    return "BestEffort";
}

std::vector<std::string> container_names(const json& pod) {
    std::vector<std::string> names;
    const json& containers = member(member(pod, "spec"), "containers");
    if (containers.is_array()) {
        for (const auto& container : containers) {
            names.push_back(text(container, "name"));
        }
    }
    return names;
}

std::string bracketed(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i ? " " : "") + names[i];
    }
    return out + "]";
}

// Runs `step`; a racing write (ApiError) only skips this object until the next tick.
template <typename F>
void attempt(F&& step) {
    try {
        step();
    } catch (const ApiError&) {
    }
}

} // namespace

std::string pod_template_hash(const json& pod_template) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%010u",
                  static_cast<unsigned>(fnv1a(pod_template.dump())));
    return safe_encode(digits);
}

ClusterController::ClusterController(SimSettings& settings)
    : m_settings(settings), m_random(std::random_device{}()) {}

void ClusterController::reconcile(const Fleet& fleet, const SimTime& time) {
    std::vector<Cluster> clusters;
    if (fleet.hosting != nullptr) {
        clusters.push_back({std::string(hosting_context), fleet.hosting, 0});
    }
    int index = 0;
    for (const auto& [name, store] : fleet.workloads) {
        ++index;
        if (store != nullptr) {
            clusters.push_back({name, store, index});
        }
    }
    for (const auto& cluster : clusters) {
        reconcile_cluster(cluster, time);
    }
}

void ClusterController::reconcile_cluster(const Cluster& cluster, const SimTime& time) {
    Store& store = *cluster.store;

    // Deployments -> ReplicaSets.
    {
        const auto replica_sets = store.list(kinds::replica_sets).items;
        for (const auto& deployment : store.list(kinds::deployments).items) {
            attempt([&] { sync_deployment(cluster, deployment, replica_sets); });
        }
    }
    // ReplicaSets -> pods.
    {
        const auto pods = store.list(kinds::pods).items;
        for (const auto& replica_set : store.list(kinds::replica_sets).items) {
            attempt([&] { sync_replica_set(cluster, replica_set, pods, time); });
        }
    }
    // The kubelet; and what this controller remembers of pods that are gone.
    {
        const auto pods = store.list(kinds::pods).items;
        std::set<std::string> present;
        for (const auto& pod : pods) {
            present.insert(uid_of(pod));
            attempt([&] { run_pod(cluster, pod, time); });
        }
        for (auto it = m_pods.begin(); it != m_pods.end();) {
            if (it->second.cluster == cluster.name && !present.contains(it->first)) {
                it = m_pods.erase(it);
            } else {
                ++it;
            }
        }
    }
    // Status: ReplicaSets, then the Deployments that sum them; Jobs (which also start pods).
    {
        const auto pods = store.list(kinds::pods).items;
        for (const auto& replica_set : store.list(kinds::replica_sets).items) {
            attempt([&] { replica_set_status(cluster, replica_set, pods); });
        }
        const auto replica_sets = store.list(kinds::replica_sets).items;
        for (const auto& deployment : store.list(kinds::deployments).items) {
            attempt([&] { deployment_status(cluster, deployment, replica_sets, time); });
        }
        for (const auto& job : store.list(kinds::jobs).items) {
            attempt([&] { sync_job(cluster, job, pods, time); });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Deployments

void ClusterController::sync_deployment(const Cluster& cluster, const json& deployment,
                                        const std::vector<json>& replica_sets) {
    if (being_deleted(deployment)) {
        return;
    }
    Store& store = *cluster.store;
    const std::string ns = namespace_of(deployment);
    const json& spec = member(deployment, "spec");
    const json& pod_template = member(spec, "template");
    if (!pod_template.is_object()) {
        return;
    }
    const std::string hash = pod_template_hash(pod_template);
    const std::int64_t replicas = integer(spec, "replicas", 1);
    const bool paused = member(spec, "paused").is_boolean() && spec["paused"].get<bool>();
    const std::string desired = std::to_string(replicas);
    const std::string maximum = std::to_string(replicas + max_surge(deployment, replicas));

    const auto owned = controlled(replica_sets, uid_of(deployment));
    const json* current = nullptr;
    std::int64_t max_revision = 0;
    for (const auto& replica_set : owned) {
        if (text(member(meta(replica_set), "labels"), k_hash_label) == hash) {
            current = &replica_set;
        }
        try {
            max_revision = std::max<std::int64_t>(
                max_revision,
                std::stoll(text(member(meta(replica_set), "annotations"), k_revision)));
        } catch (const std::exception&) {
            // no revision (yet): not counted
        }
    }

    std::string revision;
    if (current == nullptr) {
        if (paused) {
            return; // a paused Deployment gets no new ReplicaSet
        }
        revision = std::to_string(max_revision + 1);
        json labels = member(member(pod_template, "metadata"), "labels");
        if (!labels.is_object()) {
            labels = json::object();
        }
        labels[k_hash_label] = hash;
        json rs_template = pod_template;
        rs_template["metadata"]["labels"] = labels;
        json selector = member(spec, "selector");
        if (!selector.is_object()) {
            selector = json::object();
        }
        selector["matchLabels"][k_hash_label] = hash;
        json rs_spec = {{"replicas", replicas}, {"selector", selector}, {"template", rs_template}};
        if (spec.contains("minReadySeconds")) {
            rs_spec["minReadySeconds"] = spec["minReadySeconds"];
        }
        json replica_set = {
            {"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata",
             {{"name", name_of(deployment) + "-" + hash},
              {"namespace", ns},
              {"labels", labels},
              {"annotations",
               {{k_desired_replicas, desired}, {k_max_replicas, maximum}, {k_revision, revision}}},
              {"ownerReferences",
               json::array({owner_reference(deployment, "apps/v1", "Deployment")})}}},
            {"spec", rs_spec}};
        store.create(kinds::replica_sets, std::move(replica_set));
    } else {
        const json& annotations = member(meta(*current), "annotations");
        revision = text(annotations, k_revision);
        std::int64_t current_revision = 0;
        try {
            current_revision = std::stoll(revision);
        } catch (const std::exception&) {
        }
        if (current_revision == 0 || current_revision < max_revision) {
            revision = std::to_string(max_revision + 1); // back to an older template: newest
        }
        const std::int64_t rs_replicas = integer(member(*current, "spec"), "replicas", 1);
        const bool scale = !paused && rs_replicas != replicas;
        if (scale || text(annotations, k_revision) != revision ||
            (!paused && (text(annotations, k_desired_replicas) != desired ||
                         text(annotations, k_max_replicas) != maximum))) {
            store.modify(kinds::replica_sets, ns, name_of(*current), [&](json& object) {
                json& a = object["metadata"]["annotations"];
                a[k_revision] = revision;
                if (!paused) {
                    a[k_desired_replicas] = desired;
                    a[k_max_replicas] = maximum;
                    object["spec"]["replicas"] = replicas;
                }
            });
        }
    }
    // Recreate-like: every other ReplicaSet goes to 0 at once.
    if (!paused) {
        for (const auto& replica_set : owned) {
            if (&replica_set != current &&
                integer(member(replica_set, "spec"), "replicas", 1) != 0) {
                store.modify(kinds::replica_sets, ns, name_of(replica_set),
                             [](json& object) { object["spec"]["replicas"] = 0; });
            }
        }
    }
    if (text(member(meta(deployment), "annotations"), k_revision) != revision) {
        store.modify(kinds::deployments, ns, name_of(deployment), [&](json& object) {
            object["metadata"]["annotations"][k_revision] = revision;
        });
    }
}

void ClusterController::deployment_status(const Cluster& cluster, const json& deployment,
                                          const std::vector<json>& replica_sets,
                                          const SimTime& time) {
    if (being_deleted(deployment)) {
        return;
    }
    const json& spec = member(deployment, "spec");
    const std::int64_t wanted = integer(spec, "replicas", 1);
    const bool paused = member(spec, "paused").is_boolean() && spec["paused"].get<bool>();
    const std::string hash =
        member(spec, "template").is_object() ? pod_template_hash(spec["template"]) : std::string();
    std::int64_t replicas = 0;
    std::int64_t updated = 0;
    std::int64_t ready_replicas = 0;
    std::int64_t available = 0;
    std::int64_t total_spec = 0;
    std::string current;
    for (const auto& replica_set : controlled(replica_sets, uid_of(deployment))) {
        const json& status = member(replica_set, "status");
        replicas += integer(status, "replicas", 0);
        ready_replicas += integer(status, "readyReplicas", 0);
        available += integer(status, "availableReplicas", 0);
        total_spec += integer(member(replica_set, "spec"), "replicas", 1);
        if (text(member(meta(replica_set), "labels"), k_hash_label) == hash) {
            current = name_of(replica_set);
            updated = integer(status, "replicas", 0);
        }
    }
    const json& old = member(deployment, "status");
    json status = old.is_object() ? old : json::object();
    const std::string now = stamp(time.now);
    status["observedGeneration"] = integer(meta(deployment), "generation", 1);
    set_count(status, "replicas", replicas);
    set_count(status, "updatedReplicas", updated);
    set_count(status, "readyReplicas", ready_replicas);
    set_count(status, "availableReplicas", available);
    set_count(status, "unavailableReplicas", std::max<std::int64_t>(0, total_spec - available));

    json conditions = json::array();
    conditions.push_back(available >= wanted
                             ? condition(old, "Available", "True", "MinimumReplicasAvailable",
                                         "Deployment has minimum availability.", now, true)
                             : condition(old, "Available", "False", "MinimumReplicasUnavailable",
                                         "Deployment does not have minimum availability.", now,
                                         true));
    if (paused) {
        conditions.push_back(condition(old, "Progressing", "Unknown", "DeploymentPaused",
                                       "Deployment is paused", now, true));
    } else if (!current.empty() && updated == wanted && replicas == wanted && available >= wanted) {
        conditions.push_back(
            condition(old, "Progressing", "True", "NewReplicaSetAvailable",
                      "ReplicaSet \"" + current + "\" has successfully progressed.", now, true));
    } else if (!current.empty()) {
        conditions.push_back(condition(old, "Progressing", "True", "ReplicaSetUpdated",
                                       "ReplicaSet \"" + current + "\" is progressing.", now,
                                       true));
    }
    status["conditions"] = std::move(conditions);
    if (status != old) {
        cluster.store->modify(
            kinds::deployments, namespace_of(deployment), name_of(deployment),
            [&](json& object) { object["status"] = status; }, true);
    }
}

// ---------------------------------------------------------------------------------------------
// ReplicaSets

void ClusterController::sync_replica_set(const Cluster& cluster, const json& replica_set,
                                         const std::vector<json>& pods, const SimTime& time) {
    if (being_deleted(replica_set)) {
        return;
    }
    const std::int64_t wanted = integer(member(replica_set, "spec"), "replicas", 1);
    std::vector<json> active;
    for (auto& pod : controlled(pods, uid_of(replica_set))) {
        if (!terminal(pod)) {
            active.push_back(std::move(pod));
        }
    }
    const auto count = static_cast<std::int64_t>(active.size());
    for (std::int64_t i = count; i < wanted; ++i) {
        create_pod(cluster, replica_set, "apps/v1", "ReplicaSet",
                   member(member(replica_set, "spec"), "template"), json::object(), time);
    }
    if (count > wanted) {
        // Pending pods first, then the newest.
        std::sort(active.begin(), active.end(), [this](const json& a, const json& b) {
            const bool a_pending = phase_of(a) == "Pending";
            const bool b_pending = phase_of(b) == "Pending";
            if (a_pending != b_pending) {
                return a_pending;
            }
            const auto a_created = created_at(a);
            const auto b_created = created_at(b);
            if (a_created != b_created) {
                return a_created > b_created;
            }
            return name_of(a) > name_of(b);
        });
        for (std::int64_t i = 0; i < count - wanted; ++i) {
            const json& pod = active[static_cast<std::size_t>(i)];
            attempt([&] { cluster.store->remove(kinds::pods, namespace_of(pod), name_of(pod)); });
        }
    }
}

void ClusterController::replica_set_status(const Cluster& cluster, const json& replica_set,
                                           const std::vector<json>& pods) {
    if (being_deleted(replica_set)) {
        return;
    }
    const json& template_labels =
        member(member(member(member(replica_set, "spec"), "template"), "metadata"), "labels");
    std::int64_t replicas = 0;
    std::int64_t labeled = 0;
    std::int64_t ready_replicas = 0;
    for (const auto& pod : controlled(pods, uid_of(replica_set))) {
        if (terminal(pod)) {
            continue;
        }
        ++replicas;
        bool all_labels = true;
        if (template_labels.is_object()) {
            const json& labels = member(meta(pod), "labels");
            for (const auto& [key, value] : template_labels.items()) {
                all_labels = all_labels && member(labels, key.c_str()) == value;
            }
        }
        labeled += all_labels ? 1 : 0;
        ready_replicas += ready(pod) ? 1 : 0;
    }
    const json& old = member(replica_set, "status");
    json status = old.is_object() ? old : json::object();
    status["replicas"] = replicas;
    set_count(status, "fullyLabeledReplicas", labeled);
    set_count(status, "readyReplicas", ready_replicas);
    set_count(status, "availableReplicas", ready_replicas);
    status["observedGeneration"] = integer(meta(replica_set), "generation", 1);
    if (status != old) {
        cluster.store->modify(
            kinds::replica_sets, namespace_of(replica_set), name_of(replica_set),
            [&](json& object) { object["status"] = status; }, true);
    }
}

// ---------------------------------------------------------------------------------------------
// Jobs

void ClusterController::sync_job(const Cluster& cluster, const json& job,
                                 const std::vector<json>& pods, const SimTime& time) {
    const json& spec = member(job, "spec");
    const json& old = member(job, "status");
    if (being_deleted(job) ||
        (member(spec, "suspend").is_boolean() && spec["suspend"].get<bool>()) ||
        condition_true(old, "Complete") || condition_true(old, "Failed")) {
        return;
    }
    std::int64_t active = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t ready_pods = 0;
    for (const auto& pod : controlled(pods, uid_of(job))) {
        const std::string phase = phase_of(pod);
        if (phase == "Succeeded") {
            ++succeeded;
        } else if (phase == "Failed") {
            ++failed;
        } else {
            ++active;
            ready_pods += ready(pod) ? 1 : 0;
        }
    }
    const std::string now = stamp(time.now);
    json status = old.is_object() ? old : json::object();
    json conditions = member(old, "conditions").is_array() ? old["conditions"] : json::array();
    const std::int64_t completions = integer(spec, "completions", 1);
    const std::int64_t backoff_limit = integer(spec, "backoffLimit", 6);
    if (active == 0 && succeeded >= completions) {
        conditions.push_back(condition(old, "Complete", "True", "CompletionsReached",
                                       "Reached expected number of succeeded pods", now, false,
                                       true));
        status["completionTime"] = now;
    } else if (active == 0 && failed > backoff_limit) {
        conditions.push_back(condition(old, "Failed", "True", "BackoffLimitExceeded",
                                       "Job has reached the specified backoff limit", now, false,
                                       true));
    } else if (active == 0) {
        // One pod at a time, until enough succeeded or too many failed.
        json labels = {{"batch.kubernetes.io/controller-uid", uid_of(job)},
                       {"batch.kubernetes.io/job-name", name_of(job)},
                       {"controller-uid", uid_of(job)},
                       {"job-name", name_of(job)}};
        const json pod =
            create_pod(cluster, job, "batch/v1", "Job", member(spec, "template"), labels, time);
        // The pod exists: it takes one of the failures `ctl analysis fail-next` asked for.
        int pending = m_settings.failing_jobs.load();
        while (pending > 0 &&
               !m_settings.failing_jobs.compare_exchange_weak(pending, pending - 1)) {
        }
        m_pods[uid_of(pod)].fails = pending > 0;
        active = 1;
    }
    if (!status.contains("startTime")) {
        status["startTime"] = now;
    }
    set_count(status, "active", active);
    set_count(status, "succeeded", succeeded);
    set_count(status, "failed", failed);
    status["ready"] = ready_pods;
    status["terminating"] = 0;
    status["uncountedTerminatedPods"] = json::object();
    if (conditions.empty()) {
        status.erase("conditions");
    } else {
        status["conditions"] = std::move(conditions);
    }
    if (status != old) {
        cluster.store->modify(
            kinds::jobs, namespace_of(job), name_of(job),
            [&](json& object) { object["status"] = status; }, true);
    }
}

// ---------------------------------------------------------------------------------------------
// Pods

std::string ClusterController::random_suffix() {
    return random_name_suffix(m_random);
}

std::string ClusterController::pod_ip(const Cluster& cluster) {
    const std::uint32_t n = m_next_ip[cluster.name]++;
    const auto third = static_cast<std::uint32_t>(cluster.index * 16) + (n / 254) % 16;
    return "10.244." + std::to_string(third % 256) + "." + std::to_string(n % 254 + 1);
}

core::Clock::time_point ClusterController::created_at(const json& pod) const {
    if (const auto it = m_pods.find(uid_of(pod)); it != m_pods.end()) {
        return it->second.created;
    }
    try {
        return core::parse_rfc3339(text(meta(pod), "creationTimestamp"));
    } catch (const core::Error&) {
        return {};
    }
}

namespace {

std::string host_ip(int index) {
    return "172.18.0." + std::to_string(index % 250 + 2);
}

// The status of a pod whose containers are being created.
json pending_status(const json& pod, int cluster_index, const std::string& now) {
    const json& old = member(pod, "status");
    const auto names = container_names(pod);
    const std::string message = "containers with unready status: " + bracketed(names);
    json statuses = json::array();
    for (const auto& container : member(member(pod, "spec"), "containers")) {
        statuses.push_back({{"name", text(container, "name")},
                            {"image", text(container, "image")},
                            {"imageID", ""},
                            {"ready", false},
                            {"started", false},
                            {"restartCount", 0},
                            {"state", {{"waiting", {{"reason", "ContainerCreating"}}}}},
                            {"lastState", json::object()}});
    }
    const std::string ip = host_ip(cluster_index);
    json status = {
        {"phase", "Pending"},
        {"conditions",
         json::array({
             pod_condition(old, "PodReadyToStartContainers", false, "", "", now),
             pod_condition(old, "Initialized", true, "", "", now),
             pod_condition(old, "Ready", false, "ContainersNotReady", message, now),
             pod_condition(old, "ContainersReady", false, "ContainersNotReady", message, now),
             pod_condition(old, "PodScheduled", true, "", "", now),
         })},
        {"hostIP", ip},
        {"hostIPs", json::array({{{"ip", ip}}})},
        {"startTime", text(old, "startTime").empty() ? now : text(old, "startTime")},
        {"qosClass", qos_class(member(pod, "spec"))},
        {"containerStatuses", statuses}};
    return status;
}

// The status of a pod whose containers run (`outcome` empty) or ended ("Succeeded", "Failed").
json started_status(const json& pod, int cluster_index, const std::string& pod_ip,
                    const std::string& now, const std::string& outcome, std::mt19937_64& random) {
    const json& old = member(pod, "status");
    const bool running = outcome.empty();
    const std::string reason =
        running ? "" : (outcome == "Succeeded" ? "PodCompleted" : "PodFailed");
    json statuses = json::array();
    const json& old_statuses = member(old, "containerStatuses");
    for (const auto& container : member(member(pod, "spec"), "containers")) {
        const std::string name = text(container, "name");
        const std::string image = text(container, "image");
        std::string started_at = now;
        std::string container_id;
        if (old_statuses.is_array()) {
            for (const auto& s : old_statuses) {
                if (text(s, "name") == name) {
                    const json& was_running = member(member(s, "state"), "running");
                    if (was_running.is_object()) {
                        started_at = text(was_running, "startedAt");
                    }
                    container_id = text(s, "containerID");
                }
            }
        }
        if (container_id.empty()) {
            char buffer[17];
            std::snprintf(buffer, sizeof buffer, "%016llx",
                          static_cast<unsigned long long>(random()));
            container_id = "containerd://" + hex64(buffer);
        }
        json state;
        if (running) {
            state = {{"running", {{"startedAt", started_at}}}};
        } else {
            const bool ok = outcome == "Succeeded";
            state = {{"terminated",
                      {{"exitCode", ok ? 0 : 1},
                       {"reason", ok ? "Completed" : "Error"},
                       {"startedAt", started_at},
                       {"finishedAt", now},
                       {"containerID", container_id}}}};
        }
        const std::string repository = image.substr(0, image.find_first_of(":@"));
        statuses.push_back({{"name", name},
                            {"image", image},
                            {"imageID", repository + "@sha256:" + hex64(image)},
                            {"containerID", container_id},
                            {"ready", running},
                            {"started", running},
                            {"restartCount", 0},
                            {"state", state},
                            {"lastState", json::object()}});
    }
    const std::string host = host_ip(cluster_index);
    return {
        {"phase", running ? "Running" : outcome},
        {"conditions", json::array({
                           pod_condition(old, "PodReadyToStartContainers", running, "", "", now),
                           pod_condition(old, "Initialized", true, reason, "", now),
                           pod_condition(old, "Ready", running, reason, "", now),
                           pod_condition(old, "ContainersReady", running, reason, "", now),
                           pod_condition(old, "PodScheduled", true, "", "", now),
                       })},
        {"hostIP", host},
        {"hostIPs", json::array({{{"ip", host}}})},
        {"podIP", pod_ip},
        {"podIPs", json::array({{{"ip", pod_ip}}})},
        {"startTime", text(old, "startTime").empty() ? now : text(old, "startTime")},
        {"qosClass", qos_class(member(pod, "spec"))},
        {"containerStatuses", statuses}};
}

} // namespace

json ClusterController::create_pod(const Cluster& cluster, const json& owner,
                                   const std::string& owner_api_version,
                                   const std::string& owner_kind, const json& pod_template,
                                   json extra_labels, const SimTime& time) {
    // The apiserver's generateName: the base is cut to 58 characters, 5 random ones follow.
    const std::string prefix = (name_of(owner) + "-").substr(0, 58);
    const std::string ns = namespace_of(owner);
    std::string name = prefix + random_suffix();
    while (cluster.store->find(kinds::pods, ns, name)) {
        name = prefix + random_suffix();
    }
    const json& template_meta = member(pod_template, "metadata");
    json labels =
        member(template_meta, "labels").is_object() ? template_meta["labels"] : json::object();
    labels.update(extra_labels);
    json metadata = {
        {"name", name},
        {"generateName", prefix},
        {"namespace", ns},
        {"labels", labels},
        {"ownerReferences", json::array({owner_reference(owner, owner_api_version, owner_kind)})}};
    if (member(template_meta, "annotations").is_object()) {
        metadata["annotations"] = template_meta["annotations"];
    }
    json spec = member(pod_template, "spec").is_object() ? pod_template["spec"] : json::object();
    spec["nodeName"] = cluster.name + "-worker";
    for (const auto& [key, value] : std::initializer_list<std::pair<const char*, json>>{
             {"restartPolicy", "Always"},
             {"dnsPolicy", "ClusterFirst"},
             {"schedulerName", "default-scheduler"},
             {"serviceAccountName", "default"},
             {"terminationGracePeriodSeconds", 30}}) {
        if (!spec.contains(key)) {
            spec[key] = value;
        }
    }
    json created = cluster.store->create(
        kinds::pods,
        {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", metadata}, {"spec", spec}});
    m_pods[uid_of(created)] = PodMemory{time.now, false, cluster.name};
    const json status = pending_status(created, cluster.index, stamp(time.now));
    return cluster.store->modify(
        kinds::pods, ns, name, [&](json& object) { object["status"] = status; }, true);
}

void ClusterController::run_pod(const Cluster& cluster, const json& pod, const SimTime& time) {
    const std::string phase = phase_of(pod);
    if (being_deleted(pod) || (phase != "Pending" && phase != "Running")) {
        return;
    }
    Store& store = *cluster.store;
    const std::string ns = namespace_of(pod);
    const std::string name = name_of(pod);
    const std::string now = stamp(time.now);
    if (text(member(pod, "spec"), "nodeName").empty()) {
        // The scheduler's part, for pods created directly (kubectl run).
        store.modify(kinds::pods, ns, name,
                     [&](json& object) { object["spec"]["nodeName"] = cluster.name + "-worker"; });
    }
    const auto created = created_at(pod);
    const bool job = text(controller_of(pod), "kind") == "Job";
    const auto memory = m_pods.find(uid_of(pod));
    const bool fails = memory != m_pods.end() && memory->second.fails;
    const bool started = time.elapsed(created, m_settings.pod_start);
    const bool finished = job && time.elapsed(created, m_settings.pod_start + m_settings.job_run);

    json status;
    if (started && phase == "Pending" && !job) {
        // `ctl pull-fail`: a container whose image this cluster cannot pull keeps it Pending.
        json backoff = pending_status(pod, cluster.index, now);
        bool failing = false;
        for (auto& container : backoff["containerStatuses"]) {
            const std::string image = text(container, "image");
            if (m_settings.pull_fails(cluster.name, image)) {
                failing = true;
                container["state"] = {{"waiting",
                                       {{"reason", "ImagePullBackOff"},
                                        {"message", "Back-off pulling image \"" + image + "\""}}}};
            }
        }
        if (failing) {
            if (member(member(pod, "status"), "containerStatuses") ==
                backoff["containerStatuses"]) {
                return;
            }
            store.modify(
                kinds::pods, ns, name, [&](json& object) { object["status"] = backoff; }, true);
            return;
        }
    }
    if (finished) {
        const std::string old_ip = text(member(pod, "status"), "podIP");
        status = started_status(pod, cluster.index, old_ip.empty() ? pod_ip(cluster) : old_ip, now,
                                fails ? "Failed" : "Succeeded", m_random);
    } else if (started && phase == "Pending") {
        status = started_status(pod, cluster.index, pod_ip(cluster), now, "", m_random);
    } else if (phase == "Pending" && !member(pod, "status").contains("containerStatuses")) {
        status = pending_status(pod, cluster.index, now);
    } else {
        return;
    }
    store.modify(
        kinds::pods, ns, name, [&](json& object) { object["status"] = status; }, true);
}

} // namespace nova::sim
