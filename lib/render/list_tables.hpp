#pragma once

#include "lib/core/duration.hpp"
#include "lib/rollouts/list_rows.hpp"

#include <string>
#include <vector>

// The tables of `list rollouts` and `list experiments` (reference/argo-rollouts-plugin.md §2.12,
// §2.13): each row pre-padded to argo's minimum widths, then aligned by TabWriter. An empty
// list still gets its header here; argo prints "No resources found." to stderr instead unless
// watching, which is the command's call.
namespace nova::render {

struct RolloutTableColumns {
    bool all_namespaces = false; // NAMESPACE column (-A)
    bool timestamps = false;     // TIMESTAMP column (--timestamps)
};

// The header line of `list rollouts`, tab-separated, with its newline.
std::string rollout_table_header(RolloutTableColumns columns);

// One row, pre-padded and tab-separated, with its newline; TIMESTAMP is `now` in UTC to the
// second. A watch feeds these to its own TabWriter (argo flushes it every 500 ms).
std::string rollout_table_row(const rollouts::RolloutListRow& row, RolloutTableColumns columns,
                              core::Clock::time_point now);

// Header and rows, aligned.
std::string render_rollout_table(const std::vector<rollouts::RolloutListRow>& rows,
                                 RolloutTableColumns columns, core::Clock::time_point now);

// `list experiments`: DURATION, REMAINING (until availableAt + duration, while running) and AGE
// need `now` at full precision to round as argo does.
std::string render_experiment_table(const std::vector<rollouts::ExperimentListEntry>& entries,
                                    bool all_namespaces, core::Clock::time_point now);

} // namespace nova::render
