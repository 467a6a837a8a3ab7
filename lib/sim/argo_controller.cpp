#include "lib/sim/argo_controller.hpp"

#include "lib/core/duration.hpp"
#include "lib/core/json_patch.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/rollouts/job_outcome.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/phase.hpp"
#include "lib/sim/generated_names.hpp"
#include "lib/sim/resources.hpp"
#include "lib/sim/store.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

// How argo-rollouts v1.6 reconciles a canary Rollout (rollout/canary.go, rollout/sync.go,
// utils/replicaset/canary.go, analysis/analysis.go, metricproviders/job/job.go), one pass per
// tick. Each pass does what one reconciliation of the real controller does: at most one scaling
// write, then the status. Blue-green Rollouts (rollout/bluegreen.go) are reconciled as argo does
// too, in their own section below.

namespace nova::sim {

namespace argo {

namespace {} // namespace

std::string safe_encode(std::uint32_t value) {
    return sim::safe_encode(std::to_string(value));
}

std::string pod_template_hash(const nlohmann::json& pod_template,
                              std::optional<std::int64_t> collision_count) {
    std::uint32_t hash = fnv1a(pod_template.dump());
    if (collision_count) {
        hash = fnv1a(std::to_string(*collision_count), hash);
    }
    return safe_encode(hash);
}

std::string step_hash(const nlohmann::json& steps) {
    return safe_encode(fnv1a(steps.is_null() ? "null" : steps.dump()));
}

std::pair<std::int64_t, std::int64_t> weighted_counts(std::int64_t replicas, std::int64_t weight,
                                                      std::int64_t max_weight,
                                                      std::int64_t max_surge) {
    if (replicas == 0) {
        return {0, 0};
    }
    const double exact = static_cast<double>(replicas * weight) / static_cast<double>(max_weight);
    const auto ceil_count = static_cast<std::int64_t>(std::ceil(exact));
    const auto floor_count = static_cast<std::int64_t>(std::floor(exact));
    const auto tied = [&](std::int64_t total) {
        double whole = 0;
        return std::modf(static_cast<double>(total) *
                             (static_cast<double>(weight) / static_cast<double>(max_weight)),
                         &whole) == 0.5;
    };
    const bool zero_allowed =
        weight == max_weight || weight == 0 || (replicas == 1 && max_surge == 0);
    std::vector<std::pair<std::int64_t, std::int64_t>> options; // canary, total
    if (ceil_count < replicas || zero_allowed) {
        options.emplace_back(ceil_count, replicas);
    }
    if (!tied(replicas) && (floor_count != 0 || zero_allowed)) {
        options.emplace_back(floor_count, replicas);
    }
    if (max_surge > 0) {
        options.emplace_back(ceil_count, replicas + 1);
        if (!tied(replicas + 1) && (floor_count != 0 || zero_allowed)) {
            options.emplace_back(floor_count, replicas + 1);
        }
    }
    if (options.empty()) {
        return {0, replicas};
    }
    const auto delta = [&](const std::pair<std::int64_t, std::int64_t>& option) {
        return std::abs(static_cast<double>(option.first * max_weight) /
                            static_cast<double>(option.second) -
                        static_cast<double>(weight));
    };
    auto best = options.front();
    for (const auto& option : options) {
        if (delta(option) < delta(best)) {
            best = option;
        }
    }
    return {best.first, best.second - best.first};
}

} // namespace argo

namespace {

using nlohmann::json;
namespace fields = rollouts::fields;

constexpr const char* k_hash_label = "rollouts-pod-template-hash";
constexpr const char* k_revision = "rollout.argoproj.io/revision";
constexpr const char* k_desired_replicas = "rollout.argoproj.io/desired-replicas";
constexpr const char* k_ephemeral = "rollout.argoproj.io/ephemeral-metadata";
constexpr const char* k_workload_generation = "rollout.argoproj.io/workload-generation";
constexpr const char* k_managed_by = "argo-rollouts.argoproj.io/managed-by-rollouts";
constexpr const char* k_canary_pause = "CanaryPauseStep";
constexpr const char* k_blue_green_pause = "BlueGreenPause";
constexpr const char* k_scale_down_deadline = "scale-down-deadline";

ListOptions in_namespace(const std::string& ns) {
    ListOptions options;
    options.ns = ns;
    return options;
}

DeleteOptions foreground() {
    DeleteOptions options;
    options.propagation = Propagation::foreground;
    return options;
}

std::string timestamp(const SimTime& time) {
    return core::format_rfc3339(std::chrono::time_point_cast<std::chrono::seconds>(time.now));
}

json controller_ref(const json& owner) {
    return {{"apiVersion", owner.value("apiVersion", "")},
            {"kind", owner.value("kind", "")},
            {"name", fields::string_at(owner, {"metadata", "name"})},
            {"uid", fields::string_at(owner, {"metadata", "uid"})},
            {"controller", true},
            {"blockOwnerDeletion", true}};
}

bool controlled_by(const json& object, const std::string& uid) {
    for (const auto& ref : fields::array_at(object, {"metadata", "ownerReferences"})) {
        if (fields::bool_at(ref, {"controller"}) && fields::string_at(ref, {"uid"}) == uid) {
            return true;
        }
    }
    return false;
}

std::string name_of(const json& object) {
    return fields::string_at(object, {"metadata", "name"});
}

bool status_is_subresource(const Store& store, const GroupResource& gr) {
    const auto type = store.registry().find(gr);
    return type && type->has_status;
}

// A JSON merge patch that turns `from` into `to`.
json merge_diff(const json& from, const json& to) {
    if (!from.is_object() || !to.is_object()) {
        return to;
    }
    json patch = json::object();
    for (const auto& [key, value] : from.items()) {
        if (!to.contains(key)) {
            patch[key] = nullptr;
        }
    }
    for (const auto& [key, value] : to.items()) {
        if (!from.contains(key)) {
            patch[key] = value;
        } else if (from[key] != value) {
            patch[key] =
                (from[key].is_object() && value.is_object()) ? merge_diff(from[key], value) : value;
        }
    }
    return patch;
}

// Writes `status` over the object's status as a merge patch of what changed since `previous`
// (as argo does), so a field a client changed meanwhile (abort, pauseConditions) survives.
void write_status(Store& store, const GroupResource& gr, const json& object, const json& previous,
                  const json& status) {
    if (previous == status) {
        return;
    }
    const json patch = merge_diff(previous, status);
    store.modify(
        gr, fields::string_at(object, {"metadata", "namespace"}), name_of(object),
        [&](json& current) {
            current["status"] = core::apply_merge_patch(
                current.contains("status") ? current["status"] : json::object(), patch);
        },
        status_is_subresource(store, gr));
}

// argo's seconds fields are int32: a bigger number from an object is clamped, not overflowed.
std::chrono::seconds int32_seconds(std::int64_t seconds) {
    return std::chrono::seconds(std::clamp<std::int64_t>(seconds,
                                                         std::numeric_limits<std::int32_t>::min(),
                                                         std::numeric_limits<std::int32_t>::max()));
}

// A duration of argo's DurationString ("30s", "5m", "1h") or a number of seconds.
std::optional<std::chrono::milliseconds> parse_duration(const json& value) {
    try {
        if (value.is_number()) {
            const double seconds = value.get<double>();
            if (!(std::abs(seconds) <= std::numeric_limits<std::int32_t>::max())) {
                return std::nullopt; // also NaN
            }
            return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        }
        if (value.is_string()) {
            const auto text = value.get<std::string>();
            if (const auto seconds = fields::parse_int(text)) {
                return int32_seconds(*seconds);
            }
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                core::parse_go_duration(text));
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// An IntOrString fencepost (maxSurge, maxUnavailable) of `total`: "25%" (or "25", as the
// apimachinery argo v1.6 builds with reads it) is a percentage.
std::int64_t fencepost(const json& value, std::int64_t total, bool round_up) {
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    std::string text = value.is_string() ? value.get<std::string>() : "0";
    text.erase(std::remove(text.begin(), text.end(), '%'), text.end());
    const auto percent = fields::parse_int(text).value_or(0);
    const double scaled = static_cast<double>(percent * total) / 100.0;
    return static_cast<std::int64_t>(round_up ? std::ceil(scaled) : std::floor(scaled));
}

// ---------------------------------------------------------------------------------------------
// ReplicaSets

struct ReplicaSet {
    json object;
    std::string name;
    std::string hash;
    std::int64_t spec = 0;
    std::int64_t replicas = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;
    std::int64_t revision = 0;
};

ReplicaSet make_replica_set(json object) {
    ReplicaSet rs;
    rs.name = name_of(object);
    rs.hash = fields::label(object, k_hash_label);
    rs.spec = fields::optional_int_at(object, {"spec", "replicas"}).value_or(1);
    rs.replicas = fields::int_at(object, {"status", "replicas"});
    rs.ready = fields::int_at(object, {"status", "readyReplicas"});
    rs.available = fields::int_at(object, {"status", "availableReplicas"});
    rs.revision = fields::parse_int(fields::annotation(object, k_revision)).value_or(0);
    rs.object = std::move(object);
    return rs;
}

// Injects `desired` (canaryMetadata/stableMetadata, or null) into the pod template and removes
// what an earlier injection (remembered in an annotation) put there and is no longer wanted.
bool sync_ephemeral_metadata(json& rs, const json& desired) {
    json existing;
    if (const auto text = fields::annotation(rs, k_ephemeral); !text.empty()) {
        existing = json::parse(text, nullptr, false);
        if (existing.is_discarded()) {
            existing = nullptr;
        }
    }
    json& meta = rs["spec"]["template"]["metadata"];
    bool modified = false;
    for (const char* kind : {"labels", "annotations"}) {
        if (desired.is_object() && desired.contains(kind) && desired[kind].is_object()) {
            for (const auto& [key, value] : desired[kind].items()) {
                if (!meta.contains(kind) || !meta[kind].contains(key) || meta[kind][key] != value) {
                    meta[kind][key] = value;
                    modified = true;
                }
            }
        }
        if (existing.is_object() && existing.contains(kind) && existing[kind].is_object()) {
            for (const auto& [key, value] : existing[kind].items()) {
                const bool wanted = desired.is_object() && desired.contains(kind) &&
                                    desired[kind].is_object() && desired[kind].contains(key);
                if (!wanted && meta.contains(kind) && meta[kind].contains(key)) {
                    meta[kind].erase(key);
                    modified = true;
                }
            }
        }
    }
    if (!modified) {
        return false;
    }
    if (desired.is_object()) {
        rs["metadata"]["annotations"][k_ephemeral] = desired.dump();
    } else if (rs["metadata"].contains("annotations")) {
        rs["metadata"]["annotations"].erase(k_ephemeral);
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Rollout conditions (utils/conditions)

json find_condition(const json& status, std::string_view type) {
    for (const auto& condition : fields::array_at(status, {"conditions"})) {
        if (fields::string_at(condition, {"type"}) == type) {
            return condition;
        }
    }
    return nullptr;
}

// SetRolloutCondition: no change when status and reason are the same; the transition time is
// kept while the status is. Returns whether the condition changed.
bool set_condition(json& status, const std::string& type, const std::string& value,
                   const std::string& reason, const std::string& message, const std::string& now) {
    const json current = find_condition(status, type);
    if (!current.is_null() && fields::string_at(current, {"status"}) == value &&
        fields::string_at(current, {"reason"}) == reason) {
        return false;
    }
    json condition = {{"type", type},       {"status", value},       {"reason", reason},
                      {"message", message}, {"lastUpdateTime", now}, {"lastTransitionTime", now}};
    if (!current.is_null() && fields::string_at(current, {"status"}) == value) {
        condition["lastTransitionTime"] = current["lastTransitionTime"];
    }
    json kept = json::array();
    for (const auto& c : fields::array_at(status, {"conditions"})) {
        if (fields::string_at(c, {"type"}) != type) {
            kept.push_back(c);
        }
    }
    kept.push_back(condition);
    status["conditions"] = kept;
    return true;
}

void remove_condition(json& status, const std::string& type) {
    json kept = json::array();
    for (const auto& c : fields::array_at(status, {"conditions"})) {
        if (fields::string_at(c, {"type"}) != type) {
            kept.push_back(c);
        }
    }
    status["conditions"] = kept;
}

// ---------------------------------------------------------------------------------------------
// Pause and abort bookkeeping (rollout/pause.go)

struct PauseContext {
    bool status_abort = false;
    std::vector<std::string> add;
    std::vector<std::string> remove;
    bool clear = false;
    bool add_abort = false;
    bool remove_abort = false;
    std::string abort_message;

    [[nodiscard]] bool aborted() const { return !remove_abort && (add_abort || status_abort); }
};

bool is_completed_phase(const std::string& phase) {
    return phase == "Successful" || phase == "Failed" || phase == "Error" ||
           phase == "Inconclusive";
}

// ---------------------------------------------------------------------------------------------
// One reconciliation of one Rollout

class RolloutSync {
public:
    RolloutSync(Store& store, const SimTime& time, json rollout,
                std::map<std::string, core::Clock::time_point>& pause_clock)
        : m_store(store), m_time(time), m_ro(std::move(rollout)), m_pause_clock(pause_clock) {
        m_ns = fields::string_at(m_ro, {"metadata", "namespace"});
        m_name = name_of(m_ro);
        m_uid = fields::string_at(m_ro, {"metadata", "uid"});
        m_old =
            m_ro.contains("status") && m_ro["status"].is_object() ? m_ro["status"] : json::object();
        m_now = timestamp(time);
        m_pause.status_abort = fields::bool_at(m_old, {"abort"});
    }

    void run();

private:
    // Inputs
    const json& canary() const { return m_ro["spec"]["strategy"]["canary"]; }
    bool is_blue_green() const {
        return !fields::has(m_ro, {"spec", "strategy", "canary"}) &&
               fields::has(m_ro, {"spec", "strategy", "blueGreen"});
    }
    const json& blue_green() const { return m_ro["spec"]["strategy"]["blueGreen"]; }
    // The strategy's own settings: spec.strategy.canary or spec.strategy.blueGreen.
    const json& strategy() const { return is_blue_green() ? blue_green() : canary(); }
    const json& steps() const {
        static const json empty = json::array();
        const auto* s = fields::find(m_ro, {"spec", "strategy", "canary", "steps"});
        return s && s->is_array() ? *s : empty;
    }
    std::int64_t step_count() const { return static_cast<std::int64_t>(steps().size()); }
    std::int64_t replicas() const {
        return fields::optional_int_at(m_ro, {"spec", "replicas"}).value_or(1);
    }
    std::int64_t status_index() const { return fields::int_at(m_old, {"currentStepIndex"}); }
    // The current step, or nullptr when there are no steps or all were executed.
    const json* current_step() const {
        const auto index = status_index();
        if (steps().empty() || index < 0 || index >= step_count()) {
            return nullptr;
        }
        return &steps()[static_cast<std::size_t>(index)];
    }
    std::string stable_hash() const { return fields::string_at(m_old, {"stableRS"}); }
    std::string old_pod_hash() const { return fields::string_at(m_old, {"currentPodHash"}); }
    bool has_pause_condition(const std::string& reason) const {
        for (const auto& c : fields::array_at(m_old, {"pauseConditions"})) {
            if (fields::string_at(c, {"reason"}) == reason) {
                return true;
            }
        }
        return false;
    }

    bool resolve();
    void write_invalid(const std::string& message);
    void load_replica_sets();
    ReplicaSet* new_rs() { return m_new ? &m_all[*m_new] : nullptr; }
    ReplicaSet* stable_rs() { return m_stable ? &m_all[*m_stable] : nullptr; }
    std::vector<ReplicaSet*> other_rss();
    std::vector<ReplicaSet*> older_rss();
    std::int64_t max_old_revision();

    bool template_or_steps_changed();
    void sync_revision();
    void create_new_rs();
    void set_rollout_revision(std::int64_t revision);
    void update_rs(ReplicaSet& rs, const std::function<void(json&)>& change);
    void reconcile_ephemeral_metadata();
    void reconcile_history_limit();
    void reconcile_services();
    void ensure_service(const std::string& service, const ReplicaSet* rs);
    void reconcile_analysis_runs();
    json create_analysis_run(const json& analysis, std::int64_t index);
    bool reconcile_replica_sets();
    bool scale(ReplicaSet& rs, std::int64_t replicas);
    std::int64_t desired_weight();
    std::pair<std::int64_t, std::int64_t> basic_canary_counts();
    bool scale_down_old();
    bool reconcile_pause();
    bool completed_current_step();
    bool at_desired_counts();
    std::string should_full_promote();
    void sync_status();
    json base_status();
    void calculate_conditions(json& status);
    bool rollout_healthy(const json& status);
    bool rollout_progressing(const json& status);
    void persist(json status);

    // Blue-green (rollout/bluegreen.go, rollout/service.go)
    bool load_blue_green_services();
    void run_blue_green();
    void switch_service(json& service, const std::string& hash);
    bool halt_progress() const;
    bool pod_spec_changed() const;
    std::int64_t blue_green_new_replicas();
    bool ready_for_pause();
    bool saturated(const ReplicaSet* rs) const;
    bool is_rollback();
    bool is_fast_rollback();
    bool fast_tracked();
    bool needs_controller_pause() const;
    bool completed_blue_green_pause();
    std::optional<core::Clock::time_point> pause_start(const std::string& reason) const;
    std::optional<core::Clock::time_point> scale_down_deadline(const ReplicaSet& rs) const;
    void set_scale_down_deadline(ReplicaSet& rs, std::chrono::milliseconds delay);
    void remove_scale_down_deadline(ReplicaSet& rs);
    std::optional<std::chrono::milliseconds> abort_scale_down_delay() const;
    bool delay_scale_down_on_abort();
    void reconcile_blue_green_replica_sets();
    void reconcile_blue_green_new_rs();
    void scale_down_old_blue_green();
    bool referenced(const ReplicaSet& rs) const;
    void reconcile_blue_green_pause();
    void reconcile_active_service();
    std::string should_full_promote_blue_green(const json& status);
    bool scale_up_preview_checkpoint();
    void sync_status_blue_green();

    Store& m_store;
    const SimTime& m_time;
    json m_ro;  // the rollout, with the workloadRef's template resolved into spec (in memory)
    json m_old; // its status as read
    std::map<std::string, core::Clock::time_point>& m_pause_clock;
    std::string m_ns;
    std::string m_name;
    std::string m_uid;
    std::string m_now;
    std::string m_workload_generation; // "" without workloadRef
    std::string m_hash;                // of the (resolved) template
    std::vector<ReplicaSet> m_all;
    std::optional<std::size_t> m_new;
    std::optional<std::size_t> m_stable;
    json m_step_run;                  // the current step's AnalysisRun, or null
    std::vector<json> m_other_runs;   // other runs the rollout owns
    json m_step_run_status = nullptr; // what status.canary.currentStepAnalysisRunStatus becomes
    PauseContext m_pause;
    json m_active_service;           // blue-green: the activeService as last read or written
    json m_preview_service;          // blue-green: the previewService, or null without one
    bool m_new_within_delay = false; // the new ReplicaSet had a future scale-down-deadline
};

bool RolloutSync::resolve() {
    const auto* ref = fields::find(m_ro, {"spec", "workloadRef"});
    if (ref == nullptr) {
        return true;
    }
    const auto api_version = fields::string_at(*ref, {"apiVersion"});
    const auto kind = fields::string_at(*ref, {"kind"});
    const auto group = api_version.find('/') == std::string::npos
                           ? std::string()
                           : api_version.substr(0, api_version.find('/'));
    if (kind != "Deployment" || group != "apps") {
        write_invalid("workload of type " + group + "/" + kind + " is not supported");
        return false;
    }
    const auto name = fields::string_at(*ref, {"name"});
    const auto deployment = m_store.find(kinds::deployments, m_ns, name);
    if (!deployment) {
        write_invalid("deployments.apps \"" + name + "\" not found");
        return false;
    }
    m_ro["spec"]["template"] = (*deployment)["spec"].value("template", json::object());
    if (!fields::has(m_ro, {"spec", "selector"}) &&
        fields::has(*deployment, {"spec", "selector"})) {
        m_ro["spec"]["selector"] = (*deployment)["spec"]["selector"];
    }
    m_workload_generation = std::to_string(fields::int_at(*deployment, {"metadata", "generation"}));
    return true;
}

void RolloutSync::write_invalid(const std::string& message) {
    json status = m_old;
    set_condition(status, "InvalidSpec", "True", "InvalidSpec", message, m_now);
    status["observedGeneration"] = std::to_string(fields::int_at(m_ro, {"metadata", "generation"}));
    status["phase"] = "Degraded";
    status["message"] = "InvalidSpec: " + message;
    write_status(m_store, kinds::rollouts, m_ro, m_old, status);
}

void RolloutSync::load_replica_sets() {
    const auto collision = fields::optional_int_at(m_old, {"collisionCount"});
    m_hash = argo::pod_template_hash(m_ro["spec"].value("template", json::object()), collision);
    for (auto& object : m_store.list(kinds::replica_sets, in_namespace(m_ns)).items) {
        if (controlled_by(object, m_uid) &&
            !fields::has(object, {"metadata", "deletionTimestamp"})) {
            m_all.push_back(make_replica_set(std::move(object)));
        }
    }
    std::sort(m_all.begin(), m_all.end(), [](const ReplicaSet& a, const ReplicaSet& b) {
        return fields::string_at(a.object, {"metadata", "creationTimestamp"}) <
               fields::string_at(b.object, {"metadata", "creationTimestamp"});
    });
    m_new.reset();
    m_stable.reset();
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        if (m_all[i].hash == m_hash && !m_new) {
            m_new = i;
        }
    }
    const auto stable = stable_hash();
    if (!stable.empty()) {
        if (m_new && m_all[*m_new].hash == stable) {
            m_stable = m_new;
        } else {
            for (std::size_t i = 0; i < m_all.size(); ++i) {
                if (m_all[i].hash == stable) {
                    m_stable = i;
                    break;
                }
            }
        }
    }
}

std::vector<ReplicaSet*> RolloutSync::other_rss() {
    std::vector<ReplicaSet*> out;
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        if (i != m_new && i != m_stable) {
            out.push_back(&m_all[i]);
        }
    }
    return out;
}

std::vector<ReplicaSet*> RolloutSync::older_rss() {
    std::vector<ReplicaSet*> out;
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        if (i != m_new) {
            out.push_back(&m_all[i]);
        }
    }
    return out;
}

std::int64_t RolloutSync::max_old_revision() {
    std::int64_t max = 0;
    for (const auto* rs : older_rss()) {
        max = std::max(max, rs->revision);
    }
    return max;
}

bool RolloutSync::template_or_steps_changed() {
    const auto recorded = fields::string_at(m_old, {"currentStepHash"});
    if (recorded.empty() || recorded != argo::step_hash(steps())) {
        return true;
    }
    const auto current = old_pod_hash();
    return !current.empty() && current != (m_new ? m_all[*m_new].hash : m_hash);
}

void RolloutSync::update_rs(ReplicaSet& rs, const std::function<void(json&)>& change) {
    json updated = m_store.modify(kinds::replica_sets, m_ns, rs.name, change);
    rs = make_replica_set(std::move(updated));
}

void RolloutSync::set_rollout_revision(std::int64_t revision) {
    const auto text = std::to_string(revision);
    const bool generation_differs =
        !m_workload_generation.empty() &&
        fields::annotation(m_ro, k_workload_generation) != m_workload_generation;
    if (fields::annotation(m_ro, k_revision) == text && !generation_differs) {
        return;
    }
    const json updated = m_store.modify(kinds::rollouts, m_ns, m_name, [&](json& object) {
        object["metadata"]["annotations"][k_revision] = text;
        if (!m_workload_generation.empty()) {
            object["metadata"]["annotations"][k_workload_generation] = m_workload_generation;
        }
    });
    m_ro["metadata"] = updated["metadata"];
}

// syncReplicaSetRevision: the new ReplicaSet's revision is one above every older one.
void RolloutSync::sync_revision() {
    ReplicaSet* rs = new_rs();
    if (rs == nullptr) {
        return;
    }
    const auto revision = max_old_revision() + 1;
    if (rs->revision < revision) {
        update_rs(*rs, [&](json& object) {
            object["metadata"]["annotations"][k_revision] = std::to_string(revision);
        });
    }
    set_rollout_revision(rs->revision);
}

void RolloutSync::create_new_rs() {
    const auto revision = max_old_revision() + 1;
    json pod_template = m_ro["spec"].value("template", json::object());
    pod_template["metadata"]["labels"][k_hash_label] = m_hash;
    json selector = m_ro["spec"].value("selector", json::object());
    selector["matchLabels"][k_hash_label] = m_hash;
    json rs = {{"apiVersion", "apps/v1"},
               {"kind", "ReplicaSet"},
               {"metadata",
                {{"name", m_name + "-" + m_hash},
                 {"namespace", m_ns},
                 {"labels", pod_template["metadata"]["labels"]},
                 {"annotations",
                  {{k_revision, std::to_string(revision)},
                   {k_desired_replicas, std::to_string(replicas())}}},
                 {"ownerReferences", json::array({controller_ref(m_ro)})}}},
               {"spec", {{"replicas", 0}, {"selector", selector}, {"template", pod_template}}}};
    if (const auto min_ready = fields::int_at(m_ro, {"spec", "minReadySeconds"}); min_ready > 0) {
        rs["spec"]["minReadySeconds"] = min_ready;
    }
    // The new ReplicaSet is the canary (preview) when there is a stable one, else it will be it.
    const bool has_stable = m_stable.has_value();
    const char* key = is_blue_green() ? (has_stable ? "previewMetadata" : "activeMetadata")
                                      : (has_stable ? "canaryMetadata" : "stableMetadata");
    const auto* metadata = fields::find(strategy(), {key});
    sync_ephemeral_metadata(rs, metadata ? *metadata : json(nullptr));
    json created;
    try {
        created = m_store.create(kinds::replica_sets, rs);
    } catch (const ApiError& error) {
        if (error.code != 409) {
            throw;
        }
        created = m_store.get(kinds::replica_sets, m_ns, name_of(rs));
        if (!controlled_by(created, m_uid)) {
            throw;
        }
    }
    m_all.push_back(make_replica_set(created));
    m_new = m_all.size() - 1;
    set_rollout_revision(revision);
    json status = m_old;
    set_condition(status, "Progressing", "True", "NewReplicaSetCreated",
                  "Created new replica set \"" + name_of(created) + "\"", m_now);
    write_status(m_store, kinds::rollouts, m_ro, m_old, status);
    m_old = status;
}

void RolloutSync::reconcile_ephemeral_metadata() {
    const bool blue_green = is_blue_green();
    const json* canary_meta =
        fields::find(strategy(), {blue_green ? "previewMetadata" : "canaryMetadata"});
    const json* stable_meta =
        fields::find(strategy(), {blue_green ? "activeMetadata" : "stableMetadata"});
    const json none = nullptr;
    const auto sync = [&](ReplicaSet* rs, const json* desired) {
        if (rs == nullptr) {
            return;
        }
        json copy = rs->object;
        if (sync_ephemeral_metadata(copy, desired ? *desired : none)) {
            update_rs(*rs, [&](json& object) {
                object["metadata"]["annotations"] = copy["metadata"]["annotations"];
                object["spec"]["template"]["metadata"] = copy["spec"]["template"]["metadata"];
            });
        }
    };
    const bool rolled_out = stable_hash().empty() || (m_new && stable_hash() == new_rs()->hash);
    if (rolled_out) {
        sync(new_rs(), stable_meta);
    } else {
        sync(new_rs(), canary_meta);
        sync(stable_rs(), stable_meta);
    }
    for (auto* rs : other_rss()) {
        sync(rs, nullptr);
    }
}

void RolloutSync::reconcile_history_limit() {
    const auto limit = fields::optional_int_at(m_ro, {"spec", "revisionHistoryLimit"}).value_or(10);
    auto others = other_rss();
    const auto excess = static_cast<std::int64_t>(others.size()) - limit;
    // Oldest first (argo: by creationTimestamp; the revision breaks ties of the same second).
    std::sort(others.begin(), others.end(), [](const ReplicaSet* a, const ReplicaSet* b) {
        const auto at = fields::string_at(a->object, {"metadata", "creationTimestamp"});
        const auto bt = fields::string_at(b->object, {"metadata", "creationTimestamp"});
        return at != bt ? at < bt : a->revision < b->revision;
    });
    if (excess <= 0) {
        return;
    }
    std::set<std::string> deleted_hashes;
    for (std::int64_t i = 0; i < excess; ++i) {
        const ReplicaSet& rs = *others[static_cast<std::size_t>(i)];
        const auto observed = fields::optional_int_at(rs.object, {"status", "observedGeneration"});
        if (rs.replicas != 0 || rs.spec != 0 ||
            (observed && fields::int_at(rs.object, {"metadata", "generation"}) > *observed)) {
            continue;
        }
        m_store.remove(kinds::replica_sets, m_ns, rs.name);
        deleted_hashes.insert(rs.hash);
    }
    for (const auto& run : m_other_runs) {
        if (deleted_hashes.contains(fields::label(run, k_hash_label))) {
            m_store.remove(kinds::analysis_runs, m_ns, name_of(run));
        }
    }
    // The deleted ones are gone from the lists on the next pass.
}

void RolloutSync::ensure_service(const std::string& service, const ReplicaSet* rs) {
    if (rs == nullptr || service.empty()) {
        return;
    }
    const auto svc = m_store.find(kinds::services, m_ns, service);
    if (!svc) {
        throw not_found(kinds::services, service); // argo stops here until the Service exists
    }
    const auto current = fields::string_at(*svc, {"spec", "selector", k_hash_label});
    if (current == rs->hash) {
        return;
    }
    if (fields::annotation(*svc, k_managed_by).empty() &&
        !(rs->spec != 0 && rs->available != 0 && rs->spec <= rs->available)) {
        return; // adopting a Service: wait for a fully available ReplicaSet
    }
    if (rs->available == 0) {
        return; // never point a Service at nothing
    }
    m_store.modify(kinds::services, m_ns, service, [&](json& object) {
        object["spec"]["selector"][k_hash_label] = rs->hash;
        object["metadata"]["annotations"][k_managed_by] = m_name;
    });
}

void RolloutSync::reconcile_services() {
    ensure_service(fields::string_at(canary(), {"stableService"}), stable_rs());
    const auto canary_service = fields::string_at(canary(), {"canaryService"});
    ensure_service(canary_service, m_pause.aborted() ? stable_rs() : new_rs());
}

json RolloutSync::create_analysis_run(const json& analysis, std::int64_t index) {
    // The templates, their args with the step's values (argo's BuildArgumentsForRolloutAnalysisRun
    // and NewAnalysisRunFromTemplates), and the metrics of all templates.
    json metrics = json::array();
    json args = json::array();
    std::map<std::string, std::size_t> arg_index;
    for (const auto& ref : fields::array_at(analysis, {"templates"})) {
        const auto template_name = fields::string_at(ref, {"templateName"});
        const bool cluster_scope = fields::bool_at(ref, {"clusterScope"});
        const auto found = cluster_scope
                               ? m_store.find(kinds::cluster_analysis_templates, "", template_name)
                               : m_store.find(kinds::analysis_templates, m_ns, template_name);
        if (!found) {
            throw not_found(cluster_scope ? kinds::cluster_analysis_templates
                                          : kinds::analysis_templates,
                            template_name);
        }
        for (const auto& metric : fields::array_at(*found, {"spec", "metrics"})) {
            metrics.push_back(metric);
        }
        for (const auto& arg : fields::array_at(*found, {"spec", "args"})) {
            const auto name = fields::string_at(arg, {"name"});
            if (!arg_index.contains(name)) {
                arg_index[name] = args.size();
                args.push_back(arg);
            }
        }
    }
    for (const auto& arg : fields::array_at(analysis, {"args"})) {
        const auto name = fields::string_at(arg, {"name"});
        std::string value = fields::string_at(arg, {"value"});
        const auto hash_value = fields::string_at(arg, {"valueFrom", "podTemplateHashValue"});
        if (hash_value == "Latest" && new_rs() != nullptr) {
            value = new_rs()->hash;
        } else if (hash_value == "Stable" && stable_rs() != nullptr) {
            value = stable_rs()->hash;
        } else if (const auto path = fields::string_at(arg, {"valueFrom", "fieldRef", "fieldPath"});
                   !path.empty()) {
            const json* at = &m_ro;
            std::string rest = path;
            while (at != nullptr && !rest.empty()) {
                const auto dot = rest.find('.');
                const auto key = rest.substr(0, dot);
                rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
                at = at->is_object() && at->contains(key) ? &(*at)[key] : nullptr;
            }
            value = at == nullptr ? "" : (at->is_string() ? at->get<std::string>() : at->dump());
        }
        const json resolved = {{"name", name}, {"value", value}};
        if (const auto it = arg_index.find(name); it != arg_index.end()) {
            args[it->second] = resolved;
        } else {
            arg_index[name] = args.size();
            args.push_back(resolved);
        }
    }
    const auto revision = fields::annotation(m_ro, k_revision);
    const std::string base = m_name + "-" + m_hash + "-" + revision + "-" + std::to_string(index);
    json labels = {
        {k_hash_label, m_hash}, {"rollout-type", "Step"}, {"step-index", std::to_string(index)}};
    if (const auto* match = fields::find(m_ro, {"spec", "selector", "matchLabels"});
        match != nullptr && match->is_object()) {
        for (const auto& [key, value] : match->items()) {
            labels[key] = value;
        }
    }
    json run = {{"apiVersion", "argoproj.io/v1alpha1"},
                {"kind", "AnalysisRun"},
                {"metadata",
                 {{"name", base},
                  {"namespace", m_ns},
                  {"labels", labels},
                  {"annotations", {{k_revision, revision}}},
                  {"ownerReferences", json::array({controller_ref(m_ro)})}}},
                {"spec", {{"metrics", metrics}, {"args", args}}}};
    // CreateWithCollisionCounter: name, name.1, name.2, ...
    for (int collision = 1;; ++collision) {
        try {
            return m_store.create(kinds::analysis_runs, run);
        } catch (const ApiError& error) {
            if (error.code != 409) {
                throw;
            }
            const auto existing = m_store.find(kinds::analysis_runs, m_ns, name_of(run));
            if (existing && controlled_by(*existing, m_uid) &&
                !is_completed_phase(fields::string_at(*existing, {"status", "phase"})) &&
                (*existing)["spec"] == run["spec"]) {
                return *existing;
            }
            run["metadata"]["name"] = base + "." + std::to_string(collision);
        }
    }
}

void RolloutSync::reconcile_analysis_runs() {
    const auto cancel = [&](const json& run) {
        if (run.is_null() || fields::bool_at(run, {"spec", "terminate"}) ||
            is_completed_phase(fields::string_at(run, {"status", "phase"}))) {
            return;
        }
        m_store.modify(kinds::analysis_runs, m_ns, name_of(run),
                       [](json& object) { object["spec"]["terminate"] = true; });
    };
    const bool fully_promoted = stable_hash() == old_pod_hash();
    const bool cancel_current = fully_promoted || m_pause.aborted() ||
                                fields::bool_at(m_old, {"promoteFull"}) || stable_hash().empty();
    json current = nullptr;
    if (cancel_current) {
        cancel(m_step_run);
    } else {
        const json* step = current_step();
        const auto index = status_index();
        current = m_step_run;
        if (!fields::array_at(m_old, {"pauseConditions"}).empty() ||
            fields::bool_at(m_old, {"abort"})) {
            // keep the current run as it is
        } else {
            const bool from_previous_step =
                step != nullptr && step->contains("analysis") && !current.is_null() &&
                fields::label(current, "step-index") != std::to_string(index);
            if (step == nullptr || !step->contains("analysis") ||
                fields::array_at(*step, {"analysis", "templates"}).empty() || from_previous_step) {
                cancel(current);
                current = nullptr;
            } else {
                // needsNewAnalysisRun
                bool needs_new = current.is_null();
                if (!needs_new) {
                    if (fields::bool_at(m_old, {"controllerPause"}) &&
                        !has_pause_condition(k_canary_pause) &&
                        !has_pause_condition("BlueGreenPause")) {
                        needs_new =
                            fields::string_at(current, {"status", "phase"}) == "Inconclusive";
                    } else {
                        needs_new = fields::has(m_old, {"abortedAt"});
                    }
                }
                if (needs_new) {
                    current = create_analysis_run((*step)["analysis"], index);
                } else {
                    const auto phase = fields::string_at(current, {"status", "phase"});
                    if (phase == "Inconclusive") {
                        m_pause.add.emplace_back("InconclusiveAnalysisRun");
                    } else if (phase == "Error" || phase == "Failed") {
                        std::string message = "Step-based analysis phase error/failed";
                        if (const auto detail = fields::string_at(current, {"status", "message"});
                            !detail.empty()) {
                            message += ": " + detail;
                        }
                        m_pause.add_abort = true;
                        m_pause.abort_message = message;
                    }
                }
            }
        }
    }
    if (!current.is_null()) {
        m_step_run = current;
        m_step_run_status = {{"name", name_of(current)},
                             {"status", fields::string_at(current, {"status", "phase"})}};
        if (const auto message = fields::string_at(current, {"status", "message"});
            !message.empty()) {
            m_step_run_status["message"] = message;
        }
    } else {
        m_step_run = nullptr;
    }
    for (const auto& run : m_other_runs) {
        if (current.is_null() || name_of(run) != name_of(current)) {
            cancel(run);
        }
    }
}

bool RolloutSync::scale(ReplicaSet& rs, std::int64_t count) {
    const auto desired_text = std::to_string(replicas());
    if (rs.spec == count && fields::annotation(rs.object, k_desired_replicas) == desired_text) {
        return false;
    }
    const bool resized = rs.spec != count;
    update_rs(rs, [&](json& object) {
        object["spec"]["replicas"] = count;
        object["metadata"]["annotations"][k_desired_replicas] = desired_text;
    });
    return resized;
}

std::int64_t RolloutSync::desired_weight() {
    // GetCanaryReplicasOrWeight / GetCurrentSetWeight
    if (fields::bool_at(m_old, {"promoteFull"}) || stable_hash().empty() ||
        old_pod_hash() == stable_hash()) {
        return 100;
    }
    if (fields::bool_at(m_old, {"abort"})) {
        return 0;
    }
    const json* step = current_step();
    if (step == nullptr) {
        return 100;
    }
    for (auto i = status_index(); i >= 0; --i) {
        const auto& s = steps()[static_cast<std::size_t>(i)];
        if (s.contains("setWeight") && s["setWeight"].is_number_integer()) {
            return s["setWeight"].get<std::int64_t>();
        }
    }
    return 0;
}

// CalculateReplicaCountsForBasicCanary: {new, stable}.
std::pair<std::int64_t, std::int64_t> RolloutSync::basic_canary_counts() {
    const auto spec_replicas = replicas();
    const auto weight = desired_weight();
    const auto& strategy = canary();
    const json surge_value = strategy.contains("maxSurge") ? strategy["maxSurge"] : json("25%");
    const json unavailable_value =
        strategy.contains("maxUnavailable") ? strategy["maxUnavailable"] : json("25%");
    std::int64_t max_surge = spec_replicas == 0 ? 0 : fencepost(surge_value, spec_replicas, true);
    std::int64_t max_unavailable =
        spec_replicas == 0 ? 0 : fencepost(unavailable_value, spec_replicas, false);
    if (spec_replicas != 0 && max_surge == 0 && max_unavailable == 0) {
        max_unavailable = 1;
    }
    max_unavailable = std::min(max_unavailable, spec_replicas);

    auto [desired_new, desired_stable] =
        argo::weighted_counts(spec_replicas, weight, 100, max_surge);
    ReplicaSet* nrs = new_rs();
    ReplicaSet* srs = stable_rs();
    std::int64_t new_count = nrs ? nrs->spec : 0;
    std::int64_t stable_count = 0;
    const bool scale_stable = srs != nullptr && (nrs == nullptr || nrs->name != srs->name);
    if (scale_stable) {
        stable_count = srs->spec;
    } else {
        desired_new = spec_replicas;
        desired_stable = 0;
    }
    const auto max_allowed = spec_replicas + max_surge;
    std::int64_t total = 0;
    for (const auto* rs : other_rss()) {
        total += rs->spec;
    }
    const std::int64_t old_total = total;
    total += (nrs ? nrs->spec : 0) + (scale_stable ? srs->spec : 0);
    auto scale_up = max_allowed - total;
    if (scale_stable && srs->spec < desired_stable && scale_up > 0) {
        if (srs->spec + scale_up < desired_stable) {
            stable_count = srs->spec + scale_up;
            scale_up = 0;
        } else {
            stable_count = desired_stable;
            scale_up -= desired_stable - srs->spec;
        }
    }
    if (nrs != nullptr && nrs->spec < desired_new && scale_up > 0) {
        new_count = std::min(nrs->spec + scale_up, desired_new);
    }
    if (old_total > 0) {
        return {new_count, stable_count};
    }
    const auto min_available = spec_replicas - max_unavailable;
    const bool increasing = nrs == nullptr || desired_new >= nrs->spec;
    const auto for_scale_down = [](const ReplicaSet* rs, bool ignore_availability) {
        if (rs == nullptr) {
            return std::int64_t{0};
        }
        if (rs->spec < rs->available || ignore_availability) {
            return rs->spec;
        }
        return rs->available;
    };
    const auto to_scale_down =
        for_scale_down(nrs, !increasing) + for_scale_down(scale_stable ? srs : nullptr, increasing);
    if (to_scale_down <= min_available) {
        return {new_count, stable_count};
    }
    const auto scale_down = to_scale_down - min_available;
    const auto drain = [&](const ReplicaSet* rs, std::int64_t desired, std::int64_t count) {
        if (rs != nullptr && rs->spec > desired) {
            return std::max(desired, rs->spec - scale_down);
        }
        return count;
    };
    // adjustReplicaWithinLimits
    const auto adjust = [&](const ReplicaSet* drain_rs, const ReplicaSet* adjust_rs,
                            std::int64_t drain_count, std::int64_t adjust_count) {
        std::int64_t over = std::max<std::int64_t>(0, adjust_count + drain_count - max_allowed);
        std::int64_t available = 0;
        if (drain_rs != nullptr) {
            available += std::min(drain_rs->available, drain_count);
        }
        if (adjust_rs != nullptr) {
            adjust_count -= over;
            available += std::min(adjust_rs->available, adjust_count);
            const auto extra = std::max<std::int64_t>(0, adjust_rs->available - adjust_count);
            const auto needed = std::max<std::int64_t>(0, min_available - available);
            adjust_count += std::min(extra, needed);
            over = std::max<std::int64_t>(0, adjust_count + drain_count - max_allowed);
            drain_count -= over;
        }
        return std::make_pair(drain_count, adjust_count);
    };
    if (!increasing) {
        new_count = drain(nrs, desired_new, new_count);
        std::tie(new_count, stable_count) =
            adjust(nrs, scale_stable ? srs : nullptr, new_count, stable_count);
    } else if (scale_stable) {
        stable_count = drain(srs, desired_stable, stable_count);
        std::tie(stable_count, new_count) = adjust(srs, nrs, stable_count, new_count);
    }
    return {new_count, stable_count};
}

// scaleDownOldReplicaSetsForCanary (after cleanupUnhealthyReplicas).
bool RolloutSync::scale_down_old() {
    auto others = other_rss();
    std::int64_t old_pods = 0;
    for (const auto* rs : others) {
        old_pods += rs->spec;
    }
    if (old_pods == 0) {
        return false;
    }
    std::int64_t scaled = 0;
    for (auto* rs : others) {
        if (rs->spec == 0 || rs->spec == rs->available) {
            continue;
        }
        scaled += rs->spec - rs->available;
        scale(*rs, rs->available);
    }
    std::int64_t available = 0;
    for (const auto& rs : m_all) {
        available += rs.available;
    }
    const auto& strategy = canary();
    const auto spec_replicas = replicas();
    const json surge_value = strategy.contains("maxSurge") ? strategy["maxSurge"] : json("25%");
    const json unavailable_value =
        strategy.contains("maxUnavailable") ? strategy["maxUnavailable"] : json("25%");
    std::int64_t max_unavailable =
        spec_replicas == 0 ? 0 : fencepost(unavailable_value, spec_replicas, false);
    if (spec_replicas != 0 && max_unavailable == 0 &&
        fencepost(surge_value, spec_replicas, true) == 0) {
        max_unavailable = 1;
    }
    auto max_scale_down = available - (spec_replicas - std::min(max_unavailable, spec_replicas));
    if (max_scale_down <= 0) {
        return scaled > 0;
    }
    std::sort(others.begin(), others.end(),
              [](const ReplicaSet* a, const ReplicaSet* b) { return a->revision > b->revision; });
    for (auto* rs : others) {
        if (max_scale_down <= 0) {
            break;
        }
        if (rs->spec == 0) {
            continue;
        }
        const auto target = rs->spec > max_scale_down ? rs->spec - max_scale_down : 0;
        const auto before = rs->spec;
        scale(*rs, target);
        max_scale_down -= before - target;
        scaled += before - target;
    }
    return scaled > 0;
}

// reconcileCanaryReplicaSets: true when a ReplicaSet was scaled (the pass ends there).
bool RolloutSync::reconcile_replica_sets() {
    if (fields::bool_at(m_ro, {"spec", "paused"}) ||
        has_pause_condition("InconclusiveAnalysisRun")) {
        return false;
    }
    ReplicaSet* nrs = new_rs();
    ReplicaSet* srs = stable_rs();
    if (srs != nullptr && (nrs == nullptr || nrs->name != srs->name)) {
        if (scale(*srs, basic_canary_counts().second)) {
            return true;
        }
    }
    if (nrs != nullptr && scale(*nrs, basic_canary_counts().first)) {
        return true;
    }
    return scale_down_old();
}

// reconcileCanaryPause: adds the CanaryPauseStep pause condition when a pause step starts.
bool RolloutSync::reconcile_pause() {
    if (fields::bool_at(m_ro, {"spec", "paused"}) || fields::bool_at(m_old, {"promoteFull"})) {
        return false;
    }
    const json* step = current_step();
    if (step == nullptr || !step->contains("pause")) {
        return false;
    }
    if (!has_pause_condition(k_canary_pause) && !fields::bool_at(m_old, {"controllerPause"})) {
        m_pause.add.emplace_back(k_canary_pause);
    }
    return true;
}

bool RolloutSync::at_desired_counts() {
    const auto [desired_new, desired_stable] = basic_canary_counts();
    const ReplicaSet* nrs = new_rs();
    if (nrs == nullptr || nrs->spec != desired_new || nrs->available != desired_new) {
        return false;
    }
    const ReplicaSet* srs = stable_rs();
    if (srs == nullptr || srs->spec != desired_stable || srs->replicas != desired_stable) {
        return false;
    }
    for (const auto* rs : other_rss()) {
        if (rs->available != 0) {
            return false;
        }
    }
    return true;
}

bool RolloutSync::completed_current_step() {
    if (fields::bool_at(m_ro, {"spec", "paused"})) {
        return false;
    }
    const json* step = current_step();
    if (step == nullptr) {
        return false;
    }
    if (step->contains("pause")) {
        json started;
        for (const auto& c : fields::array_at(m_old, {"pauseConditions"})) {
            if (fields::string_at(c, {"reason"}) == k_canary_pause) {
                started = c;
            }
        }
        if (fields::bool_at(m_old, {"controllerPause"}) && started.is_null()) {
            return true; // promoted: the plugin cleared the pause condition
        }
        const auto* duration = fields::find(*step, {"pause", "duration"});
        if (duration == nullptr || started.is_null()) {
            return false;
        }
        const auto length = parse_duration(*duration);
        if (!length) {
            return false;
        }
        const auto start_text = fields::string_at(started, {"startTime"});
        const auto key = m_uid + "/" + start_text;
        core::Clock::time_point since;
        if (const auto it = m_pause_clock.find(key); it != m_pause_clock.end()) {
            since = it->second;
        } else if (const auto parsed = fields::time_at(started, {"startTime"})) {
            since = *parsed;
        } else {
            return false;
        }
        return m_time.elapsed(since, *length);
    }
    if (step->contains("setWeight") || step->contains("setCanaryScale")) {
        return at_desired_counts();
    }
    if (step->contains("setHeaderRoute") || step->contains("setMirrorRoute")) {
        return true; // traffic routing steps: nothing to route without a traffic router
    }
    if (step->contains("analysis")) {
        return !m_step_run.is_null() &&
               fields::string_at(m_step_run, {"status", "phase"}) == "Successful";
    }
    return false; // experiment steps are not simulated
}

std::string RolloutSync::should_full_promote() {
    if (stable_rs() == nullptr) {
        return "Initial deploy";
    }
    if (m_pause.aborted()) {
        return "";
    }
    const ReplicaSet* nrs = new_rs();
    if (nrs == nullptr || nrs->available < replicas()) {
        return "";
    }
    if (fields::bool_at(m_old, {"promoteFull"})) {
        return "Full promotion requested";
    }
    const auto count = step_count();
    if (count == 0 || fields::optional_int_at(m_old, {"currentStepIndex"}) == count) {
        return "Completed all " + std::to_string(count) + " canary steps";
    }
    return "";
}

// calculateBaseStatus, and the canary fields of syncRolloutStatusCanary.
json RolloutSync::base_status() {
    json status = json::object();
    std::int64_t total = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;
    for (const auto& rs : m_all) {
        total += rs.replicas;
        ready += rs.ready;
        available += rs.available;
    }
    const auto put = [&](const char* key, std::int64_t value) {
        if (value != 0) {
            status[key] = value;
        }
    };
    status["currentPodHash"] = m_new ? m_all[*m_new].hash : m_hash;
    put("replicas", total);
    put("updatedReplicas", m_new ? m_all[*m_new].replicas : 0);
    put("readyReplicas", ready);
    put("availableReplicas", available);
    put("HPAReplicas", total);
    if (m_old.contains("collisionCount")) {
        status["collisionCount"] = m_old["collisionCount"];
    }
    if (m_old.contains("conditions")) {
        status["conditions"] = m_old["conditions"];
    }
    if (m_old.contains("restartedAt")) {
        status["restartedAt"] = m_old["restartedAt"];
    }
    // podRestarter: pods restart in the workload clusters; the restart is recorded once due.
    if (const auto restart_at = fields::time_at(m_ro, {"spec", "restartAt"});
        restart_at &&
        *restart_at <= std::chrono::time_point_cast<std::chrono::seconds>(m_time.now)) {
        status["restartedAt"] = m_ro["spec"]["restartAt"];
    }
    if (fields::bool_at(m_old, {"promoteFull"})) {
        status["promoteFull"] = true;
    }
    status["selector"] =
        core::LabelSelector::from_json(m_ro["spec"].value("selector", json::object())).to_string();
    status["stableRS"] = stable_hash();
    if (status["stableRS"] == "") {
        status.erase("stableRS");
    }
    if (!is_blue_green()) {
        status["currentStepHash"] = argo::step_hash(steps());
    }
    status["canary"] = json::object();
    if (!m_step_run_status.is_null()) {
        status["canary"]["currentStepAnalysisRunStatus"] = m_step_run_status;
    }
    status["blueGreen"] = json::object();
    return status;
}

bool RolloutSync::rollout_healthy(const json& status) {
    const auto spec_replicas = replicas();
    bool executed_all = true;
    if (step_count() > 0 && status.contains("currentStepIndex")) {
        executed_all = fields::int_at(status, {"currentStepIndex"}) == step_count();
    }
    const auto stable = fields::string_at(status, {"stableRS"});
    const auto current = fields::string_at(status, {"currentPodHash"});
    const bool current_is_stable = !stable.empty() && stable == current;
    const bool generation_observed =
        fields::string_at(m_old, {"observedGeneration"}) ==
        std::to_string(fields::int_at(m_ro, {"metadata", "generation"}));
    if (is_blue_green()) {
        // Both Services on the current pods; old ones may still run (the scale-down delay).
        const bool preview_done =
            fields::string_at(blue_green(), {"previewService"}).empty() ||
            fields::string_at(status, {"blueGreen", "previewSelector"}) == current;
        return fields::int_at(status, {"updatedReplicas"}) == spec_replicas &&
               fields::int_at(status, {"availableReplicas"}) == spec_replicas &&
               generation_observed &&
               fields::string_at(status, {"blueGreen", "activeSelector"}) == current &&
               preview_done;
    }
    return fields::int_at(status, {"updatedReplicas"}) == spec_replicas &&
           fields::int_at(status, {"availableReplicas"}) == spec_replicas && generation_observed &&
           executed_all && current_is_stable &&
           fields::int_at(status, {"replicas"}) == spec_replicas;
}

bool RolloutSync::rollout_progressing(const json& status) {
    const auto& old = m_old;
    bool strategy_progress = false;
    if (is_blue_green()) {
        for (const char* selector : {"activeSelector", "previewSelector"}) {
            strategy_progress =
                strategy_progress || fields::string_at(status, {"blueGreen", selector}) !=
                                         fields::string_at(old, {"blueGreen", selector});
        }
    } else {
        strategy_progress =
            fields::string_at(status, {"stableRS"}) != fields::string_at(old, {"stableRS"}) ||
            fields::string_at(status, {"currentStepHash"}) !=
                fields::string_at(old, {"currentStepHash"});
        if (status.contains("currentStepIndex") && old.contains("currentStepIndex") &&
            fields::int_at(status, {"currentStepIndex"}) !=
                fields::int_at(old, {"currentStepIndex"})) {
            strategy_progress = true;
        }
    }
    const auto i = [](const json& s, std::string_view key) {
        return fields::int_at(s, {key});
    };
    return i(status, "updatedReplicas") != i(old, "updatedReplicas") ||
           (i(status, "replicas") - i(status, "updatedReplicas")) <
               (i(old, "replicas") - i(old, "updatedReplicas")) ||
           i(status, "readyReplicas") > i(old, "readyReplicas") ||
           i(status, "availableReplicas") > i(old, "availableReplicas") || strategy_progress;
}

// checkPausedConditions and calculateRolloutConditions.
void RolloutSync::calculate_conditions(json& status) {
    const bool is_paused = !fields::array_at(m_old, {"pauseConditions"}).empty() ||
                           fields::bool_at(m_ro, {"spec", "paused"});
    const auto generation = std::to_string(fields::int_at(m_ro, {"metadata", "generation"}));
    const json old_progressing = find_condition(m_old, "Progressing");
    const auto old_reason = fields::string_at(old_progressing, {"reason"});
    const bool abort_condition = old_reason == "RolloutAborted";
    if (fields::string_at(m_old, {"observedGeneration"}) == generation) {
        const bool old_completed = !stable_hash().empty() && stable_hash() == old_pod_hash();
        if (is_paused != (old_reason == "RolloutPaused") && !abort_condition && !old_completed) {
            set_condition(status, "Progressing", "Unknown",
                          is_paused ? "RolloutPaused" : "RolloutResumed",
                          is_paused ? "Rollout is paused" : "Rollout is resumed", m_now);
        }
        if (!fields::bool_at(m_old, {"abort"}) && abort_condition) {
            set_condition(status, "Progressing", "Unknown", "RolloutRetry",
                          "Retrying Rollout after abort", m_now);
        }
        const json paused = find_condition(m_old, "Paused");
        const bool paused_true = fields::string_at(paused, {"status"}) == "True";
        if (is_paused != paused_true && !abort_condition) {
            set_condition(status, "Paused", is_paused ? "True" : "False", "RolloutPaused",
                          "Rollout is paused", m_now);
        }
    }

    const bool aborted = m_pause.aborted();
    bool became_unhealthy = false;
    if (!is_paused && rollout_healthy(status)) {
        set_condition(status, "Healthy", "True", "RolloutHealthy", "Rollout is healthy", m_now);
    } else if (!find_condition(m_old, "Healthy").is_null()) {
        became_unhealthy = set_condition(status, "Healthy", "False", "RolloutHealthy",
                                         "Rollout is not healthy", m_now);
    }
    if (aborted) {
        std::string message =
            "Rollout aborted update to revision " +
            std::to_string(fields::parse_int(fields::annotation(m_ro, k_revision)).value_or(0));
        if (!m_pause.abort_message.empty()) {
            message += ": " + m_pause.abort_message;
        }
        set_condition(status, "Progressing", "False", "RolloutAborted", message, m_now);
    } else {
        const std::string rs_name = m_new ? m_all[*m_new].name : "";
        if (rollout_healthy(status)) {
            set_condition(status, "Progressing", "True", "NewReplicaSetAvailable",
                          "ReplicaSet \"" + rs_name + "\" has successfully progressed.", m_now);
        } else if (rollout_progressing(status) || became_unhealthy) {
            std::string reason = "ReplicaSetUpdated";
            std::string message = m_new ? "ReplicaSet \"" + rs_name + "\" is progressing."
                                        : "Rollout \"" + m_name + "\" is progressing.";
            if (fields::string_at(status, {"stableRS"}) ==
                    fields::string_at(status, {"currentPodHash"}) &&
                became_unhealthy) {
                reason = "ReplicaSetNotAvailable";
                message = "Rollout does not have minimum availability";
            }
            json condition = {{"type", "Progressing"},   {"status", "True"},
                              {"reason", reason},        {"message", message},
                              {"lastUpdateTime", m_now}, {"lastTransitionTime", m_now}};
            const json current = find_condition(status, "Progressing");
            if (!old_progressing.is_null() &&
                fields::string_at(old_progressing, {"status"}) == "True") {
                condition["lastTransitionTime"] = old_progressing["lastTransitionTime"];
            }
            if (current.is_null() || current["reason"] != reason || current["message"] != message ||
                current["status"] != "True") {
                remove_condition(status, "Progressing");
                status["conditions"].push_back(condition);
            }
        }
    }
    std::int64_t available = 0;
    for (const auto& rs : m_all) {
        available += rs.available;
    }
    bool has_availability = available >= replicas();
    if (is_blue_green()) {
        // The active ReplicaSet alone, at full size.
        const auto active = fields::string_at(status, {"blueGreen", "activeSelector"});
        has_availability = false;
        for (const auto& rs : m_all) {
            if (!active.empty() && rs.hash == active) {
                has_availability = saturated(&rs);
            }
        }
    }
    if (has_availability) {
        set_condition(status, "Available", "True", "AvailableReason",
                      "Rollout has minimum availability", m_now);
    } else {
        set_condition(status, "Available", "False", "AvailableReason",
                      "Rollout does not have minimum availability", m_now);
    }
    const auto stable = fields::string_at(status, {"stableRS"});
    const bool completed =
        !stable.empty() && stable == fields::string_at(status, {"currentPodHash"});
    set_condition(status, "Completed", completed ? "True" : "False", "RolloutCompleted",
                  "RolloutCompleted", m_now);
}

// persistRolloutStatus: pause/abort fields, observedGeneration, phase and message.
void RolloutSync::persist(json status) {
    // CalculateAbortStatus
    if (m_pause.add_abort || (!m_pause.remove_abort && fields::bool_at(m_old, {"abort"}))) {
        status["abort"] = true;
        status["abortedAt"] = m_old.contains("abortedAt") ? m_old["abortedAt"] : json(m_now);
    } else if (!m_pause.clear) {
        // CalculatePauseConditions
        bool controller_pause = fields::bool_at(m_old, {"controllerPause"});
        std::set<std::string> remove(m_pause.remove.begin(), m_pause.remove.end());
        std::set<std::string> present;
        json conditions = json::array();
        for (const auto& c : fields::array_at(m_old, {"pauseConditions"})) {
            const auto reason = fields::string_at(c, {"reason"});
            if (!remove.contains(reason)) {
                conditions.push_back(c);
            }
            present.insert(reason);
        }
        for (const auto& reason : m_pause.add) {
            if (!present.contains(reason)) {
                conditions.push_back({{"reason", reason}, {"startTime", m_now}});
                m_pause_clock[m_uid + "/" + m_now] = m_time.now;
                controller_pause = true;
            }
        }
        if (!conditions.empty()) {
            status["pauseConditions"] = conditions;
            if (controller_pause) {
                status["controllerPause"] = true;
            }
        }
    }
    if (!m_workload_generation.empty()) {
        status["workloadObservedGeneration"] = m_workload_generation;
    }
    status["observedGeneration"] = std::to_string(fields::int_at(m_ro, {"metadata", "generation"}));
    json view = m_ro;
    view["status"] = status;
    const auto phase = rollouts::rollout_phase(view);
    status["phase"] = phase.status;
    if (!phase.message.empty()) {
        status["message"] = phase.message;
    }
    write_status(m_store, kinds::rollouts, m_ro, m_old, status);
}

// syncRolloutStatusCanary
void RolloutSync::sync_status() {
    json status = base_status();
    const auto count = step_count();
    std::optional<std::int64_t> index;
    if (count > 0) {
        index = status_index();
    }
    if (template_or_steps_changed()) {
        // resetRolloutStatus
        m_pause.clear = true;
        m_pause.remove_abort = true;
        status.erase("promoteFull");
        status["canary"].erase("currentStepAnalysisRunStatus");
        status.erase("currentStepIndex");
        if (count > 0) {
            status["currentStepIndex"] = 0;
            if (m_new && stable_hash() == m_all[*m_new].hash) {
                status["currentStepIndex"] = count;
            }
        }
        calculate_conditions(status);
        persist(status);
        return;
    }
    if (fields::bool_at(m_old, {"promoteFull"})) {
        m_pause.clear = true;
        m_pause.remove_abort = true;
        if (count > 0) {
            index = count;
        }
    }
    if (const auto reason = should_full_promote(); !reason.empty()) {
        // promoteStable
        m_pause.clear = true;
        m_pause.remove_abort = true;
        status.erase("promoteFull");
        status.erase("currentStepIndex");
        if (count > 0) {
            status["currentStepIndex"] = count;
        }
        status["stableRS"] = status["currentPodHash"];
        calculate_conditions(status);
        persist(status);
        return;
    }
    if (m_pause.aborted()) {
        if (count > 0) {
            status["currentStepIndex"] = fields::string_at(status, {"stableRS"}) ==
                                                 fields::string_at(status, {"currentPodHash"})
                                             ? count
                                             : 0;
        }
        calculate_conditions(status);
        persist(status);
        return;
    }
    if (completed_current_step()) {
        index = *index + 1;
        status["canary"].erase("currentStepAnalysisRunStatus");
        m_pause.remove.emplace_back(k_canary_pause);
    }
    if (index) {
        status["currentStepIndex"] = *index;
    }
    calculate_conditions(status);
    persist(status);
}

void RolloutSync::run() {
    if (fields::has(m_ro, {"metadata", "deletionTimestamp"})) {
        return;
    }
    if (!resolve()) {
        return;
    }
    if (!fields::has(m_ro, {"spec", "strategy", "canary"}) && !is_blue_green()) {
        write_invalid(
            "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'");
        return;
    }
    if (!fields::has(m_ro, {"spec", "replicas"})) {
        m_store.modify(kinds::rollouts, m_ns, m_name,
                       [](json& object) { object["spec"]["replicas"] = 1; });
        return;
    }
    if (!fields::has(m_ro, {"spec", "selector"})) {
        write_invalid("Rollout has missing field '.spec.selector'");
        return;
    }
    if (is_blue_green() && !load_blue_green_services()) {
        return;
    }
    if (!find_condition(m_old, "InvalidSpec").is_null()) {
        json status = m_old;
        remove_condition(status, "InvalidSpec");
        write_status(m_store, kinds::rollouts, m_ro, m_old, status);
        m_old = status;
    }
    load_replica_sets();
    const auto step_run_name =
        fields::string_at(m_old, {"canary", "currentStepAnalysisRunStatus", "name"});
    m_step_run = nullptr;
    for (auto& run : m_store.list(kinds::analysis_runs, in_namespace(m_ns)).items) {
        if (!controlled_by(run, m_uid)) {
            continue;
        }
        if (!step_run_name.empty() && name_of(run) == step_run_name) {
            m_step_run = run;
        } else {
            m_other_runs.push_back(std::move(run));
        }
    }
    if (is_blue_green()) {
        run_blue_green();
        return;
    }

    if (template_or_steps_changed()) {
        sync_revision();
        sync_status();
        return;
    }
    if (m_new) {
        sync_revision();
    } else {
        create_new_rs();
    }
    reconcile_ephemeral_metadata();
    reconcile_history_limit();
    reconcile_services();
    reconcile_analysis_runs();
    if (!m_pause.add.empty()) {
        sync_status();
        return;
    }
    if (reconcile_replica_sets()) {
        sync_status();
        return;
    }
    reconcile_pause();
    sync_status();
}

// ---------------------------------------------------------------------------------------------
// Blue-green (rollout/bluegreen.go, rollout/service.go, rollout/replicaset.go, pause.go)
//
// The new revision's ReplicaSet comes up at full size (or previewReplicaCount) beside the
// active one, with the previewService on it; the activeService moves to it on promotion (at
// once with autoPromotionEnabled, after autoPromotionSeconds, or when `promote` clears the
// BlueGreenPause), and the old ReplicaSet is scaled down after scaleDownDelaySeconds. Pre- and
// post-promotion analysis are not simulated (they count as successful).

std::string service_hash(const json& service) {
    return fields::string_at(service, {"spec", "selector", k_hash_label});
}

// getReferencedServices and ValidateService: a Service that is missing, managed by another
// Rollout or selecting other pods makes the spec invalid (argo's InvalidSpec condition).
bool RolloutSync::load_blue_green_services() {
    const auto active = fields::string_at(blue_green(), {"activeService"});
    const auto preview = fields::string_at(blue_green(), {"previewService"});
    const std::string prefix = "The Rollout \"" + m_name + "\" is invalid: ";
    const auto invalid = [&](const std::string& field, const std::string& value,
                             const std::string& detail) {
        write_invalid(prefix + "spec.strategy.blueGreen." + field + ": Invalid value: \"" + value +
                      "\": " + detail);
        return false;
    };
    if (active.empty()) {
        write_invalid(prefix +
                      "spec.strategy.blueGreen.activeService: Required value: Rollout has missing "
                      "field '.spec.strategy.blueGreen.activeService'");
        return false;
    }
    if (active == preview) {
        return invalid("activeService", active,
                       "This rollout uses the same service for the active and preview services, "
                       "but two different services are required.");
    }
    const json* labels = fields::find(m_ro, {"spec", "template", "metadata", "labels"});
    m_preview_service = nullptr;
    const std::pair<std::string, std::string> services[] = {{"activeService", active},
                                                            {"previewService", preview}};
    for (const auto& [field, name] : services) {
        if (name.empty()) {
            continue;
        }
        auto service = m_store.find(kinds::services, m_ns, name);
        if (!service) {
            return invalid(field, name, "services \"" + name + "\" not found");
        }
        if (const auto* selector = fields::find(*service, {"spec", "selector"});
            selector != nullptr && selector->is_object()) {
            for (const auto& [key, value] : selector->items()) {
                if (key != k_hash_label && (labels == nullptr || !labels->is_object() ||
                                            !labels->contains(key) || (*labels)[key] != value)) {
                    return invalid(field, name,
                                   "Service \"" + name + "\" has unmatch label \"" + key +
                                       "\" in rollout");
                }
            }
        }
        if (const auto manager = fields::annotation(*service, k_managed_by);
            !manager.empty() && manager != m_name) {
            return invalid(field, name, "Service \"" + name + "\" is managed by another Rollout");
        }
        (field == "activeService" ? m_active_service : m_preview_service) = std::move(*service);
    }
    return true;
}

// switchServiceSelector: the selector's hash, and the managed-by annotation when it is missing.
void RolloutSync::switch_service(json& service, const std::string& hash) {
    if (service.is_null() || hash.empty()) {
        return;
    }
    const bool managed = !fields::annotation(service, k_managed_by).empty();
    if (managed && service_hash(service) == hash) {
        return;
    }
    service = m_store.modify(kinds::services, m_ns, name_of(service), [&](json& object) {
        object["spec"]["selector"][k_hash_label] = hash;
        if (!managed) {
            object["metadata"]["annotations"][k_managed_by] = m_name;
        }
    });
}

bool RolloutSync::halt_progress() const {
    return fields::bool_at(m_ro, {"spec", "paused"}) ||
           has_pause_condition("InconclusiveAnalysisRun");
}

// CheckPodSpecChange
bool RolloutSync::pod_spec_changed() const {
    const auto recorded = old_pod_hash();
    return !recorded.empty() && recorded != (m_new ? m_all[*m_new].hash : m_hash);
}

// NewRSNewReplicas for blue-green: previewReplicaCount until the promotion begins.
std::int64_t RolloutSync::blue_green_new_replicas() {
    const auto desired = replicas();
    const auto preview_count = fields::optional_int_at(blue_green(), {"previewReplicaCount"});
    const ReplicaSet* nrs = new_rs();
    if (!preview_count || nrs == nullptr) {
        return desired;
    }
    const auto active = fields::string_at(m_old, {"blueGreen", "activeSelector"});
    const bool active_exists = std::any_of(m_all.begin(), m_all.end(), [&](const ReplicaSet& rs) {
        return !active.empty() && rs.hash == active;
    });
    if (!active_exists || active == nrs->hash || fields::bool_at(m_old, {"promoteFull"})) {
        return desired;
    }
    if (nrs->hash != old_pod_hash()) {
        return *preview_count;
    }
    const bool not_paused = !fields::bool_at(m_ro, {"spec", "paused"}) &&
                            fields::array_at(m_old, {"pauseConditions"}).empty();
    if (not_paused && fields::bool_at(m_old, {"blueGreen", "scaleUpPreviewCheckPoint"})) {
        return desired;
    }
    return *preview_count;
}

// ReadyForPause: the new ReplicaSet is at the size it should have now, all of it available.
bool RolloutSync::ready_for_pause() {
    const ReplicaSet* nrs = new_rs();
    if (nrs == nullptr) {
        return false;
    }
    const auto count = blue_green_new_replicas();
    return nrs->spec == count && nrs->available == count;
}

// annotations.IsSaturated: at spec.replicas, recorded so, and all of it available.
bool RolloutSync::saturated(const ReplicaSet* rs) const {
    if (rs == nullptr) {
        return false;
    }
    const auto desired = fields::parse_int(fields::annotation(rs->object, k_desired_replicas));
    return desired && *desired == replicas() && rs->spec == replicas() &&
           rs->available == replicas();
}

bool RolloutSync::is_rollback() {
    const ReplicaSet* nrs = new_rs();
    const ReplicaSet* srs = stable_rs();
    if (nrs == nullptr || srs == nullptr) {
        return false;
    }
    return stable_hash() == nrs->hash ||
           fields::string_at(nrs->object, {"metadata", "creationTimestamp"}) <
               fields::string_at(srs->object, {"metadata", "creationTimestamp"});
}

// isFastRollback: back to the stable ReplicaSet, or to one still within its scale-down delay.
bool RolloutSync::is_fast_rollback() {
    if (!is_rollback()) {
        return false;
    }
    return m_new_within_delay || stable_hash() == new_rs()->hash;
}

// isBlueGreenFastTracked: no pause when the active Service needs no switch or must not wait.
bool RolloutSync::fast_tracked() {
    if (is_fast_rollback() || fields::bool_at(m_old, {"promoteFull"})) {
        return true;
    }
    const auto active = service_hash(m_active_service);
    return active.empty() || (m_new && active == new_rs()->hash);
}

bool RolloutSync::needs_controller_pause() const {
    const auto* enabled = fields::find(blue_green(), {"autoPromotionEnabled"});
    if (enabled != nullptr && enabled->is_boolean() && !enabled->get<bool>()) {
        return true;
    }
    return fields::int_at(blue_green(), {"autoPromotionSeconds"}) > 0;
}

std::optional<core::Clock::time_point> RolloutSync::pause_start(const std::string& reason) const {
    for (const auto& c : fields::array_at(m_old, {"pauseConditions"})) {
        if (fields::string_at(c, {"reason"}) != reason) {
            continue;
        }
        const auto key = m_uid + "/" + fields::string_at(c, {"startTime"});
        if (const auto it = m_pause_clock.find(key); it != m_pause_clock.end()) {
            return it->second;
        }
        if (const auto parsed = fields::time_at(c, {"startTime"})) {
            return *parsed;
        }
    }
    return std::nullopt;
}

// CompletedBlueGreenPause: promoted by hand, or autoPromotionSeconds passed.
bool RolloutSync::completed_blue_green_pause() {
    if (!m_pause.add.empty()) {
        return false; // paused in this very pass
    }
    if (fields::bool_at(m_old, {"blueGreen", "scaleUpPreviewCheckPoint"})) {
        return true;
    }
    const auto* enabled = fields::find(blue_green(), {"autoPromotionEnabled"});
    if (enabled == nullptr || !enabled->is_boolean() || enabled->get<bool>()) {
        const auto seconds = fields::int_at(blue_green(), {"autoPromotionSeconds"});
        if (seconds <= 0) {
            return true;
        }
        const auto since = pause_start(k_blue_green_pause);
        return since && m_time.elapsed(*since, int32_seconds(seconds));
    }
    return fields::bool_at(m_old, {"controllerPause"}) && !has_pause_condition(k_blue_green_pause);
}

// The scale-down-deadline annotation as a time. nova-sim writes it in real time (the simulated
// delay divided by the time scale) and remembers it to the millisecond, as it does pause starts.
std::optional<core::Clock::time_point>
RolloutSync::scale_down_deadline(const ReplicaSet& rs) const {
    const auto text = fields::annotation(rs.object, k_scale_down_deadline);
    if (text.empty()) {
        return std::nullopt;
    }
    const auto key = "deadline/" + fields::string_at(rs.object, {"metadata", "uid"}) + "/" + text;
    if (const auto it = m_pause_clock.find(key); it != m_pause_clock.end()) {
        return it->second;
    }
    if (const auto parsed =
            fields::time_at(rs.object, {"metadata", "annotations", k_scale_down_deadline})) {
        return *parsed;
    }
    return std::nullopt;
}

// addScaleDownDelay (a delay of 0 removes the annotation).
void RolloutSync::set_scale_down_deadline(ReplicaSet& rs, std::chrono::milliseconds delay) {
    if (delay.count() <= 0) {
        remove_scale_down_deadline(rs);
        return;
    }
    const auto deadline = m_time.now + m_time.real(delay);
    const auto text =
        core::format_rfc3339(std::chrono::time_point_cast<std::chrono::seconds>(deadline));
    m_pause_clock["deadline/" + fields::string_at(rs.object, {"metadata", "uid"}) + "/" + text] =
        deadline;
    update_rs(
        rs, [&](json& object) { object["metadata"]["annotations"][k_scale_down_deadline] = text; });
}

void RolloutSync::remove_scale_down_deadline(ReplicaSet& rs) {
    if (fields::annotation(rs.object, k_scale_down_deadline).empty()) {
        return;
    }
    update_rs(rs,
              [](json& object) { object["metadata"]["annotations"].erase(k_scale_down_deadline); });
}

// GetAbortScaleDownDelaySecondsOrDefault: 30 s; an explicit 0 keeps the preview up.
std::optional<std::chrono::milliseconds> RolloutSync::abort_scale_down_delay() const {
    const auto seconds =
        fields::optional_int_at(blue_green(), {"abortScaleDownDelaySeconds"}).value_or(30);
    if (seconds == 0) {
        return std::nullopt;
    }
    return int32_seconds(seconds);
}

// shouldDelayScaleDownOnAbort
bool RolloutSync::delay_scale_down_on_abort() {
    return m_pause.aborted() && stable_rs() != nullptr && abort_scale_down_delay().has_value();
}

// reconcileBlueGreenReplicaSets
void RolloutSync::reconcile_blue_green_replica_sets() {
    // removeScaleDownDeadlines: the new and stable ReplicaSets are not going anywhere.
    ReplicaSet* nrs = new_rs();
    ReplicaSet* srs = stable_rs();
    const bool keep_new_deadline = delay_scale_down_on_abort();
    if (nrs != nullptr && !keep_new_deadline) {
        remove_scale_down_deadline(*nrs);
    }
    if (srs != nullptr && (srs != nrs || keep_new_deadline)) {
        remove_scale_down_deadline(*srs);
    }
    if (srs != nullptr) {
        scale(*srs, replicas());
    }
    reconcile_blue_green_new_rs();
    scale_down_old_blue_green();
    reconcile_history_limit();
}

// reconcileNewReplicaSet: after an abort, the preview stays up abortScaleDownDelaySeconds.
void RolloutSync::reconcile_blue_green_new_rs() {
    ReplicaSet* nrs = new_rs();
    if (nrs == nullptr) {
        return;
    }
    auto count = blue_green_new_replicas();
    if (delay_scale_down_on_abort()) {
        if (const auto deadline = scale_down_deadline(*nrs)) {
            if (m_time.now < *deadline) {
                scale(*nrs, nrs->spec); // only the desired-replicas annotation follows
                return;
            }
            count = 0;
        } else if (fields::annotation(nrs->object, k_scale_down_deadline).empty()) {
            scale(*nrs, nrs->spec);
            // The stable ReplicaSet must be able to take all the traffic first.
            if (stable_rs()->available >= replicas()) {
                set_scale_down_deadline(*nrs, *abort_scale_down_delay());
            }
            return;
        }
    }
    scale(*nrs, count);
}

// isReplicaSetReferenced: a ReplicaSet a Service or the status still points to stays up.
bool RolloutSync::referenced(const ReplicaSet& rs) const {
    if (rs.hash.empty()) {
        return false;
    }
    for (const auto& hash :
         {stable_hash(), old_pod_hash(), fields::string_at(m_old, {"blueGreen", "activeSelector"}),
          fields::string_at(m_old, {"blueGreen", "previewSelector"}),
          service_hash(m_active_service), service_hash(m_preview_service)}) {
        if (hash == rs.hash) {
            return true;
        }
    }
    return false;
}

// scaleDownOldReplicaSetsForBlueGreen with scaleDownDelayHelper: an old ReplicaSet first gets a
// scale-down-deadline, and is scaled to 0 once it has passed.
void RolloutSync::scale_down_old_blue_green() {
    if (has_pause_condition("InconclusiveAnalysisRun")) {
        return;
    }
    std::vector<ReplicaSet*> others;
    for (auto* rs : other_rss()) {
        if (rs->spec > 0) {
            others.push_back(rs);
        }
    }
    std::sort(others.begin(), others.end(),
              [](const ReplicaSet* a, const ReplicaSet* b) { return a->revision > b->revision; });
    const auto limit = fields::optional_int_at(blue_green(), {"scaleDownDelayRevisionLimit"});
    const auto delay = int32_seconds(
        fields::optional_int_at(blue_green(), {"scaleDownDelaySeconds"}).value_or(30));
    std::int64_t annotated = 0;
    for (auto* rs : others) {
        if (referenced(*rs)) {
            continue;
        }
        std::int64_t desired = 0;
        const auto deadline = scale_down_deadline(*rs);
        if (!deadline) {
            // argo would keep a ReplicaSet without a deadline up for good with a delay of 0;
            // nova-sim scales it down at once.
            if ((!limit || annotated < *limit) && delay.count() > 0) {
                ++annotated;
                desired = rs->spec;
                set_scale_down_deadline(*rs, delay);
            }
        } else {
            ++annotated;
            if ((!limit || annotated <= *limit) && m_time.now < *deadline) {
                desired = replicas();
            }
        }
        if (rs->spec != desired) {
            scale(*rs, desired);
        }
    }
}

// reconcileBlueGreenPause: BlueGreenPause once the preview is ready, unless promotion is
// automatic or fast-tracked.
void RolloutSync::reconcile_blue_green_pause() {
    if (fields::bool_at(m_old, {"abort"}) || !ready_for_pause() || halt_progress()) {
        return;
    }
    if (fast_tracked() || fields::bool_at(m_old, {"blueGreen", "scaleUpPreviewCheckPoint"}) ||
        !needs_controller_pause()) {
        m_pause.remove.emplace_back(k_blue_green_pause);
        return;
    }
    if (has_pause_condition(k_blue_green_pause)) {
        if (completed_blue_green_pause()) {
            m_pause.remove.emplace_back(k_blue_green_pause);
        }
    } else if (!fields::bool_at(m_old, {"controllerPause"})) {
        m_pause.add.emplace_back(k_blue_green_pause);
    }
}

// reconcileActiveService: the switch to the new pods, once they are all available and the
// pause is over; back to the stable ones after an abort.
void RolloutSync::reconcile_active_service() {
    if (halt_progress() || !ready_for_pause() || !saturated(new_rs())) {
        return;
    }
    auto hash = service_hash(m_active_service);
    if (fast_tracked() || completed_blue_green_pause()) {
        hash = new_rs()->hash;
    }
    if (fields::bool_at(m_old, {"abort"})) {
        hash = stable_hash();
    }
    switch_service(m_active_service, hash);
}

std::string RolloutSync::should_full_promote_blue_green(const json& status) {
    const auto active = fields::string_at(status, {"blueGreen", "activeSelector"});
    if (stable_rs() == nullptr || active.empty()) {
        return "Initial deploy";
    }
    if (active != fields::string_at(status, {"currentPodHash"})) {
        return "";
    }
    if (fields::bool_at(m_old, {"promoteFull"})) {
        return "Full promotion requested";
    }
    if (is_fast_rollback()) {
        return "Fast rollback";
    }
    if (m_pause.aborted()) {
        return "";
    }
    return "Completed blue-green update";
}

// calculateScaleUpPreviewCheckPoint: set once the preview ReplicaSet is available at
// previewReplicaCount and the pause is over; it then grows to spec.replicas.
bool RolloutSync::scale_up_preview_checkpoint() {
    const auto preview_count = fields::optional_int_at(blue_green(), {"previewReplicaCount"});
    if (!preview_count) {
        return false;
    }
    if (fields::bool_at(m_old, {"blueGreen", "scaleUpPreviewCheckPoint"})) {
        return true;
    }
    if (!completed_blue_green_pause()) {
        return false;
    }
    return new_rs() != nullptr && new_rs()->available == *preview_count;
}

// syncRolloutStatusBlueGreen
void RolloutSync::sync_status_blue_green() {
    json status = base_status();
    const bool reset = pod_spec_changed();
    if (reset || fields::bool_at(m_old, {"promoteFull"})) {
        // resetRolloutStatus, or a full promotion
        m_pause.clear = true;
        m_pause.remove_abort = true;
    }
    if (reset) {
        status.erase("promoteFull");
    }
    json& blue_green_status = status["blueGreen"];
    if (const auto preview = service_hash(m_preview_service); !preview.empty()) {
        blue_green_status["previewSelector"] = preview;
    }
    if (const auto active = service_hash(m_active_service); !active.empty()) {
        blue_green_status["activeSelector"] = active;
    }
    if (const auto reason = should_full_promote_blue_green(status); !reason.empty()) {
        // promoteStable
        m_pause.clear = true;
        m_pause.remove_abort = true;
        status.erase("promoteFull");
        status["stableRS"] = status["currentPodHash"];
    } else if (!reset && scale_up_preview_checkpoint()) {
        blue_green_status["scaleUpPreviewCheckPoint"] = true;
    }
    // The counts that matter are the active ReplicaSet's (what the active Service serves).
    const auto put = [&](const char* key, std::int64_t value) {
        if (value != 0) {
            status[key] = value;
        } else {
            status.erase(key);
        }
    };
    const auto active = fields::string_at(status, {"blueGreen", "activeSelector"});
    const auto active_rs = std::find_if(m_all.begin(), m_all.end(), [&](const ReplicaSet& rs) {
        return !active.empty() && rs.hash == active;
    });
    if (active_rs != m_all.end()) {
        put("HPAReplicas", active_rs->replicas);
        put("availableReplicas", active_rs->available);
        put("readyReplicas", active_rs->ready);
        status["selector"] = core::LabelSelector::from_json(
                                 active_rs->object["spec"].value("selector", json::object()))
                                 .to_string();
    }
    calculate_conditions(status);
    persist(status);
}

// rolloutBlueGreen: one reconciliation of a blue-green Rollout.
void RolloutSync::run_blue_green() {
    if (m_new) {
        sync_revision();
    } else {
        create_new_rs();
    }
    // As the pass found it: the deadline goes in this pass when the ReplicaSet is the new one.
    const auto deadline = scale_down_deadline(*new_rs());
    m_new_within_delay = deadline && m_time.now < *deadline;
    // reconcilePreviewService, right after the new ReplicaSet exists (argo does not wait for it
    // to be available).
    if (!halt_progress()) {
        switch_service(m_preview_service, new_rs()->hash);
    }
    if (pod_spec_changed()) {
        sync_status_blue_green();
        return;
    }
    reconcile_blue_green_replica_sets();
    reconcile_blue_green_pause();
    reconcile_active_service();
    reconcile_ephemeral_metadata();
    sync_status_blue_green();
}

// ---------------------------------------------------------------------------------------------
// AnalysisRuns (analysis/analysis.go) with the job provider (metricproviders/job/job.go)

// Replaces {{args.NAME}} in every string of `value`.
json resolve_args(const json& value, const std::map<std::string, std::string>& args) {
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        for (const auto& [name, arg] : args) {
            const std::string token = "{{args." + name + "}}";
            for (auto at = text.find(token); at != std::string::npos;
                 at = text.find(token, at + arg.size())) {
                text.replace(at, token.size(), arg);
            }
        }
        return text;
    }
    if (value.is_object() || value.is_array()) {
        json out = value;
        for (auto& item : out) {
            item = resolve_args(item, args);
        }
        return out;
    }
    return value;
}

// The Job's outcome: "Successful", "Failed", or "" while it runs.
std::string job_outcome(const json& job) {
    if (auto outcome = rollouts::job_condition_outcome(job)) {
        return *outcome;
    }
    // Without conditions (status summed back from the clusters): the counters decide.
    const auto failed = fields::int_at(job, {"status", "failed"});
    const auto succeeded = fields::int_at(job, {"status", "succeeded"});
    const auto active = fields::int_at(job, {"status", "active"});
    if (failed > fields::optional_int_at(job, {"spec", "backoffLimit"}).value_or(6)) {
        return "Failed";
    }
    if (succeeded >= fields::optional_int_at(job, {"spec", "completions"}).value_or(1) &&
        active == 0) {
        return "Successful";
    }
    return "";
}

std::optional<std::int64_t> int_or_string(const json* value) {
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    if (value->is_number_integer()) {
        return value->get<std::int64_t>();
    }
    if (value->is_string()) {
        return fields::parse_int(value->get<std::string>());
    }
    return std::nullopt;
}

bool is_worse(const std::string& current, const std::string& candidate) {
    const auto rank = [](const std::string& phase) {
        if (phase == "Error") {
            return 4;
        }
        if (phase == "Failed") {
            return 3;
        }
        if (phase == "Inconclusive") {
            return 2;
        }
        return phase == "Successful" ? 1 : 0;
    };
    return rank(candidate) > rank(current);
}

// assessMetricFailureInconclusiveOrError: {phase, message}, phase "" when none applies.
std::pair<std::string, std::string> metric_failure(const json& metric, const json& result) {
    std::string phase;
    std::string message;
    const auto failure_limit = int_or_string(fields::find(metric, {"failureLimit"})).value_or(0);
    const auto failed = fields::int_at(result, {"failed"});
    if (failure_limit >= 0 && failed > failure_limit) {
        phase = "Failed";
        message = "failed (" + std::to_string(failed) + ") > failureLimit (" +
                  std::to_string(failure_limit) + ")";
    }
    const auto inconclusive_limit =
        int_or_string(fields::find(metric, {"inconclusiveLimit"})).value_or(0);
    const auto inconclusive = fields::int_at(result, {"inconclusive"});
    if (inconclusive > inconclusive_limit) {
        phase = "Inconclusive";
        message = "inconclusive (" + std::to_string(inconclusive) + ") > inconclusiveLimit (" +
                  std::to_string(inconclusive_limit) + ")";
    }
    const auto error_limit =
        int_or_string(fields::find(metric, {"consecutiveErrorLimit"})).value_or(4);
    const auto errors = fields::int_at(result, {"consecutiveError"});
    if (errors > error_limit) {
        phase = "Error";
        message = "consecutiveErrors (" + std::to_string(errors) + ") > consecutiveErrorLimit (" +
                  std::to_string(error_limit) + ")";
    }
    return {phase, message};
}

// metric.EffectiveCount: count, or 1 when neither count nor interval is set.
std::optional<std::int64_t> effective_count(const json& metric) {
    if (const auto count = int_or_string(fields::find(metric, {"count"}))) {
        return count;
    }
    if (fields::string_at(metric, {"interval"}).empty()) {
        return 1;
    }
    return std::nullopt;
}

std::string assess_metric(const json& metric, const json& result, bool terminating) {
    const auto phase = fields::string_at(result, {"phase"});
    if (is_completed_phase(phase)) {
        return phase;
    }
    const auto& measurements = fields::array_at(result, {"measurements"});
    if (measurements.empty()) {
        return terminating ? "Successful" : "Pending";
    }
    if (!is_completed_phase(fields::string_at(measurements.back(), {"phase"}))) {
        return "Running";
    }
    if (const auto [failure, message] = metric_failure(metric, result); !failure.empty()) {
        return failure;
    }
    const auto success_limit =
        int_or_string(fields::find(metric, {"consecutiveSuccessLimit"})).value_or(0);
    if (success_limit > 0 && fields::int_at(result, {"consecutiveSuccess"}) >= success_limit) {
        return "Successful";
    }
    if (const auto count = effective_count(metric);
        count && fields::int_at(result, {"count"}) >= *count) {
        const auto failure_limit = int_or_string(fields::find(metric, {"failureLimit"}));
        const bool failure_applicable = !failure_limit || *failure_limit >= 0;
        if (failure_applicable && success_limit > 0) {
            return "Inconclusive";
        }
        if (success_limit > 0) {
            return "Failed";
        }
        return "Successful";
    }
    return terminating ? "Successful" : "Running";
}

void reconcile_analysis_run(Store& store, const SimTime& time, const json& run) {
    const auto old_status =
        run.contains("status") && run["status"].is_object() ? run["status"] : json::object();
    if (is_completed_phase(fields::string_at(old_status, {"phase"}))) {
        return;
    }
    const auto ns = fields::string_at(run, {"metadata", "namespace"});
    const auto uid = fields::string_at(run, {"metadata", "uid"});
    const auto now = timestamp(time);
    const bool terminating = fields::bool_at(run, {"spec", "terminate"});
    std::map<std::string, std::string> args;
    for (const auto& arg : fields::array_at(run, {"spec", "args"})) {
        args[fields::string_at(arg, {"name"})] = fields::string_at(arg, {"value"});
    }
    json status = old_status;
    if (!status.contains("startedAt")) {
        status["startedAt"] = now;
    }
    json results = status.contains("metricResults") && status["metricResults"].is_array()
                       ? status["metricResults"]
                       : json::array();
    const auto result_of = [&](const std::string& name) -> json& {
        for (auto& result : results) {
            if (fields::string_at(result, {"name"}) == name) {
                return result;
            }
        }
        results.push_back({{"name", name}, {"phase", "Running"}});
        return results.back();
    };
    const auto finish = [&](json& result, json& measurement, const std::string& phase) {
        measurement["phase"] = phase;
        measurement["finishedAt"] = now;
        const auto bump = [&](const char* key) {
            result[key] = fields::int_at(result, {key}) + 1;
        };
        if (phase == "Error") {
            bump("error");
            bump("consecutiveError");
            return;
        }
        bump("count");
        result.erase("consecutiveError");
        if (phase == "Successful") {
            bump("successful");
            bump("consecutiveSuccess");
        } else {
            result.erase("consecutiveSuccess");
            bump(phase == "Failed" ? "failed" : "inconclusive");
        }
    };
    for (const auto& raw_metric : fields::array_at(run, {"spec", "metrics"})) {
        const json metric = resolve_args(raw_metric, args);
        const auto metric_name = fields::string_at(metric, {"name"});
        json& result = result_of(metric_name);
        if (is_completed_phase(fields::string_at(result, {"phase"}))) {
            continue;
        }
        if (!result.contains("measurements")) {
            result["measurements"] = json::array();
        }
        json& measurements = result["measurements"];
        const bool job_provider = fields::has(metric, {"provider", "job"});
        if (!measurements.empty() && !measurements.back().contains("finishedAt")) {
            json& measurement = measurements.back();
            const auto job_name = fields::string_at(measurement, {"metadata", "job-name"});
            if (terminating) {
                if (!job_name.empty()) {
                    try {
                        store.remove(kinds::jobs, ns, job_name, foreground());
                    } catch (const ApiError&) {
                    }
                }
                finish(result, measurement, "Successful");
            } else if (const auto job = store.find(kinds::jobs, ns, job_name); !job) {
                measurement["message"] = "jobs.batch \"" + job_name + "\" not found";
                finish(result, measurement, "Error");
            } else if (const auto outcome = job_outcome(*job); !outcome.empty()) {
                finish(result, measurement, outcome);
            }
        } else if (!terminating) {
            // A new measurement: the first, or the next one once the interval has passed.
            bool due = measurements.empty();
            if (!due) {
                const auto count = effective_count(metric);
                const auto taken =
                    fields::int_at(result, {"count"}) + fields::int_at(result, {"error"});
                const auto interval = parse_duration(
                    fields::find(metric, {"interval"}) ? metric["interval"] : json(nullptr));
                const auto finished = fields::time_at(measurements.back(), {"finishedAt"});
                due = (!count || taken < *count) && interval && finished &&
                      time.elapsed(*finished, *interval) &&
                      !is_completed_phase(assess_metric(metric, result, false));
            }
            if (due) {
                json measurement = {{"phase", "Running"}, {"startedAt", now}};
                if (job_provider) {
                    const auto n =
                        fields::int_at(result, {"count"}) + fields::int_at(result, {"error"}) + 1;
                    const auto job_name = uid + "." + metric_name + "." + std::to_string(n);
                    json labels = fields::find(metric, {"provider", "job", "metadata", "labels"})
                                      ? metric["provider"]["job"]["metadata"]["labels"]
                                      : json::object();
                    labels["analysisrun.argoproj.io/uid"] = uid;
                    json annotations =
                        fields::find(metric, {"provider", "job", "metadata", "annotations"})
                            ? metric["provider"]["job"]["metadata"]["annotations"]
                            : json::object();
                    annotations["analysisrun.argoproj.io/name"] = name_of(run);
                    annotations["analysisrun.argoproj.io/metric-name"] = metric_name;
                    json job = {{"apiVersion", "batch/v1"},
                                {"kind", "Job"},
                                {"metadata",
                                 {{"name", job_name},
                                  {"namespace", ns},
                                  {"labels", labels},
                                  {"annotations", annotations},
                                  {"ownerReferences", json::array({controller_ref(run)})}}},
                                {"spec", metric["provider"]["job"].value("spec", json::object())}};
                    try {
                        store.create(kinds::jobs, job);
                    } catch (const ApiError& error) {
                        if (error.code != 409) {
                            throw;
                        }
                    }
                    measurement["metadata"] = {{"job-name", job_name}};
                    measurements.push_back(measurement);
                } else {
                    measurement["message"] = "nova-sim simulates only the job metric provider";
                    measurements.push_back(measurement);
                    result["consecutiveError"] = 4; // the next error exceeds the limit
                    finish(result, measurements.back(), "Error");
                }
            }
        }
    }
    // assessRunStatus
    std::string worst;
    std::string worst_message = terminating ? "Run Terminated" : "";
    bool everything_completed = true;
    json summary = {
        {"count", 0}, {"successful", 0}, {"failed", 0}, {"inconclusive", 0}, {"error", 0}};
    for (const auto& metric_raw : fields::array_at(run, {"spec", "metrics"})) {
        const json metric = resolve_args(metric_raw, args);
        summary["count"] = summary["count"].get<int>() + 1;
        json& result = result_of(fields::string_at(metric, {"name"}));
        const auto phase = assess_metric(metric, result, terminating);
        if (fields::string_at(result, {"phase"}) != phase) {
            if (!result["measurements"].empty()) {
                if (const auto message =
                        fields::string_at(result["measurements"].back(), {"message"});
                    !message.empty()) {
                    result["message"] = message;
                }
            }
            result["phase"] = phase;
        }
        if (!is_completed_phase(phase)) {
            everything_completed = false;
            continue;
        }
        const auto [failure, message] = metric_failure(metric, result);
        if (worst.empty() || is_worse(worst, phase)) {
            worst = phase;
            if (!message.empty()) {
                worst_message = "Metric \"" + fields::string_at(metric, {"name"}) + "\" assessed " +
                                phase + " due to " + message;
                if (const auto detail = fields::string_at(result, {"message"}); !detail.empty()) {
                    worst_message += ": \"Error Message: " + detail + "\"";
                }
            }
        }
        const std::string key = failure.empty()             ? "successful"
                                : failure == "Failed"       ? "failed"
                                : failure == "Inconclusive" ? "inconclusive"
                                                            : "error";
        summary[key] = summary[key].get<int>() + 1;
    }
    std::string run_phase;
    if (terminating) {
        run_phase = worst.empty() ? "Successful" : worst;
    } else if (!everything_completed || worst.empty()) {
        run_phase = "Running";
        worst_message.clear();
    } else {
        run_phase = worst;
    }
    status["metricResults"] = results;
    status["phase"] = run_phase;
    json run_summary = json::object();
    for (const auto& [key, value] : summary.items()) {
        if (value.get<int>() != 0) {
            run_summary[key] = value;
        }
    }
    status["runSummary"] = run_summary;
    if (!worst_message.empty()) {
        status["message"] = worst_message;
    } else {
        status.erase("message");
    }
    write_status(store, kinds::analysis_runs, run, old_status, status);
}

// ---------------------------------------------------------------------------------------------

class ArgoController final : public Controller {
public:
    explicit ArgoController(SimSettings& settings) : m_settings(settings) {}

