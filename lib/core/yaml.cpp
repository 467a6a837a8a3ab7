#include "lib/core/yaml.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::core {

namespace {

bool is_one_of(const std::string& text, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), text) != words.end();
}

// An integer in YAML 1.1's forms (as sigs.k8s.io/yaml reads them): decimal, 0x hex, 0b binary,
// 0-prefixed octal, "_" separators. nullopt when `text` is not one.
std::optional<nlohmann::json> parse_int(std::string text) {
    std::erase(text, '_');
    std::string_view digits = text;
    bool negative = false;
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
        negative = digits.front() == '-';
        digits.remove_prefix(1);
    }
    int base = 10;
    if (digits.starts_with("0x")) {
        base = 16;
        digits.remove_prefix(2);
    } else if (digits.starts_with("0b")) {
        base = 2;
        digits.remove_prefix(2);
    } else if (digits.size() > 1 && digits.front() == '0') {
        base = 8;
        digits.remove_prefix(1);
    }
    if (digits.empty()) {
        return std::nullopt;
    }
    std::uint64_t magnitude = 0;
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    if (end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    if (error == std::errc::result_out_of_range) {
        // Too big for 64 bits: Go reads a decimal one as a float, other bases stay text.
        if (base != 10) {
            return nlohmann::json(text);
        }
        const double value = std::strtod(text.c_str(), nullptr);
        return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(text);
    }
    constexpr auto int_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!negative) {
        return magnitude <= int_max ? nlohmann::json(static_cast<std::int64_t>(magnitude))
                                    : nlohmann::json(magnitude);
    }
    if (magnitude <= int_max + 1) {
        return nlohmann::json(static_cast<std::int64_t>(0 - magnitude));
    }
    return nlohmann::json(-static_cast<double>(magnitude));
}

std::optional<nlohmann::json> parse_float(const std::string& text) {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
            ++i;
        }
        return i - start;
    };
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        ++i;
    }
    std::size_t mantissa = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) {
        return std::nullopt;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
            ++i;
        }
        if (digits() == 0) {
            return std::nullopt;
        }
    }
    if (i != text.size()) {
        return std::nullopt;
    }
    const double value = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(value)) {
        return std::nullopt;
    }
    return nlohmann::json(value);
}

} // namespace

nlohmann::json yaml_plain_scalar(const std::string& text) {
    if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) {
        return nullptr;
    }
    if (is_one_of(text,
                  {"true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON"})) {
        return true;
    }
    if (is_one_of(text,
                  {"false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF"})) {
        return false;
    }
    if (auto number = parse_int(text)) {
        return *number;
    }
    if (auto number = parse_float(text)) {
        return *number;
    }
    return text;
}

namespace {

// Aliases let a small file expand into billions of values ("billion laughs"); no manifest
// holds anywhere near this many.
constexpr std::size_t max_values = 1'000'000;

// Mappings and sequences inside one another. yaml-cpp stops a text nested too deeply, but an
// alias inside the node it names ("a: &a {b: *a}") makes a cycle that would be walked forever.
constexpr std::size_t max_depth = 1000;

std::string line_of(const YAML::Node& node) {
    return "line " + std::to_string(node.Mark().line + 1);
}

// The nodes from the document's root down to the one being converted.
using Ancestors = std::vector<const YAML::Node*>;

[[noreturn]] void too_deep(const YAML::Node& node, const Ancestors& ancestors) {
    // Only now is the path searched for the node itself: a cycle, or just deep nesting.
    for (const YAML::Node* ancestor : ancestors) {
        if (ancestor->is(node)) {
            throw core::Error(line_of(node) +
                              ": an alias refers to a node that contains it (a cycle)");
        }
    }
    throw core::Error(line_of(node) + ": nested deeper than " + std::to_string(max_depth) +
                      " levels (through aliases)");
}

nlohmann::json yaml_to_json(const YAML::Node& node, std::size_t& budget, Ancestors& ancestors) {
    if (budget == 0) {
        throw core::Error("the YAML expands to more than " + std::to_string(max_values) +
                          " values (through aliases?)");
    }
    --budget;
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        const std::string& text = node.Scalar();
        if (tag == "?") {
            return yaml_plain_scalar(text);
        }
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
            tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
            return yaml_plain_scalar(text);
        }
        return text; // quoted, block or !!str
    }
    case YAML::NodeType::Sequence: {
        if (ancestors.size() >= max_depth) {
            too_deep(node, ancestors);
        }
        ancestors.push_back(&node);
        nlohmann::json array = nlohmann::json::array();
        for (const auto& item : node) {
            array.push_back(yaml_to_json(item, budget, ancestors));
        }
        ancestors.pop_back();
        return array;
    }
    case YAML::NodeType::Map: {
        if (ancestors.size() >= max_depth) {
            too_deep(node, ancestors);
        }
        ancestors.push_back(&node);
        nlohmann::json object = nlohmann::json::object();
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) {
                throw core::Error("a mapping key at " + line_of(entry.first) +
                                  " is not a plain value");
            }
            const std::string& key = entry.first.Scalar();
            // Merge keys would be sent as a literal "<<" field, losing what they merge.
            if (key == "<<" && entry.first.Tag() == "?") {
                throw core::Error(line_of(entry.first) +
                                  ": merge keys (<<) are not supported; write the fields out");
            }
            if (object.contains(key)) {
                throw core::Error(line_of(entry.first) + ": mapping key " + quote(key) +
                                  " already defined");
            }
            object[key] = yaml_to_json(entry.second, budget, ancestors);
        }
        ancestors.pop_back();
        return object;
    }
    }
    return nullptr;
}

} // namespace

std::vector<nlohmann::json> parse_yaml_documents(std::string_view text) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own limit, which it calls "bad file".
        throw core::Error("line " + std::to_string(e.mark.line + 1) +
                          ": nested too deeply (the YAML parser stops at about 500 levels)");
    } catch (const YAML::Exception& e) {
        throw core::Error("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    std::vector<nlohmann::json> result;
    std::size_t budget = max_values;
    Ancestors ancestors;
    for (const auto& document : documents) {
        if (!document.IsNull()) {
            result.push_back(yaml_to_json(document, budget, ancestors));
        }
    }
    return result;
}

} // namespace nova::core
