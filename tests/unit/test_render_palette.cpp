#include "lib/render/palette.hpp"

#include <catch2/catch.hpp>

using nova::render::Palette;

TEST_CASE("argo's colours", "[render]") {
    const Palette palette(true);
    CHECK(palette.colorize("\u2716") == "\x1b[31m\u2716\x1b[0m");
    CHECK(palette.colorize("\u2714") == "\x1b[32m\u2714\x1b[0m");
    CHECK(palette.colorize("\u25cc") == "\x1b[94m\u25cc\x1b[0m");
    CHECK(palette.colorize("\u25f7") == "\x1b[33m\u25f7\x1b[0m");
    CHECK(palette.colorize("\u26a0") == "\x1b[31m\u26a0\x1b[0m");
    CHECK(palette.colorize("?") == "\x1b[33m?\x1b[0m");
    CHECK(palette.colorize("canary") == "\x1b[33mcanary\x1b[0m");
    CHECK(palette.colorize("stable") == "\x1b[32mstable\x1b[0m");
    CHECK(palette.colorize("active") == "\x1b[32mactive\x1b[0m");
    CHECK(palette.colorize("preview") == "\x1b[94mpreview\x1b[0m");
    CHECK(palette.colorize("ping") == "\x1b[94mping\x1b[0m");
    CHECK(palette.colorize("pong") == "\x1b[94mpong\x1b[0m");
    CHECK(palette.colorize_as("run-1", "Running") == "\x1b[94mrun-1\x1b[0m");
    CHECK(palette.colorize_as("run-1", "Pending") == "\x1b[94mrun-1\x1b[0m");
}

TEST_CASE("unknown words are still wrapped, in code 0", "[render]") {
    const Palette palette(true);
    CHECK(palette.colorize("\u0965") == "\x1b[0m\u0965\x1b[0m");
    CHECK(palette.colorize(" ") == "\x1b[0m \x1b[0m");
    CHECK(palette.colorize_as("run-1", "Successful") == "\x1b[0mrun-1\x1b[0m");
}

TEST_CASE("a disabled palette leaves text alone", "[render]") {
    const Palette palette(false);
    CHECK_FALSE(palette.enabled());
    CHECK(palette.colorize("\u2716") == "\u2716");
    CHECK(palette.colorize_as("name", "canary") == "name");
}
