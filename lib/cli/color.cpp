#include "lib/cli/color.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <unistd.h>

namespace nova::cli {

ColorMode parse_color_mode(std::string_view text) {
    if (text == "auto") {
        return ColorMode::automatic;
    }
    if (text == "always") {
        return ColorMode::always;
    }
    if (text == "never") {
        return ColorMode::never;
    }
    throw core::usage_error("invalid --color " + core::quote(text) + ": use auto, always or never");
}

bool use_color(ColorMode mode, bool no_color_flag, bool stdout_is_terminal, const EnvLookup& env) {
    if (no_color_flag || mode == ColorMode::never) {
        return false;
    }
    if (mode == ColorMode::always) {
        return true;
    }
    if (!stdout_is_terminal) {
        return false;
    }
    if (const auto no_color = env("NO_COLOR"); no_color && !no_color->empty()) {
        return false;
    }
    const auto term = env("TERM");
    return !(term && *term == "dumb");
}

bool stdout_is_terminal() {
    return ::isatty(STDOUT_FILENO) == 1;
}

} // namespace nova::cli
