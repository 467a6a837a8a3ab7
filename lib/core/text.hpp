#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nova::core {

// Quotes text for a one-line message: "like this", with quotes, backslashes and control
// characters escaped, so that user input or server data can never break the line.
std::string quote(std::string_view text);

// `text` made safe for a terminal: escape sequences and other control or invisible characters
// become "U+001B"-style text, so that server-provided messages cannot drive the terminal.
std::string printable(std::string_view text);

// printable(), for server text shown within one line: tabs, newlines and the other space
// controls become spaces too.
std::string one_line(std::string_view text);

// `text` in lower case (ASCII), e.g. for HTTP header names.
std::string lower(std::string_view text);

// The C library's text for errno value `err`, with a lower-case first letter as Go prints it
// ("no such file or directory").
std::string errno_text(int err);

// `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

// The parts with `separator` between them: join({"a", "b"}, ", ") is "a, b".
std::string join(const std::vector<std::string>& parts, std::string_view separator);

} // namespace nova::core
