#include "lib/core/duration.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <limits>

namespace nova::core {

namespace {

// Go's time.Duration range in whole seconds: time.Since() saturates here (~292 years).
constexpr std::int64_t max_go_seconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000;

const char* const unit_hint = "use ns, us, ms, s, m or h";

[[noreturn]] void fail_duration(std::string_view text, std::string_view problem) {
    throw usage_error(fmt::format("invalid duration {}: {}", quote(text), problem));
}

// The nanoseconds in one of Go's duration units, or 0 for an unknown unit.
std::uint64_t unit_nanoseconds(std::string_view unit) {
    if (unit == "ns") {
        return 1;
    }
    // Go accepts both U+00B5 (micro sign) and U+03BC (Greek mu).
    if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") {
        return 1'000;
    }
    if (unit == "ms") {
        return 1'000'000;
    }
    if (unit == "s") {
        return 1'000'000'000;
    }
    if (unit == "m") {
        return 60'000'000'000;
    }
    if (unit == "h") {
        return 3'600'000'000'000;
    }
    return 0;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Writes the fraction v / 10^prec (without trailing zeros, without '.' if zero) in front of
// `w` in buf and returns v / 10^prec; Go's fmtFrac.
std::uint64_t format_fraction(std::array<char, 32>& buf, std::size_t& w, std::uint64_t v,
                              int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
        const auto digit = v % 10;
        print = print || digit != 0;
        if (print) {
            buf[--w] = static_cast<char>('0' + digit);
        }
        v /= 10;
    }
    if (print) {
        buf[--w] = '.';
    }
    return v;
}

void format_integer(std::array<char, 32>& buf, std::size_t& w, std::uint64_t v) {
    if (v == 0) {
        buf[--w] = '0';
        return;
    }
    while (v > 0) {
        buf[--w] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
}

// Parses exactly `width` digits at text[pos], advancing pos; nullopt if they are not digits.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (!is_digit(c)) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

} // namespace

std::string human_duration(std::chrono::seconds d) {
    // Integer truncation throughout, exactly like apimachinery's duration.HumanDuration.
    const std::int64_t seconds = d.count();
    if (seconds < -1) {
        return "<invalid>"; // more than the 1 s of clock skew it tolerates
    }
    if (seconds < 0) {
        return "0s";
    }
    if (seconds < 60 * 2) {
        return fmt::format("{}s", seconds);
    }
    const std::int64_t minutes = seconds / 60;
    if (minutes < 10) {
        const auto s = seconds % 60;
        return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
    }
    if (minutes < 60 * 3) {
        return fmt::format("{}m", minutes);
    }
    const std::int64_t hours = seconds / 3600;
    if (hours < 8) {
        const auto m = minutes % 60;
        return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
    }
    if (hours < 48) {
        return fmt::format("{}h", hours);
    }
    if (hours < 24 * 8) {
        const auto h = hours % 24;
        return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
    }
    if (hours < 24 * 365 * 2) {
        return fmt::format("{}d", hours / 24);
    }
    if (hours < 24 * 365 * 8) {
        const auto days = (hours / 24) % 365;
        const auto years = hours / 24 / 365;
        return days == 0 ? fmt::format("{}y", years) : fmt::format("{}y{}d", years, days);
    }
    return fmt::format("{}y", hours / 24 / 365);
}

std::string age(std::optional<TimePoint> created, TimePoint now) {
    if (!created) {
        return human_duration(std::chrono::seconds(max_go_seconds));
    }
    // Go's Time.Sub saturates at the limits of time.Duration; do the same (and avoid overflow).
    const auto a = now.time_since_epoch().count();
    const auto b = created->time_since_epoch().count();
    std::int64_t diff = 0;
    if (__builtin_sub_overflow(a, b, &diff) || diff > max_go_seconds) {
        diff = a > b ? max_go_seconds : -max_go_seconds;
    } else if (diff < -max_go_seconds) {
        diff = -max_go_seconds;
    }
    return human_duration(std::chrono::seconds(diff));
}

std::chrono::nanoseconds parse_go_duration(std::string_view text) {
    // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ with Go's time.ParseDuration rules and overflow checks.
    constexpr std::uint64_t limit = std::uint64_t{1} << 63; // |min int64|
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == "0") {
        return std::chrono::nanoseconds(0);
    }
    if (s.empty()) {
        fail_duration(text, text.empty() ? "empty (use e.g. 30s, 5m or 1h30m)"
                                         : "missing number and unit (e.g. 30s, 5m or 1h30m)");
    }
    const auto out_of_range = [&] {
        fail_duration(text, "out of range (the limit is about 2562047h, 292 years)");
    };
    std::uint64_t total = 0;
    while (!s.empty()) {
        if (!(s.front() == '.' || is_digit(s.front()))) {
            fail_duration(text, fmt::format("expected a number at {}", quote(s)));
        }
        // The whole part.
        std::uint64_t whole = 0;
        std::size_t i = 0;
        for (; i < s.size() && is_digit(s[i]); ++i) {
            if (whole > limit / 10) {
                out_of_range();
            }
            whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
            if (whole > limit) {
                out_of_range();
            }
        }
        const bool has_whole = i > 0;
        s.remove_prefix(i);
        // The fraction: precision stops accumulating on overflow instead of failing.
        std::uint64_t fraction = 0;
        double scale = 1;
        bool has_fraction = false;
        if (!s.empty() && s.front() == '.') {
            s.remove_prefix(1);
            bool overflow = false;
            for (i = 0; i < s.size() && is_digit(s[i]); ++i) {
                if (overflow) {
                    continue;
                }
                if (fraction > (limit - 1) / 10) {
                    overflow = true;
                    continue;
                }
                const auto next = fraction * 10 + static_cast<std::uint64_t>(s[i] - '0');
                if (next > limit) {
                    overflow = true;
                    continue;
                }
                fraction = next;
                scale *= 10;
            }
            has_fraction = i > 0;
            s.remove_prefix(i);
        }
        if (!has_whole && !has_fraction) {
            fail_duration(text, "expected digits around '.'");
        }
        // The unit: everything up to the next number.
        for (i = 0; i < s.size() && !(s[i] == '.' || is_digit(s[i])); ++i) {
        }
        if (i == 0) {
            fail_duration(text, fmt::format("missing unit ({})", unit_hint));
        }
        const auto unit_name = s.substr(0, i);
        s.remove_prefix(i);
        const auto unit = unit_nanoseconds(unit_name);
        if (unit == 0) {
            fail_duration(text, fmt::format("unknown unit {} ({})", quote(unit_name), unit_hint));
        }
        if (whole > limit / unit) {
            out_of_range();
        }
        whole *= unit;
        if (fraction > 0) {
            // double keeps fractions of an hour nanosecond-exact, as in Go.
            whole += static_cast<std::uint64_t>(static_cast<double>(fraction) *
                                                (static_cast<double>(unit) / scale));
            if (whole > limit) {
                out_of_range();
            }
        }
        total += whole;
        if (total > limit) {
            out_of_range();
        }
    }
    if (negative) {
        // -(2^63) is representable; two's complement negation of the unsigned value gives it.
        return std::chrono::nanoseconds(static_cast<std::int64_t>(~total + 1));
    }
    if (total > limit - 1) {
        out_of_range();
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(total));
}

