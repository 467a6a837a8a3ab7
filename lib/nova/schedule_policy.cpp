#include "lib/nova/schedule_policy.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace nova::fleet {

namespace {

// Every problem names the policy and the field, so one line says what to fix where.
[[noreturn]] void fail(const std::string& policy, std::string_view field,
                       const std::string& problem) {
    throw core::Error(fmt::format("SchedulePolicy {}: {}: {}",
                                  policy.empty() ? std::string("(unnamed)") : core::quote(policy),
                                  field, problem));
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

core::LabelSelector selector_at(const std::string& policy, std::string_view field,
                                const nlohmann::json& selector) {
    try {
        return core::LabelSelector::from_json(selector);
    } catch (const core::Error& error) {
        fail(policy, field, error.what());
    }
}

int percentage_of(const std::string& policy, const std::string& field,
                  const nlohmann::json& value) {
    if (!value.is_number_integer()) {
        fail(policy, field,
             fmt::format("expected an integer percentage, found {}",
                         value.is_null() ? "nothing" : value.type_name()));
    }
    const auto percentage = value.get<std::int64_t>();
    if (percentage < 0 || percentage > 100) {
        fail(policy, field, fmt::format("percentage {} is not between 0 and 100", percentage));
    }
    return static_cast<int>(percentage);
}

std::vector<PercentageShare> parse_percentage_split(const std::string& policy,
                                                    const nlohmann::json& split) {
    constexpr std::string_view field = "spec.spreadConstraints.percentageSplit";
    std::vector<PercentageShare> shares;
    if (split.is_array()) {
        for (std::size_t i = 0; i < split.size(); ++i) {
            const auto& entry = split[i];
            const auto where = fmt::format("{}[{}]", field, i);
            const auto* value = member(entry, "topologyValue");
            if (value == nullptr || !value->is_string() || value->get<std::string>().empty()) {
                fail(policy, where, "missing string field \"topologyValue\"");
            }
            const auto* percentage = member(entry, "percentage");
            shares.push_back(
                {value->get<std::string>(),
                 percentage_of(policy, where + ".percentage",
                               percentage == nullptr ? nlohmann::json() : *percentage)});
        }
    } else if (split.is_object()) {
        for (const auto& [value, percentage] : split.items()) {
            shares.push_back(
                {value, percentage_of(policy, fmt::format("{}[{}]", field, core::quote(value)),
                                      percentage)});
        }
    } else {
        fail(policy, field, fmt::format("expected a list, found {}", split.type_name()));
    }
    std::set<std::string> seen;
    int total = 0;
    for (const auto& share : shares) {
        if (!seen.insert(share.topology_value).second) {
            fail(
                policy, field,
                fmt::format("topologyValue {} is listed twice", core::quote(share.topology_value)));
        }
        total += share.percentage;
    }
    if (total > 100) {
        fail(policy, field, fmt::format("percentages sum to {}, more than 100", total));
    }
    return shares;
}

SpreadConstraints parse_spread(const std::string& policy, const nlohmann::json& spread) {
    constexpr std::string_view field = "spec.spreadConstraints";
    if (!spread.is_object()) {
        fail(policy, field, fmt::format("expected an object, found {}", spread.type_name()));
    }
    SpreadConstraints result;
    const auto* key = member(spread, "topologyKey");
    if (key == nullptr || !key->is_string() || key->get<std::string>().empty()) {
        fail(policy, "spec.spreadConstraints.topologyKey", "required (a Cluster label key)");
    }
    result.topology_key = key->get<std::string>();
    if (const auto* mode = member(spread, "spreadMode")) {
        const auto name = mode->is_string() ? mode->get<std::string>() : std::string();
        if (name == "Divide") {
            result.mode = SpreadMode::divide;
        } else if (name == "Duplicate") {
            result.mode = SpreadMode::duplicate;
        } else {
            fail(policy, "spec.spreadConstraints.spreadMode",
                 fmt::format("expected Divide or Duplicate, found {}",
                             mode->is_string() ? core::quote(name) : mode->dump()));
        }
    }
    if (const auto* split = member(spread, "percentageSplit")) {
        result.percentage_split = parse_percentage_split(policy, *split);
    }
    return result;
}

} // namespace

std::string_view to_string(SpreadMode mode) {
    return mode == SpreadMode::duplicate ? "Duplicate" : "Divide";
}

SchedulePolicy parse_schedule_policy(const nlohmann::json& policy) {
    SchedulePolicy result;
    const auto* metadata = member(policy, "metadata");
    const auto* name = metadata == nullptr ? nullptr : member(*metadata, "name");
    if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
        fail("", "metadata.name", "required");
    }
    result.name = name->get<std::string>();

