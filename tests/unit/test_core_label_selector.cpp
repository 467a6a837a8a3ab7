#include "lib/core/error.hpp"
#include "lib/core/label_selector.hpp"

#include <catch2/catch.hpp>

#include <string>

using nova::core::Error;
using nova::core::ExitCode;
using nova::core::LabelRequirement;
using nova::core::Labels;
using nova::core::LabelSelector;
using Op = nova::core::LabelRequirement::Op;

namespace {

// The message of the core::Error that parsing `text` throws (fails the test if none is thrown).
std::string parse_error(const std::string& text) {
    try {
        (void)LabelSelector::parse(text);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    FAIL("no error for selector " << text);
    return {};
}

std::string json_error(const nlohmann::json& selector) {
    try {
        (void)LabelSelector::from_json(selector);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::failure);
        return e.what();
    }
    FAIL("no error for selector " << selector.dump());
    return {};
}

bool selects(const std::string& selector, const Labels& labels) {
    return LabelSelector::parse(selector).matches(labels);
}

} // namespace

TEST_CASE("parse: every operator becomes its requirement", "[core][label_selector]") {
    const auto s = LabelSelector::parse("a=b,bb==c,c!=d,e in (y,x),f notin (z),g,!h");
    const std::vector<LabelRequirement> want{
        {"a", Op::equals, {"b"}},      {"bb", Op::equals, {"c"}}, {"c", Op::not_equals, {"d"}},
        {"e", Op::in, {"x", "y"}},     {"f", Op::not_in, {"z"}},  {"g", Op::exists, {}},
        {"h", Op::does_not_exist, {}},
    };
    CHECK(s.requirements() == want);
    CHECK_FALSE(s.empty());
}

TEST_CASE("parse: empty and blank selectors match everything", "[core][label_selector]") {
    for (const char* text : {"", " ", "\t\n "}) {
        const auto s = LabelSelector::parse(text);
        CHECK(s.empty());
        CHECK(s.matches({}));
        CHECK(s.matches({{"any", "thing"}}));
        CHECK(s.to_string().empty());
    }
    CHECK(LabelSelector().matches({{"a", "b"}}));
}

TEST_CASE("parse: whitespace is tolerated around every token", "[core][label_selector]") {
    const auto spaced = LabelSelector::parse("  a = b ,\tc != d , e  in  ( x , y ) ,  ! h , g ");
    const auto tight = LabelSelector::parse("a=b,c!=d,e in(x,y),!h,g");
    CHECK(spaced.requirements() == tight.requirements());
    CHECK(spaced.to_string() == "a=b,c!=d,e in (x,y),g,!h");
    CHECK(LabelSelector::parse("e notin(z)").to_string() == "e notin (z)");
}

TEST_CASE("parse: requirements are sorted by key, values sorted and deduplicated",
          "[core][label_selector]") {
    const auto s = LabelSelector::parse("z=1,a in (c,b,c,a),m,a!=q");
    REQUIRE(s.requirements().size() == 4);
    CHECK(s.requirements()[0] == LabelRequirement{"a", Op::in, {"a", "b", "c"}});
    // Same key keeps input order.
    CHECK(s.requirements()[1] == LabelRequirement{"a", Op::not_equals, {"q"}});
    CHECK(s.requirements()[2].key == "m");
    CHECK(s.requirements()[3].key == "z");
    CHECK(s.to_string() == "a in (a,b,c),a!=q,m,z=1");
}

