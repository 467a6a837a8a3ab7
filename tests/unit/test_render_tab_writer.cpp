#include "lib/render/tab_writer.hpp"

#include <catch2/catch.hpp>

using nova::render::TabWriter;

namespace {

std::string aligned(std::string_view text) {
    TabWriter writer;
    writer.write(text);
    return writer.flush();
}

} // namespace

TEST_CASE("columns are as wide as their widest cell plus two", "[render]") {
    CHECK(aligned("a\tb\nccc\td\n") == "a    b\nccc  d\n");
    // The last cell of a line is not a column: never padded.
    CHECK(aligned("x\ty\t\nxx\tyy\t\n") == "x   y   \nxx  yy  \n");
    // Empty cells are all padding.
    CHECK(aligned("\tx\nab\ty\n") == "    x\nab  y\n");
}

TEST_CASE("a column's width holds per block of lines that have it", "[render]") {
    // Line 2 has no third column, so it splits column 2 into two blocks (Go's rule).
    CHECK(aligned("a\tb\tc\naaaa\tb\na\tbbbbbb\tc\n") == "a     b  c\n"
                                                         "aaaa  b\n"
                                                         "a     bbbbbb  c\n");
    // A line without tabs ends every block.
    CHECK(aligned("a\tb\nx\nlonger\tc\n") == "a  b\nx\nlonger  c\n");
}

TEST_CASE("ANSI escapes do not count towards widths", "[render]") {
    CHECK(aligned("\x1b[31mab\x1b[0m\tc\nabcd\te\n") == "\x1b[31mab\x1b[0m    c\nabcd  e\n");
}

TEST_CASE("flush formats what was written so far, open line included", "[render]") {
    TabWriter writer;
    writer.write("a\tb");
    writer.write("b\tc\nd");
    CHECK(writer.flush() == "a  bb  c\nd");
    CHECK(writer.flush().empty());
    writer.write("long-name\tx\n");
    CHECK(writer.flush() == "long-name  x\n"); // widths start afresh after a flush
}