    const auto* spec = member(policy, "spec");
    if (spec == nullptr || !spec->is_object()) {
        fail(result.name, "spec", "required (an object)");
    }

    const auto* namespaces = member(*spec, "namespaceSelector");
    if (namespaces == nullptr) {
        fail(result.name, "spec.namespaceSelector", "required");
    }
    result.namespace_selector = selector_at(result.name, "spec.namespaceSelector", *namespaces);

    const auto* resources = member(*spec, "resourceSelectors");
    if (resources == nullptr || !resources->is_object()) {
        fail(result.name, "spec.resourceSelectors", "required (an object with labelSelectors)");
    }
    if (const auto* selectors = member(*resources, "labelSelectors")) {
        if (!selectors->is_array()) {
            fail(result.name, "spec.resourceSelectors.labelSelectors",
                 fmt::format("expected a list, found {}", selectors->type_name()));
        }
        for (std::size_t i = 0; i < selectors->size(); ++i) {
            result.resource_selectors.push_back(selector_at(
                result.name, fmt::format("spec.resourceSelectors.labelSelectors[{}]", i),
                (*selectors)[i]));
        }
    }

    if (const auto* clusters = member(*spec, "clusterSelector")) {
        result.cluster_selector = selector_at(result.name, "spec.clusterSelector", *clusters);
    }

    if (const auto* group_by = member(*spec, "groupBy")) {
        const auto* key = member(*group_by, "labelKey");
        if (key == nullptr || !key->is_string()) {
            fail(result.name, "spec.groupBy.labelKey", "required (a label key, a string)");
        }
        result.group_by = key->get<std::string>();
    }

    if (const auto* spread = member(*spec, "spreadConstraints")) {
        result.spread = parse_spread(result.name, *spread);
    }
    return result;
}

PolicySet parse_schedule_policies(const nlohmann::json& list) {
    const nlohmann::json* items = list.is_object() ? member(list, "items") : &list;
    PolicySet set;
    if (items == nullptr || !items->is_array()) {
        return set;
    }
    for (const auto& item : *items) {
        try {
            set.policies.push_back(parse_schedule_policy(item));
        } catch (const core::Error& error) {
            const auto* metadata = member(item, "metadata");
            const auto* name = metadata == nullptr ? nullptr : member(*metadata, "name");
            set.rejected.push_back(
                {name != nullptr && name->is_string() ? name->get<std::string>() : std::string(),
                 error.what()});
        }
    }
    std::stable_sort(set.policies.begin(), set.policies.end(),
                     [](const auto& a, const auto& b) { return a.name < b.name; });
    return set;
}

bool selects(const SchedulePolicy& policy, const nlohmann::json& object,
             const core::Labels& namespace_labels) {
    const auto* metadata = member(object, "metadata");
    const auto* ns = metadata == nullptr ? nullptr : member(*metadata, "namespace");
    const bool namespaced = ns != nullptr && ns->is_string() && !ns->get<std::string>().empty();
    if (namespaced && !policy.namespace_selector.matches(namespace_labels)) {
        return false;
    }
    const auto labels = core::labels_of(object);
    return std::any_of(policy.resource_selectors.begin(), policy.resource_selectors.end(),
                       [&](const auto& selector) { return selector.matches(labels); });
}

std::vector<SchedulePolicy> matching_policies(const std::vector<SchedulePolicy>& policies,
                                              const nlohmann::json& object,
                                              const core::Labels& namespace_labels) {
    std::vector<SchedulePolicy> matching;
    for (const auto& policy : policies) {
        if (selects(policy, object, namespace_labels)) {
            matching.push_back(policy);
        }
    }
    return matching;
}

std::optional<std::string> schedule_group(const SchedulePolicy& policy,
                                          const nlohmann::json& object) {
    if (policy.group_by.empty()) {
        return std::nullopt;
    }
    const auto labels = core::labels_of(object);
    const auto it = labels.find(policy.group_by);
    return it == labels.end() ? std::string() : it->second;
}

} // namespace nova::fleet
