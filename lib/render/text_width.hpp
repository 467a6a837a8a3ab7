#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nova::render {

// The width argo's tables give a cell: Unicode code points, not counting ANSI escape sequences
// (the ANSI-aware tabwriter it uses). East-Asian wide characters count as one, as in argo.
std::size_t cell_width(std::string_view text);

// Go's "%-Ns": `text` followed by spaces up to `width` code points (never truncated).
std::string pad_right(std::string_view text, std::size_t width);

} // namespace nova::render
