#include "lib/kube/watch_stream.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using nova::kube::EventType;
using nova::kube::LineAssembler;
using nova::kube::parse_watch_event;

namespace {

const std::string stream =
    R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"10"}}})"
    "\n"
    R"({"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"}}})"
    "\r\n"
    "\n"
    R"({"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12"}}})"
    "\n";

const std::vector<std::string> expected_lines = {
    R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"10"}}})",
    R"({"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"11"}}})",
    R"({"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12"}}})",
};

} // namespace

TEST_CASE("the line assembler splits a stream cut at any position", "[kube]") {
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        CAPTURE(cut);
        LineAssembler lines;
        std::vector<std::string> got = lines.feed(std::string_view(stream).substr(0, cut));
        for (auto& line : lines.feed(std::string_view(stream).substr(cut))) {
            got.push_back(std::move(line));
        }
        CHECK(got == expected_lines);
        CHECK(lines.pending().empty());
    }
}

TEST_CASE("the line assembler handles every two-cut split and single bytes", "[kube]") {
    for (std::size_t a = 0; a <= stream.size(); ++a) {
        for (std::size_t b = a; b <= stream.size(); b += 7) {
            LineAssembler lines;
            std::vector<std::string> got;
            for (const auto& part :
                 {std::string_view(stream).substr(0, a), std::string_view(stream).substr(a, b - a),
                  std::string_view(stream).substr(b)}) {
                for (auto& line : lines.feed(part)) {
                    got.push_back(std::move(line));
                }
            }
            REQUIRE(got == expected_lines);
        }
    }
    LineAssembler bytes;
    std::vector<std::string> got;
    for (const char c : stream) {
        for (auto& line : bytes.feed(std::string_view(&c, 1))) {
            got.push_back(std::move(line));
        }
    }
    CHECK(got == expected_lines);
}

TEST_CASE("an unfinished record stays pending", "[kube]") {
    LineAssembler lines;
    CHECK(lines.feed(R"({"type":"ADD)").empty());
    CHECK(lines.pending() == R"({"type":"ADD)");
    lines.clear();
    CHECK(lines.pending().empty());
}

TEST_CASE("watch events are parsed", "[kube]") {
    auto event = parse_watch_event(expected_lines[0]);
    REQUIRE(event);
    CHECK(event->type == EventType::added);
    CHECK(nova::kube::resource_version_of(event->object) == "10");

    event = parse_watch_event(expected_lines[2]);
    REQUIRE(event);
    CHECK(event->type == EventType::bookmark);
    CHECK(nova::kube::resource_version_of(event->object) == "12");

    event = parse_watch_event(R"({"type":"DELETED","object":{"metadata":{}}})");
    REQUIRE(event);
    CHECK(event->type == EventType::deleted);
    CHECK(nova::kube::resource_version_of(event->object).empty());

    CHECK_FALSE(parse_watch_event("not json"));
    CHECK_FALSE(parse_watch_event(R"({"type":"ADDED"})"));
    CHECK_FALSE(parse_watch_event(R"({"type":"SOMETHING","object":{}})"));
    CHECK_FALSE(parse_watch_event(R"(["ADDED"])"));
    CHECK(nova::kube::event_type_name(EventType::bookmark) == "BOOKMARK");
}

TEST_CASE("ERROR events: 410 Expired or Gone means re-list", "[kube]") {
    auto event = parse_watch_event(
        R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 123 (456)","reason":"Expired","code":410}})json");
    REQUIRE(event);
    CHECK(event->type == EventType::expired);
    CHECK(event->object["message"] == "too old resource version: 123 (456)");

    event = parse_watch_event(R"({"type":"ERROR","object":{"kind":"Status","reason":"Gone"}})");
    REQUIRE(event);
    CHECK(event->type == EventType::expired);
    event = parse_watch_event(R"({"type":"ERROR","object":{"kind":"Status","code":410}})");
    REQUIRE(event);
    CHECK(event->type == EventType::expired);

    event = parse_watch_event(
        R"({"type":"ERROR","object":{"kind":"Status","reason":"InternalError","code":500}})");
    REQUIRE(event);
    CHECK(event->type == EventType::error);
}
