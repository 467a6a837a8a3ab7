#include "lib/core/error.hpp"
#include "lib/core/json_patch.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using nlohmann::json;
using nova::core::apply_json_patch;
using nova::core::apply_merge_patch;
using nova::core::apply_strategic_merge_patch;

namespace {

json parse(const char* text) {
    return json::parse(text);
}

// The message of the core::Error a patch raises, or a marker when it raises none, so that tests
// can compare whole messages.
template <typename Apply>
std::string error_of(Apply apply, const json& target, const json& patch) {
    try {
        apply(target, patch);
    } catch (const nova::core::Error& error) {
        return error.what();
    }
    return "<no error>";
}

std::string json_patch_error(const json& target, const json& patch) {
    return error_of(apply_json_patch, target, patch);
}

std::string strategic_error(const json& target, const json& patch) {
    return error_of(apply_strategic_merge_patch, target, patch);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// RFC 7386
// ---------------------------------------------------------------------------------------------

TEST_CASE("merge patch: the example of RFC 7386 section 3", "[core][json_patch]") {
    const json target = parse(R"({
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged"
    })");
    const json patch = parse(R"({
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": null},
        "tags": ["example"]
    })");
    CHECK(apply_merge_patch(target, patch) == parse(R"({
        "title": "Hello!",
        "author": {"givenName": "John"},
        "tags": ["example"],
        "content": "This will be unchanged",
        "phoneNumber": "+01-123-456-7890"
    })"));
}

