#pragma once

// The one way the project parses JSON it did not write: manifests, API server replies and
// watch events. nlohmann's parser itself is iterative, but copying, dumping and walking a
// document recurse, so a hostile document nested 50,000 levels deep overflows the stack long
// after it parsed; here it is refused before it is parsed.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace nova::core {

// No Kubernetes object comes near this (a Rollout's pod template is ~10 levels deep).
inline constexpr std::size_t json_max_depth = 1000;

struct JsonParseOptions {
    std::size_t max_depth = json_max_depth; // objects and arrays inside one another
    // A key given twice in one object is an error (argo's strict decoding of manifests)
    // instead of the last one silently winning.
    bool reject_duplicate_keys = false;
};

// Parses one JSON document. Throws core::Error without a prefix, e.g. "line 2, column 3: syntax
// error while parsing value - invalid literal; last read: 'x'", "line 1, column 1001: nested
// deeper than 1000 levels", `duplicate key "name" in metadata`.
nlohmann::json parse_json(std::string_view text, const JsonParseOptions& options = {});

} // namespace nova::core
