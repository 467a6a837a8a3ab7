#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nova::core {

// Every document of a multi-document YAML text as JSON, with kubectl's scalar typing: plain
// scalars become null, bools, integers or floats when they look like one, quoted ones stay
// strings. Empty documents are skipped; a `kind: List` is not expanded here.
// Throws core::Error naming the line of a syntax error.
std::vector<nlohmann::json> parse_yaml_documents(std::string_view text);

// What a plain (unquoted) YAML scalar reads as: null, a bool, an integer, a float or the text.
nlohmann::json yaml_plain_scalar(const std::string& text);

} // namespace nova::core
