#include "lib/rollouts/replica_set_info.hpp"

#include "lib/core/error.hpp"
#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <algorithm>
#include <map>

namespace nova::rollouts {

namespace {

constexpr std::string_view pod_template_hash_label = "rollouts-pod-template-hash";

std::vector<std::string> container_images(const nlohmann::json& replica_set,
                                          std::string_view list) {
    std::vector<std::string> images;
    for (const auto& container :
         fields::array_at(replica_set, {"spec", "template", "spec", list})) {
        images.push_back(fields::string_at(container, {"image"}));
    }
    return images;
}

void tag(ReplicaSetInfo& info, const nlohmann::json& rollout) {
    const auto& hash = info.pod_template_hash;
    const auto stable_rs = fields::string_at(rollout, {"status", "stableRS"});
    if (fields::has(rollout, {"spec", "strategy", "canary"})) {
        const bool ping_pong = fields::has(rollout, {"spec", "strategy", "canary", "pingPong"});
        const bool stable_is_ping =
            fields::string_at(rollout, {"status", "canary", "stablePingPong"}) == "ping";
        if (stable_rs == hash) {
            info.stable = true;
            if (ping_pong) {
                info.ping = stable_is_ping;
                info.pong = !stable_is_ping;
            }
        } else if (fields::string_at(rollout, {"status", "currentPodHash"}) == hash) {
            info.canary = true;
            if (ping_pong) {
                info.ping = !stable_is_ping;
                info.pong = stable_is_ping;
            }
        }
    }
    if (fields::has(rollout, {"spec", "strategy", "blueGreen"})) {
        if (stable_rs == hash) {
            info.stable = true;
        }
        if (fields::string_at(rollout, {"status", "blueGreen", "activeSelector"}) == hash) {
            info.active = true;
        } else if (fields::string_at(rollout, {"status", "blueGreen", "previewSelector"}) == hash) {
            info.preview = true;
        }
    }
}

void attach_pods(std::vector<ReplicaSetInfo>& replica_sets, const ObjectSet& objects) {
    std::vector<std::string> uids;
    std::map<std::string, std::size_t> index_of_uid;
    for (std::size_t i = 0; i < replica_sets.size(); ++i) {
        uids.push_back(replica_sets[i].meta.uid);
        index_of_uid.insert_or_assign(replica_sets[i].meta.uid, i); // the last one wins, as in Go
    }
    for (const auto& pod : objects.pods) {
        if (const auto owner = owner_among(pod, uids)) {
            replica_sets[index_of_uid.at(*owner)].pods.push_back(make_pod_info(pod));
        }
    }
    for (auto& replica_set : replica_sets) {
        std::stable_sort(replica_set.pods.begin(), replica_set.pods.end(), pod_order);
    }
}

} // namespace

std::string replica_set_health(const nlohmann::json& replica_set) {
    const auto desired = fields::optional_int_at(replica_set, {"spec", "replicas"});
    if (fields::int_at(replica_set, {"metadata", "generation"}) >
        fields::int_at(replica_set, {"status", "observedGeneration"})) {
        return "Progressing";
    }
    for (const auto& condition : fields::array_at(replica_set, {"status", "conditions"})) {
        if (fields::string_at(condition, {"type"}) == "ReplicaFailure") {
            if (fields::string_at(condition, {"status"}) == "True") {
                return "ReplicaFailure";
            }
            break; // argo looks at the first condition of that type only
        }
    }
    if (desired && fields::int_at(replica_set, {"status", "availableReplicas"}) < *desired) {
        return "Progressing";
    }
    if (desired && *desired == 0) {
        return "ScaledDown";
    }
    return "Healthy";
}

std::vector<ReplicaSetInfo> replica_set_infos(std::string_view owner_uid,
                                              const nlohmann::json* rollout,
                                              const ObjectSet& objects) {
    std::vector<ReplicaSetInfo> infos;
    for (const auto& replica_set : objects.replica_sets) {
        if (!is_owned_by(replica_set, owner_uid)) {
            continue;
        }
        ReplicaSetInfo info;
        info.meta = object_meta(replica_set);
        info.status = replica_set_health(replica_set);
        info.icon = std::string(icons::for_replica_set(info.status));
        info.revision = revision_of(replica_set);
        info.pod_template_hash = fields::label(replica_set, pod_template_hash_label);
        info.replicas = fields::int_at(replica_set, {"status", "replicas"});
        info.available = fields::int_at(replica_set, {"status", "availableReplicas"});
        info.template_name =
            fields::annotation(replica_set, "experiment.argoproj.io/template-name");
        info.scale_down_deadline = fields::annotation(replica_set, "scale-down-deadline");
        info.images = container_images(replica_set, "containers");
        info.init_container_images = container_images(replica_set, "initContainers");
        if (rollout != nullptr) {
            tag(info, *rollout);
        }
        infos.push_back(std::move(info));
    }
    // argo means to break revision ties by creation time, but its comparison result is
    // discarded, so the name decides.
    std::stable_sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) {
        if (a.revision != b.revision) {
            return a.revision > b.revision;
        }
        return a.meta.name < b.meta.name;
    });
    attach_pods(infos, objects);
    return infos;
}

std::string scale_down_delay(const ReplicaSetInfo& replica_set, core::Clock::time_point now) {
    core::TimePoint deadline;
    try {
        deadline = core::parse_rfc3339(replica_set.scale_down_deadline);
    } catch (const core::Error&) {
        return {};
    }
    // The comparison below happens in the clock's nanoseconds, which hold only the years
    // 1678-2262; an annotation outside them must not overflow.
    const auto earliest = std::chrono::ceil<std::chrono::seconds>(core::Clock::time_point::min());
    const auto latest = std::chrono::floor<std::chrono::seconds>(core::Clock::time_point::max());
    deadline = std::clamp(deadline, core::TimePoint(earliest), core::TimePoint(latest));
    if (deadline < now) {
        return "passed";
    }
    return core::human_duration(std::chrono::duration_cast<std::chrono::seconds>(deadline - now));
}

} // namespace nova::rollouts
