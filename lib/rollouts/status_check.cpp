#include "lib/rollouts/status_check.hpp"

namespace nova::rollouts {

StatusVerdict status_verdict(const RolloutInfo& info, bool success_on_pause) {
    if (info.status == "Degraded" || info.aborted) {
        return StatusVerdict::degraded;
    }
    if (info.status == "Healthy") {
        return StatusVerdict::healthy;
    }
    if (success_on_pause && info.status == "Paused") {
        return StatusVerdict::paused;
    }
    return StatusVerdict::in_progress;
}

core::ExitCode status_exit_code(StatusVerdict verdict) {
    switch (verdict) {
    case StatusVerdict::healthy:
    case StatusVerdict::paused:
        return core::ExitCode::success;
    case StatusVerdict::degraded:
        return core::ExitCode::bad_state;
    case StatusVerdict::in_progress:
        break;
    }
    return core::ExitCode::timeout;
}

std::string degraded_message(const RolloutInfo& info) {
    return "The rollout is in a degraded state with message: " + info.message;
}

} // namespace nova::rollouts
