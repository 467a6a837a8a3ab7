#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace nova::core {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::seconds>;

// Kubernetes' HumanDuration, as argo's AGE column prints it
// (reference/argo-rollouts-plugin.md §4.5): "<invalid>", "0s", "45s", "5m30s", "3h", "7d",
// "2y5d"...
std::string human_duration(std::chrono::seconds d);

// AGE of something created at `created` (nullopt: a missing timestamp, printed as Go's max
// duration, "292y"), seen at `now`.
std::string age(std::optional<TimePoint> created, TimePoint now);

// Parses a Go-style duration: "300ms", "1.5h", "1h30m", "90s", "-5m", "0". Units: ns, us, µs,
// ms, s, m, h. A bare number other than 0 is an error (Go's rule). Throws core::Error (usage)
// naming the input and what is wrong with it.
std::chrono::nanoseconds parse_go_duration(std::string_view text);

// Formats a duration the way Go's time.Duration.String() does: "1h30m0s", "1.5s", "300ms", "0s".
std::string format_go_duration(std::chrono::nanoseconds d);

// RFC 3339 timestamps as the Kubernetes API writes them ("2024-05-01T10:00:00Z").
// parse throws core::Error on bad input; fractional seconds and offsets are accepted.
TimePoint parse_rfc3339(std::string_view text);
std::string format_rfc3339(TimePoint t);

} // namespace nova::core
