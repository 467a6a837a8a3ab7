#pragma once

#include "lib/core/error.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <string>

// What `status` decides from a rollout's info (reference/argo-rollouts-plugin.md §2.11, with
// the changes: exit codes 0/3/4 and --success-on-pause).
namespace nova::rollouts {

enum class StatusVerdict {
    in_progress, // keep watching (a watch that ends here timed out: exit 4)
    healthy,     // done, exit 0
    paused,      // done, exit 0: paused and --success-on-pause
    degraded,    // done, exit 3: Degraded, or aborted whatever the phase says
};

StatusVerdict status_verdict(const RolloutInfo& info, bool success_on_pause);

// The exit code a `status` run ends with when its last verdict is `verdict`.
core::ExitCode status_exit_code(StatusVerdict verdict);

// argo's messages for the two failing ends.
std::string degraded_message(const RolloutInfo& info); // "The rollout is in a degraded state..."
inline constexpr const char* status_timeout_message = "Rollout status watch exceeded timeout";

} // namespace nova::rollouts
