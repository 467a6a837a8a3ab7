#include "lib/core/error.hpp"
#include "lib/rollouts/manifests.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using nlohmann::json;
using rollouts::NamespaceChoice;

namespace {

const NamespaceChoice from_context{"default", false};
const NamespaceChoice from_flag{"team", true};

json rollout(const std::string& name, const std::string& ns = "") {
    json object = {{"apiVersion", "argoproj.io/v1alpha1"},
                   {"kind", "Rollout"},
                   {"metadata", {{"name", name}}},
                   {"spec", {{"replicas", 1}}}};
    if (!ns.empty()) {
        object["metadata"]["namespace"] = ns;
    }
    return object;
}

std::string error_of(const json& object, const NamespaceChoice& where = from_context) {
    try {
        (void)rollouts::check_manifest(object, "ro.yaml", where);
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ExitCode::failure);
        return error.what();
    }
    return "";
}

} // namespace

TEST_CASE("JSON is read when the first non-space byte is a brace, YAML otherwise", "[rollouts]") {
    const auto from_json = rollouts::parse_manifest("  \n{\"kind\": \"Rollout\"}", "a.json");
    REQUIRE(from_json.size() == 1);
    CHECK(from_json[0]["kind"] == "Rollout");

    const auto from_yaml =
        rollouts::parse_manifest("kind: Rollout\n---\n---\nkind: Experiment\n", "a.yaml");
    REQUIRE(from_yaml.size() == 2);
    CHECK(from_yaml[1]["kind"] == "Experiment");
}

TEST_CASE("a manifest that does not parse names its file", "[rollouts]") {
    CHECK_THROWS_WITH(rollouts::parse_manifest("{\"kind\": ", "a.json"),
                      Catch::StartsWith("a.json: invalid JSON: "));
    CHECK_THROWS_WITH(rollouts::parse_manifest("kind: [Rollout\n", "a.yaml"),
                      Catch::StartsWith("a.yaml: invalid YAML: line "));
}

TEST_CASE("a JSON manifest is decoded strictly: a key given twice is refused", "[rollouts]") {
    CHECK_THROWS_WITH(
        rollouts::parse_manifest(R"({"metadata": {"name": "a", "name": "b"}})", "ro.json"),
        "ro.json: invalid JSON: duplicate key \"name\" in metadata");
    CHECK_THROWS_WITH(
        rollouts::parse_manifest(R"({"kind": "Rollout", "kind": "Experiment"})", "ro.json"),
        "ro.json: invalid JSON: duplicate key \"kind\" at the top level");
}

