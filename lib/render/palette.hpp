#pragma once

#include <string>
#include <string_view>

namespace nova::render {

// argo's colouring of the tree and header (reference/argo-rollouts-plugin.md §4.4). Words it
// knows get their colour; any other word is still wrapped, in code 0 (ESC[0m…ESC[0m), as argo
// does. Disabled, it returns text unchanged. Whether to enable it (terminal, NO_COLOR, TERM,
// --color, --no-color) is the command's decision.
class Palette {
public:
    explicit Palette(bool enabled) : m_enabled(enabled) {}

    [[nodiscard]] bool enabled() const { return m_enabled; }

    // `text` in the colour of `text` itself (an icon or a tag).
    [[nodiscard]] std::string colorize(std::string_view text) const;
    // `text` in the colour of `key` (a name coloured by its tag or status).
    [[nodiscard]] std::string colorize_as(std::string_view text, std::string_view key) const;

private:
    bool m_enabled;
};

// The ANSI code argo uses for `key`, 0 when it has none.
int color_code(std::string_view key);

} // namespace nova::render