TEST_CASE("merge patch: the test cases of RFC 7386 appendix A", "[core][json_patch]") {
    struct Case {
        const char* original;
        const char* patch;
        const char* result;
    };
    const Case cases[] = {
        {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
        {R"({"a":"b"})", R"({"a":null})", R"({})"},
        {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
        {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
        {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
        {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
        {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
        {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
        {R"({"a":"foo"})", R"(null)", R"(null)"},
        {R"({"a":"foo"})", R"("bar")", R"("bar")"},
        {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
        {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
        {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    };
    for (const Case& c : cases) {
        INFO("original " << c.original << ", patch " << c.patch);
        CHECK(apply_merge_patch(parse(c.original), parse(c.patch)) == parse(c.result));
    }
}

TEST_CASE("merge patch: leaves the target untouched", "[core][json_patch]") {
    const json target = parse(R"({"a":{"b":1}})");
    const json result = apply_merge_patch(target, parse(R"({"a":{"b":null,"c":2}})"));
    CHECK(result == parse(R"({"a":{"c":2}})"));
    CHECK(target == parse(R"({"a":{"b":1}})"));
}

// ---------------------------------------------------------------------------------------------
// RFC 6902
// ---------------------------------------------------------------------------------------------

TEST_CASE("json patch: the examples of RFC 6902 appendix A", "[core][json_patch]") {
    SECTION("A.1 adding an object member") {
        CHECK(apply_json_patch(parse(R"({"foo":"bar"})"),
                               parse(R"([{"op":"add","path":"/baz","value":"qux"}])")) ==
              parse(R"({"baz":"qux","foo":"bar"})"));
    }
    SECTION("A.2 adding an array element") {
        CHECK(apply_json_patch(parse(R"({"foo":["bar","baz"]})"),
                               parse(R"([{"op":"add","path":"/foo/1","value":"qux"}])")) ==
              parse(R"({"foo":["bar","qux","baz"]})"));
    }
    SECTION("A.3 removing an object member") {
        CHECK(apply_json_patch(parse(R"({"baz":"qux","foo":"bar"})"),
                               parse(R"([{"op":"remove","path":"/baz"}])")) ==
              parse(R"({"foo":"bar"})"));
    }
    SECTION("A.4 removing an array element") {
        CHECK(apply_json_patch(parse(R"({"foo":["bar","qux","baz"]})"),
                               parse(R"([{"op":"remove","path":"/foo/1"}])")) ==
              parse(R"({"foo":["bar","baz"]})"));
    }
    SECTION("A.5 replacing a value") {
        CHECK(apply_json_patch(parse(R"({"baz":"qux","foo":"bar"})"),
                               parse(R"([{"op":"replace","path":"/baz","value":"boo"}])")) ==
              parse(R"({"baz":"boo","foo":"bar"})"));
    }
    SECTION("A.6 moving a value") {
        CHECK(apply_json_patch(
                  parse(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})"),
                  parse(R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])")) ==
              parse(R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"));
    }
    SECTION("A.7 moving an array element") {
        CHECK(apply_json_patch(parse(R"({"foo":["all","grass","cows","eat"]})"),
                               parse(R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])")) ==
              parse(R"({"foo":["all","cows","eat","grass"]})"));
    }
    SECTION("A.8 testing a value: success") {
        const json doc = parse(R"({"baz":"qux","foo":["a",2,"c"]})");
        CHECK(apply_json_patch(doc, parse(R"([{"op":"test","path":"/baz","value":"qux"},
                                              {"op":"test","path":"/foo/1","value":2}])")) == doc);
    }
    SECTION("A.9 testing a value: error") {
        CHECK(json_patch_error(parse(R"({"baz":"qux"})"),
                               parse(R"([{"op":"test","path":"/baz","value":"bar"}])")) ==
              "json patch operation 0 (test /baz): value differs");
    }
    SECTION("A.10 adding a nested member object") {
        CHECK(apply_json_patch(parse(R"({"foo":"bar"})"), parse(R"([{"op":"add","path":"/child",
                                          "value":{"grandchild":{}}}])")) ==
              parse(R"({"foo":"bar","child":{"grandchild":{}}})"));
    }
    SECTION("A.11 ignoring unrecognized elements") {
        CHECK(apply_json_patch(parse(R"({"foo":"bar"})"),
                               parse(R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])")) ==
              parse(R"({"foo":"bar","baz":"qux"})"));
    }
    SECTION("A.12 adding to a nonexistent target") {
        CHECK(json_patch_error(parse(R"({"foo":"bar"})"),
                               parse(R"([{"op":"add","path":"/baz/bat","value":"qux"}])")) ==
              "json patch operation 0 (add /baz/bat): /baz does not exist");
    }
    // A.13 (a duplicated "op" member) cannot be expressed: the JSON parser keeps the last one.
    SECTION("A.14 ~ escape ordering") {
        const json doc = parse(R"({"/":9,"~1":10})");
        CHECK(apply_json_patch(doc, parse(R"([{"op":"test","path":"/~01","value":10}])")) == doc);
    }
    SECTION("A.15 comparing strings and numbers") {
        CHECK(json_patch_error(parse(R"({"/":9,"~1":10})"),
                               parse(R"([{"op":"test","path":"/~01","value":"10"}])")) ==
              "json patch operation 0 (test /~01): value differs");
    }
    SECTION("A.16 adding an array value") {
        CHECK(apply_json_patch(parse(R"({"foo":["bar"]})"),
                               parse(R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])")) ==
              parse(R"({"foo":["bar",["abc","def"]]})"));
    }
}

TEST_CASE("json patch: RFC 6901 pointers", "[core][json_patch]") {
    // The example document of RFC 6901 section 5; every pointer there is checked with `test`.
    const json doc = parse(R"({
        "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
        "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8
    })");
    const json patch = parse(R"([
        {"op":"test","path":"","value":{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,
                                       "g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}},
        {"op":"test","path":"/foo","value":["bar","baz"]},
        {"op":"test","path":"/foo/0","value":"bar"},
        {"op":"test","path":"/","value":0},
        {"op":"test","path":"/a~1b","value":1},
        {"op":"test","path":"/c%d","value":2},
        {"op":"test","path":"/e^f","value":3},
        {"op":"test","path":"/g|h","value":4},
        {"op":"test","path":"/i\\j","value":5},
        {"op":"test","path":"/k\"l","value":6},
        {"op":"test","path":"/ ","value":7},
        {"op":"test","path":"/m~0n","value":8}
    ])");
    CHECK(apply_json_patch(doc, patch) == doc);

    SECTION("escapes are decoded when adding") {
        CHECK(
            apply_json_patch(parse("{}"), parse(R"([{"op":"add","path":"/x~1y~0z","value":1}])")) ==
            parse(R"({"x/y~z":1})"));
    }
    SECTION("\"-\" is an ordinary member name in an object") {
        CHECK(apply_json_patch(parse("{}"), parse(R"([{"op":"add","path":"/-","value":1}])")) ==
              parse(R"({"-":1})"));
    }
    SECTION("an empty path replaces the whole document") {
        CHECK(apply_json_patch(parse(R"({"a":1})"),
                               parse(R"([{"op":"replace","path":"","value":[1,2]}])")) ==
              parse("[1,2]"));
        CHECK(apply_json_patch(parse(R"({"a":1})"),
                               parse(R"([{"op":"add","path":"","value":"x"}])")) == json("x"));
    }
}

TEST_CASE("json patch: array index rules", "[core][json_patch]") {
    const json doc = parse(R"({"a":[10,20,30]})");
    SECTION("add at index == size appends") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"add","path":"/a/3","value":40}])")) ==
              parse(R"({"a":[10,20,30,40]})"));
    }
    SECTION("add at 0 prepends and - appends") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"add","path":"/a/0","value":0},
                                              {"op":"add","path":"/a/-","value":99}])")) ==
              parse(R"({"a":[0,10,20,30,99]})"));
    }
    SECTION("add beyond the size is an error") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"/a/4","value":1}])")) ==
              "json patch operation 0 (add /a/4): array index 4 is out of bounds (size 3) at /a/4");
    }
    SECTION("index == size is only valid for add") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"replace","path":"/a/3","value":1}])")) ==
              "json patch operation 0 (replace /a/3): array index 3 is out of bounds (size 3) at "
              "/a/3");
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/a/3"}])")) ==
              "json patch operation 0 (remove /a/3): array index 3 is out of bounds (size 3) at "
              "/a/3");
    }
    SECTION("- is only valid for add") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/a/-"}])")) ==
              "json patch operation 0 (remove /a/-): /a/- does not exist (\"-\" is past the end "
              "of the array)");
        CHECK(json_patch_error(doc, parse(R"([{"op":"test","path":"/a/-","value":30}])")) ==
              "json patch operation 0 (test /a/-): /a/- does not exist (\"-\" is past the end of "
              "the array)");
    }
    SECTION("leading zeros, signs and non-digits are invalid") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"replace","path":"/a/01","value":1}])")) ==
              "json patch operation 0 (replace /a/01): invalid array index \"01\" at /a/01");
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"/a/00","value":1}])")) ==
              "json patch operation 0 (add /a/00): invalid array index \"00\" at /a/00");
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/a/-1"}])")) ==
              "json patch operation 0 (remove /a/-1): invalid array index \"-1\" at /a/-1");
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/a/x"}])")) ==
              "json patch operation 0 (remove /a/x): invalid array index \"x\" at /a/x");
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/a/"}])")) ==
              "json patch operation 0 (remove /a/): invalid array index \"\" at /a/");
    }
    SECTION("a huge index is out of bounds, not wrapped around") {
        CHECK(json_patch_error(doc,
                               parse(R"([{"op":"remove","path":"/a/99999999999999999999999"}])")) ==
              "json patch operation 0 (remove /a/99999999999999999999999): array index "
              "99999999999999999999999 is out of bounds at /a/99999999999999999999999");
    }
}

