#include "lib/render/text_width.hpp"

#include <catch2/catch.hpp>

using namespace nova::render;

TEST_CASE("cell widths count code points and skip ANSI escapes", "[render]") {
    CHECK(cell_width("") == 0);
    CHECK(cell_width("abc") == 3);
    CHECK(cell_width("\u251c\u2500\u2500\u29c9 rs") == 7); // ├──⧉ rs
    CHECK(cell_width("\x1b[31m\u2716\x1b[0m Degraded") == 10);
    CHECK(cell_width("\x1b[0m\x1b[32mname\x1b[0m\x1b[0m") == 4);
    CHECK(cell_width("\x1b[1;33mx\x1b[0m") == 1);
    CHECK(cell_width("a\x1b") == 1); // a lone ESC at the end
    CHECK(cell_width("\x1b"
                     "cz") == 1); // a two-byte escape
}

TEST_CASE("pad_right pads by code points like Go's %-Ns", "[render]") {
    CHECK(pad_right("ab", 5) == "ab   ");
    CHECK(pad_right("abcdef", 3) == "abcdef");
    CHECK(pad_right("\u03a3x", 3) == "\u03a3x ");
    CHECK(pad_right("", 2) == "  ");
}