TEST_CASE("parse: empty values and keyword-like words", "[core][label_selector]") {
    CHECK(LabelSelector::parse("a=").requirements() ==
          std::vector<LabelRequirement>{{"a", Op::equals, {""}}});
    CHECK(LabelSelector::parse("a!=,b").requirements() ==
          std::vector<LabelRequirement>{{"a", Op::not_equals, {""}}, {"b", Op::exists, {}}});
    CHECK(LabelSelector::parse("a==").requirements()[0].values == std::vector<std::string>{""});
    // As in apimachinery, empty slots of a value list are the empty value.
    CHECK(LabelSelector::parse("a in ()").requirements()[0].values == std::vector<std::string>{""});
    CHECK(LabelSelector::parse("a in (x,)").requirements()[0].values ==
          std::vector<std::string>{"", "x"});
    CHECK(LabelSelector::parse("a in (,x)").requirements()[0].values ==
          std::vector<std::string>{"", "x"});
    CHECK(LabelSelector::parse("a in (x,,y)").requirements()[0].values ==
          std::vector<std::string>{"", "x", "y"});
    // "in" and "notin" are ordinary words where a key or a value stands.
    CHECK(LabelSelector::parse("in=notin").requirements() ==
          std::vector<LabelRequirement>{{"in", Op::equals, {"notin"}}});
    CHECK(LabelSelector::parse("notin in (in)").requirements() ==
          std::vector<LabelRequirement>{{"notin", Op::in, {"in"}}});
    CHECK(LabelSelector::parse("in").requirements() ==
          std::vector<LabelRequirement>{{"in", Op::exists, {}}});
}

TEST_CASE("parse: qualified keys and value shapes", "[core][label_selector]") {
    const auto s = LabelSelector::parse("app.kubernetes.io/name=my-app_1.0,x.y-z/A_b.c=Z");
    CHECK(s.requirements()[0] ==
          LabelRequirement{"app.kubernetes.io/name", Op::equals, {"my-app_1.0"}});
    CHECK(s.requirements()[1] == LabelRequirement{"x.y-z/A_b.c", Op::equals, {"Z"}});
    const std::string name63(63, 'k');
    const std::string value63(63, 'v');
    CHECK(LabelSelector::parse(name63 + "=" + value63).requirements()[0].key == name63);
    const std::string prefix253 = std::string(126, 'p') + "." + std::string(126, 'q');
    CHECK(LabelSelector::parse(prefix253 + "/n").requirements()[0].key == prefix253 + "/n");
    CHECK(LabelSelector::parse("a=1").requirements()[0].values[0] == "1");
}

TEST_CASE("matches: equality operators", "[core][label_selector]") {
    CHECK(selects("a=b", {{"a", "b"}}));
    CHECK(selects("a==b", {{"a", "b"}, {"c", "d"}}));
    CHECK_FALSE(selects("a=b", {{"a", "c"}}));
    CHECK_FALSE(selects("a=b", {}));
    CHECK_FALSE(selects("a=b", {{"A", "b"}})); // keys are case-sensitive
    CHECK(selects("a=", {{"a", ""}}));
    CHECK_FALSE(selects("a=", {}));

    CHECK(selects("a!=b", {{"a", "c"}}));
    CHECK_FALSE(selects("a!=b", {{"a", "b"}}));
    CHECK(selects("a!=b", {})); // a missing key is "not equal"
    CHECK(selects("a!=b", {{"x", "b"}}));
    CHECK(selects("a!=", {{"a", "x"}}));
    CHECK_FALSE(selects("a!=", {{"a", ""}}));
}

TEST_CASE("matches: set operators", "[core][label_selector]") {
    CHECK(selects("e in (x,y)", {{"e", "x"}}));
    CHECK(selects("e in (x,y)", {{"e", "y"}}));
    CHECK_FALSE(selects("e in (x,y)", {{"e", "z"}}));
    CHECK_FALSE(selects("e in (x,y)", {}));
    CHECK(selects("e in ()", {{"e", ""}}));
    CHECK_FALSE(selects("e in ()", {}));

    CHECK(selects("f notin (z)", {{"f", "y"}}));
    CHECK_FALSE(selects("f notin (z)", {{"f", "z"}}));
    CHECK(selects("f notin (z)", {})); // a missing key is "not in"
    CHECK_FALSE(selects("f notin (y,z)", {{"f", "y"}}));
}

TEST_CASE("matches: existence operators and conjunction", "[core][label_selector]") {
    CHECK(selects("g", {{"g", ""}}));
    CHECK(selects("g", {{"g", "v"}}));
    CHECK_FALSE(selects("g", {{"h", "v"}}));
    CHECK(selects("!h", {{"g", "v"}}));
    CHECK_FALSE(selects("!h", {{"h", ""}}));

    const Labels labels{{"app", "demo"}, {"tier", "web"}, {"track", "canary"}};
    CHECK(selects("app=demo,tier in (web,api),track!=stable,!legacy,track", labels));
    CHECK_FALSE(selects("app=demo,tier in (api)", labels));
    CHECK_FALSE(selects("app=demo,!track", labels));
    // Contradictory requirements on one key never match.
    CHECK_FALSE(selects("a=1,a=2", {{"a", "1"}}));
}