TEST_CASE("json patch: operations in detail", "[core][json_patch]") {
    const json doc = parse(R"({"spec":{"replicas":3,"paused":false},"list":[1,{"x":2}]})");
    SECTION("copy duplicates a value, deep") {
        const json result =
            apply_json_patch(doc, parse(R"([{"op":"copy","from":"/list/1","path":"/spec/copy"},
                                             {"op":"replace","path":"/list/1/x","value":7}])"));
        CHECK(result["spec"]["copy"] == parse(R"({"x":2})"));
        CHECK(result["list"] == parse(R"([1,{"x":7}])"));
    }
    SECTION("move to the same place is a no-op") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"move","from":"/spec","path":"/spec"}])")) ==
              doc);
    }
    SECTION("move between objects and arrays") {
        CHECK(apply_json_patch(
                  doc, parse(R"([{"op":"move","from":"/spec/replicas","path":"/list/0"}])")) ==
              parse(R"({"spec":{"paused":false},"list":[3,1,{"x":2}]})"));
    }
    SECTION("add replaces an existing member") {
        CHECK(
            apply_json_patch(
                doc,
                parse(R"([{"op":"add","path":"/spec/replicas","value":5}])"))["spec"]["replicas"] ==
            5);
    }
    SECTION("test compares deeply; numbers by value, objects regardless of order") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"test","path":"/spec",
                                               "value":{"paused":false,"replicas":3.0}}])")) ==
              doc);
        CHECK(json_patch_error(doc, parse(R"([{"op":"test","path":"/list",
                                               "value":[1,{"x":2,"y":null}]}])")) ==
              "json patch operation 0 (test /list): value differs");
        CHECK(json_patch_error(doc, parse(R"([{"op":"test","path":"/spec/paused","value":0}])")) ==
              "json patch operation 0 (test /spec/paused): value differs");
    }
    SECTION("test of a null value") {
        CHECK(apply_json_patch(parse(R"({"a":null})"),
                               parse(R"([{"op":"test","path":"/a","value":null}])")) ==
              parse(R"({"a":null})"));
    }
    SECTION("ops apply in order, each seeing the previous ones") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"add","path":"/n","value":[]},
                                              {"op":"add","path":"/n/-","value":"a"},
                                              {"op":"add","path":"/n/0","value":"b"},
                                              {"op":"remove","path":"/spec"},
                                              {"op":"remove","path":"/list"}])")) ==
              parse(R"({"n":["b","a"]})"));
    }
}

