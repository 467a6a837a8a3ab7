#pragma once

#include "lib/rollouts/rollout_info.hpp"

#include <optional>
#include <string>

// The lines `status` prints (reference/argo-rollouts-plugin.md §2.11), without newlines.
namespace nova::render {

// Watch form: "<Status>", or "<Status> - <Message>" when there is a message.
std::string status_line(const rollouts::RolloutInfo& info);

// argo's --watch=false form: Healthy and Degraded alone, anything else "<Status> - <Message>"
// even when the message is empty ("Paused - ").
std::string status_line_once(const rollouts::RolloutInfo& info);

// Prints a status line only when it differs from the last one printed.
class StatusLinePrinter {
public:
    // The line to print for `info`, or nullopt when it is the same as the previous one.
    std::optional<std::string> next(const rollouts::RolloutInfo& info);

private:
    std::string m_last; // argo starts from "", so an empty line is never printed
};

} // namespace nova::render
