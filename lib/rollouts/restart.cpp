#include "lib/rollouts/restart.hpp"

#include "lib/core/error.hpp"

namespace nova::rollouts {

std::chrono::nanoseconds restart_delay(std::string_view text) {
    if (text.empty()) {
        return std::chrono::nanoseconds{0};
    }
    std::chrono::nanoseconds delay{0};
    try {
        delay = core::parse_go_duration(text);
    } catch (const core::Error& error) {
        throw core::usage_error(std::string("--in: ") + error.what());
    }
    if (delay.count() < 0) {
        throw core::usage_error("--in \"" + std::string(text) +
                                "\" is negative: a restart can only be scheduled ahead");
    }
    return delay;
}

std::string restart_at(core::Clock::time_point now, std::chrono::nanoseconds delay) {
    // Go's RFC 3339 drops the fraction of a second: round down the sum, not each part. Summed
    // in seconds, as nanoseconds since 1970 end in 2262, well within Go's longest duration.
    using std::chrono::floor;
    using std::chrono::seconds;
    const auto now_seconds = floor<seconds>(now);
    const auto delay_seconds = floor<seconds>(delay);
    const auto fractions = floor<seconds>((now - now_seconds) + (delay - delay_seconds));
    return core::format_rfc3339(now_seconds + delay_seconds + fractions);
}

std::string restart_patch(core::Clock::time_point now, std::chrono::nanoseconds delay) {
    return "{\n\t\"spec\": {\n\t\t\"restartAt\": \"" + restart_at(now, delay) + "\"\n\t}\n}";
}

} // namespace nova::rollouts