TEST_CASE("json patch: errors name the operation, and nothing is applied", "[core][json_patch]") {
    const json doc = parse(R"({"spec":{"replicas":3},"items":[1,2]})");

    SECTION("a failed test") {
        const json patch = parse(R"([
            {"op":"replace","path":"/spec/replicas","value":5},
            {"op":"add","path":"/items/-","value":3},
            {"op":"test","path":"/spec/replicas","value":3}
        ])");
        CHECK(json_patch_error(doc, patch) ==
              "json patch operation 2 (test /spec/replicas): value differs");
        CHECK(doc == parse(R"({"spec":{"replicas":3},"items":[1,2]})"));
        REQUIRE_THROWS_AS(apply_json_patch(doc, patch), nova::core::Error);
        try {
            apply_json_patch(doc, patch);
        } catch (const nova::core::Error& error) {
            CHECK(error.code() == nova::core::ExitCode::failure);
        }
    }
    SECTION("malformed patches") {
        CHECK(json_patch_error(doc, parse(R"({"op":"add"})")) ==
              "json patch must be an array of operations, not an object");
        CHECK(json_patch_error(doc, parse(R"([1])")) ==
              "json patch operation 0: must be an object, not a number");
        CHECK(json_patch_error(doc, parse(R"([{"path":"/a"}])")) ==
              "json patch operation 0: missing \"op\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":1,"path":"/a"}])")) ==
              "json patch operation 0: \"op\" must be a string");
        CHECK(json_patch_error(doc, parse(R"([{"op":"frob","path":"/a"}])")) ==
              "json patch operation 0: unknown op \"frob\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"test","path":"/spec","value":{"replicas":3}},
                                              {"op":"add","value":1}])")) ==
              "json patch operation 1 (add): missing \"path\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":5,"value":1}])")) ==
              "json patch operation 0 (add): \"path\" must be a string");
    }
    SECTION("missing value or from") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"/a"}])")) ==
              "json patch operation 0 (add /a): missing \"value\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"replace","path":"/spec"}])")) ==
              "json patch operation 0 (replace /spec): missing \"value\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"test","path":"/spec"}])")) ==
              "json patch operation 0 (test /spec): missing \"value\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"move","path":"/a"}])")) ==
              "json patch operation 0 (move /a): missing \"from\"");
        CHECK(json_patch_error(doc, parse(R"([{"op":"copy","path":"/a"}])")) ==
              "json patch operation 0 (copy /a): missing \"from\"");
    }
    SECTION("an explicit null value is a value") {
        CHECK(apply_json_patch(doc, parse(R"([{"op":"add","path":"/a","value":null}])"))
                  .at("a")
                  .is_null());
    }
    SECTION("paths that do not exist") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":"/spec/x"}])")) ==
              "json patch operation 0 (remove /spec/x): /spec/x does not exist");
        CHECK(json_patch_error(doc, parse(R"([{"op":"replace","path":"/nope","value":1}])")) ==
              "json patch operation 0 (replace /nope): /nope does not exist");
        CHECK(
            json_patch_error(doc, parse(R"([{"op":"add","path":"/spec/replicas/x","value":1}])")) ==
            "json patch operation 0 (add /spec/replicas/x): /spec/replicas/x does not exist "
            "(/spec/replicas is a number)");
        CHECK(json_patch_error(doc, parse(R"([{"op":"copy","from":"/nope","path":"/a"}])")) ==
              "json patch operation 0 (copy /a): from: /nope does not exist");
        CHECK(json_patch_error(doc, parse(R"([{"op":"move","from":"/items/5","path":"/a"}])")) ==
              "json patch operation 0 (move /a): from: array index 5 is out of bounds (size 2) at "
              "/items/5");
        CHECK(json_patch_error(json(3), parse(R"([{"op":"add","path":"/a","value":1}])")) ==
              "json patch operation 0 (add /a): /a does not exist (the document is a number)");
    }
    SECTION("bad pointers") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"spec","value":1}])")) ==
              "json patch operation 0 (add spec): a JSON pointer must be empty or start with '/'");
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"/a~2b","value":1}])")) ==
              "json patch operation 0 (add /a~2b): invalid escape in JSON pointer (only ~0 and ~1 "
              "are allowed)");
        CHECK(json_patch_error(doc, parse(R"([{"op":"add","path":"/a~","value":1}])")) ==
              "json patch operation 0 (add /a~): invalid escape in JSON pointer (only ~0 and ~1 "
              "are allowed)");
        CHECK(json_patch_error(doc, parse(R"([{"op":"copy","from":"spec","path":"/a"}])")) ==
              "json patch operation 0 (copy /a): from: a JSON pointer must be empty or start with "
              "'/'");
    }
    SECTION("move into its own child") {
        CHECK(json_patch_error(doc,
                               parse(R"([{"op":"move","from":"/spec","path":"/spec/inner"}])")) ==
              "json patch operation 0 (move /spec/inner): cannot move /spec into its own child");
        CHECK(json_patch_error(doc, parse(R"([{"op":"move","from":"","path":"/x"}])")) ==
              "json patch operation 0 (move /x): cannot move the whole document into its own "
              "child");
    }
    SECTION("removing the whole document") {
        CHECK(json_patch_error(doc, parse(R"([{"op":"remove","path":""}])")) ==
              "json patch operation 0 (remove \"\"): cannot remove the whole document");
    }
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch
// ---------------------------------------------------------------------------------------------

