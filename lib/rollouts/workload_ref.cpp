#include "lib/rollouts/workload_ref.hpp"

#include "lib/core/error.hpp"
#include "lib/core/names.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/strict_fields.hpp"

namespace nova::rollouts {

std::string WorkloadReference::describe() const {
    std::string what = kind_name.empty() ? std::string("workload") : kind_name;
    if (kind == Kind::other && !api_version.empty()) {
        what = api_version + " " + what;
    }
    const char first = what.front();
    const bool vowel = first == 'A' || first == 'E' || first == 'I' || first == 'O' ||
                       first == 'U' || first == 'a' || first == 'e' || first == 'i' ||
                       first == 'o' || first == 'u';
    return std::string(vowel ? "an " : "a ") + what + " " + core::quote(name);
}

std::string WorkloadReference::template_pointer() const {
    return kind == Kind::pod_template ? "/template" : "/spec/template";
}

const nlohmann::json* WorkloadReference::find_template(const nlohmann::json& object) const {
    const strict::Fields read(object, lower_kind() + " " + core::quote(name));
    return kind == Kind::pod_template ? read.object({"template"})
                                      : read.object({"spec", "template"});
}

std::string WorkloadReference::lower_kind() const {
    std::string lower = kind_name.empty() ? std::string("workload") : kind_name;
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return lower;
}

std::string WorkloadReference::not_found_message(std::string_view rollout_name) const {
    return lower_kind() + " " + core::quote(name) + " (the workloadRef of rollout " +
           core::quote(rollout_name) + ") not found";
}

std::optional<WorkloadReference> workload_reference(const nlohmann::json& rollout) {
    const std::string rollout_name = core::quote(fields::string_at(rollout, {"metadata", "name"}));
    const strict::Fields read(rollout, "rollout " + rollout_name);
    const auto* reference = read.object({"spec", "workloadRef"});
    if (reference == nullptr) {
        return std::nullopt;
    }
    const auto* name = fields::find(*reference, {"name"});
    if (name == nullptr || !name->is_string()) {
        throw core::Error("spec.workloadRef.name of rollout " + rollout_name +
                          " is not a name: " + (name == nullptr ? "null" : name->dump()));
    }
    WorkloadReference workload;
    workload.name = name->get<std::string>();
    // It goes into the URL of the object read and written.
    if (const auto problem = core::subdomain_problem(workload.name)) {
        throw core::Error(
            "rollout " + rollout_name + ": " +
            core::invalid_name_message("spec.workloadRef.name", workload.name, *problem));
    }
    workload.kind_name = read.string({"spec", "workloadRef", "kind"}).value_or("");
    workload.api_version = read.string({"spec", "workloadRef", "apiVersion"}).value_or("");
    const bool apps = workload.api_version.empty() || workload.api_version == "apps/v1";
    const bool core_v1 = workload.api_version.empty() || workload.api_version == "v1";
    if (workload.kind_name == "Deployment" && apps) {
        workload.kind = WorkloadReference::Kind::deployment;
    } else if (workload.kind_name == "ReplicaSet" && apps) {
        workload.kind = WorkloadReference::Kind::replica_set;
    } else if (workload.kind_name == "PodTemplate" && core_v1) {
        workload.kind = WorkloadReference::Kind::pod_template;
    }
    return workload;
}

} // namespace nova::rollouts
