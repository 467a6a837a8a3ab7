#include "lib/render/status_lines.hpp"

namespace nova::render {

std::string status_line(const rollouts::RolloutInfo& info) {
    if (info.message.empty()) {
        return info.status;
    }
    return info.status + " - " + info.message;
}

std::string status_line_once(const rollouts::RolloutInfo& info) {
    if (info.status == "Healthy" || info.status == "Degraded") {
        return info.status;
    }
    return info.status + " - " + info.message;
}

std::optional<std::string> StatusLinePrinter::next(const rollouts::RolloutInfo& info) {
    auto line = status_line(info);
    if (line == m_last) {
        return std::nullopt;
    }
    m_last = line;
    return line;
}

} // namespace nova::render