TEST_CASE("matches_object and labels_of read metadata.labels", "[core][label_selector]") {
    const nlohmann::json pod = {
        {"metadata", {{"name", "p"}, {"labels", {{"app", "demo"}, {"n", 1}, {"e", ""}}}}}};
    CHECK(nova::core::labels_of(pod) == Labels{{"app", "demo"}, {"e", ""}}); // number ignored
    CHECK(LabelSelector::parse("app=demo,e").matches_object(pod));
    CHECK_FALSE(LabelSelector::parse("n").matches_object(pod));
    CHECK(LabelSelector::parse("n!=1").matches_object(pod));

    for (const auto& no_labels :
         {nlohmann::json(), nlohmann::json::object(), nlohmann::json{{"metadata", nullptr}},
          nlohmann::json{{"metadata", {{"labels", nullptr}}}},
          nlohmann::json{{"metadata", {{"labels", "x"}}}}, nlohmann::json::array()}) {
        CHECK(nova::core::labels_of(no_labels).empty());
        CHECK(LabelSelector::parse("!app").matches_object(no_labels));
        CHECK_FALSE(LabelSelector::parse("app").matches_object(no_labels));
    }
}

TEST_CASE("to_string: canonical form round-trips", "[core][label_selector]") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"a=b", "a=b"},
        {"a==b", "a=b"},
        {"a = b", "a=b"},
        {"c!=d", "c!=d"},
        {"e in (y, x, y)", "e in (x,y)"},
        {"f notin (z)", "f notin (z)"},
        {"g", "g"},
        {"!h", "!h"},
        {"a=", "a="},
        {"a in (x,)", "a in (,x)"},
        {"z,!y,x=1,w in (2),v notin (3),u!=4", "u!=4,v notin (3),w in (2),x=1,!y,z"},
        {"example.com/k=v", "example.com/k=v"},
    };
    for (const auto& [input, canonical] : cases) {
        INFO(input);
        const auto parsed = LabelSelector::parse(input);
        CHECK(parsed.to_string() == canonical);
        const auto again = LabelSelector::parse(parsed.to_string());
        CHECK(again.requirements() == parsed.requirements());
        CHECK(again.to_string() == canonical);
    }
}

TEST_CASE("constructor normalizes requirements", "[core][label_selector]") {
    const LabelSelector s({{"b", Op::in, {"y", "x", "y"}}, {"a", Op::exists, {}}});
    CHECK(s.requirements()[0] == LabelRequirement{"a", Op::exists, {}});
    CHECK(s.requirements()[1] == LabelRequirement{"b", Op::in, {"x", "y"}});
    CHECK(s.to_string() == "a,b in (x,y)");
}

