#include "lib/cli/terminal.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace nova;

TEST_CASE("a redraw overwrites in place: home, lines cleared to their end, rest cleared",
          "[cli][terminal]") {
    CHECK(cli::redraw_sequence("a\nbb\n", 0) == "\x1b[Ha\x1b[K\nbb\x1b[K\n\x1b[J");
    // Never a full-screen clear, which flickers.
    CHECK(cli::redraw_sequence("a\n", 0).find("\x1b[2J") == std::string::npos);
}

TEST_CASE("a frame taller than the terminal is cut so the screen never scrolls",
          "[cli][terminal]") {
    CHECK(cli::redraw_sequence("1\n2\n3\n4\n", 3) == "\x1b[H1\x1b[K\n2\x1b[K\n\x1b[J");
}

TEST_CASE("off a terminal, frames are appended only when they change", "[cli][terminal]") {
    std::ostringstream out;
    {
        cli::LiveScreen screen(out, false);
        screen.draw("one\n");
        screen.draw("one\n");
        screen.draw("two\n");
    }
    CHECK(out.str() == "one\n\ntwo\n");
}

TEST_CASE("on a terminal, the cursor comes back and colours are reset at the end",
          "[cli][terminal]") {
    std::ostringstream out;
    {
        cli::LiveScreen screen(out, true);
        screen.draw("one\n");
    }
    const auto text = out.str();
    CHECK(text.starts_with("\x1b[?25l\x1b[H\x1b[2J"));
    CHECK(text.ends_with("\x1b[?25h\x1b[0m"));
}