std::string format_go_duration(std::chrono::nanoseconds d) {
    // Go's Duration.String: "72h3m0.5s", sub-second values in ms/µs/ns, "0s" for zero.
    std::array<char, 32> buf{};
    std::size_t w = buf.size();
    const bool negative = d.count() < 0;
    std::uint64_t u = static_cast<std::uint64_t>(d.count());
    if (negative) {
        u = ~u + 1; // also right for the minimum value
    }
    if (u < 1'000'000'000) {
        buf[--w] = 's';
        int prec = 0;
        if (u == 0) {
            buf[--w] = '0';
            return std::string(buf.data() + w, buf.size() - w);
        }
        if (u < 1'000) {
            buf[--w] = 'n';
        } else if (u < 1'000'000) {
            prec = 3;
            buf[--w] = '\xb5'; // U+00B5 in UTF-8, as Go prints it
            buf[--w] = '\xc2';
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        u = format_fraction(buf, w, u, prec);
        format_integer(buf, w, u);
    } else {
        buf[--w] = 's';
        u = format_fraction(buf, w, u, 9);
        format_integer(buf, w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            format_integer(buf, w, u % 60);
            u /= 60;
            // Hours are the largest unit: days differ in length.
            if (u > 0) {
                buf[--w] = 'h';
                format_integer(buf, w, u);
            }
        }
    }
    if (negative) {
        buf[--w] = '-';
    }
    return std::string(buf.data() + w, buf.size() - w);
}

TimePoint parse_rfc3339(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm), strict like Go's time.RFC3339 parsing; the
    // fraction is dropped (TimePoint has second precision, as Kubernetes timestamps do).
    const auto bad = [&](std::string_view problem) -> TimePoint {
        throw Error(fmt::format("invalid timestamp {}: {} (expected RFC 3339, e.g. "
                                "2024-05-01T10:00:00Z)",
                                quote(text), problem));
    };
    std::size_t pos = 0;
    const auto literal = [&](char c) {
        if (pos < text.size() && text[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    };
    const auto year = digits(text, pos, 4);
    if (!year || !literal('-')) {
        return bad("bad year");
    }
    const auto month = digits(text, pos, 2);
    if (!month || !literal('-')) {
        return bad("bad month");
    }
    const auto day = digits(text, pos, 2);
    if (!day || !literal('T')) {
        return bad("bad day");
    }
    const auto hour = digits(text, pos, 2);
    if (!hour || !literal(':')) {
        return bad("bad hour");
    }
    const auto minute = digits(text, pos, 2);
    if (!minute || !literal(':')) {
        return bad("bad minute");
    }
    const auto second = digits(text, pos, 2);
    if (!second) {
        return bad("bad second");
    }
    if (literal('.')) {
        const auto start = pos;
        while (pos < text.size() && is_digit(text[pos])) {
            ++pos;
        }
        if (pos == start) {
            return bad("missing digits after '.'");
        }
    }
    std::int64_t offset_seconds = 0;
    if (!literal('Z')) {
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
            return bad("missing time zone ('Z' or ±hh:mm)");
        }
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        const auto offset_hours = digits(text, pos, 2);
        if (!offset_hours || !literal(':')) {
            return bad("bad time zone offset");
        }
        const auto offset_minutes = digits(text, pos, 2);
        if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
            return bad("bad time zone offset");
        }
        offset_seconds = sign * (*offset_hours * 3600 + *offset_minutes * 60);
    }
    if (pos != text.size()) {
        return bad(fmt::format("unexpected text {} at the end", quote(text.substr(pos))));
    }
    const std::chrono::year_month_day date{std::chrono::year(*year),
                                           std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.month().ok()) {
        return bad("month out of range");
    }
    if (!date.ok()) {
        return bad("day out of range");
    }
    if (*hour > 23 || *minute > 59 || *second > 59) {
        return bad("time of day out of range");
    }
    // Civil-date arithmetic (like timegm): no locale or time zone database involved.
    const auto days = std::chrono::sys_days(date);
    return TimePoint(std::chrono::duration_cast<std::chrono::seconds>(days.time_since_epoch()) +
                     std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
                     std::chrono::seconds(*second) - std::chrono::seconds(offset_seconds));
}

std::string format_rfc3339(TimePoint t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day date{days};
    const std::chrono::hh_mm_ss time{t - days};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
}

} // namespace nova::core