    [[nodiscard]] std::string_view name() const override { return "argo-rollouts"; }

    void reconcile(const Fleet& fleet, const SimTime& time) override {
        if (fleet.control_plane == nullptr || !running(fleet)) {
            return;
        }
        Store& store = *fleet.control_plane;
        // One object's problem must not stop the others: the first is reported after the pass.
        std::optional<std::string> problem;
        for (auto& run : store.list(kinds::analysis_runs).items) {
            try {
                reconcile_analysis_run(store, time, run);
            } catch (const ApiError&) {
                // a racing write: next tick
            } catch (const std::exception& error) {
                problem = problem.value_or(name_of(run) + ": " + error.what());
            }
        }
        for (auto& rollout : store.list(kinds::rollouts).items) {
            const auto rollout_name = name_of(rollout);
            try {
                RolloutSync(store, time, std::move(rollout), m_pause_clock).run();
            } catch (const ApiError&) {
                // a racing write, or something the rollout needs is missing: next tick
            } catch (const std::exception& error) {
                problem = problem.value_or("rollout " + rollout_name + ": " + error.what());
            }
        }
        if (problem) {
            throw std::runtime_error(*problem);
        }
    }

private:
    bool running(const Fleet& fleet) const {
        const auto& mode = m_settings.argo_controller;
        if (mode == "always") {
            return true;
        }
        if (mode != "auto" || fleet.hosting == nullptr) {
            return false;
        }
        const auto deployment = fleet.hosting->find(kinds::deployments, "elotl", "argo-rollouts");
        return deployment && fields::int_at(*deployment, {"status", "availableReplicas"}) >= 1;
    }

    SimSettings& m_settings;
    // When each pause condition started, to the millisecond (its startTime has seconds only).
    std::map<std::string, core::Clock::time_point> m_pause_clock;
};

} // namespace

std::unique_ptr<Controller> make_argo_controller(SimSettings& settings) {
    return std::make_unique<ArgoController>(settings);
}

} // namespace nova::sim