namespace {

json deployment() {
    return parse(R"({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"},
                     "finalizers": ["a", "b", "c"]},
        "spec": {
            "replicas": 2,
            "template": {"spec": {
                "containers": [
                    {"name": "app", "image": "app:1",
                     "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                     "ports": [{"containerPort": 80, "protocol": "TCP"},
                               {"containerPort": 9090, "name": "metrics"}],
                     "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                     "args": ["--a", "--b"]},
                    {"name": "sidecar", "image": "proxy:1"}
                ],
                "volumes": [{"name": "data", "emptyDir": {}}],
                "tolerations": [{"key": "k1", "operator": "Exists"}]
            }}
        }
    })");
}

const json& containers(const json& doc) {
    return doc.at("spec").at("template").at("spec").at("containers");
}

} // namespace

TEST_CASE("strategic merge patch: maps merge like a merge patch", "[core][json_patch]") {
    const json result = apply_strategic_merge_patch(
        deployment(),
        parse(R"({"metadata":{"labels":{"tier":null,"new":"x"}},"spec":{"replicas":5}})"));
    CHECK(result["metadata"]["labels"] == parse(R"({"app":"web","new":"x"})"));
    CHECK(result["spec"]["replicas"] == 5);
    CHECK(containers(result) == containers(deployment()));
}

