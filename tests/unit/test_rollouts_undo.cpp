#include "lib/core/error.hpp"
#include "lib/rollouts/undo.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace nova::rollouts;
using nlohmann::json;
using nova::core::Error;

namespace {

const std::string rollout_uid = "1111-2222";

// A pod template of image `image`, labelled with `hash` as the controller labels its ReplicaSets.
json pod_template(const std::string& image, const std::string& hash = "") {
    json labels = {{"app", "demo"}};
    if (!hash.empty()) {
        labels[std::string(pod_template_hash_label)] = hash;
    }
    return {{"metadata", {{"labels", labels}}},
            {"spec", {{"containers", json::array({{{"name", "demo"}, {"image", image}}})}}}};
}

json replica_set(const std::string& name, const std::string& revision, const std::string& image,
                 const std::string& owner_uid = rollout_uid, bool controller = true) {
    json object = {{"metadata",
                    {{"name", name},
                     {"ownerReferences", json::array({{{"apiVersion", "argoproj.io/v1alpha1"},
                                                       {"kind", "Rollout"},
                                                       {"name", "demo"},
                                                       {"uid", owner_uid},
                                                       {"controller", controller}}})}}},
                   {"spec", {{"template", pod_template(image, name.substr(name.find('-') + 1))}}}};
    if (!revision.empty()) {
        object["metadata"]["annotations"][std::string(revision_annotation)] = revision;
    }
    return object;
}

std::string error_of(const std::vector<json>& replica_sets, std::int64_t to_revision) {
    try {
        (void)undo_target(replica_sets, to_revision, "demo");
    } catch (const Error& error) {
        return error.what();
    }
    FAIL("no error");
    return {};
}

} // namespace

TEST_CASE("undo: the ReplicaSet selector of a rollout", "[rollouts]") {
    CHECK(replica_set_selector(
              R"({"spec": {"selector": {"matchLabels": {"app": "demo"}}}})"_json) == "app=demo");
    CHECK(replica_set_selector(R"({"spec": {"selector": {"matchLabels": {"b": "2", "a": "1"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]},
                             {"key": "canary", "operator": "DoesNotExist"}]}}})"_json) ==
          "a=1,b=2,!canary,tier in (api,web)");
    CHECK(replica_set_selector(json::object()).empty());
    CHECK_THROWS_WITH(replica_set_selector(R"({"metadata": {"name": "demo"}, "spec": {"selector":
        {"matchExpressions": [{"key": "a", "operator": "Near"}]}}})"_json),
                      Catch::StartsWith(R"(spec.selector of rollout "demo": )"));
}

TEST_CASE("undo: only ReplicaSets the rollout controls", "[rollouts]") {
    const std::vector<json> all{
        replica_set("demo-a", "1", "a"), replica_set("other-b", "2", "b", "9999"),
        replica_set("demo-c", "3", "c", rollout_uid, false), replica_set("demo-d", "4", "d"),
        R"({"metadata": {"name": "orphan"}})"_json};
    const auto controlled = controlled_replica_sets(all, rollout_uid);
    REQUIRE(controlled.size() == 2);
    CHECK(controlled[0]["metadata"]["name"] == "demo-a");
    CHECK(controlled[1]["metadata"]["name"] == "demo-d");
    // A rollout without a uid controls nothing.
    CHECK(controlled_replica_sets(all, "").empty());
}

TEST_CASE("undo: revisions of ReplicaSets", "[rollouts]") {
    CHECK(replica_set_revision(replica_set("demo-a", "12", "a")) == 12);
    CHECK(replica_set_revision(replica_set("demo-a", "", "a")) == 0);
    CHECK(replica_set_revision(replica_set("demo-a", "+3", "a")) == 3);
    CHECK_FALSE(replica_set_revision(replica_set("demo-a", "three", "a")));
    CHECK_FALSE(replica_set_revision(replica_set("demo-a", "1.5", "a")));
    CHECK_FALSE(replica_set_revision(
        R"({"metadata": {"annotations": {"rollout.argoproj.io/revision": 2}}})"_json));
}

