#include "lib/rollouts/pod_info.hpp"

#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <fmt/format.h>

#include <set>

namespace nova::rollouts {

namespace {

// The reason a terminated container gives, or its signal / exit code when it gives none.
std::string terminated_reason(const nlohmann::json& terminated) {
    const auto reason = fields::string_at(terminated, {"reason"});
    if (!reason.empty()) {
        return reason;
    }
    if (const auto signal = fields::int_at(terminated, {"signal"}); signal != 0) {
        return fmt::format("Signal:{}", signal);
    }
    return fmt::format("ExitCode:{}", fields::int_at(terminated, {"exitCode"}));
}

// Names of the init containers that are sidecars (restartPolicy: Always).
std::set<std::string> sidecar_names(const nlohmann::json& pod) {
    std::set<std::string> names;
    for (const auto& container : fields::array_at(pod, {"spec", "initContainers"})) {
        if (fields::string_at(container, {"restartPolicy"}) == "Always") {
            names.insert(fields::string_at(container, {"name"}));
        }
    }
    return names;
}

} // namespace

std::string PodInfo::ready() const {
    return fmt::format("{}/{}", ready_containers, total_containers);
}

PodInfo make_pod_info(const nlohmann::json& pod) {
    PodInfo info;
    info.meta = object_meta(pod);
    info.total_containers =
        static_cast<std::int64_t>(fields::array_at(pod, {"spec", "containers"}).size());

    std::string reason = fields::string_at(pod, {"status", "phase"});
    if (const auto pod_reason = fields::string_at(pod, {"status", "reason"}); !pod_reason.empty()) {
        reason = pod_reason;
    }

    const auto sidecars = sidecar_names(pod);
    const auto init_count = fields::array_at(pod, {"spec", "initContainers"}).size();
    std::int64_t restarts = 0;
    bool initializing = false;
    const auto& init_statuses = fields::array_at(pod, {"status", "initContainerStatuses"});
    for (std::size_t i = 0; i < init_statuses.size(); ++i) {
        const auto& status = init_statuses[i];
        restarts += fields::int_at(status, {"restartCount"});
        const auto* terminated = fields::find(status, {"state", "terminated"});
        const auto waiting_reason = fields::string_at(status, {"state", "waiting", "reason"});
        if (terminated != nullptr && fields::int_at(*terminated, {"exitCode"}) == 0) {
            continue;
        }
        if (terminated != nullptr) {
            reason = "Init:" + terminated_reason(*terminated);
            initializing = true;
        } else if (sidecars.contains(fields::string_at(status, {"name"})) &&
                   fields::bool_at(status, {"started"})) {
            // A started sidecar does not hold up initialisation; an unready one ends the walk.
            if (fields::bool_at(status, {"ready"})) {
                continue;
            }
        } else if (!waiting_reason.empty() && waiting_reason != "PodInitializing") {
            reason = "Init:" + waiting_reason;
            initializing = true;
        } else {
            reason = fmt::format("Init:{}/{}", i, init_count);
            initializing = true;
        }
        break;
    }

    std::int64_t ready = 0;
    if (!initializing) {
        restarts = 0;
        bool has_running = false;
        const auto& statuses = fields::array_at(pod, {"status", "containerStatuses"});
        // Walked last to first, so the first container's reason is the one that sticks.
        for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
            const auto& status = *it;
            restarts += fields::int_at(status, {"restartCount"});
            const auto waiting_reason = fields::string_at(status, {"state", "waiting", "reason"});
            const auto* terminated = fields::find(status, {"state", "terminated"});
            if (!waiting_reason.empty()) {
                reason = waiting_reason;
            } else if (terminated != nullptr) {
                reason = terminated_reason(*terminated);
            } else if (fields::bool_at(status, {"ready"}) &&
                       fields::has(status, {"state", "running"})) {
                has_running = true;
                ++ready;
            }
        }
        if (reason == "Completed" && has_running) {
            reason = "Running";
        }
    }

    if (fields::has(pod, {"metadata", "deletionTimestamp"})) {
        reason =
            fields::string_at(pod, {"status", "reason"}) == "NodeLost" ? "Unknown" : "Terminating";
    }

    info.status = reason;
    info.icon = std::string(icons::for_pod(reason));
    info.ready_containers = ready;
    info.restarts = restarts;
    return info;
}

bool pod_order(const PodInfo& a, const PodInfo& b) {
    if (a.meta.created != b.meta.created) {
        // An absent timestamp is Go's zero time, earlier than any real one.
        return a.meta.created < b.meta.created;
    }
    return a.meta.name < b.meta.name;
}

} // namespace nova::rollouts
