#include "lib/render/palette.hpp"

#include "lib/rollouts/icons.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace nova::render {

namespace {

constexpr int red = 31;
constexpr int green = 32;
constexpr int yellow = 33;
constexpr int bright_blue = 94;

} // namespace

int color_code(std::string_view key) {
    namespace icons = rollouts::icons;
    static constexpr std::array<std::pair<std::string_view, int>, 14> table{{
        {icons::waiting, yellow},
        {icons::progressing, bright_blue},
        {icons::warning, red},
        {icons::unknown, yellow},
        {icons::ok, green},
        {icons::bad, red},
        {"canary", yellow},
        {"stable", green},
        {"active", green},
        {"preview", bright_blue},
        {"ping", bright_blue},
        {"pong", bright_blue},
        {"Pending", bright_blue},
        {"Running", bright_blue},
    }};
    for (const auto& [word, code] : table) {
        if (word == key) {
            return code;
        }
    }
    return 0;
}

std::string Palette::colorize(std::string_view text) const {
    return colorize_as(text, text);
}

std::string Palette::colorize_as(std::string_view text, std::string_view key) const {
    if (!m_enabled) {
        return std::string(text);
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", color_code(key), text);
}

} // namespace nova::render
