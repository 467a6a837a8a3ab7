#pragma once

#include "lib/core/duration.hpp"

#include <chrono>
#include <string>
#include <string_view>

// What `restart` sends (reference/argo-rollouts-plugin.md §2.8).
namespace nova::rollouts {

// The delay of `restart --in`: Go duration syntax ("30s", "1h30m"); "" is no delay. Throws
// core::usage_error for a bad or negative one (argo panics on the first and takes the second).
std::chrono::nanoseconds restart_delay(std::string_view text);

// spec.restartAt: `now` plus `delay`, in UTC to the second ("2024-05-01T12:00:00Z").
std::string restart_at(core::Clock::time_point now, std::chrono::nanoseconds delay);

// argo's merge patch, literally (newlines and tabs included):
// {\n\t"spec": {\n\t\t"restartAt": "<restart_at>"\n\t}\n}
std::string restart_patch(core::Clock::time_point now, std::chrono::nanoseconds delay);

} // namespace nova::rollouts
