#include "lib/kube/watch_stream.hpp"

#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"

namespace nova::kube {

std::vector<std::string> LineAssembler::feed(std::string_view chunk) {
    std::vector<std::string> lines;
    while (!chunk.empty()) {
        const std::size_t newline = chunk.find('\n');
        if (newline == std::string_view::npos) {
            m_partial.append(chunk);
            break;
        }
        m_partial.append(chunk.substr(0, newline));
        chunk.remove_prefix(newline + 1);
        if (!m_partial.empty() && m_partial.back() == '\r') {
            m_partial.pop_back();
        }
        if (!m_partial.empty()) {
            lines.push_back(std::move(m_partial));
        }
        m_partial.clear();
    }
    return lines;
}

std::string_view event_type_name(EventType type) {
    switch (type) {
    case EventType::added:
        return "ADDED";
    case EventType::modified:
        return "MODIFIED";
    case EventType::deleted:
        return "DELETED";
    case EventType::bookmark:
        return "BOOKMARK";
    case EventType::error:
        return "ERROR";
    case EventType::expired:
        return "EXPIRED";
    }
    return "ERROR";
}

std::optional<ParsedEvent> parse_watch_event(std::string_view line) {
    nlohmann::json event;
    try {
        event = core::parse_json(line); // depth-limited, as every reply
    } catch (const core::Error&) {
        return std::nullopt;
    }
    if (!event.is_object()) {
        return std::nullopt;
    }
    const auto type = event.find("type");
    const auto object = event.find("object");
    if (type == event.end() || !type->is_string() || object == event.end()) {
        return std::nullopt;
    }
    const std::string& name = type->get_ref<const std::string&>();
    ParsedEvent parsed;
    if (name == "ADDED") {
        parsed.type = EventType::added;
    } else if (name == "MODIFIED") {
        parsed.type = EventType::modified;
    } else if (name == "DELETED") {
        parsed.type = EventType::deleted;
    } else if (name == "BOOKMARK") {
        parsed.type = EventType::bookmark;
    } else if (name == "ERROR") {
        parsed.type = EventType::error;
        // client-go's isExpiredError: reason Expired or Gone; the code alone also says it.
        const auto code = object->find("code");
        const auto reason = object->find("reason");
        const bool gone = (code != object->end() && code->is_number_integer() && *code == 410) ||
                          (reason != object->end() && reason->is_string() &&
                           (*reason == "Expired" || *reason == "Gone"));
        if (gone) {
            parsed.type = EventType::expired;
        }
    } else {
        return std::nullopt;
    }
    parsed.object = std::move(*object);
    return parsed;
}

std::string resource_version_of(const nlohmann::json& object) {
    if (!object.is_object()) {
        return {};
    }
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return {};
    }
    const auto rv = metadata->find("resourceVersion");
    return rv != metadata->end() && rv->is_string() ? rv->get<std::string>() : std::string();
}

} // namespace nova::kube
