#pragma once

#include "lib/core/duration.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

// The values of `list rollouts` and `list experiments` rows (reference/argo-rollouts-plugin.md
// §2.12, §2.13), computed from one object each.
namespace nova::rollouts {

struct RolloutListRow {
    std::string namespace_name;
    std::string name;
    std::string strategy;   // Canary, BlueGreen or unknown
    std::string status;     // the phase alone, no message
    std::string step;       // "1/3" or "-"
    std::string set_weight; // canary's set weight or "-"
    std::string ready;      // "<readyReplicas>/<replicas>"
    std::int64_t desired = 1;
    std::int64_t up_to_date = 0;
    std::int64_t available = 0;

    bool operator==(const RolloutListRow&) const = default;
};

RolloutListRow rollout_list_row(const nlohmann::json& rollout);

// `list rollouts --watch` prints a rollout again only when its row changed: this remembers the
// last row printed per namespace/name.
class RolloutRowTracker {
public:
    // Remembers `row` as printed (the rows of the initial table).
    void remember(const RolloutListRow& row);
    // True (and remembers it) when `row` differs from the last one of that rollout.
    bool changed(const RolloutListRow& row);

private:
    std::map<std::pair<std::string, std::string>, RolloutListRow> m_last;
};

struct ExperimentListEntry {
    std::string namespace_name;
    std::string name;
    std::string phase;
    // spec.duration when set and a valid Go duration.
    std::optional<std::chrono::nanoseconds> duration;
    std::optional<core::TimePoint> available_at;
    std::optional<core::TimePoint> created;
    bool completed = false; // Successful, Failed, Error or Inconclusive

    bool operator==(const ExperimentListEntry&) const = default;
};

ExperimentListEntry experiment_list_entry(const nlohmann::json& experiment);

} // namespace nova::rollouts
