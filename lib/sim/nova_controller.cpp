#include "lib/sim/nova_controller.hpp"

#include "lib/core/duration.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/nova/schedule_policy.hpp"
#include "lib/nova/spread.hpp"
#include "lib/sim/resources.hpp"
#include "lib/sim/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace nova::sim {

namespace {

using nlohmann::json;

// The reason of the Idle=False condition this controller writes.
constexpr const char* k_busy_reason = "WorkloadsScheduled";

// How an object is placed.
enum class Shape {
    pod_controller, // spec.replicas is split
    job,            // spec.parallelism is split; only clusters with a share get a copy
    whole,          // copied whole to every chosen cluster
};

struct PlacedKind {
    GroupResource resource;
    std::string_view kind;
    Shape shape;
};

const std::array<PlacedKind, 6> k_kinds = {{
    {{"apps", "replicasets"}, "ReplicaSet", Shape::pod_controller},
    {{"apps", "deployments"}, "Deployment", Shape::pod_controller},
    {{"batch", "jobs"}, "Job", Shape::job},
    {{"", "services"}, "Service", Shape::whole},
    {{"", "configmaps"}, "ConfigMap", Shape::whole},
    {{"", "secrets"}, "Secret", Shape::whole},
}};

// ---------------------------------------------------------------------------------------------
// JSON helpers (lenient: a missing or mistyped field reads as empty)

const json* member(const json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_at(const json& object, std::string_view key) {
    const json* value = member(object, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string{};
}

std::optional<std::int64_t> integer_at(const json& object, std::string_view key) {
    const json* value = member(object, key);
    if (value == nullptr || !value->is_number_integer()) {
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

const json& metadata_of(const json& object) {
    static const json empty = json::object();
    const json* meta = member(object, "metadata");
    return meta != nullptr && meta->is_object() ? *meta : empty;
}

std::string meta_string(const json& object, std::string_view key) {
    return string_at(metadata_of(object), key);
}

const json& spec_of(const json& object) {
    static const json empty = json::object();
    const json* spec = member(object, "spec");
    return spec != nullptr && spec->is_object() ? *spec : empty;
}

const json& status_of(const json& object) {
    static const json empty = json::object();
    const json* status = member(object, "status");
    return status != nullptr && status->is_object() ? *status : empty;
}

// The condition of `type` in status.conditions, or nullptr.
const json* condition_of(const json& object, std::string_view type) {
    const json* conditions = member(status_of(object), "conditions");
    if (conditions == nullptr || !conditions->is_array()) {
        return nullptr;
    }
    for (const auto& condition : *conditions) {
        if (string_at(condition, "type") == type) {
            return &condition;
        }
    }
    return nullptr;
}

bool condition_true(const json& object, std::string_view type) {
    const json* condition = condition_of(object, type);
    return condition != nullptr && string_at(*condition, "status") == "True";
}

std::vector<json> list_items(const Store& store, const GroupResource& resource,
                             const ListOptions& options = {}) {
    return store.list(resource, options).items;
}

// ---------------------------------------------------------------------------------------------
// What gets placed

// Objects Nova leaves alone whatever the policies say: the API server's own.
bool left_alone(const PlacedKind& kind, const json& object) {
    const std::string ns = meta_string(object, "namespace");
    const std::string name = meta_string(object, "name");
    if (ns.starts_with("kube-")) {
        return true;
    }
    if (kind.kind == "ConfigMap" && name == "kube-root-ca.crt") {
        return true;
    }
    if (kind.kind == "Secret" &&
        string_at(object, "type") == "kubernetes.io/service-account-token") {
        return true;
    }
    return kind.kind == "Service" && ns == "default" && name == "kubernetes";
}

// The copy of `origin` for `cluster`, before its share is filled in.
json copy_of(const json& origin, const PlacedKind& kind, const std::string& cluster,
             const std::string& policy) {
    const json& meta = metadata_of(origin);
    json copy = json::object();
    for (const auto& [key, value] : origin.items()) {
        if (key != "metadata" && key != "status") {
            copy[key] = value;
        }
    }
    copy["apiVersion"] = origin.value("apiVersion", json(""));
    copy["kind"] = std::string(kind.kind);
    json copy_meta = {{"name", meta_string(origin, "name")},
                      {"namespace", meta_string(origin, "namespace")}};
    json labels = json::object();
    if (const json* from = member(meta, "labels"); from != nullptr && from->is_object()) {
        labels = *from;
    }
    labels[std::string(k_target_cluster_label)] = cluster;
    labels[std::string(k_matching_policy_label)] = policy;
    copy_meta["labels"] = std::move(labels);
    json annotations = json::object();
    if (const json* from = member(meta, "annotations"); from != nullptr && from->is_object()) {
        annotations = *from;
    }
    annotations[std::string(k_origin_uid_annotation)] = meta_string(origin, "uid");
    copy_meta["annotations"] = std::move(annotations);
    copy["metadata"] = std::move(copy_meta);

    if (kind.kind == "Service" && copy.contains("spec") && copy["spec"].is_object()) {
        // The workload cluster allocates its own addresses; only a headless Service says so.
        json& spec = copy["spec"];
        if (string_at(spec, "clusterIP") != "None") {
            spec.erase("clusterIP");
            spec.erase("clusterIPs");
        }
        spec.erase("healthCheckNodePort");
    }
    if (kind.shape == Shape::job && copy.contains("spec") && copy["spec"].is_object()) {
        // The control plane's generated selector names its own uid; the cluster makes its own.
        json& spec = copy["spec"];
        const json* manual = member(spec, "manualSelector");
        if (manual == nullptr || !manual->is_boolean() || !manual->get<bool>()) {
            spec.erase("selector");
            if (spec.contains("template") && spec["template"].is_object() &&
                spec["template"].contains("metadata") && spec["template"]["metadata"].is_object() &&
                spec["template"]["metadata"].contains("labels") &&
                spec["template"]["metadata"]["labels"].is_object()) {
                json& template_labels = spec["template"]["metadata"]["labels"];
                template_labels.erase("controller-uid");
                template_labels.erase("batch.kubernetes.io/controller-uid");
            }
        }
    }
    return copy;
}

// `existing` (a copy in a workload cluster) brought in line with `desired`: labels as desired,
// the desired annotations over the ones there, and the spec (for a Job only its mutable
// fields). Status and server-set metadata stay as they are.
json merged(const json& existing, const json& desired, Shape shape) {
    json out = existing;
    json& meta = out["metadata"];
    const json& want = metadata_of(desired);
    meta["labels"] = want.value("labels", json::object());
    if (!meta.contains("annotations") || !meta["annotations"].is_object()) {
        meta["annotations"] = json::object();
    }
    const json annotations = want.value("annotations", json::object());
    for (const auto& [key, value] : annotations.items()) {
        meta["annotations"][key] = value;
    }
    if (shape == Shape::job) {
        if (!out.contains("spec") || !out["spec"].is_object()) {
            out["spec"] = json::object();
        }
        const json& spec = spec_of(desired);
        for (const char* field : {"parallelism", "suspend", "activeDeadlineSeconds"}) {
            if (spec.contains(field)) {
                out["spec"][field] = spec[field];
            } else {
                out["spec"].erase(field);
            }
        }
        return out;
    }
    const auto ours = [](const std::string& key) {
        return key != "apiVersion" && key != "kind" && key != "metadata" && key != "status";
    };
    std::vector<std::string> stale;
    for (const auto& [key, value] : out.items()) {
        if (ours(key) && !desired.contains(key)) {
            stale.push_back(key);
        }
    }
    for (const auto& key : stale) {
        out.erase(key);
    }
    for (const auto& [key, value] : desired.items()) {
        if (ours(key)) {
            json field = value;
            if (key == "spec" && field.is_object() && existing.contains("spec")) {
                // Addresses the workload cluster gave a Service stay.
                for (const char* kept : {"clusterIP", "clusterIPs"}) {
                    const json* there = member(existing["spec"], kept);
                    if (there != nullptr && !field.contains(kept)) {
                        field[kept] = *there;
                    }
                }
            }
            out[key] = std::move(field);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Status back

void set_count(json& status, const char* field, std::int64_t value, bool always = false) {
    if (value != 0 || always) {
        status[field] = value;
    } else {
        status.erase(field);
    }
}

std::int64_t sum_of(const std::vector<json>& copies, const char* field) {
    std::int64_t sum = 0;
    for (const auto& copy : copies) {
        sum += integer_at(status_of(copy), field).value_or(0);
    }
    return sum;
}

json replica_set_status(const json& origin, const std::vector<json>& copies) {
    json status = status_of(origin);
    set_count(status, "replicas", sum_of(copies, "replicas"), true);
    for (const char* field : {"fullyLabeledReplicas", "readyReplicas", "availableReplicas"}) {
        set_count(status, field, sum_of(copies, field));
    }
    status["observedGeneration"] = integer_at(metadata_of(origin), "generation").value_or(1);
    return status;
}

json deployment_status(const json& origin, const std::vector<json>& copies,
                       const std::string& now) {
    json status = status_of(origin);
    set_count(status, "replicas", sum_of(copies, "replicas"));
    for (const char* field :
         {"updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"}) {
        set_count(status, field, sum_of(copies, field));
    }
    status["observedGeneration"] = integer_at(metadata_of(origin), "generation").value_or(1);
    // Available when every copy is; untouched while no copy reports the condition yet.
    bool any = false;
    bool all = !copies.empty();
    for (const auto& copy : copies) {
        const json* condition = condition_of(copy, "Available");
        any = any || condition != nullptr;
        all = all && condition != nullptr && string_at(*condition, "status") == "True";
    }
    if (any) {
        const std::string value = all ? "True" : "False";
        json conditions = json::array();
        if (const json* from = member(status, "conditions"); from != nullptr && from->is_array()) {
            conditions = *from;
        }
        auto it = std::find_if(conditions.begin(), conditions.end(),
                               [](const json& c) { return string_at(c, "type") == "Available"; });
        if (it == conditions.end() || string_at(*it, "status") != value) {
            json condition = {
                {"type", "Available"},
                {"status", value},
                {"reason", all ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"},
                {"message", all ? "Deployment has minimum availability."
                                : "Deployment does not have minimum availability."},
                {"lastUpdateTime", now},
                {"lastTransitionTime", now}};
            if (it == conditions.end()) {
                conditions.push_back(std::move(condition));
            } else {
                *it = std::move(condition);
            }
        }
        status["conditions"] = std::move(conditions);
    }
    return status;
}

json job_status(const json& origin, const std::vector<json>& copies) {
    json status = status_of(origin);
    for (const char* field : {"active", "ready", "succeeded", "failed"}) {
        set_count(status, field, sum_of(copies, field));
    }
    std::string start;
    for (const auto& copy : copies) {
        const std::string at = string_at(status_of(copy), "startTime");
        if (!at.empty() && (start.empty() || at < start)) {
            start = at;
        }
    }
    if (!start.empty()) {
        status["startTime"] = start;
    }
    const json* failed = nullptr;
    const json* last_complete = nullptr;
    bool complete = !copies.empty();
    for (const auto& copy : copies) {
        if (failed == nullptr && condition_true(copy, "Failed")) {
            failed = &copy;
        }
        if (!condition_true(copy, "Complete")) {
            complete = false;
        } else if (last_complete == nullptr ||
                   string_at(status_of(copy), "completionTime") >
                       string_at(status_of(*last_complete), "completionTime")) {
            last_complete = &copy;
        }
    }
    const json* decided = failed != nullptr ? failed : complete ? last_complete : nullptr;
    if (decided != nullptr) {
        status["conditions"] = status_of(*decided).value("conditions", json::array());
    } else {
        status.erase("conditions");
    }
    if (failed == nullptr && complete && last_complete != nullptr &&
        status_of(*last_complete).contains("completionTime")) {
        status["completionTime"] = status_of(*last_complete)["completionTime"];
    } else {
        status.erase("completionTime");
    }
    return status;
}

// ---------------------------------------------------------------------------------------------
// One placement

struct Copy {
    std::string cluster;
    Store* store = nullptr;
    json body;
    bool busy = false; // consumes resources (for the cluster's Idle condition)
};

using CopyKey = std::tuple<std::string, std::size_t, std::string, std::string>; // cluster, kind,
                                                                                // ns, name

std::string event_suffix(const std::string& key) {
    char text[17];
    std::snprintf(text, sizeof text, "%016zx", std::hash<std::string>{}(key));
    return text;
}

} // namespace

void NovaController::reconcile(const Fleet& fleet, const SimTime& time) {
    Store* cp = fleet.control_plane;
    if (cp == nullptr) {
        return;
    }
    const std::string now =
        core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(time.now));

    const auto policies =
        fleet::parse_schedule_policies(json(list_items(*cp, kinds::schedule_policies))).policies;
    const auto cluster_objects = list_items(*cp, kinds::clusters);
    const auto clusters = fleet::parse_clusters(json(cluster_objects));
    std::map<std::string, core::Labels> namespace_labels;
    for (const auto& ns : list_items(*cp, kinds::namespaces)) {
        namespace_labels[meta_string(ns, "name")] = core::labels_of(ns);
    }

    const auto record = [&](const json& object, const PlacedKind& kind, const char* type,
                            const char* reason, const std::string& message) {
        const std::string key = meta_string(object, "uid") + '\n' + reason + '\n' + message;
        if (m_recorded.contains(key)) {
            return;
        }
        const std::string ns = meta_string(object, "namespace");
        json event = {
            {"apiVersion", "v1"},
            {"kind", "Event"},
            {"metadata",
             {{"name", meta_string(object, "name") + "." + event_suffix(key)}, {"namespace", ns}}},
            {"involvedObject",
             {{"apiVersion", object.value("apiVersion", json(""))},
              {"kind", std::string(kind.kind)},
              {"name", meta_string(object, "name")},
              {"namespace", ns},
              {"uid", meta_string(object, "uid")},
              {"resourceVersion", meta_string(object, "resourceVersion")}}},
            {"reason", reason},
            {"message", message},
            {"source", {{"component", "nova-scheduler"}}},
            {"reportingComponent", "nova-scheduler"},
            {"firstTimestamp", now},
            {"lastTimestamp", now},
            {"count", 1},
            {"type", type}};
        try {
            cp->create(kinds::events, std::move(event));
        } catch (const ApiError& error) {
            if (error.reason != "AlreadyExists") {
                return; // tried again next tick
            }
        }
        m_recorded.insert(key);
    };

    // --- What should be where. ---
    struct Origin {
        std::size_t kind = 0;
        json object;
        std::vector<Copy> copies;
        std::vector<json> placed; // the copies as stored after this pass
    };
    std::vector<Origin> origins;
    std::map<CopyKey, bool> wanted;
    for (std::size_t k = 0; k < k_kinds.size(); ++k) {
        const PlacedKind& kind = k_kinds[k];
        for (auto& object : list_items(*cp, kind.resource)) {
            if (left_alone(kind, object)) {
                continue;
            }
            const std::string ns = meta_string(object, "namespace");
            const auto labels_it = namespace_labels.find(ns);
            const auto matches = fleet::matching_policies(
                policies, object,
                labels_it == namespace_labels.end() ? core::Labels{} : labels_it->second);
            if (matches.size() != 1) {
                if (matches.size() > 1) {
                    std::string names;
                    for (const auto& policy : matches) {
                        names += (names.empty() ? "" : ", ") + policy.name;
                    }
                    record(object, kind, "Warning", "MultipleSchedulePolicies",
                           "not scheduled: several SchedulePolicies match (" + names + ")");
                } else if (kind.shape != Shape::whole) {
                    record(object, kind, "Warning", "NoSchedulePolicy",
                           "not scheduled: no SchedulePolicy matches");
                }
                continue;
            }
            const auto& policy = matches.front();
            const auto eligibility = fleet::eligible_clusters(policy, clusters);

            // cluster → this cluster's copy, with its share filled in
            Origin origin{k, object, {}, {}};
            const auto add = [&](const std::string& cluster, const std::function<void(json&)>& fill,
                                 bool busy) {
                Store* store = fleet.workload(cluster);
                if (store == nullptr) {
                    return; // a Cluster object without a server: nothing can run there
                }
                json body = copy_of(object, kind, cluster, policy.name);
                fill(body);
                origin.copies.push_back({cluster, store, std::move(body), busy});
            };
            const auto& spec = spec_of(object);
            if (kind.shape == Shape::whole) {
                for (const auto& cluster : eligibility.eligible) {
                    add(
                        cluster.name, [](json&) {}, false);
                    if (!policy.spread) {
                        break; // the whole group goes to one cluster: the first by name
                    }
                }
            } else {
                const bool job = kind.shape == Shape::job;
                const std::int64_t replicas =
                    integer_at(spec, job ? "parallelism" : "replicas").value_or(1);
                const auto split = fleet::expected_split(policy, eligibility.eligible, replicas);
                std::vector<std::pair<std::string, std::int64_t>> shares;
                for (const auto& [cluster, share] : split.replicas) {
                    if (split.rule == fleet::SplitRule::one_cluster && !shares.empty()) {
                        break;
                    }
                    if (!job || share > 0) {
                        shares.emplace_back(cluster, share);
                    }
                }
                std::vector<std::int64_t> completions;
                const auto whole_completions = integer_at(spec, "completions");
                if (job && whole_completions) {
                    if (split.rule == fleet::SplitRule::duplicate ||
                        split.rule == fleet::SplitRule::one_cluster) {
                        completions.assign(shares.size(), *whole_completions);
                    } else {
                        completions = fleet::divide_evenly(*whole_completions, shares.size());
                    }
                }
                for (std::size_t i = 0; i < shares.size(); ++i) {
                    const auto share = shares[i].second;
                    if (job && !completions.empty() && completions[i] == 0) {
                        continue;
                    }
                    add(
                        shares[i].first,
                        [&](json& body) {
                            body["spec"][job ? "parallelism" : "replicas"] = share;
                            if (!completions.empty()) {
                                body["spec"]["completions"] = completions[i];
                            }
                        },
                        job || share > 0);
                }
            }

            if (eligibility.eligible.empty()) {
                record(object, kind, "Warning", "NoEligibleCluster",
                       "not scheduled: no cluster SchedulePolicy " + policy.name +
                           " selects is ready");
            } else {
                std::string names;
                for (const auto& copy : origin.copies) {
                    names += (names.empty() ? "" : ", ") + copy.cluster;
                }
                const auto group = fleet::schedule_group(policy, object);
                record(object, kind, "Normal", "SchedulePolicyMatched",
                       "SchedulePolicy " + policy.name + " matched" +
                           (group ? " (schedule group " + policy.group_by + "=" + *group + ")"
                                  : std::string()) +
                           "; placed onto " + (names.empty() ? std::string("no cluster") : names));
            }
            for (const auto& copy : origin.copies) {
                wanted[{copy.cluster, k, ns, meta_string(object, "name")}] = true;
            }
            origins.push_back(std::move(origin));
        }
    }

    // --- Write the copies. ---
    std::map<std::string, bool> busy; // cluster → holds Nova-placed workloads
    for (auto& origin : origins) {
        const PlacedKind& kind = k_kinds[origin.kind];
        const std::string uid = meta_string(origin.object, "uid");
        for (auto& copy : origin.copies) {
            busy[copy.cluster] = busy[copy.cluster] || copy.busy;
            const std::string ns = meta_string(copy.body, "namespace");
            const std::string name = meta_string(copy.body, "name");
            try {
                if (!copy.store->find(kinds::namespaces, "", ns)) {
                    try {
                        copy.store->create(kinds::namespaces, {{"apiVersion", "v1"},
                                                               {"kind", "Namespace"},
                                                               {"metadata", {{"name", ns}}}});
                    } catch (const ApiError& error) {
                        if (error.reason != "AlreadyExists") {
                            throw;
                        }
                    }
                }
                auto existing = copy.store->find(kind.resource, ns, name);
                if (existing) {
                    const std::string origin_uid =
                        string_at(metadata_of(*existing).value("annotations", json::object()),
                                  k_origin_uid_annotation);
                    if (!origin_uid.empty() && origin_uid != uid) {
                        // A copy of an earlier object of the same name: start afresh.
                        copy.store->remove(kind.resource, ns, name);
                        existing.reset();
                    }
                }
                if (!existing) {
                    origin.placed.push_back(copy.store->create(kind.resource, copy.body));
                    continue;
                }
                if (merged(*existing, copy.body, kind.shape) == *existing) {
                    origin.placed.push_back(std::move(*existing));
                    continue;
                }
                origin.placed.push_back(
                    copy.store->modify(kind.resource, ns, name, [&](json& object) {
                        object = merged(object, copy.body, kind.shape);
                    }));
            } catch (const ApiError&) {
                // Raced with a client or a namespace deletion: next tick.
            }
        }
    }

    // --- Delete the copies nothing wants any more. ---
    const auto placed_by_nova = core::LabelSelector::parse(std::string(k_target_cluster_label));
    for (const auto& [cluster, store] : fleet.workloads) {
        if (store == nullptr) {
            continue;
        }
        for (std::size_t k = 0; k < k_kinds.size(); ++k) {
            ListOptions options;
            options.labels = placed_by_nova;
            for (const auto& copy : list_items(*store, k_kinds[k].resource, options)) {
                const std::string ns = meta_string(copy, "namespace");
                const std::string name = meta_string(copy, "name");
                if (wanted.contains({cluster, k, ns, name})) {
                    continue;
                }
                try {
                    store->remove(k_kinds[k].resource, ns, name);
                } catch (const ApiError&) {
                    // Already gone.
                }
            }
        }
    }

    // --- Status back into the control plane. ---
    for (const auto& origin : origins) {
        const PlacedKind& kind = k_kinds[origin.kind];
        json status;
        if (kind.kind == "ReplicaSet") {
            status = replica_set_status(origin.object, origin.placed);
        } else if (kind.kind == "Deployment") {
            status = deployment_status(origin.object, origin.placed, now);
        } else if (kind.kind == "Job") {
            status = job_status(origin.object, origin.placed);
        } else {
            continue;
        }
        if (status == status_of(origin.object)) {
            continue;
        }
        try {
            cp->modify(
                kind.resource, meta_string(origin.object, "namespace"),
                meta_string(origin.object, "name"),
                [&](json& object) { object["status"] = status; }, true);
        } catch (const ApiError&) {
            // Deleted meanwhile.
        }
    }

    // --- The clusters' Idle condition. ---
    for (const auto& cluster : clusters) {
        if (fleet.workload(cluster.name) == nullptr) {
            continue;
        }
        const bool holds = busy.contains(cluster.name) && busy[cluster.name];
        const std::string want = holds ? "False" : "True";
        if (cluster.idle == want) {
            continue;
        }
        if (!holds) {
            // Only an Idle=False this controller wrote is taken back: a scenario's own account of
            // a cluster (Busy, with copies Nova placed before nova-sim started) stays.
            const auto object =
                std::find_if(cluster_objects.begin(), cluster_objects.end(),
                             [&](const json& c) { return meta_string(c, "name") == cluster.name; });
            const json* idle =
                object == cluster_objects.end() ? nullptr : condition_of(*object, "Idle");
            if (idle == nullptr || string_at(*idle, "reason") != k_busy_reason) {
                continue;
            }
        }
        try {
            cp->modify(kinds::clusters, "", cluster.name, [&](json& object) {
                json& status = object["status"];
                if (!status.is_object()) {
                    status = json::object();
                }
                if (!status.contains("conditions") || !status["conditions"].is_array()) {
                    status["conditions"] = json::array();
                }
                json condition = {
                    {"type", "Idle"},
                    {"status", want},
                    {"reason", holds ? k_busy_reason : "NoWorkloads"},
                    {"message", holds ? "Nova-scheduled workloads run here"
                                      : "no Nova-scheduled workloads run here"},
                    {"lastHeartbeatTime", now},
                    {"lastTransitionTime", now},
                };
                json& conditions = status["conditions"];
                for (auto& existing : conditions) {
                    if (string_at(existing, "type") == "Idle") {
                        if (existing.contains("observedGeneration")) {
                            condition["observedGeneration"] = existing["observedGeneration"];
                        }
                        existing = std::move(condition);
                        return;
                    }
                }
                conditions.push_back(std::move(condition));
            });
        } catch (const ApiError&) {
            // Deleted meanwhile.
        }
    }
}

std::unique_ptr<Controller> make_nova_controller() {
    return std::make_unique<NovaController>();
}

} // namespace nova::sim