TEST_CASE("parse errors name the token and its position", "[core][label_selector]") {
    using Catch::Matchers::Equals;
    CHECK_THAT(parse_error("a in (x"),
               Equals("invalid label selector \"a in (x\": expected ',' or ')' after value \"x\", "
                      "found end of input at position 8"));
    CHECK_THAT(parse_error("=b"), Equals("invalid label selector \"=b\": expected a label key "
                                         "or '!', found '=' at position 1"));
    CHECK_THAT(parse_error("a=b,"),
               Equals("invalid label selector \"a=b,\": expected a label key or '!' after ',', "
                      "found end of input at position 5"));
    CHECK_THAT(parse_error("a=b,,c"),
               Equals("invalid label selector \"a=b,,c\": expected a label key or '!' after ',', "
                      "found ',' at position 5"));
    CHECK_THAT(parse_error(",a"), Equals("invalid label selector \",a\": expected a label key or "
                                         "'!', found ',' at position 1"));
    CHECK_THAT(parse_error("a=b c=d"),
               Equals("invalid label selector \"a=b c=d\": expected ',' or the end of the "
                      "selector, found \"c\" at position 5"));
    CHECK_THAT(parse_error("a b"),
               Equals("invalid label selector \"a b\": expected an operator (=, ==, !=, in, "
                      "notin), ',' or the end of the selector after key \"a\", found \"b\" at "
                      "position 3"));
    CHECK_THAT(parse_error("a(b)"),
               Equals("invalid label selector \"a(b)\": expected an operator (=, ==, !=, in, "
                      "notin), ',' or the end of the selector after key \"a\", found '(' at "
                      "position 2"));
    CHECK_THAT(parse_error("a>1"),
               Equals("invalid label selector \"a>1\": expected =, ==, !=, in or notin after key "
                      "\"a\" (the numeric operators > and < are not supported), found '>' at "
                      "position 2"));
    CHECK_THAT(parse_error("a<1"), Catch::Contains("found '<' at position 2"));
    CHECK_THAT(parse_error("a in x"),
               Equals("invalid label selector \"a in x\": expected '(' after 'in', found \"x\" "
                      "at position 6"));
    CHECK_THAT(parse_error("a notin"),
               Equals("invalid label selector \"a notin\": expected '(' after 'notin', found end "
                      "of input at position 8"));
    CHECK_THAT(parse_error("a in (x y)"),
               Equals("invalid label selector \"a in (x y)\": expected ',' or ')' after value "
                      "\"x\", found \"y\" at position 9"));
    CHECK_THAT(parse_error("a in (=)"),
               Equals("invalid label selector \"a in (=)\": expected a value, ',' or ')' after "
                      "'(', found '=' at position 7"));
    CHECK_THAT(parse_error("a in (x,=)"),
               Equals("invalid label selector \"a in (x,=)\": expected a value, ',' or ')' in "
                      "the value list, found '=' at position 9"));
    CHECK_THAT(parse_error("a in (,,)"),
               Equals("invalid label selector \"a in (,,)\": expected a value after ',,', found "
                      "')' at position 9"));
    CHECK_THAT(parse_error("a in (x,,)"), Catch::Contains("found ')' at position 10"));
    CHECK_THAT(parse_error("a in (x"), Catch::Contains("at position 8"));
    CHECK_THAT(parse_error("a=(b)"),
               Equals("invalid label selector \"a=(b)\": expected a value after '=', found '(' "
                      "at position 3"));
    CHECK_THAT(parse_error("a===b"), Catch::Contains("expected a value after '==', found '='"));
    CHECK_THAT(parse_error("a!=!b"), Catch::Contains("expected a value after '!=', found '!'"));
    CHECK_THAT(parse_error("!"),
               Equals("invalid label selector \"!\": expected a label key after '!', found end "
                      "of input at position 2"));
    CHECK_THAT(parse_error("!=a"), Catch::Contains("found '!=' at position 1"));
    CHECK_THAT(parse_error("!a=b"),
               Equals("invalid label selector \"!a=b\": expected ',' or the end of the selector "
                      "after '!a' ('!' takes a key only), found '=' at position 3"));
    CHECK_THAT(parse_error("a in (x))"),
               Catch::Contains("expected ',' or the end of the selector, found ')' at position 9"));
}

