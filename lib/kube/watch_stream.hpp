#pragma once

// The pure half of watching: splitting a WATCH response into events (reference §3.4).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::kube {

// Reassembles newline-delimited records from chunks cut anywhere: a record may span chunks and
// a chunk may hold several records. "\r\n" endings and blank lines are tolerated.
class LineAssembler {
public:
    // Appends `chunk` and returns the records it completed, in order.
    std::vector<std::string> feed(std::string_view chunk);

    // The incomplete record held back (what a stream that ended mid-record left over).
    [[nodiscard]] const std::string& pending() const { return m_partial; }
    void clear() { m_partial.clear(); }

private:
    std::string m_partial;
};

enum class EventType {
    added,
    modified,
    deleted,
    bookmark,
    error,   // an ERROR event (object is a Status), or a failed attempt to watch
    expired, // 410 Gone/Expired, as an ERROR event or as the watch's HTTP status: re-list
};

std::string_view event_type_name(EventType type);

struct ParsedEvent {
    EventType type = EventType::error;
    nlohmann::json object;
};

// One line of a watch stream: {"type": "...", "object": {...}}. nullopt if the line is not
// such an event (invalid JSON, unknown type). An ERROR event whose Status has code 410 or
// reason Expired/Gone comes back as `expired`.
std::optional<ParsedEvent> parse_watch_event(std::string_view line);

// metadata.resourceVersion of an event's object ("" if it has none).
std::string resource_version_of(const nlohmann::json& object);

} // namespace nova::kube