TEST_CASE("undo: the previous revision is the second highest", "[rollouts]") {
    const std::vector<json> replica_sets{
        replica_set("demo-b", "2", "b"), replica_set("demo-d", "4", "d"),
        replica_set("demo-x", "bad", "x"), replica_set("demo-a", "1", "a"),
        replica_set("demo-c", "3", "c")};
    const auto target = undo_target(replica_sets, 0, "demo");
    CHECK(target.replica_set == "demo-c");
    CHECK(target.revision == 3);
    // The hash label is gone from the template that goes back.
    CHECK(target.pod_template == pod_template("c"));
}

TEST_CASE("undo: a named revision", "[rollouts]") {
    const std::vector<json> replica_sets{replica_set("demo-b", "2", "b"),
                                         replica_set("demo-a", "1", "a"),
                                         replica_set("demo-c", "3", "c")};
    const auto target = undo_target(replica_sets, 1, "demo");
    CHECK(target.replica_set == "demo-a");
    CHECK(target.revision == 1);
    CHECK(target.pod_template == pod_template("a"));
    CHECK(error_of(replica_sets, 7) == "unable to find specified revision 7 in history");
}

TEST_CASE("undo: nothing to go back to", "[rollouts]") {
    CHECK(error_of({}, 0) == R"(no revision found for rollout "demo")");
    CHECK(error_of({replica_set("demo-a", "1", "a")}, 0) ==
          R"(no revision found for rollout "demo")");
    CHECK(error_of({replica_set("demo-a", "x", "a"), replica_set("demo-b", "2", "b")}, 0) ==
          R"(no revision found for rollout "demo")");
    // A ReplicaSet without the annotation is revision 0, and can be gone back to.
    CHECK(undo_target({replica_set("demo-a", "", "a"), replica_set("demo-b", "2", "b")}, 0, "demo")
              .replica_set == "demo-a");
}

TEST_CASE("undo: the pod-template-hash label is removed, and an emptied map with it",
          "[rollouts]") {
    CHECK(without_pod_template_hash(pod_template("a", "abc")) == pod_template("a"));
    const json only_hash = R"({"metadata": {"labels": {"rollouts-pod-template-hash": "abc"},
                               "annotations": {"x": "y"}}})"_json;
    CHECK(without_pod_template_hash(only_hash) ==
          R"({"metadata": {"annotations": {"x": "y"}}})"_json);
    CHECK(without_pod_template_hash(json()) == json());
    CHECK(without_pod_template_hash(R"({"metadata": 3})"_json) == R"({"metadata": 3})"_json);
}

TEST_CASE("undo: semantic derivative on JSON", "[rollouts]") {
    // Unset in the desired side: ignored.
    CHECK(semantic_derivative(json(), 5));
    CHECK(semantic_derivative("", "x"));
    CHECK(semantic_derivative(json::array(), json::array({1})));
    CHECK(semantic_derivative(json::object(), json()));
    CHECK(semantic_derivative(R"({"a": 1, "b": null, "c": "", "d": [], "e": {}})"_json,
                              R"({"a": 1, "x": "defaulted"})"_json));
    // Set in the desired side: must be equal.
    CHECK_FALSE(semantic_derivative(R"({"a": 1})"_json, R"({"a": 2})"_json));
    CHECK_FALSE(semantic_derivative(R"({"a": 1})"_json, json::object()));
    CHECK(semantic_derivative(R"({"a": 1})"_json, R"({"a": 1.0})"_json));
    CHECK_FALSE(semantic_derivative(R"({"a": false})"_json, json::object()));
    CHECK_FALSE(semantic_derivative(R"({"a": 0})"_json, R"({"a": "0"})"_json));
    CHECK_FALSE(semantic_derivative("x", "xy"));
    CHECK_FALSE(semantic_derivative(R"({"a": {"b": "c"}})"_json, R"({"a": "c"})"_json));
    // Arrays: element by element, and as many elements (Go compared only a prefix).
    CHECK(semantic_derivative(R"([{"name": "a"}])"_json,
                              R"([{"name": "a", "imagePullPolicy": "Always"}])"_json));
    CHECK_FALSE(
        semantic_derivative(R"([{"name": "a"}])"_json, R"([{"name": "a"}, {"name": "b"}])"_json));
    CHECK_FALSE(
        semantic_derivative(R"([{"name": "a"}, {"name": "b"}])"_json, R"([{"name": "a"}])"_json));
    CHECK_FALSE(semantic_derivative(R"([1])"_json, R"({"0": 1})"_json));
}

