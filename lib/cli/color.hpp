#pragma once

#include "lib/cli/invocation.hpp"

#include <string>
#include <string_view>

namespace nova::cli {

// --color: auto (the default) decides from the terminal and the environment.
enum class ColorMode { automatic, always, never };

// "auto", "always", "never"; throws core::usage_error for anything else.
ColorMode parse_color_mode(std::string_view text);

// Whether to colour the output (issue 4): --no-color (argo's flag) or --color never turn it off,
// --color always on; otherwise only when stdout is a terminal, NO_COLOR is unset or empty
// (no-color.org) and TERM is not "dumb".
bool use_color(ColorMode mode, bool no_color_flag, bool stdout_is_terminal, const EnvLookup& env);

// Whether the process's stdout is a terminal.
bool stdout_is_terminal();

} // namespace nova::cli
