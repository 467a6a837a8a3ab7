#include "lib/rollouts/set_image.hpp"

#include "lib/core/error.hpp"
#include "lib/core/image_reference.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/strict_fields.hpp"
#include "lib/rollouts/workload_ref.hpp"

#include <array>
#include <utility>

namespace nova::rollouts {

using nlohmann::json;

namespace {

// The member `key` of `value` when `value` is an object that has it, else nullptr.
json* member(json* value, const char* key) {
    if (value == nullptr || !value->is_object()) {
        return nullptr;
    }
    const auto found = value->find(key);
    return found == value->end() ? nullptr : &*found;
}

} // namespace

ImageAssignment parse_image_assignment(std::string_view text) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
        throw core::usage_error("expected CONTAINER=IMAGE, got " + core::quote(text));
    }
    ImageAssignment assignment{std::string(text.substr(0, equals)),
                               std::string(text.substr(equals + 1))};
    if (assignment.container.empty() || assignment.image.empty()) {
        throw core::usage_error("expected CONTAINER=IMAGE with both sides given, got " +
                                core::quote(text));
    }
    if (const auto problem = core::image_reference_problem(assignment.image)) {
        throw core::usage_error("invalid image " + core::quote(assignment.image) +
                                " for container " + core::quote(assignment.container) + ": " +
                                *problem);
    }
    return assignment;
}

ImageUpdate set_images(json object, const std::vector<ImageAssignment>& assignments) {
    std::vector<bool> matched(assignments.size(), false);
    json* pod_spec = member(member(member(&object, "spec"), "template"), "spec");
    static constexpr std::array<const char*, 3> lists{"initContainers", "containers",
                                                      "ephemeralContainers"};
    for (const char* list : lists) {
        json* containers = member(pod_spec, list);
        if (containers == nullptr || !containers->is_array()) {
            continue;
        }
        for (auto& container : *containers) {
            if (!container.is_object()) {
                continue;
            }
            const auto name = container.find("name");
            const std::string container_name =
                name != container.end() && name->is_string() ? name->get<std::string>() : "";
            for (std::size_t i = 0; i < assignments.size(); ++i) {
                if (assignments[i].container == "*" || assignments[i].container == container_name) {
                    container["image"] = assignments[i].image;
                    matched[i] = true;
                }
            }
        }
    }
    ImageUpdate update{std::move(object), {}};
    for (std::size_t i = 0; i < assignments.size(); ++i) {
        if (!matched[i]) {
            update.unmatched.push_back(assignments[i].container);
        }
    }
    return update;
}

void check_containers(const json& object, const std::string& what) {
    const strict::Fields read(object, what);
    (void)read.object({"spec", "template", "spec"});
    const auto check = [&](std::string_view list) {
        const json* containers = read.array_of_objects({"spec", "template", "spec", list});
        if (containers == nullptr) {
            return;
        }
        for (std::size_t i = 0; i < containers->size(); ++i) {
            const json& container = (*containers)[i];
            const auto name = container.find("name");
            if (name != container.end() && !name->is_string()) {
                const std::string field =
                    "spec.template.spec." + std::string(list) + "[" + std::to_string(i) + "].name";
                read.refuse(field, "a string", *name);
            }
        }
    };
    check("initContainers");
    check("containers");
    check("ephemeralContainers");
}

std::string unmatched_message(const std::vector<std::string>& unmatched) {
    if (unmatched.empty()) {
        return "";
    }
    std::string names;
    for (const auto& name : unmatched) {
        names += (names.empty() ? "" : ", ") + core::quote(name);
    }
    return std::string("unable to find container") + (unmatched.size() > 1 ? "s" : "") + " named " +
           names;
}

std::optional<WorkloadReference> set_image_deployment(const json& rollout) {
    const auto workload = workload_reference(rollout);
    if (!workload) {
        return std::nullopt;
    }
    if (workload->kind != WorkloadReference::Kind::deployment) {
        throw core::Error("rollout " +
                          core::quote(fields::string_at(rollout, {"metadata", "name"})) +
                          " takes its pod template from " + workload->describe() +
                          " (spec.workloadRef); set image updates only a referenced Deployment");
    }
    return workload;
}

} // namespace nova::rollouts
