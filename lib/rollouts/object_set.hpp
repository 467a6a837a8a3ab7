#pragma once

#include "lib/core/duration.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// The objects the info model is built from, as the API returns them (JSON). argo reads every
// object of these kinds in the namespace and decides relationships by ownerReference UIDs only,
// so a caller may pass more than the rollout needs; objects of other rollouts are ignored.
struct ObjectSet {
    std::vector<nlohmann::json> rollouts;
    std::vector<nlohmann::json> replica_sets;
    std::vector<nlohmann::json> pods;
    std::vector<nlohmann::json> experiments;
    std::vector<nlohmann::json> analysis_runs;
    std::vector<nlohmann::json> deployments;

    // Files `object` under its `kind`; returns false (and keeps nothing) for other kinds, e.g.
    // Jobs, which argo never reads.
    bool add(nlohmann::json object);
};

// The identity and age of an object in the tree.
struct ObjectMeta {
    std::string name;
    std::string namespace_name;
    std::string uid;
    std::optional<core::TimePoint> created; // nullopt: absent (AGE prints "292y", as argo)

    bool operator==(const ObjectMeta&) const = default;
};

ObjectMeta object_meta(const nlohmann::json& object);

// Whether any ownerReference of `object` has this uid (argo ignores the controller flag).
bool is_owned_by(const nlohmann::json& object, std::string_view owner_uid);

// The uid of the first ownerReference of `object` that is one of `owner_uids`, scanning the
// references in order; nullopt when none is.
std::optional<std::string> owner_among(const nlohmann::json& object,
                                       const std::vector<std::string>& owner_uids);

// The integer in annotation rollout.argoproj.io/revision; 0 when absent or not an integer.
std::int64_t revision_of(const nlohmann::json& object);

// The object named `name` in `objects`, or nullptr.
const nlohmann::json* find_named(const std::vector<nlohmann::json>& objects, std::string_view name);

} // namespace nova::rollouts
