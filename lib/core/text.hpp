#pragma once

#include <string>
#include <string_view>

namespace nova::core {

// Quotes text for a one-line message: "like this", with quotes, backslashes and control
// characters escaped, so that user input or server data can never break the line.
std::string quote(std::string_view text);

// `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

} // namespace nova::core
