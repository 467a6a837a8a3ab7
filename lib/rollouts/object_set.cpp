#include "lib/rollouts/object_set.hpp"

#include "lib/rollouts/json_fields.hpp"

#include <algorithm>

namespace nova::rollouts {

bool ObjectSet::add(nlohmann::json object) {
    const auto kind = fields::string_at(object, {"kind"});
    std::vector<nlohmann::json>* list = nullptr;
    if (kind == "Rollout") {
        list = &rollouts;
    } else if (kind == "ReplicaSet") {
        list = &replica_sets;
    } else if (kind == "Pod") {
        list = &pods;
    } else if (kind == "Experiment") {
        list = &experiments;
    } else if (kind == "AnalysisRun") {
        list = &analysis_runs;
    } else if (kind == "Deployment") {
        list = &deployments;
    } else {
        return false;
    }
    list->push_back(std::move(object));
    return true;
}

ObjectMeta object_meta(const nlohmann::json& object) {
    return ObjectMeta{
        .name = fields::string_at(object, {"metadata", "name"}),
        .namespace_name = fields::string_at(object, {"metadata", "namespace"}),
        .uid = fields::string_at(object, {"metadata", "uid"}),
        .created = fields::time_at(object, {"metadata", "creationTimestamp"}),
    };
}

bool is_owned_by(const nlohmann::json& object, std::string_view owner_uid) {
    const auto& references = fields::array_at(object, {"metadata", "ownerReferences"});
    return std::any_of(references.begin(), references.end(), [&](const auto& reference) {
        return fields::string_at(reference, {"uid"}) == owner_uid;
    });
}

std::optional<std::string> owner_among(const nlohmann::json& object,
                                       const std::vector<std::string>& owner_uids) {
    for (const auto& reference : fields::array_at(object, {"metadata", "ownerReferences"})) {
        const auto uid = fields::string_at(reference, {"uid"});
        if (std::find(owner_uids.begin(), owner_uids.end(), uid) != owner_uids.end()) {
            return uid;
        }
    }
    return std::nullopt;
}

std::int64_t revision_of(const nlohmann::json& object) {
    return fields::parse_int(fields::annotation(object, "rollout.argoproj.io/revision"))
        .value_or(0);
}

const nlohmann::json* find_named(const std::vector<nlohmann::json>& objects,
                                 std::string_view name) {
    for (const auto& object : objects) {
        if (fields::string_at(object, {"metadata", "name"}) == name) {
            return &object;
        }
    }
    return nullptr;
}

} // namespace nova::rollouts