TEST_CASE("undo: does the current template already match the target", "[rollouts]") {
    // The rollout's template carries no hash label, the ReplicaSet's does.
    CHECK(template_matches(pod_template("a"), pod_template("a", "abc")));
    CHECK(template_matches(pod_template("a", "def"), pod_template("a", "abc")));
    CHECK_FALSE(template_matches(pod_template("b"), pod_template("a", "abc")));
    // Defaults the server filled into the ReplicaSet do not count.
    auto defaulted = pod_template("a", "abc");
    defaulted["spec"]["restartPolicy"] = "Always";
    defaulted["spec"]["containers"][0]["terminationMessagePath"] = "/dev/termination-log";
    CHECK(template_matches(pod_template("a"), defaulted));
    // No template matches nothing (argo: a workloadRef rollout never matched).
    CHECK_FALSE(template_matches(json(), pod_template("a")));
    CHECK_FALSE(template_matches(json::object(), pod_template("a")));
}

TEST_CASE("undo: the JSON patch and the skip message", "[rollouts]") {
    CHECK(undo_patch("/spec/template", pod_template("a")).dump() ==
          R"([{"op":"replace","path":"/spec/template","value":)" + pod_template("a").dump() + "}]");
    CHECK(undo_patch("/template", json::object()).dump() ==
          R"([{"op":"replace","path":"/template","value":{}}])");
    CHECK(skipped_message(3) == "skipped rollback (current template already matches revision 3)");
}

TEST_CASE("undo: --to-revision is a plain decimal number within int64", "[rollouts]") {
    CHECK(parse_to_revision("0") == 0);
    CHECK(parse_to_revision("3") == 3);
    CHECK(parse_to_revision("9223372036854775807") == INT64_MAX);
    const auto refused = [](const std::string& text) -> std::string {
        try {
            (void)parse_to_revision(text);
        } catch (const Error& error) {
            CHECK(error.code() == nova::core::ExitCode::usage);
            return error.what();
        }
        return "no error";
    };
    // Read as a C++ integer these were clamped to INT64_MAX, 16 and "previous".
    CHECK(refused("9223372036854775808") ==
          "--to-revision is beyond any revision (the largest is 9223372036854775807), got "
          "\"9223372036854775808\"");
    CHECK_THAT(refused("99999999999999999999"), Catch::StartsWith("--to-revision is beyond any"));
    for (const std::string text : {"0x10", "", "+3", "1e3", " 3", "3 ", "3.0", "three", "-"}) {
        INFO(text);
        CHECK(refused(text) == "--to-revision takes a revision number (decimal digits), or 0 for "
                               "the previous revision, got \"" +
                                   text + "\"");
    }
    CHECK(refused("-1") ==
          "--to-revision must be a revision number, or 0 for the previous revision, got \"-1\"");
}

TEST_CASE("undo: a ReplicaSet without a usable pod template is refused, not restored as {}",
          "[rollouts]") {
    json without = replica_set("demo-a", "1", "a");
    without["spec"].erase("template");
    const std::vector<json> replica_sets{without, replica_set("demo-b", "2", "b")};
    CHECK(error_of(replica_sets, 1) ==
          R"(replicaset "demo-a" of revision 1 has no pod template to go back to)");
    json mistyped = replica_set("demo-a", "1", "a");
    mistyped["spec"]["template"] = "x";
    CHECK(error_of({mistyped, replica_set("demo-b", "2", "b")}, 0) ==
          R"(invalid replicaset "demo-a": spec.template must be an object, not "x")");
}
