#include "lib/render/tab_writer.hpp"

#include "lib/render/text_width.hpp"

#include <algorithm>
#include <utility>

namespace nova::render {

TabWriter::TabWriter(std::size_t min_width, std::size_t padding)
    : m_min_width(min_width), m_padding(padding) {}

void TabWriter::write(std::string_view text) {
    for (const char c : text) {
        if (c == '\t') {
            m_lines.back().push_back(std::move(m_cell));
            m_cell.clear();
        } else if (c == '\n') {
            end_line();
        } else {
            m_cell.push_back(c);
        }
    }
}

void TabWriter::end_line() {
    m_lines.back().push_back(std::move(m_cell));
    m_cell.clear();
    const bool single_cell = m_lines.back().size() == 1;
    m_lines.emplace_back();
    // A line without tabs cannot affect later columns, so Go formats what it has right away.
    if (single_cell) {
        format_lines();
    }
}

std::string TabWriter::flush() {
    if (!m_cell.empty()) {
        m_lines.back().push_back(std::move(m_cell));
        m_cell.clear();
    }
    format_lines();
    return std::exchange(m_out, {});
}

void TabWriter::format_lines() {
    format(0, m_lines.size());
    m_lines.assign(1, Line{});
}

// Go's tabwriter format(): finds the blocks of consecutive lines that have a cell in the current
// column, sizes that column per block and recurses into the next column.
void TabWriter::format(std::size_t line0, std::size_t line1) {
    const auto column = m_widths.size();
    for (auto current = line0; current < line1; ++current) {
        if (column + 1 >= m_lines[current].size()) {
            continue;
        }
        write_lines(line0, current);
        line0 = current;
        auto width = m_min_width;
        for (; current < line1; ++current) {
            const auto& line = m_lines[current];
            if (column + 1 >= line.size()) {
                break;
            }
            width = std::max(width, cell_width(line[column]) + m_padding);
        }
        m_widths.push_back(width);
        format(line0, current);
        m_widths.pop_back();
        line0 = current;
        if (current == line1) {
            break;
        }
    }
    write_lines(line0, line1);
}

void TabWriter::write_lines(std::size_t line0, std::size_t line1) {
    for (auto i = line0; i < line1; ++i) {
        const auto& line = m_lines[i];
        for (std::size_t j = 0; j < line.size(); ++j) {
            m_out += line[j];
            if (j < m_widths.size()) {
                m_out.append(m_widths[j] - std::min(m_widths[j], cell_width(line[j])), ' ');
            }
        }
        // The last buffered line is still open: it has no newline yet.
        if (i + 1 != m_lines.size()) {
            m_out += '\n';
        }
    }
}

} // namespace nova::render