TEST_CASE("strategic merge patch: sets a container image by name", "[core][json_patch]") {
    const json result = apply_strategic_merge_patch(
        deployment(),
        parse(
            R"({"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"proxy:2"}]}}}})"));
    json expected = deployment();
    expected["spec"]["template"]["spec"]["containers"][1]["image"] = "proxy:2";
    CHECK(result == expected);
    CHECK(containers(result)[0]["image"] == "app:1");
    CHECK(containers(result)[0]["env"].size() == 2);
}

TEST_CASE("strategic merge patch: merges env by name", "[core][json_patch]") {
    const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
        "spec":{"containers":[{"name":"app","env":[{"name":"C","value":"3"},
                                                   {"name":"A","value":"one"}]}]}}}})"));
    CHECK(
        containers(result)[0]["env"] ==
        parse(R"([{"name":"A","value":"one"},{"name":"B","value":"2"},{"name":"C","value":"3"}])"));
    CHECK(containers(result)[0]["image"] == "app:1");
    CHECK(containers(result)[1] == parse(R"({"name":"sidecar","image":"proxy:1"})"));
}

TEST_CASE("strategic merge patch: adds a container and deletes one", "[core][json_patch]") {
    SECTION("a new container is appended") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"logger","image":"log:1"}]}}}})"));
        REQUIRE(containers(result).size() == 3);
        CHECK(containers(result)[0]["name"] == "app");
        CHECK(containers(result)[1]["name"] == "sidecar");
        CHECK(containers(result)[2] == parse(R"({"name":"logger","image":"log:1"})"));
    }
    SECTION("$patch: delete removes the element with that key") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"app","$patch":"delete"}]}}}})"));
        CHECK(containers(result) == parse(R"([{"name":"sidecar","image":"proxy:1"}])"));
    }
    SECTION("deleting an element that does not exist changes nothing") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"ghost","$patch":"delete"}]}}}})"));
        CHECK(result == deployment());
    }
    SECTION("delete and merge in one patch") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"app","$patch":"delete"},
                                  {"name":"sidecar","image":"proxy:3"}]}}}})"));
        CHECK(containers(result) == parse(R"([{"name":"sidecar","image":"proxy:3"}])"));
    }
}

TEST_CASE("strategic merge patch: the replace directive", "[core][json_patch]") {
    SECTION("in a list, the list becomes the patch's other elements") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"only:1"}]}}}})"));
        CHECK(containers(result) == parse(R"([{"name":"only","image":"only:1"}])"));
    }
    SECTION("in a map, the map becomes the patch's other keys") {
        const json result = apply_strategic_merge_patch(
            deployment(), parse(R"({"metadata":{"labels":{"$patch":"replace","x":"y"}}})"));
        CHECK(result["metadata"]["labels"] == parse(R"({"x":"y"})"));
        CHECK(result["metadata"]["name"] == "web");
    }
    SECTION("at the top level") {
        CHECK(apply_strategic_merge_patch(deployment(),
                                          parse(R"({"$patch":"replace","kind":"Pod"})")) ==
              parse(R"({"kind":"Pod"})"));
    }
    SECTION("$patch: delete in a map leaves it empty, as Kubernetes does") {
        const json result = apply_strategic_merge_patch(
            deployment(), parse(R"({"metadata":{"labels":{"$patch":"delete"}}})"));
        CHECK(result["metadata"]["labels"] == json::object());
    }
}