TEST_CASE("parse errors for invalid keys and values", "[core][label_selector]") {
    using Catch::Matchers::Contains;
    using Catch::Matchers::Equals;
    CHECK_THAT(parse_error("-a=b"),
               Equals("invalid label selector \"-a=b\": invalid key \"-a\" at position 1: the "
                      "name must consist of alphanumeric characters, '-', '_' or '.', and begin "
                      "and end with an alphanumeric character"));
    CHECK_THAT(parse_error("a_=b"), Contains("invalid key \"a_\" at position 1: the name must"));
    CHECK_THAT(parse_error("x,a/b/c"),
               Contains("invalid key \"a/b/c\" at position 3: a key is a name with an optional "
                        "DNS subdomain prefix and one '/'"));
    CHECK_THAT(parse_error("/a"),
               Contains("invalid key \"/a\" at position 1: the prefix before '/' must not be "
                        "empty"));
    CHECK_THAT(parse_error("a/"),
               Contains("invalid key \"a/\" at position 1: the name must not be empty"));
    CHECK_THAT(parse_error("Example.com/a"),
               Contains("the prefix before '/' must be a lowercase DNS subdomain"));
    CHECK_THAT(parse_error("a..b-/x"), Contains("must be a lowercase DNS subdomain"));
    CHECK_THAT(parse_error("-a.com/x"), Contains("must be a lowercase DNS subdomain"));
    CHECK_THAT(parse_error(std::string(254, 'p') + "/x"),
               Contains("the prefix before '/' must be at most 253 characters"));
    CHECK_THAT(parse_error(std::string(64, 'k')),
               Contains("the name must be at most 63 characters"));
    CHECK_THAT(parse_error("a=" + std::string(64, 'v')),
               Contains("invalid value \"" + std::string(64, 'v') +
                        "\" at position 3: must be at most 63 characters"));
    CHECK_THAT(parse_error("a=b-"),
               Equals("invalid label selector \"a=b-\": invalid value \"b-\" at position 3: must "
                      "consist of alphanumeric characters, '-', '_' or '.', and begin and end "
                      "with an alphanumeric character"));
    CHECK_THAT(parse_error("a in (ok, b/c)"), Contains("invalid value \"b/c\" at position 11"));
    CHECK_THAT(parse_error("a=é"), Contains("invalid value \"é\" at position 3"));
    CHECK_THAT(parse_error("é=x"), Contains("invalid key \"é\" at position 1"));
    CHECK_THAT(parse_error("a=b,é"), Contains("at position 5"));
    CHECK_THAT(parse_error("a in (é) x"), Contains("invalid value \"é\" at position 7"));
    // Control characters are escaped so the message stays one line.
    CHECK_THAT(parse_error("a=b\"\x01"),
               Equals("invalid label selector \"a=b\\\"\\x01\": invalid value \"b\\\"\\x01\" at "
                      "position 3: must consist of alphanumeric characters, '-', '_' or '.', and "
                      "begin and end with an alphanumeric character"));
}

TEST_CASE("from_json: matchLabels and matchExpressions", "[core][label_selector]") {
    const auto s = LabelSelector::from_json(nlohmann::json::parse(R"({
        "matchLabels": {"app": "demo", "env": ""},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["web", "api", "web"]},
            {"key": "track", "operator": "NotIn", "values": ["stable"]},
            {"key": "canary", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist", "values": []}
        ]})"));
    const std::vector<LabelRequirement> want{
        {"app", Op::equals, {"demo"}},    {"canary", Op::exists, {}},
        {"env", Op::equals, {""}},        {"legacy", Op::does_not_exist, {}},
        {"tier", Op::in, {"api", "web"}}, {"track", Op::not_in, {"stable"}},
    };
    CHECK(s.requirements() == want);
    CHECK(s.to_string() == "app=demo,canary,env=,!legacy,tier in (api,web),track notin (stable)");
    CHECK(LabelSelector::parse(s.to_string()).requirements() == want);

    CHECK(s.matches({{"app", "demo"}, {"env", ""}, {"tier", "api"}, {"canary", "1"}}));
    CHECK_FALSE(s.matches({{"app", "demo"}, {"env", ""}, {"tier", "api"}}));
    CHECK_FALSE(
        s.matches({{"app", "demo"}, {"env", ""}, {"tier", "api"}, {"canary", ""}, {"legacy", ""}}));
    CHECK_FALSE(s.matches(
        {{"app", "demo"}, {"env", ""}, {"tier", "api"}, {"canary", ""}, {"track", "stable"}}));
}

TEST_CASE("from_json: null and empty selectors match everything", "[core][label_selector]") {
    for (const auto& j : {nlohmann::json(), nlohmann::json::object(),
                          nlohmann::json{{"matchLabels", nlohmann::json::object()}},
                          nlohmann::json{{"matchLabels", nullptr}, {"matchExpressions", nullptr}},
                          nlohmann::json{{"matchExpressions", nlohmann::json::array()}}}) {
        INFO(j.dump());
        const auto s = LabelSelector::from_json(j);
        CHECK(s.empty());
        CHECK(s.matches({{"a", "b"}}));
    }
    // Unknown fields are ignored, like a Go client does.
    CHECK(LabelSelector::from_json({{"other", 1}, {"matchLabels", {{"a", "b"}}}}).to_string() ==
          "a=b");
}

