#include "lib/rollouts/undo.hpp"

#include "lib/core/error.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/strict_fields.hpp"

#include <utility>

namespace nova::rollouts {

using nlohmann::json;

std::int64_t parse_to_revision(std::string_view text) {
    const auto refuse = [&](const std::string& why) {
        throw core::usage_error("--to-revision " + why + ", got " + core::quote(text));
    };
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view digits = negative ? text.substr(1) : text;
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        refuse("takes a revision number (decimal digits), or 0 for the previous revision");
    }
    if (negative) {
        refuse("must be a revision number, or 0 for the previous revision");
    }
    const auto value = fields::parse_int(digits);
    if (!value) {
        refuse("is beyond any revision (the largest is 9223372036854775807)");
    }
    return *value;
}

std::string replica_set_selector(const json& rollout) {
    const auto* selector = fields::find(rollout, {"spec", "selector"});
    if (selector == nullptr) {
        return "";
    }
    try {
        return core::LabelSelector::from_json(*selector).to_string();
    } catch (const core::Error& error) {
        throw core::Error("spec.selector of rollout " +
                          core::quote(fields::string_at(rollout, {"metadata", "name"})) + ": " +
                          error.what());
    }
}

std::vector<json> controlled_replica_sets(const std::vector<json>& replica_sets,
                                          std::string_view uid) {
    std::vector<json> controlled;
    for (const auto& replica_set : replica_sets) {
        for (const auto& owner : fields::array_at(replica_set, {"metadata", "ownerReferences"})) {
            // Only the controller counts, as metav1.GetControllerOf reads it.
            if (fields::bool_at(owner, {"controller"})) {
                if (!uid.empty() && fields::string_at(owner, {"uid"}) == uid) {
                    controlled.push_back(replica_set);
                }
                break;
            }
        }
    }
    return controlled;
}

std::optional<std::int64_t> replica_set_revision(const json& replica_set) {
    const auto* annotations = fields::find(replica_set, {"metadata", "annotations"});
    if (annotations == nullptr || !annotations->is_object()) {
        return 0;
    }
    const auto found = annotations->find(revision_annotation);
    if (found == annotations->end()) {
        return 0;
    }
    if (!found->is_string()) {
        return std::nullopt;
    }
    return fields::parse_int(found->get_ref<const std::string&>());
}

UndoTarget undo_target(const std::vector<json>& replica_sets, std::int64_t to_revision,
                       std::string_view rollout_name) {
    const json* chosen = nullptr;
    std::int64_t chosen_revision = 0;
    // argo's walk: the newest and second-newest seen so far, or the first of the revision asked.
    const json* latest = nullptr;
    std::int64_t latest_revision = -1;
    const json* previous = nullptr;
    std::int64_t previous_revision = -1;
    for (const auto& replica_set : replica_sets) {
        const auto revision = replica_set_revision(replica_set);
        if (!revision) {
            continue;
        }
        if (to_revision != 0) {
            if (*revision == to_revision) {
                chosen = &replica_set;
                chosen_revision = *revision;
                break;
            }
        } else if (latest_revision < *revision) {
            previous = latest;
            previous_revision = latest_revision;
            latest = &replica_set;
            latest_revision = *revision;
        } else if (previous_revision < *revision) {
            previous = &replica_set;
            previous_revision = *revision;
        }
    }
    if (to_revision != 0) {
        if (chosen == nullptr) {
            throw core::Error("unable to find specified revision " + std::to_string(to_revision) +
                              " in history");
        }
    } else {
        if (previous == nullptr) {
            throw core::Error("no revision found for rollout " + core::quote(rollout_name));
        }
        chosen = previous;
        chosen_revision = previous_revision;
    }
    const std::string name = fields::string_at(*chosen, {"metadata", "name"});
    const auto* pod_template =
        strict::Fields(*chosen, "replicaset " + core::quote(name)).object({"spec", "template"});
    if (pod_template == nullptr) {
        throw core::Error("replicaset " + core::quote(name) + " of revision " +
                          std::to_string(chosen_revision) + " has no pod template to go back to");
    }
    return {name, chosen_revision, without_pod_template_hash(*pod_template)};
}

json without_pod_template_hash(json pod_template) {
    if (!pod_template.is_object()) {
        return pod_template;
    }
    const auto metadata = pod_template.find("metadata");
    if (metadata == pod_template.end() || !metadata->is_object()) {
        return pod_template;
    }
    const auto labels = metadata->find("labels");
    if (labels == metadata->end() || !labels->is_object()) {
        return pod_template;
    }
    labels->erase(std::string(pod_template_hash_label));
    if (labels->empty()) {
        metadata->erase(labels);
    }
    return pod_template;
}

namespace {

bool is_unset(const json& value) {
    return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
           ((value.is_array() || value.is_object()) && value.empty());
}

} // namespace

bool semantic_derivative(const json& desired, const json& actual) {
    if (is_unset(desired)) {
        return true;
    }
    if (desired.is_array()) {
        if (!actual.is_array() || desired.size() != actual.size()) {
            return false;
        }
        for (std::size_t i = 0; i < desired.size(); ++i) {
            if (!semantic_derivative(desired[i], actual[i])) {
                return false;
            }
        }
        return true;
    }
    if (desired.is_object()) {
        if (!actual.is_object()) {
            return false;
        }
        static const json absent;
        for (const auto& [key, value] : desired.items()) {
            const auto found = actual.find(key);
            if (!semantic_derivative(value, found == actual.end() ? absent : *found)) {
                return false;
            }
        }
        return true;
    }
    // Strings, numbers (1 and 1.0 alike) and booleans.
    return desired == actual;
}

bool template_matches(const json& current, const json& target_template) {
    // No template at all derives from anything; it matches nothing instead.
    if (!current.is_object() || current.empty()) {
        return false;
    }
    return semantic_derivative(without_pod_template_hash(current),
                               without_pod_template_hash(target_template));
}

json undo_patch(const std::string& pointer, const json& pod_template) {
    return json::array({{{"op", "replace"}, {"path", pointer}, {"value", pod_template}}});
}

std::string skipped_message(std::int64_t revision) {
    return "skipped rollback (current template already matches revision " +
           std::to_string(revision) + ")";
}

} // namespace nova::rollouts