TEST_CASE("strategic merge patch: ports", "[core][json_patch]") {
    SECTION("container ports merge by containerPort") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"},
                                                         {"containerPort":8443}]}]}}}})"));
        CHECK(containers(result)[0]["ports"] ==
              parse(R"([{"containerPort":80,"protocol":"TCP","name":"http"},
                        {"containerPort":9090,"name":"metrics"},
                        {"containerPort":8443}])"));
    }
    SECTION("container ports are deleted by containerPort") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"app","ports":[{"containerPort":9090,
                                                          "$patch":"delete"}]}]}}}})"));
        CHECK(containers(result)[0]["ports"] ==
              parse(R"([{"containerPort":80,"protocol":"TCP"}])"));
    }
    SECTION("Service ports merge by port") {
        const json service = parse(R"({"kind":"Service","spec":{"ports":[
            {"name":"http","port":80,"targetPort":8080},
            {"name":"https","port":443,"targetPort":8443}]}})");
        const json result = apply_strategic_merge_patch(
            service, parse(R"({"spec":{"ports":[{"port":443,"targetPort":9443},{"port":9000}]}})"));
        CHECK(result["spec"]["ports"] == parse(R"([{"name":"http","port":80,"targetPort":8080},
                                                   {"name":"https","port":443,"targetPort":9443},
                                                   {"port":9000}])"));
    }
}

TEST_CASE("strategic merge patch: lists without a merge key are replaced", "[core][json_patch]") {
    const json result = apply_strategic_merge_patch(deployment(), parse(R"({
        "spec":{"template":{"spec":{
            "containers":[{"name":"app","args":["--c"]}],
            "tolerations":[{"key":"k2","operator":"Exists"}]}}}})"));
    CHECK(containers(result)[0]["args"] == parse(R"(["--c"])"));
    CHECK(result["spec"]["template"]["spec"]["tolerations"] ==
          parse(R"([{"key":"k2","operator":"Exists"}])"));
    CHECK(containers(result)[0]["image"] == "app:1");
}

TEST_CASE("strategic merge patch: finalizers are a set", "[core][json_patch]") {
    const json object = parse(R"({"metadata":{"finalizers":["a","b"]}})");
    const json result =
        apply_strategic_merge_patch(object, parse(R"({"metadata":{"finalizers":["b","z"]}})"));
    CHECK(result["metadata"]["finalizers"] == parse(R"(["a","b","z"])"));
}

TEST_CASE("strategic merge patch: more merge keys", "[core][json_patch]") {
    SECTION("conditions merge by type") {
        const json pod = parse(R"({"status":{"conditions":[
            {"type":"Ready","status":"False"},{"type":"Initialized","status":"True"}]}})");
        const json result = apply_strategic_merge_patch(
            pod, parse(R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})"));
        CHECK(result["status"]["conditions"] == parse(R"([{"type":"Ready","status":"True"},
                                                          {"type":"Initialized","status":"True"}])"));
    }
    SECTION("volumeMounts merge by mountPath, volumes by name") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"volumes":[{"name":"cache","emptyDir":{}}],
                    "containers":[{"name":"app","volumeMounts":[
                        {"mountPath":"/data","readOnly":true},
                        {"name":"cache","mountPath":"/cache"}]}]}}}})"));
        CHECK(result["spec"]["template"]["spec"]["volumes"] ==
              parse(R"([{"name":"data","emptyDir":{}},{"name":"cache","emptyDir":{}}])"));
        CHECK(containers(result)[0]["volumeMounts"] ==
              parse(R"([{"name":"data","mountPath":"/data","readOnly":true},
                        {"name":"cache","mountPath":"/cache"}])"));
    }
    SECTION("ownerReferences merge by uid") {
        const json rs = parse(R"({"metadata":{"ownerReferences":[
            {"uid":"u1","kind":"Deployment","name":"web"}]}})");
        const json result = apply_strategic_merge_patch(
            rs, parse(R"({"metadata":{"ownerReferences":[{"uid":"u1","controller":true},
                                                          {"uid":"u2","kind":"Rollout"}]}})"));
        CHECK(result["metadata"]["ownerReferences"] ==
              parse(R"([{"uid":"u1","kind":"Deployment","name":"web","controller":true},
                        {"uid":"u2","kind":"Rollout"}])"));
    }
    SECTION("a null inside a merged element deletes that field") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"containers":[{"name":"app","env":null,"args":null}]}}}})"));
        CHECK_FALSE(containers(result)[0].contains("env"));
        CHECK_FALSE(containers(result)[0].contains("args"));
        CHECK(containers(result)[0]["image"] == "app:1");
    }
}

