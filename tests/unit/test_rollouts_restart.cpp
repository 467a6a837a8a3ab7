#include "lib/core/error.hpp"
#include "lib/rollouts/restart.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace nova;
using namespace std::chrono_literals;

namespace {

// 2024-05-01T12:00:00.7Z
core::Clock::time_point noonish() {
    return core::Clock::time_point(std::chrono::duration_cast<core::Clock::duration>(
        std::chrono::sys_days{std::chrono::year{2024} / std::chrono::May / 1}.time_since_epoch() +
        12h + 700ms));
}

core::ExitCode usage_code(std::string_view text) {
    try {
        (void)rollouts::restart_delay(text);
    } catch (const core::Error& error) {
        return error.code();
    }
    return core::ExitCode::success;
}

} // namespace

TEST_CASE("restart delays in Go duration syntax", "[rollouts]") {
    CHECK(rollouts::restart_delay("") == 0ns);
    CHECK(rollouts::restart_delay("0") == 0ns);
    CHECK(rollouts::restart_delay("30s") == 30s);
    CHECK(rollouts::restart_delay("1h30m") == 90min);
    CHECK(rollouts::restart_delay("500ms") == 500ms);
    // argo panics on the first two and schedules the third in the past.
    CHECK(usage_code("soon") == core::ExitCode::usage);
    CHECK(usage_code("1d") == core::ExitCode::usage);
    CHECK(usage_code("-5m") == core::ExitCode::usage);
}

TEST_CASE("restart messages name the flag", "[rollouts]") {
    try {
        (void)rollouts::restart_delay("-5m");
        FAIL("no error");
    } catch (const core::Error& error) {
        CHECK(std::string(error.what()) ==
              "--in \"-5m\" is negative: a restart can only be scheduled ahead");
    }
    try {
        (void)rollouts::restart_delay("soon");
        FAIL("no error");
    } catch (const core::Error& error) {
        CHECK(std::string(error.what()).rfind("--in: invalid duration \"soon\"", 0) == 0);
    }
}

TEST_CASE("restartAt is now plus the delay, to the second, in UTC", "[rollouts]") {
    CHECK(rollouts::restart_at(noonish(), 0ns) == "2024-05-01T12:00:00Z");
    CHECK(rollouts::restart_at(noonish(), 30s) == "2024-05-01T12:00:30Z");
    // The fractions add up before the second is dropped, as with Go's time.Add then Format.
    CHECK(rollouts::restart_at(noonish(), 300ms) == "2024-05-01T12:00:01Z");
    CHECK(rollouts::restart_at(noonish(), 12h) == "2024-05-02T00:00:00Z");
    // Go's longest duration, past the year 2262 where nanoseconds since 1970 end.
    CHECK(rollouts::restart_at(noonish(), std::chrono::nanoseconds::max()) ==
          "2316-08-11T11:47:17Z");
}

TEST_CASE("restart patch is argo's body, tabs and newlines included", "[rollouts]") {
    CHECK(rollouts::restart_patch(noonish(), 5min) ==
          "{\n\t\"spec\": {\n\t\t\"restartAt\": \"2024-05-01T12:05:00Z\"\n\t}\n}");
}
