#include "lib/core/yaml.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using nova::core::parse_yaml_documents;

TEST_CASE("YAML documents become JSON with kubectl's scalar types", "[core][yaml]") {
    const auto docs = parse_yaml_documents(R"(
plain_int: 42
negative: -7
octal: 0644
hex: 0x1F
float: 1.5
exponent: 1e3
quoted_int: "42"
single_quoted: '3'
bool: true
yes_bool: yes
quoted_bool: "true"
null_value: ~
empty:
text: hello world
version: 1.25.3
tagged: !!str 12
block: |
  line one
  line two
list: [1, "2", three]
)");
    REQUIRE(docs.size() == 1);
    const json& d = docs[0];
    CHECK(d["plain_int"] == 42);
    CHECK(d["negative"] == -7);
    CHECK(d["octal"] == 420);
    CHECK(d["hex"] == 31);
    CHECK(d["float"] == 1.5);
    CHECK(d["exponent"] == 1000.0);
    CHECK(d["quoted_int"] == "42");
    CHECK(d["single_quoted"] == "3");
    CHECK(d["bool"] == true);
    CHECK(d["yes_bool"] == true);
    CHECK(d["quoted_bool"] == "true");
    CHECK(d["null_value"].is_null());
    CHECK(d["empty"].is_null());
    CHECK(d["text"] == "hello world");
    CHECK(d["version"] == "1.25.3");
    CHECK(d["tagged"] == "12");
    CHECK(d["block"] == "line one\nline two\n");
    CHECK(d["list"] == json::array({1, "2", "three"}));
    CHECK(d["plain_int"].is_number_integer());
}

TEST_CASE("multi-document YAML skips empty documents", "[core][yaml]") {
    const auto docs = parse_yaml_documents("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n");
    REQUIRE(docs.size() == 2);
    CHECK(docs[0] == json{{"a", 1}});
    CHECK(docs[1] == json{{"b", 2}});
    CHECK(parse_yaml_documents("").empty());
}

TEST_CASE("a YAML syntax error names its line", "[core][yaml]") {
    CHECK_THROWS_WITH(parse_yaml_documents("a: 1\nb: [unclosed\n"), Catch::StartsWith("line "));
}

TEST_CASE("numbers too big for 64 bits never throw", "[core][yaml]") {
    const std::string huge(400, '9');
    const auto docs =
        parse_yaml_documents("a: 1" + std::string(30, '0') + "\nb: " + huge + "\nc: 0x" +
                             std::string(40, 'f') + "\nd: 0" + std::string(40, '7') + "\n");
    REQUIRE(docs.size() == 1);
    CHECK(docs[0]["a"] == 1e30);
    CHECK(docs[0]["b"] == huge); // not a finite double: kept as written
    CHECK(docs[0]["c"] == "0x" + std::string(40, 'f'));
    CHECK(docs[0]["d"] == "0" + std::string(40, '7'));
}

TEST_CASE("merge keys and duplicate keys are refused, naming the line", "[core][yaml]") {
    CHECK_THROWS_WITH(parse_yaml_documents("base: &b {x: 1}\nuse:\n  <<: *b\n"),
                      "line 3: merge keys (<<) are not supported; write the fields out");
    CHECK_THROWS_WITH(parse_yaml_documents("a: 1\nb: 2\na: 3\n"),
                      "line 3: mapping key \"a\" already defined");
    // A quoted "<<" is an ordinary key.
    CHECK(parse_yaml_documents("\"<<\": 1\n")[0]["<<"] == 1);
}

TEST_CASE("aliases that expand without bound are refused", "[core][yaml]") {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 8; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) {
            text += (j > 0 ? ", " : "") + prev;
        }
        text += "]\n";
    }
    CHECK_THROWS_WITH(parse_yaml_documents(text), Catch::Contains("through aliases"));
}

TEST_CASE("an alias inside the node it names is refused as a cycle, not followed", "[core][yaml]") {
    CHECK_THROWS_WITH(parse_yaml_documents("a: &a\n  b: *a\n"),
                      Catch::EndsWith(": an alias refers to a node that contains it (a cycle)"));
    CHECK_THROWS_WITH(parse_yaml_documents("- &s [1, *s]\n"), Catch::EndsWith("(a cycle)"));
}

TEST_CASE("nesting too deep is refused with a clear line", "[core][yaml]") {
    // Literal nesting: yaml-cpp's own limit.
    std::string deep;
    for (int i = 0; i < 500; ++i) {
        deep += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    }
    CHECK_THROWS_WITH(parse_yaml_documents(deep), Catch::Contains("nested too deeply"));
    const std::string flow = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
    CHECK_THROWS_WITH(parse_yaml_documents(flow), Catch::Contains("nested too deeply"));
    // Through aliases, each one level deeper than the last: no cycle, but too deep.
    std::string chained = "a0: &a0 [x]\n";
    for (int i = 1; i <= 1100; ++i) {
        chained += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" +
                   std::to_string(i - 1) + "]\n";
    }
    CHECK_THROWS_WITH(parse_yaml_documents(chained),
                      Catch::EndsWith("nested deeper than 1000 levels (through aliases)"));
    // 100 levels are fine.
    std::string fine;
    for (int i = 0; i < 100; ++i) {
        fine += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    }
    CHECK(parse_yaml_documents(fine).size() == 1);
}
