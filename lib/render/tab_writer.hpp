#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nova::render {

// Go's text/tabwriter as argo configures it (minwidth 0, tabwidth 0, padding 2, pad with spaces,
// no flags), with cell widths measured by cell_width(). Text is cut into cells at tabs; a
// column's width is that of its widest cell plus the padding, per block of consecutive lines
// that have the column; the last cell of a line is not a column and is written as is. A line
// without tabs ends the block, as in Go.
class TabWriter {
public:
    explicit TabWriter(std::size_t min_width = 0, std::size_t padding = 2);

    void write(std::string_view text);

    // The text written since the last flush, aligned (Go's Flush).
    [[nodiscard]] std::string flush();

private:
    using Line = std::vector<std::string>;

    void end_line();
    void format_lines();
    void format(std::size_t line0, std::size_t line1);
    void write_lines(std::size_t line0, std::size_t line1);

    std::size_t m_min_width;
    std::size_t m_padding;
    std::vector<Line> m_lines{Line{}}; // the last one is the line being written
    std::string m_cell;                // the cell being written
    std::vector<std::size_t> m_widths; // column widths of the block being formatted
    std::string m_out;
};

} // namespace nova::render
