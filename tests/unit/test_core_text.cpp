#include "lib/core/text.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

namespace nova::core {
namespace {

TEST_CASE("quote keeps a message on one line", "[core][text]") {
    CHECK(quote("plain") == "\"plain\"");
    CHECK(quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(quote("line\nbreak\ttab\r") == "\"line\\nbreak\\ttab\\r\"");
    CHECK(quote("\x1b[31m") == "\"\\x1b[31m\"");
}

TEST_CASE("trim drops surrounding whitespace only", "[core][text]") {
    CHECK(trim("  a b \n\t") == "a b");
    CHECK(trim("") == "");
    CHECK(trim(" \n ") == "");
}

TEST_CASE("one_line keeps server text on its line, and inert", "[core][text]") {
    CHECK(one_line("Failed\nmetric \"x\"\tassessed\r\n") == "Failed metric \"x\" assessed  ");
    CHECK(one_line("\x1b[2Jgone\v\f") == "U+001B[2Jgone  ");
    CHECK(one_line("plain") == "plain");
}

TEST_CASE("printable makes escape sequences and invisible characters inert", "[core][text]") {
    CHECK(printable("rollout \"x\" not found") == "rollout \"x\" not found");
    CHECK(printable("\x1b[2Jgone") == "U+001B[2Jgone");
    CHECK(printable("tab\tand\nline") == "tab\tand\nline");
    CHECK(printable("bell\x07") == "bellU+0007");
    CHECK(printable("\xc2\x9b") == "U+009B"); // C1 control (CSI)
    CHECK(printable("a\xe2\x80\xae"
                    "b") == "aU+202Eb"); // right-to-left override
    CHECK(printable("caf\xc3\xa9 \xe2\x9c\x94") == "caf\xc3\xa9 \xe2\x9c\x94"); // ordinary text
}

} // namespace
} // namespace nova::core

namespace nova::core {
namespace {

TEST_CASE("join puts the separator between the parts only", "[core][text]") {
    CHECK(join({}, ", ").empty());
    CHECK(join({"a"}, ", ") == "a");
    CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
    CHECK(join({"", "b"}, ",") == ",b");
}

TEST_CASE("lower and errno_text", "[core][text]") {
    CHECK(lower("Content-Type") == "content-type");
    CHECK(errno_text(ENOENT) == "no such file or directory");
}

} // namespace
} // namespace nova::core
