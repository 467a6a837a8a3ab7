#include "lib/rollouts/json_fields.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

TEST_CASE("parse_int follows Go's strconv.Atoi", "[rollouts]") {
    CHECK(fields::parse_int("31") == 31);
    CHECK(fields::parse_int("+5") == 5);
    CHECK(fields::parse_int("-5") == -5);
    CHECK(fields::parse_int("007") == 7);
    CHECK(fields::parse_int("9223372036854775807") == INT64_MAX);
    CHECK(fields::parse_int("-9223372036854775808") == INT64_MIN);
    CHECK_FALSE(fields::parse_int("9223372036854775808"));
    CHECK_FALSE(fields::parse_int(""));
    CHECK_FALSE(fields::parse_int("+"));
    CHECK_FALSE(fields::parse_int(" 5"));
    CHECK_FALSE(fields::parse_int("5 "));
    CHECK_FALSE(fields::parse_int("5a"));
    CHECK_FALSE(fields::parse_int("0x10"));
    CHECK_FALSE(fields::parse_int("6cbccd9f99"));
}

TEST_CASE("absent, null and mistyped fields read as Go's zero values", "[rollouts]") {
    const auto object = R"({
        "a": {"b": null, "s": "text", "n": 7, "f": 2.5, "t": true, "list": [1, 2]},
        "metadata": {"annotations": {"k": "v", "n": 1}, "labels": {"l": "x"},
                     "creationTimestamp": "2024-05-01T10:00:00Z"}
    })"_json;
    CHECK(fields::find(object, {"a", "b"}) == nullptr);
    CHECK(fields::find(object, {"a", "s", "deeper"}) == nullptr);
    CHECK_FALSE(fields::has(object, {"a", "b"}));
    CHECK(fields::has(object, {"a", "list"}));
    CHECK(fields::string_at(object, {"a", "s"}) == "text");
    CHECK(fields::string_at(object, {"a", "n"}) == "7");
    CHECK(fields::string_at(object, {"a", "t"}).empty());
    CHECK(fields::string_at(object, {"missing"}).empty());
    CHECK(fields::int_at(object, {"a", "n"}) == 7);
    CHECK(fields::int_at(object, {"a", "f"}) == 2);
    CHECK(fields::int_at(object, {"a", "s"}) == 0);
    CHECK_FALSE(fields::optional_int_at(object, {"a", "b"}));
    // argo's integers are int32: larger values are clamped, so no sum of them overflows.
    const auto huge = R"({"u": 18446744073709551615, "i": -9223372036854775807, "f": 1e20})"_json;
    CHECK(fields::int_at(huge, {"u"}) == 2147483647);
    CHECK(fields::int_at(huge, {"i"}) == -2147483648LL);
    CHECK(fields::int_at(huge, {"f"}) == 2147483647);
    CHECK(fields::bool_at(object, {"a", "t"}));
    CHECK_FALSE(fields::bool_at(object, {"a", "n"}));
    CHECK(fields::array_at(object, {"a", "list"}).size() == 2);
    CHECK(fields::array_at(object, {"a", "s"}).empty());
    CHECK(fields::annotation(object, "k") == "v");
    CHECK(fields::annotation(object, "n").empty());
    CHECK(fields::label(object, "l") == "x");
    CHECK(fields::label(json::object(), "l").empty());
    CHECK(fields::time_at(object, {"metadata", "creationTimestamp"}) ==
          nova::core::parse_rfc3339("2024-05-01T10:00:00Z"));
    CHECK_FALSE(fields::time_at(object, {"a", "s"}));
}
