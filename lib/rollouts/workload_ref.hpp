#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace nova::rollouts {

// The object a rollout takes its pod template from (spec.workloadRef), for the commands that
// write that template (set image, undo).
struct WorkloadReference {
    enum class Kind { deployment, replica_set, pod_template, other };

    Kind kind = Kind::other;
    std::string kind_name;   // as written: "Deployment"
    std::string api_version; // as written, "" when absent
    std::string name;

    // "a ReplicaSet \"web\"", "an apps/v2 Deployment \"web\"" (the apiVersion only when it is
    // not the one the kind was recognised by).
    [[nodiscard]] std::string describe() const;
    // Where the pod template sits in such an object, as a JSON pointer: "/spec/template", or
    // "/template" for a PodTemplate.
    [[nodiscard]] std::string template_pointer() const;
    // The pod template of `object`, an object of this kind, at template_pointer(); nullptr
    // when it has none. Throws core::Error when it (or an object on its way) is not an object.
    [[nodiscard]] const nlohmann::json* find_template(const nlohmann::json& object) const;
    // "podtemplate", "deployment": how kubectl names the kind in a sentence.
    [[nodiscard]] std::string lower_kind() const;
    // The 404 line when the object is missing: `podtemplate "pt" (the workloadRef of rollout
    // "demo") not found`.
    [[nodiscard]] std::string not_found_message(std::string_view rollout_name) const;
};

// spec.workloadRef of `rollout`, nullopt when it has none. Deployment and ReplicaSet are
// recognised with apiVersion apps/v1 (or none), PodTemplate with v1 (or none); anything else is
// Kind::other. Throws core::Error when the reference has no name (argo: "spec.workloadRef.name
// is not a string") or one that is not a DNS-1123 subdomain (it goes into a URL), and when it,
// its kind or its apiVersion has the wrong type.
std::optional<WorkloadReference> workload_reference(const nlohmann::json& rollout);

} // namespace nova::rollouts
