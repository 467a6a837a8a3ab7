#include "lib/rollouts/list_rows.hpp"

#include "lib/core/error.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/phase.hpp"
#include "lib/rollouts/strategy.hpp"

#include <fmt/format.h>

namespace nova::rollouts {

RolloutListRow rollout_list_row(const nlohmann::json& rollout) {
    RolloutListRow row;
    row.namespace_name = fields::string_at(rollout, {"metadata", "namespace"});
    row.name = fields::string_at(rollout, {"metadata", "name"});
    row.strategy = strategy_name(rollout);
    row.step = "-";
    row.set_weight = "-";
    if (row.strategy == "Canary") {
        if (auto step = canary_step(rollout); !step.empty()) {
            row.step = std::move(step);
        }
        row.set_weight = std::to_string(current_set_weight(rollout));
    } else if (row.strategy.empty()) {
        row.strategy = "unknown";
    }
    row.status = rollout_phase(rollout).status;
    row.ready = fmt::format("{}/{}", fields::int_at(rollout, {"status", "readyReplicas"}),
                            fields::int_at(rollout, {"status", "replicas"}));
    row.desired = desired_replicas(rollout);
    row.up_to_date = fields::int_at(rollout, {"status", "updatedReplicas"});
    row.available = fields::int_at(rollout, {"status", "availableReplicas"});
    return row;
}

void RolloutRowTracker::remember(const RolloutListRow& row) {
    m_last.insert_or_assign({row.namespace_name, row.name}, row);
}

bool RolloutRowTracker::changed(const RolloutListRow& row) {
    const auto it = m_last.find({row.namespace_name, row.name});
    if (it != m_last.end() && it->second == row) {
        return false;
    }
    remember(row);
    return true;
}

ExperimentListEntry experiment_list_entry(const nlohmann::json& experiment) {
    ExperimentListEntry entry;
    entry.namespace_name = fields::string_at(experiment, {"metadata", "namespace"});
    entry.name = fields::string_at(experiment, {"metadata", "name"});
    entry.phase = fields::string_at(experiment, {"status", "phase"});
    if (const auto duration = fields::string_at(experiment, {"spec", "duration"});
        !duration.empty()) {
        try {
            entry.duration = core::parse_go_duration(duration);
        } catch (const core::Error&) {
            // argo prints "-" for a duration it cannot parse.
        }
    }
    entry.available_at = fields::time_at(experiment, {"status", "availableAt"});
    entry.created = fields::time_at(experiment, {"metadata", "creationTimestamp"});
    entry.completed = entry.phase == "Successful" || entry.phase == "Failed" ||
                      entry.phase == "Error" || entry.phase == "Inconclusive";
    return entry;
}

} // namespace nova::rollouts
