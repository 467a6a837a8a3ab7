#pragma once

#include "lib/core/duration.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

// Lenient reads of Kubernetes objects held as JSON. argo reads typed Go structs, where an absent
// field is its zero value; these helpers give the same zero values for absent, null or
// mistyped fields, so one odd field never aborts a whole tree.
namespace nova::rollouts::fields {

using Path = std::initializer_list<std::string_view>;

// The value at `path` (object keys), or nullptr when a step is missing or null.
const nlohmann::json* find(const nlohmann::json& object, Path path);

// Whether `path` holds something other than null (Go: a non-nil pointer field).
bool has(const nlohmann::json& object, Path path);

// A string field; numbers are written in decimal (an observedGeneration may come either way).
std::string string_at(const nlohmann::json& object, Path path);

// An integer field; integral strings are not accepted, as for Go's int32/int64 fields.
std::optional<std::int64_t> optional_int_at(const nlohmann::json& object, Path path);
std::int64_t int_at(const nlohmann::json& object, Path path);

bool bool_at(const nlohmann::json& object, Path path);

// An RFC 3339 timestamp field; nullopt when absent or unparsable.
std::optional<core::TimePoint> time_at(const nlohmann::json& object, Path path);

// The array at `path`, or an empty array.
const nlohmann::json& array_at(const nlohmann::json& object, Path path);

// metadata.annotations[key] / metadata.labels[key], "" when absent.
std::string annotation(const nlohmann::json& object, std::string_view key);
std::string label(const nlohmann::json& object, std::string_view key);

// Go's strconv.Atoi: optional sign and decimal digits only, within int64.
std::optional<std::int64_t> parse_int(std::string_view text);

} // namespace nova::rollouts::fields