TEST_CASE("a manifest nested too deeply is one clear error, JSON or YAML", "[rollouts]") {
    const auto deep_json = [](std::size_t levels) {
        return "{\"a\": " + std::string(levels, '[') + std::string(levels, ']') + "}";
    };
    CHECK(rollouts::parse_manifest(deep_json(500), "a.json").size() == 1);
    // 50,000 levels once crashed create -f (the parsed document was copied recursively).
    CHECK_THROWS_WITH(rollouts::parse_manifest(deep_json(50'000), "a.json"),
                      "a.json: invalid JSON: line 1, column 1006: nested deeper than 1000 levels");
    CHECK_THROWS_WITH(
        rollouts::parse_manifest("a: &a\n  b: *a\n", "a.yaml"),
        Catch::StartsWith("a.yaml: invalid YAML: line ") &&
            Catch::EndsWith(": an alias refers to a node that contains it (a cycle)"));
    std::string deep_yaml;
    for (std::size_t i = 0; i < 500; ++i) {
        deep_yaml += std::string(i * 2, ' ') + "k:\n";
    }
    CHECK_THROWS_WITH(rollouts::parse_manifest(deep_yaml, "a.yaml"),
                      Catch::StartsWith("a.yaml: invalid YAML: line ") &&
                          Catch::Contains("nested too deeply"));
}

TEST_CASE("the five kinds create accepts", "[rollouts]") {
    for (const char* kind :
         {"Rollout", "Experiment", "AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun"}) {
        json object = rollout("x");
        object["kind"] = kind;
        const auto manifest = rollouts::check_manifest(object, "x.yaml", from_context);
        CHECK(manifest.kind->kind == kind);
    }
    const auto* cluster = rollouts::find_creatable_kind("ClusterAnalysisTemplate");
    REQUIRE(cluster != nullptr);
    CHECK(cluster->resource == "clusteranalysistemplates");
    CHECK(cluster->singular == "clusteranalysistemplate");
    CHECK_FALSE(cluster->namespaced);
    CHECK(rollouts::find_creatable_kind("Deployment") == nullptr);
}

TEST_CASE("other kinds are refused with argo's words", "[rollouts]") {
    json deployment = rollout("x");
    deployment["apiVersion"] = "apps/v1";
    deployment["kind"] = "Deployment";
    CHECK(error_of(deployment) == "ro.yaml: creates of apps/Deployment unsupported");
    json config_map = rollout("x");
    config_map["apiVersion"] = "v1";
    config_map["kind"] = "ConfigMap";
    CHECK(error_of(config_map) == "ro.yaml: creates of v1/ConfigMap unsupported");
    json unknown = rollout("x");
    unknown["kind"] = "Widget";
    CHECK(error_of(unknown) == "ro.yaml: creates of argoproj.io/Widget unsupported");
    json other_version = rollout("x");
    other_version["apiVersion"] = "argoproj.io/v2";
    CHECK(error_of(other_version) ==
          "ro.yaml: apiVersion \"argoproj.io/v2\" of Rollout is not served: use "
          "argoproj.io/v1alpha1");
}

TEST_CASE("a manifest needs a kind, a name and a spec object", "[rollouts]") {
    CHECK(error_of(json::array()) == "ro.yaml: a document must be an object, not array");
    json no_kind = rollout("x");
    no_kind.erase("kind");
    CHECK_THAT(error_of(no_kind), Catch::StartsWith("ro.yaml: kind is not set"));
    json no_name = rollout("x");
    no_name["metadata"].erase("name");
    CHECK(error_of(no_name) ==
          "ro.yaml: Rollout has neither metadata.name nor metadata.generateName");
    json no_metadata = rollout("x");
    no_metadata.erase("metadata");
    CHECK_THAT(error_of(no_metadata), Catch::StartsWith("ro.yaml: Rollout has no metadata"));
    json bad_name = rollout("x");
    bad_name["metadata"]["name"] = 3;
    CHECK(error_of(bad_name) == "ro.yaml: metadata.name must be a string, not number");
    json no_spec = rollout("x");
    no_spec.erase("spec");
    CHECK(error_of(no_spec) == "ro.yaml: rollout \"x\" has no spec");
    json list_spec = rollout("x");
    list_spec["spec"] = json::array();
    CHECK(error_of(list_spec) == "ro.yaml: rollout \"x\": spec must be an object, not array");

    json generated = rollout("x");
    generated["metadata"].erase("name");
    generated["metadata"]["generateName"] = "x-";
    const auto manifest = rollouts::check_manifest(generated, "ro.yaml", from_context);
    CHECK(manifest.name.empty());
    CHECK(manifest.generate_name == "x-");
    CHECK(rollouts::created_name(manifest, "x-abcde") == "rollout.argoproj.io/x-abcde");
    // The name the server returned stays on the line, and cannot drive the terminal.
    CHECK(rollouts::created_name(manifest, "x-\nab\tc\x1b[2J") ==
          "rollout.argoproj.io/x- ab cU+001B[2J");
}

TEST_CASE("names and namespaces that would change the URL are refused before any create",
          "[rollouts]") {
    CHECK(error_of(rollout("demo/status")) ==
          "ro.yaml: invalid metadata.name \"demo/status\": may not contain '/'");
    CHECK(error_of(rollout("..")) == "ro.yaml: invalid metadata.name \"..\": may not be '..'");
    CHECK_THAT(error_of(rollout("Demo")),
               Catch::StartsWith("ro.yaml: invalid metadata.name \"Demo\": must consist of "));
    CHECK_THAT(error_of(rollout("demo?dryRun=All")),
               Catch::StartsWith("ro.yaml: invalid metadata.name \"demo?dryRun=All\""));
    CHECK(error_of(rollout("demo", "team/x")) ==
          "ro.yaml: invalid metadata.namespace \"team/x\": may not contain '/'");
    CHECK_THAT(error_of(rollout("demo", "team.a")),
               Catch::StartsWith("ro.yaml: invalid metadata.namespace \"team.a\": must consist "));
    CHECK(error_of(rollout("web.v2", "team-a")).empty());
    // An empty name or namespace means "not given": generateName, the command's namespace.
    json generated = rollout("x", "");
    generated["metadata"]["name"] = "";
    generated["metadata"]["generateName"] = "x-";
    CHECK(error_of(generated).empty());
    // A generateName is a name's prefix: checked as one (the API server would refuse it).
    generated["metadata"]["generateName"] = "X_";
    CHECK_THAT(error_of(generated),
               Catch::StartsWith("ro.yaml: invalid metadata.generateName \"X_\": must consist"));
    generated["metadata"]["generateName"] = std::string(254, 'x');
    CHECK(error_of(generated) == "ro.yaml: invalid metadata.generateName \"" +
                                     std::string(254, 'x') +
                                     "\": must be no more than 253 characters");
    generated["metadata"]["generateName"] = std::string(247, 'x') + "-";
    CHECK(error_of(generated).empty());
}

TEST_CASE("the namespace: the file's, else the command's, and an explicit -n must agree",
          "[rollouts]") {
    CHECK(rollouts::check_manifest(rollout("x"), "ro.yaml", from_context).namespace_name ==
          "default");
    CHECK(rollouts::check_manifest(rollout("x", "other"), "ro.yaml", from_context).namespace_name ==
          "other");
    CHECK(rollouts::check_manifest(rollout("x", "team"), "ro.yaml", from_flag).namespace_name ==
          "team");
    CHECK(rollouts::check_manifest(rollout("x"), "ro.yaml", from_flag).namespace_name == "team");
    CHECK(error_of(rollout("x", "other"), from_flag) ==
          "ro.yaml: the namespace from the provided object \"other\" does not match the "
          "namespace \"team\". You must pass '--namespace=other' to perform this operation.");

    // Cluster-scoped: no namespace, whatever the file or -n say.
    json cluster_template = rollout("x", "other");
    cluster_template["kind"] = "ClusterAnalysisTemplate";
    CHECK(rollouts::check_manifest(cluster_template, "t.yaml", from_flag).namespace_name.empty());
}

TEST_CASE("a file's documents are checked one by one, and named by their place", "[rollouts]") {
    const std::string text = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: "
                             "a}\nspec: {}\n---\napiVersion: apps/v1\nkind: Deployment\n";
    CHECK_THROWS_WITH(rollouts::check_manifests(text, "all.yaml", from_context),
                      "all.yaml (document 2): creates of apps/Deployment unsupported");
    CHECK_THROWS_WITH(rollouts::check_manifests("# nothing\n", "empty.yaml", from_context),
                      "empty.yaml: no objects to create");
    const auto one = rollouts::check_manifests(
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Experiment\","
        "\"metadata\":{\"name\":\"e\"},\"spec\":{}}",
        "e.json", from_context);
    REQUIRE(one.size() == 1);
    CHECK(one[0].source == "e.json");
}

TEST_CASE("the same object twice is refused before anything is created", "[rollouts]") {
    std::vector<rollouts::Manifest> manifests{
        rollouts::check_manifest(rollout("a"), "one.yaml", from_context),
        rollouts::check_manifest(rollout("b"), "two.yaml", from_context),
    };
    CHECK_NOTHROW(rollouts::check_no_duplicates(manifests));
    // Another namespace or kind is another object.
    manifests.push_back(
        rollouts::check_manifest(rollout("a", "other"), "three.yaml", from_context));
    json experiment = rollout("a");
    experiment["kind"] = "Experiment";
    manifests.push_back(rollouts::check_manifest(experiment, "four.yaml", from_context));
    CHECK_NOTHROW(rollouts::check_no_duplicates(manifests));
    manifests.push_back(rollouts::check_manifest(rollout("a"), "five.yaml", from_context));
    CHECK_THROWS_WITH(rollouts::check_no_duplicates(manifests),
                      "five.yaml: rollout \"a\" is also in one.yaml (it would be created twice)");
}