TEST_CASE("from_json: errors name the field and the problem", "[core][label_selector]") {
    using Catch::Matchers::Contains;
    using Catch::Matchers::Equals;
    const auto expr = [](nlohmann::json e) {
        return nlohmann::json{{"matchExpressions", nlohmann::json::array({std::move(e)})}};
    };
    CHECK_THAT(json_error(expr({{"key", "tier"}, {"operator", "Foo"}})),
               Equals("invalid label selector: matchExpressions[0] (key \"tier\"): unknown "
                      "operator \"Foo\" (use In, NotIn, Exists or DoesNotExist)"));
    CHECK_THAT(json_error(expr({{"key", "tier"}, {"operator", "in"}, {"values", {"a"}}})),
               Contains("unknown operator \"in\""));
    CHECK_THAT(json_error(expr({{"key", "tier"}, {"operator", "In"}, {"values", nullptr}})),
               Equals("invalid label selector: matchExpressions[0] (key \"tier\"): operator In "
                      "needs at least one value"));
    CHECK_THAT(json_error(expr({{"key", "tier"}, {"operator", "NotIn"}})),
               Contains("operator NotIn needs at least one value"));
    CHECK_THAT(json_error(expr({{"key", "tier"}, {"operator", "Exists"}, {"values", {"a"}}})),
               Equals("invalid label selector: matchExpressions[0] (key \"tier\"): operator "
                      "Exists takes no values"));
    CHECK_THAT(
        json_error(expr({{"key", "tier"}, {"operator", "DoesNotExist"}, {"values", {"a", "b"}}})),
        Contains("operator DoesNotExist takes no values"));
    CHECK_THAT(json_error(expr({{"operator", "Exists"}})),
               Equals("invalid label selector: matchExpressions[0]: missing string field "
                      "\"key\""));
    CHECK_THAT(json_error(expr({{"key", "tier"}})),
               Contains("matchExpressions[0] (key \"tier\"): missing string field \"operator\""));
    CHECK_THAT(json_error(expr({{"key", "-bad"}, {"operator", "Exists"}})),
               Contains("matchExpressions[0] (key \"-bad\"): invalid key: the name must"));
    CHECK_THAT(json_error(expr({{"key", "k"}, {"operator", "In"}, {"values", {"b/c"}}})),
               Contains("(key \"k\"): invalid value \"b/c\": must consist of"));
    CHECK_THAT(json_error(expr({{"key", "k"}, {"operator", "In"}, {"values", {1}}})),
               Contains("(key \"k\"): values: expected strings, found number"));
    CHECK_THAT(json_error(expr({{"key", "k"}, {"operator", "In"}, {"values", "a"}})),
               Contains("values: expected a list of strings, found string"));
    CHECK_THAT(json_error(expr("x")), Equals("invalid label selector: matchExpressions[0]: "
                                             "expected an object, found string"));
    CHECK_THAT(json_error({{"matchExpressions", {{"key", "a"}}}}),
               Contains("matchExpressions: expected a list, found object"));
    CHECK_THAT(
        json_error({{"matchExpressions",
                     {{{"key", "a"}, {"operator", "Exists"}}, {{"key", "b"}, {"operator", "X"}}}}}),
        Contains("matchExpressions[1] (key \"b\"): unknown operator \"X\""));

    CHECK_THAT(json_error({{"matchLabels", {{"app", 1}}}}),
               Equals("invalid label selector: matchLabels[\"app\"]: expected a string value, "
                      "found number"));
    CHECK_THAT(json_error({{"matchLabels", {{"a/b/c", "x"}}}}),
               Contains("matchLabels[\"a/b/c\"]: invalid key: a key is a name"));
    CHECK_THAT(json_error({{"matchLabels", {{"app", "x y"}}}}),
               Contains("matchLabels[\"app\"]: invalid value \"x y\": must consist of"));
    CHECK_THAT(json_error({{"matchLabels", "app=x"}}),
               Equals("invalid label selector: matchLabels: expected an object, found string"));
    CHECK_THAT(json_error(nlohmann::json::array()),
               Equals("invalid label selector: expected an object with matchLabels and "
                      "matchExpressions, found array"));
    CHECK_THAT(json_error("app=demo"), Contains("found string"));
}