TEST_CASE("strategic merge patch: new values are cleaned of directives", "[core][json_patch]") {
    const json result =
        apply_strategic_merge_patch(parse(R"({"metadata":{"name":"p"}})"), parse(R"({
        "metadata":{"annotations":{"a":"1","b":null}},
        "spec":{"containers":[{"name":"x","image":"x:1"},{"name":"y","$patch":"delete"},
                              {"name":"x","env":[{"name":"E","value":"e"}]}]}})"));
    CHECK(result == parse(R"({
        "metadata":{"name":"p","annotations":{"a":"1"}},
        "spec":{"containers":[{"name":"x","image":"x:1","env":[{"name":"E","value":"e"}]}]}})"));
}

TEST_CASE("strategic merge patch: $retainKeys, $deleteFromPrimitiveList, $setElementOrder",
          "[core][json_patch]") {
    SECTION("$retainKeys clears the keys not listed") {
        const json target = parse(
            R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})");
        const json result = apply_strategic_merge_patch(
            target, parse(R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})"));
        CHECK(result == parse(R"({"spec":{"strategy":{"type":"Recreate"}}})"));
    }
    SECTION("$retainKeys rejects a key it does not list") {
        CHECK(
            strategic_error(parse("{}"), parse(R"({"spec":{"$retainKeys":["type"],"other":1}})")) ==
            "strategic merge patch: \"other\" is set but not listed in \"$retainKeys\" at /spec");
    }
    SECTION("$deleteFromPrimitiveList removes values from a list of scalars") {
        const json result = apply_strategic_merge_patch(
            deployment(),
            parse(R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b","zz"]}})"));
        CHECK(result["metadata"]["finalizers"] == parse(R"(["a","c"])"));
    }
    SECTION("$setElementOrder is accepted and ignored") {
        const json result = apply_strategic_merge_patch(deployment(), parse(R"({"spec":{"template":{
            "spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],
                    "containers":[{"name":"app","image":"app:2"}]}}}})"));
        CHECK(containers(result)[0]["name"] == "app");
        CHECK(containers(result)[0]["image"] == "app:2");
        CHECK(containers(result)[1]["name"] == "sidecar");
    }
}

TEST_CASE("strategic merge patch: malformed patches", "[core][json_patch]") {
    CHECK(strategic_error(deployment(), parse(R"([{"op":"add"}])")) ==
          "strategic merge patch must be a JSON object, not an array");
    CHECK(strategic_error(deployment(), parse(R"("x")")) ==
          "strategic merge patch must be a JSON object, not a string");
    CHECK(strategic_error(deployment(), parse(R"({"metadata":{"labels":{"$patch":"merge"}}})")) ==
          "strategic merge patch: unknown \"$patch\" value \"merge\" at /metadata/labels");
    CHECK(strategic_error(deployment(), parse(R"({"spec":{"template":{"spec":{"containers":[
              {"name":"app","$patch":"frob"}]}}}})")) ==
          "strategic merge patch: unknown \"$patch\" value \"frob\" at "
          "/spec/template/spec/containers/0");
    CHECK(strategic_error(deployment(), parse(R"({"spec":{"template":{"spec":{"containers":[
              {"image":"x"}]}}}})")) ==
          "strategic merge patch: element has no merge key \"name\" at "
          "/spec/template/spec/containers/0");
    CHECK(strategic_error(deployment(), parse(R"({"spec":{"template":{"spec":{"containers":[
              {"$patch":"delete"}]}}}})")) ==
          "strategic merge patch: \"$patch\": \"delete\" element has no merge key \"name\" at "
          "/spec/template/spec/containers/0");
    CHECK(strategic_error(deployment(), parse(R"({"$frob":1})")) ==
          "strategic merge patch: unknown directive \"$frob\" at the top level");
    CHECK(strategic_error(deployment(), parse(R"({"$patch":true})")) ==
          "strategic merge patch: \"$patch\" must be a string at the top level");
}

TEST_CASE("strategic merge patch: leaves the target untouched", "[core][json_patch]") {
    const json target = deployment();
    (void)apply_strategic_merge_patch(
        target,
        parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"z"}]}}}})"));
    CHECK(target == deployment());
}
