#include "lib/rollouts/json_fields.hpp"

#include "lib/core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace nova::rollouts::fields {

const nlohmann::json* find(const nlohmann::json& object, Path path) {
    const nlohmann::json* current = &object;
    for (const auto key : path) {
        if (!current->is_object()) {
            return nullptr;
        }
        const auto it = current->find(key);
        if (it == current->end() || it->is_null()) {
            return nullptr;
        }
        current = &*it;
    }
    return current->is_null() ? nullptr : current;
}

bool has(const nlohmann::json& object, Path path) {
    return find(object, path) != nullptr;
}

std::string string_at(const nlohmann::json& object, Path path) {
    const auto* value = find(object, path);
    if (value == nullptr) {
        return {};
    }
    if (value->is_string()) {
        return value->get<std::string>();
    }
    if (value->is_number_integer()) {
        return value->dump();
    }
    return {};
}

std::optional<std::int64_t> optional_int_at(const nlohmann::json& object, Path path) {
    const auto* value = find(object, path);
    if (value == nullptr) {
        return std::nullopt;
    }
    // argo's integer fields are int32: clamping to that range keeps a hostile or broken value
    // (1e20, 2^64-1) from overflowing the sums and products computed from it.
    constexpr auto lowest = static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::min());
    constexpr auto highest = static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max());
    if (value->is_number_unsigned()) {
        return static_cast<std::int64_t>(
            std::min<std::uint64_t>(value->get<std::uint64_t>(), highest));
    }
    if (value->is_number_integer()) {
        return std::clamp(value->get<std::int64_t>(), lowest, highest);
    }
    if (value->is_number_float()) {
        const double number = value->get<double>();
        if (!std::isfinite(number)) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(
            std::clamp(number, static_cast<double>(lowest), static_cast<double>(highest)));
    }
    return std::nullopt;
}

std::int64_t int_at(const nlohmann::json& object, Path path) {
    return optional_int_at(object, path).value_or(0);
}

bool bool_at(const nlohmann::json& object, Path path) {
    const auto* value = find(object, path);
    return value != nullptr && value->is_boolean() && value->get<bool>();
}

std::optional<core::TimePoint> time_at(const nlohmann::json& object, Path path) {
    const auto* value = find(object, path);
    if (value == nullptr || !value->is_string()) {
        return std::nullopt;
    }
    try {
        return core::parse_rfc3339(value->get<std::string>());
    } catch (const core::Error&) {
        return std::nullopt;
    }
}

const nlohmann::json& array_at(const nlohmann::json& object, Path path) {
    static const nlohmann::json empty = nlohmann::json::array();
    const auto* value = find(object, path);
    return value != nullptr && value->is_array() ? *value : empty;
}

namespace {

std::string metadata_map_value(const nlohmann::json& object, std::string_view map,
                               std::string_view key) {
    const auto* values = find(object, {"metadata", map});
    if (values == nullptr || !values->is_object()) {
        return {};
    }
    const auto it = values->find(key);
    return it != values->end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string annotation(const nlohmann::json& object, std::string_view key) {
    return metadata_map_value(object, "annotations", key);
}

std::string label(const nlohmann::json& object, std::string_view key) {
    return metadata_map_value(object, "labels", key);
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text.front() < '0' || text.front() > '9') {
        return std::nullopt;
    }
    // Parse the magnitude as unsigned so that INT64_MIN is accepted, as Go does.
    std::uint64_t magnitude = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    constexpr auto max = static_cast<std::uint64_t>(INT64_MAX);
    if (negative) {
        if (magnitude > max + 1) {
            return std::nullopt;
        }
        return magnitude == max + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude > max) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(magnitude);
}

} // namespace nova::rollouts::fields
