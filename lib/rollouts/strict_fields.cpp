#include "lib/rollouts/strict_fields.hpp"

#include "lib/core/error.hpp"

#include <cmath>
#include <utility>

namespace nova::rollouts::strict {

using nlohmann::json;

namespace {

std::string dotted(Path path, std::size_t count) {
    std::string text;
    std::size_t i = 0;
    for (const auto key : path) {
        if (i++ == count) {
            break;
        }
        text += (text.empty() ? "" : ".") + std::string(key);
    }
    return text;
}

// The value as the message shows it: JSON, cut short when long.
std::string shown(const json& value) {
    constexpr std::size_t longest = 40;
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > longest) {
        // Cut at a character boundary: never between the bytes of one UTF-8 character
        // (continuation bytes are 10xxxxxx).
        std::size_t cut = longest;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
            --cut;
        }
        text.resize(cut);
        text += "...";
    }
    return text;
}

} // namespace

Fields::Fields(const json& object, std::string what) : m_object(object), m_what(std::move(what)) {}

void Fields::refuse(Path path, std::optional<std::size_t> index, const std::string& expected,
                    const json& value) const {
    std::string field = dotted(path, path.size());
    if (index) {
        field += "[" + std::to_string(*index) + "]";
    }
    refuse(field, expected, value);
}

void Fields::refuse(const std::string& field, const std::string& expected,
                    const json& value) const {
    throw core::Error("invalid " + m_what + ": " + field + " must be " + expected + ", not " +
                      shown(value));
}

const json* Fields::find(Path path) const {
    const json* value = &m_object;
    std::size_t depth = 0;
    for (const auto key : path) {
        if (value->is_null()) {
            return nullptr;
        }
        if (!value->is_object()) {
            // The object on the way, named by the path up to it.
            throw core::Error("invalid " + m_what + ": " + dotted(path, depth) +
                              " must be an object, not " + shown(*value));
        }
        const auto found = value->find(key);
        if (found == value->end()) {
            return nullptr;
        }
        value = &*found;
        ++depth;
    }
    return value->is_null() ? nullptr : value;
}

const json* Fields::object(Path path) const {
    const json* value = find(path);
    if (value != nullptr && !value->is_object()) {
        refuse(path, std::nullopt, "an object", *value);
    }
    return value;
}

const json* Fields::array(Path path) const {
    const json* value = find(path);
    if (value != nullptr && !value->is_array()) {
        refuse(path, std::nullopt, "a list", *value);
    }
    return value;
}

const json* Fields::array_of_objects(Path path) const {
    const json* value = array(path);
    if (value != nullptr) {
        for (std::size_t i = 0; i < value->size(); ++i) {
            if (!(*value)[i].is_object()) {
                refuse(path, i, "an object", (*value)[i]);
            }
        }
    }
    return value;
}

std::optional<bool> Fields::boolean(Path path) const {
    const json* value = find(path);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        refuse(path, std::nullopt, "true or false", *value);
    }
    return value->get<bool>();
}

std::optional<std::string> Fields::string(Path path) const {
    const json* value = find(path);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        refuse(path, std::nullopt, "a string", *value);
    }
    return value->get<std::string>();
}

std::optional<std::int32_t> Fields::int32(Path path, std::int32_t minimum) const {
    const json* value = find(path);
    if (value == nullptr) {
        return std::nullopt;
    }
    constexpr auto highest = std::numeric_limits<std::int32_t>::max();
    const std::string expected =
        "an integer from " + std::to_string(minimum) + " to " + std::to_string(highest);
    if (value->is_number_unsigned()) {
        const auto number = value->get<std::uint64_t>();
        if (number > static_cast<std::uint64_t>(highest) ||
            static_cast<std::int64_t>(number) < minimum) {
            refuse(path, std::nullopt, expected, *value);
        }
        return static_cast<std::int32_t>(number);
    }
    if (value->is_number_integer()) {
        const auto number = value->get<std::int64_t>();
        if (number < minimum || number > highest) {
            refuse(path, std::nullopt, expected, *value);
        }
        return static_cast<std::int32_t>(number);
    }
    if (value->is_number_float()) {
        // A whole number written as 2.0 reads as 2; 2.5 and 1e30 fit no int32.
        const double number = value->get<double>();
        if (!std::isfinite(number) || std::trunc(number) != number || number < minimum ||
            number > highest) {
            refuse(path, std::nullopt, expected, *value);
        }
        return static_cast<std::int32_t>(number);
    }
    refuse(path, std::nullopt, expected, *value);
}

} // namespace nova::rollouts::strict
