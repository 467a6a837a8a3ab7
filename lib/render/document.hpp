#pragma once

#include "lib/nova/cluster_view.hpp"
#include "lib/rollouts/list_rows.hpp"
#include "lib/rollouts/status_check.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

// The `-o json` / `-o yaml` documents of `get rollout`, `get experiment`, `list rollouts` and
// `status` (schema: docs/output-format.md). A document holds what the tree shows, per-cluster
// data included, as values: timestamps are RFC 3339 and ages are left out, so a document depends
// only on the objects read, never on when it was printed. Keys are written in a fixed order.
namespace nova::render {

inline constexpr std::string_view document_api_version = "nova-rollouts.elotl.co/v1alpha1";

// kind RolloutView.
nlohmann::ordered_json rollout_view_document(const fleet::RolloutView& view);
// kind ExperimentView.
nlohmann::ordered_json experiment_view_document(const fleet::ExperimentView& view);
// kind RolloutList: the rows of `list rollouts`.
nlohmann::ordered_json rollout_list_document(const std::vector<rollouts::RolloutListRow>& rows);

// The outcome of a `status` run, as its exit code says it.
enum class StatusOutcome {
    healthy,     // exit 0
    paused,      // exit 0 with --success-on-pause
    degraded,    // exit 3
    in_progress, // checked once (--watch=false) while still progressing
    timed_out,   // exit 4
};
StatusOutcome status_outcome(rollouts::StatusVerdict verdict, bool timed_out);
std::string_view
to_string(StatusOutcome outcome); // Healthy, Paused, Degraded, InProgress, TimedOut

// kind RolloutStatus: the rollout's status and message, the outcome and the clusters' summary.
nlohmann::ordered_json rollout_status_document(const fleet::RolloutView& view,
                                               StatusOutcome outcome);

// The text of a document: JSON indented by 2 spaces, or on one line (`compact`, for one document
// per line in watch mode); YAML in block style, strings quoted when they would read back as
// another type. Both end with a newline.
std::string to_json_text(const nlohmann::ordered_json& document, bool compact = false);
std::string to_yaml_text(const nlohmann::ordered_json& document);

} // namespace nova::render
