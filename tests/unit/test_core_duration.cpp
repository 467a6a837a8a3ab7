#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using nova::core::Error;
using nova::core::ExitCode;
using nova::core::TimePoint;
using namespace std::chrono_literals;

namespace {

std::string human(std::int64_t seconds) {
    return nova::core::human_duration(std::chrono::seconds(seconds));
}

constexpr std::int64_t minute = 60;
constexpr std::int64_t hour = 3600;
constexpr std::int64_t day = 24 * hour;
constexpr std::int64_t year = 365 * day;

std::int64_t ns(std::string_view text) {
    return nova::core::parse_go_duration(text).count();
}

std::string go_error(const std::string& text) {
    try {
        (void)nova::core::parse_go_duration(text);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    FAIL("no error for duration " << text);
    return {};
}

std::string go(std::int64_t nanoseconds) {
    return nova::core::format_go_duration(std::chrono::nanoseconds(nanoseconds));
}

TimePoint at(std::int64_t epoch_seconds) {
    return TimePoint(std::chrono::seconds(epoch_seconds));
}

std::int64_t epoch(std::string_view text) {
    return nova::core::parse_rfc3339(text).time_since_epoch().count();
}

std::string rfc3339_error(const std::string& text) {
    try {
        (void)nova::core::parse_rfc3339(text);
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("no error for timestamp " << text);
    return {};
}

} // namespace

TEST_CASE("human_duration: negative and seconds", "[core][duration]") {
    CHECK(human(-100 * year) == "<invalid>");
    CHECK(human(-2) == "<invalid>");
    CHECK(human(-1) == "0s"); // 1 s of clock skew is "now"
    CHECK(human(0) == "0s");
    CHECK(human(1) == "1s");
    CHECK(human(70) == "70s");
    CHECK(human(119) == "119s");
}

TEST_CASE("human_duration: minutes", "[core][duration]") {
    CHECK(human(120) == "2m");
    CHECK(human(121) == "2m1s");
    CHECK(human(190) == "3m10s");
    CHECK(human(5 * minute + 30) == "5m30s");
    CHECK(human(9 * minute + 59) == "9m59s");
    CHECK(human(10 * minute) == "10m");
    CHECK(human(10 * minute + 59) == "10m"); // seconds dropped from 10 minutes on
    CHECK(human(70 * minute) == "70m");
    CHECK(human(179 * minute) == "179m");
    CHECK(human(179 * minute + 59) == "179m");
}

TEST_CASE("human_duration: hours", "[core][duration]") {
    CHECK(human(3 * hour) == "3h");
    CHECK(human(3 * hour + 1 * minute) == "3h1m");
    CHECK(human(3 * hour + 59) == "3h"); // seconds never shown with hours
    CHECK(human(7 * hour + 59 * minute) == "7h59m");
    CHECK(human(7 * hour + 59 * minute + 59) == "7h59m");
    CHECK(human(8 * hour) == "8h");
    CHECK(human(8 * hour + 30 * minute) == "8h"); // minutes dropped from 8 hours on
    CHECK(human(47 * hour) == "47h");
    CHECK(human(47 * hour + 59 * minute + 59) == "47h");
}

TEST_CASE("human_duration: days", "[core][duration]") {
    CHECK(human(48 * hour) == "2d");
    CHECK(human(49 * hour) == "2d1h");
    CHECK(human(7 * day) == "7d");
    CHECK(human(191 * hour) == "7d23h");
    CHECK(human(192 * hour) == "8d");
    CHECK(human(8 * day + 2 * hour) == "8d"); // hours dropped from 8 days on
    CHECK(human(367 * day) == "367d");
    CHECK(human(2 * year - 1) == "729d");
}

TEST_CASE("human_duration: years", "[core][duration]") {
    CHECK(human(2 * year) == "2y");
    CHECK(human(2 * year + 25 * hour) == "2y1d");
    CHECK(human(5 * year + 100 * day) == "5y100d");
    CHECK(human(8 * year - 1) == "7y364d");
    CHECK(human(8 * year) == "8y");
    CHECK(human(8 * year + 2 * hour) == "8y");
    CHECK(human(8 * year + 200 * day) == "8y"); // days dropped from 8 years on
    CHECK(human(292 * year) == "292y");
}

TEST_CASE("age: now minus creation, missing timestamp is 292y", "[core][duration]") {
    const auto now = at(1714557600);
    CHECK(nova::core::age(std::nullopt, now) == "292y");
    CHECK(nova::core::age(now, now) == "0s");
    CHECK(nova::core::age(now - 7 * 24h, now) == "7d");
    CHECK(nova::core::age(now - 3h - 59min, now) == "3h59m");
    CHECK(nova::core::age(now + 1s, now) == "0s");
    CHECK(nova::core::age(now + 2s, now) == "<invalid>");
    // Go's Time.Sub saturates at ~292 years; year 1 (Go's zero time) prints like a missing one.
    CHECK(nova::core::age(at(-62135596800), now) == "292y");
    CHECK(nova::core::age(at(std::numeric_limits<std::int64_t>::min()), now) == "292y");
    CHECK(nova::core::age(at(std::numeric_limits<std::int64_t>::max()), now) == "<invalid>");
}

TEST_CASE("parse_go_duration: numbers, units, signs and fractions", "[core][duration]") {
    CHECK(ns("0") == 0);
    CHECK(ns("-0") == 0);
    CHECK(ns("+0") == 0);
    CHECK(ns("0s") == 0);
    CHECK(ns("5s") == 5'000'000'000);
    CHECK(ns("+5s") == 5'000'000'000);
    CHECK(ns("-5s") == -5'000'000'000);
    CHECK(ns("1478s") == 1478'000'000'000);
    CHECK(ns("10ns") == 10);
    CHECK(ns("11us") == 11'000);
    CHECK(ns("12\u00b5s") == 12'000); // micro sign
    CHECK(ns("12\u03bcs") == 12'000); // Greek mu
    CHECK(ns("13ms") == 13'000'000);
    CHECK(ns("15m") == 15 * 60'000'000'000);
    CHECK(ns("16h") == 16 * 3'600'000'000'000);
    CHECK(ns("300ms") == 300'000'000);
    CHECK(ns("5.6s") == 5'600'000'000);
    CHECK(ns("5.s") == 5'000'000'000);
    CHECK(ns(".5s") == 500'000'000);
    CHECK(ns("1.0040s") == 1'004'000'000);
    CHECK(ns("100.00100s") == 100'001'000'000);
    CHECK(ns("1.5h") == 5400'000'000'000);
    CHECK(ns("0.3333333333333333333h") == 20 * 60'000'000'000);
    CHECK(ns("0.100000000000000000000h") == 6 * 60'000'000'000);
    CHECK(ns("0.830103483285477580700h") == (49 * 60 + 48) * 1'000'000'000LL + 372539827);
}

TEST_CASE("parse_go_duration: composite and extreme values", "[core][duration]") {
    CHECK(ns("1h30m") == 90 * 60'000'000'000);
    CHECK(ns("10.5s4m") == 250'500'000'000);
    CHECK(ns("-2m3.4s") == -123'400'000'000);
    CHECK(ns("1h2m3s4ms5us6ns") == 3723'004'005'006);
    CHECK(ns("9007199254740993ns") == 9007199254740993); // not exact in a double
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    CHECK(ns("9223372036854775807ns") == max);
    CHECK(ns("9223372036854775.807us") == max);
    CHECK(ns("9223372036s854ms775us807ns") == max);
    CHECK(ns("-9223372036854775808ns") == min);
    CHECK(ns("-9223372036s854ms775us808ns") == min);
    CHECK(ns("2562047h") == 2562047 * 3'600'000'000'000);
}

TEST_CASE("parse_go_duration: errors name the input and the problem", "[core][duration]") {
    using Catch::Matchers::Equals;
    CHECK_THAT(go_error("5x"),
               Equals("invalid duration \"5x\": unknown unit \"x\" (use ns, us, ms, s, m or h)"));
    CHECK_THAT(go_error("1d"),
               Equals("invalid duration \"1d\": unknown unit \"d\" (use ns, us, ms, s, m or h)"));
    CHECK_THAT(go_error("5 s"), Equals("invalid duration \"5 s\": unknown unit \" s\" (use ns, "
                                       "us, ms, s, m or h)"));
    CHECK_THAT(go_error("3"),
               Equals("invalid duration \"3\": missing unit (use ns, us, ms, s, m or h)"));
    CHECK_THAT(go_error("1h30"),
               Equals("invalid duration \"1h30\": missing unit (use ns, us, ms, s, m or h)"));
    CHECK_THAT(go_error("0.0"), Equals("invalid duration \"0.0\": missing unit (use ns, us, ms, "
                                       "s, m or h)"));
    CHECK_THAT(go_error(""), Equals("invalid duration \"\": empty (use e.g. 30s, 5m or 1h30m)"));
    CHECK_THAT(go_error("-"), Equals("invalid duration \"-\": missing number and unit (e.g. 30s, "
                                     "5m or 1h30m)"));
    CHECK_THAT(go_error("s"), Equals("invalid duration \"s\": expected a number at \"s\""));
    CHECK_THAT(go_error("1s-2s"), Equals("invalid duration \"1s-2s\": unknown unit \"s-\" (use "
                                         "ns, us, ms, s, m or h)"));
    CHECK_THAT(go_error("hello"), Equals("invalid duration \"hello\": expected a number at "
                                         "\"hello\""));
    CHECK_THAT(go_error("."), Equals("invalid duration \".\": expected digits around '.'"));
    CHECK_THAT(go_error("-.s"), Equals("invalid duration \"-.s\": expected digits around '.'"));
    CHECK_THAT(go_error(".s"), Equals("invalid duration \".s\": expected digits around '.'"));
    CHECK_THAT(go_error("1S"), Catch::Contains("unknown unit \"S\""));
    CHECK_THAT(go_error("\"1\ns"), Equals("invalid duration \"\\\"1\\ns\": expected a number "
                                          "at \"\\\"1\\ns\""));
    CHECK_THAT(go_error("1\x85\x85"), Catch::Contains("unknown unit \"\x85\x85\""));

    const std::string range = "out of range (the limit is about 2562047h, 292 years)";
    for (const char* overflow : {
             "9223372036854775808ns",
             "9223372036854775810ns",
             "-9223372036854775809ns",
             "9223372036854776us",
             "3000000h",
             "2562048h",
             "99999999999999999999999s",
             "9223372036854775807.9223372036854775807h",
             "9223372036854775807ns9223372036854775807ns",
             "2562047h47m16.854775808s",
         }) {
        INFO(overflow);
        CHECK_THAT(go_error(overflow),
                   Equals("invalid duration \"" + std::string(overflow) + "\": " + range));
    }
}

TEST_CASE("format_go_duration: like Go's Duration.String", "[core][duration]") {
    CHECK(go(0) == "0s");
    CHECK(go(1) == "1ns");
    CHECK(go(999) == "999ns");
    CHECK(go(1'100) == "1.1\u00b5s");
    CHECK(go(2'200'000) == "2.2ms");
    CHECK(go(300'000'000) == "300ms");
    CHECK(go(3'300'000'000) == "3.3s");
    CHECK(go(1'500'000'000) == "1.5s");
    CHECK(go(90'000'000'000) == "1m30s");
    CHECK(go(245'001'000'000) == "4m5.001s");
    CHECK(go(5 * 3'600'000'000'000 + 367'001'000'000) == "5h6m7.001s");
    CHECK(go(480'000'000'001) == "8m0.000000001s");
    CHECK(go(3'600'000'000'000) == "1h0m0s");
    CHECK(go(5'400'000'000'000) == "1h30m0s");
    CHECK(go(-1'500'000'000) == "-1.5s");
    CHECK(go(-1) == "-1ns");
    CHECK(go(std::numeric_limits<std::int64_t>::max()) == "2562047h47m16.854775807s");
    CHECK(go(std::numeric_limits<std::int64_t>::min()) == "-2562047h47m16.854775808s");
}

TEST_CASE("format_go_duration and parse_go_duration round-trip", "[core][duration]") {
    for (const std::int64_t value :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{1'100}, std::int64_t{-2'200'000},
          std::int64_t{3'300'000'000}, std::int64_t{5'400'000'000'000},
          std::int64_t{480'000'000'001}, std::numeric_limits<std::int64_t>::max(),
          std::numeric_limits<std::int64_t>::min()}) {
        INFO(value);
        CHECK(ns(go(value)) == value);
    }
}

TEST_CASE("parse_rfc3339 and format_rfc3339", "[core][duration]") {
    CHECK(epoch("1970-01-01T00:00:00Z") == 0);
    CHECK(epoch("2024-05-01T10:00:00Z") == 1714557600);
    CHECK(epoch("2024-05-01T12:00:00+02:00") == 1714557600);
    CHECK(epoch("2024-05-01T05:30:00-04:30") == 1714557600);
    CHECK(epoch("2024-05-01T10:00:00+00:00") == 1714557600);
    CHECK(epoch("2024-05-01T10:00:00.999999999Z") == 1714557600); // fraction dropped
    CHECK(epoch("2024-05-01T10:00:00.5+01:00") == 1714557600 - 3600);
    CHECK(epoch("2000-03-01T00:00:00+01:00") == 951865200); // crosses a leap day
    CHECK(epoch("1969-12-31T23:59:59Z") == -1);
    CHECK(epoch("1900-03-01T00:00:00Z") == -2203891200);
    CHECK(epoch("0001-01-01T00:00:00Z") == -62135596800);
    CHECK(epoch("9999-12-31T23:59:59Z") == 253402300799);

    CHECK(nova::core::format_rfc3339(at(0)) == "1970-01-01T00:00:00Z");
    CHECK(nova::core::format_rfc3339(at(1714557600)) == "2024-05-01T10:00:00Z");
    CHECK(nova::core::format_rfc3339(at(951865200)) == "2000-02-29T23:00:00Z");
    CHECK(nova::core::format_rfc3339(at(-1)) == "1969-12-31T23:59:59Z");
    CHECK(nova::core::format_rfc3339(at(-62135596800)) == "0001-01-01T00:00:00Z");

    for (const char* text : {"2024-05-01T10:00:00Z", "2024-02-29T23:59:59Z", "1999-12-31T00:00:01Z",
                             "1900-03-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
        CHECK(nova::core::format_rfc3339(nova::core::parse_rfc3339(text)) == text);
    }
    CHECK(nova::core::format_rfc3339(nova::core::parse_rfc3339("2024-05-01T00:30:00+01:00")) ==
          "2024-04-30T23:30:00Z");
}

TEST_CASE("parse_rfc3339: errors", "[core][duration]") {
    using Catch::Matchers::Contains;
    using Catch::Matchers::Equals;
    CHECK_THAT(rfc3339_error("2024-13-01T00:00:00Z"),
               Equals("invalid timestamp \"2024-13-01T00:00:00Z\": month out of range (expected "
                      "RFC 3339, e.g. 2024-05-01T10:00:00Z)"));
    CHECK_THAT(rfc3339_error(""), Contains("invalid timestamp \"\": bad year"));
    CHECK_THAT(rfc3339_error("2024-00-01T00:00:00Z"), Contains("month out of range"));
    CHECK_THAT(rfc3339_error("2023-02-29T00:00:00Z"), Contains("day out of range"));
    CHECK_THAT(rfc3339_error("2024-04-31T00:00:00Z"), Contains("day out of range"));
    CHECK_THAT(rfc3339_error("2024-04-00T00:00:00Z"), Contains("day out of range"));
    CHECK_THAT(rfc3339_error("2024-05-01T24:00:00Z"), Contains("time of day out of range"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:60:00Z"), Contains("time of day out of range"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:60Z"), Contains("time of day out of range"));
    CHECK_THAT(rfc3339_error("2024-05-01"), Contains("bad day"));
    CHECK_THAT(rfc3339_error("2024-05-01 10:00:00Z"), Contains("bad day"));
    CHECK_THAT(rfc3339_error("2024-5-01T10:00:00Z"), Contains("bad month"));
    CHECK_THAT(rfc3339_error("24-05-01T10:00:00Z"), Contains("bad year"));
    CHECK_THAT(rfc3339_error("2024-05-01T1:00:00Z"), Contains("bad hour"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:0:00Z"), Contains("bad minute"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00Z"), Contains("bad minute"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:0Z"), Contains("bad second"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00"),
               Contains("missing time zone ('Z' or \u00b1hh:mm)"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00z"), Contains("missing time zone"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00.Z"), Contains("missing digits after '.'"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00+0200"), Contains("bad time zone offset"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00+24:00"), Contains("bad time zone offset"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00+02:60"), Contains("bad time zone offset"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00Zjunk"),
               Contains("unexpected text \"junk\" at the end"));
    CHECK_THAT(rfc3339_error("2024-05-01T10:00:00Z "), Contains("unexpected text \" \""));
}
