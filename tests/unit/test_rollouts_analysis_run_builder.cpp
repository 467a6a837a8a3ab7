#include "lib/core/error.hpp"
#include "lib/rollouts/analysis_run_builder.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using nlohmann::json;

namespace {

json analysis_template() {
    return json::parse(R"({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisTemplate",
        "metadata": {
            "name": "success-rate",
            "namespace": "default",
            "uid": "1234",
            "resourceVersion": "42",
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "generation": 3,
            "managedFields": [{"manager": "kubectl"}],
            "labels": {"team": "web"},
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{}",
                "owner": "web-team"
            }
        },
        "spec": {
            "args": [
                {"name": "service-name"},
                {"name": "threshold", "value": "0.95"},
                {"name": "api-token", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
            ],
            "metrics": [{"name": "success-rate", "provider": {"job": {}}}]
        }
    })");
}

rollouts::AnalysisRunRequest request_with(std::vector<rollouts::AnalysisArgument> arguments) {
    rollouts::AnalysisRunRequest request;
    request.namespace_name = "default";
    request.arguments = std::move(arguments);
    return request;
}

} // namespace

TEST_CASE("arguments are NAME=VALUE, split at the first =", "[rollouts]") {
    const auto argument = rollouts::parse_analysis_argument("query=a=b");
    CHECK(argument.name == "query");
    CHECK(argument.value == "a=b");
    CHECK(rollouts::parse_analysis_argument("empty=").value.empty());
    for (const char* bad : {"novalue", "=value"}) {
        try {
            (void)rollouts::parse_analysis_argument(bad);
            FAIL("accepted " << bad);
        } catch (const core::Error& error) {
            CHECK(error.code() == core::ExitCode::usage);
            CHECK_THAT(error.what(), Catch::StartsWith("arguments must be in the form NAME=VALUE"));
        }
    }
}

TEST_CASE("a run from a template: its spec, args merged, a generateName after it", "[rollouts]") {
    const json run = rollouts::build_analysis_run(
        analysis_template(), request_with({{"service-name", "web"}, {"threshold", "0.99"}}));
    CHECK(run["apiVersion"] == "argoproj.io/v1alpha1");
    CHECK(run["kind"] == "AnalysisRun");
    CHECK(run["metadata"]["generateName"] == "success-rate-");
    CHECK_FALSE(run["metadata"].contains("name"));
    CHECK(run["metadata"]["namespace"] == "default");
    CHECK(run["spec"]["metrics"] == analysis_template()["spec"]["metrics"]);
    CHECK(run["spec"]["args"] == json::parse(R"([
        {"name": "service-name", "value": "web"},
        {"name": "threshold", "value": "0.99"},
        {"name": "api-token", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
    ])"));
}

TEST_CASE("the template's server fields stay behind, its labels and annotations come along",
          "[rollouts]") {
    const json run =
        rollouts::build_analysis_run(analysis_template(), request_with({{"service-name", "web"}}));
    const json& meta = run["metadata"];
    for (const char* field :
         {"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"}) {
        CHECK_FALSE(meta.contains(field));
    }
    CHECK(meta["labels"] == json{{"team", "web"}});
    CHECK(meta["annotations"] == json{{"owner", "web-team"}});
}

TEST_CASE("a given value replaces a template's valueFrom", "[rollouts]") {
    const json run = rollouts::build_analysis_run(
        analysis_template(), request_with({{"service-name", "web"}, {"api-token", "t0k"}}));
    CHECK(run["spec"]["args"][2] == json{{"name", "api-token"}, {"value", "t0k"}});
}

TEST_CASE("names: --name, else --generate-name, else the template's name", "[rollouts]") {
    auto request = request_with({{"service-name", "web"}});
    request.name = "run-1";
    json run = rollouts::build_analysis_run(analysis_template(), request);
    CHECK(run["metadata"]["name"] == "run-1");
    CHECK_FALSE(run["metadata"].contains("generateName"));

    request.name.clear();
    request.generate_name = "nightly-";
    run = rollouts::build_analysis_run(analysis_template(), request);
    CHECK(run["metadata"]["generateName"] == "nightly-");

    json nameless = analysis_template();
    nameless["metadata"].erase("name");
    request.generate_name.clear();
    CHECK_THROWS_WITH(rollouts::build_analysis_run(nameless, request),
                      Catch::StartsWith("the template has no metadata.name"));
}

TEST_CASE("the instance id adds its label to the others", "[rollouts]") {
    auto request = request_with({{"service-name", "web"}});
    request.instance_id = "blue";
    const json run = rollouts::build_analysis_run(analysis_template(), request);
    CHECK(run["metadata"]["labels"] ==
          json{{"team", "web"}, {"argo-rollouts.argoproj.io/controller-instance-id", "blue"}});

    json unlabelled = analysis_template();
    unlabelled["metadata"].erase("labels");
    CHECK(rollouts::build_analysis_run(unlabelled, request)["metadata"]["labels"] ==
          json{{"argo-rollouts.argoproj.io/controller-instance-id", "blue"}});
}

TEST_CASE("an argument the template does not declare is an error naming its args", "[rollouts]") {
    CHECK_THROWS_WITH(
        rollouts::build_analysis_run(analysis_template(),
                                     request_with({{"service-name", "web"}, {"servce", "x"}})),
        "argument \"servce\" is not declared by analysistemplate \"success-rate\" (its args: "
        "service-name, threshold, api-token)");
    json empty_args = analysis_template();
    empty_args["kind"] = "ClusterAnalysisTemplate";
    empty_args["spec"]["args"] = json::array();
    CHECK_THROWS_WITH(
        rollouts::build_analysis_run(empty_args, request_with({{"x", "1"}})),
        "argument \"x\" is not declared by clusteranalysistemplate \"success-rate\" (it declares "
        "no args)");
}

TEST_CASE("a template without spec.args takes the arguments as given, as argo does", "[rollouts]") {
    json argless = analysis_template();
    argless["spec"].erase("args");
    json run = rollouts::build_analysis_run(argless, request_with({{"x", "1"}, {"a", ""}}));
    CHECK(run["spec"]["args"] ==
          json::parse(R"([{"name": "x", "value": "1"}, {"name": "a", "value": ""}])"));
    argless["spec"]["args"] = nullptr; // null is no args too
    run = rollouts::build_analysis_run(argless, request_with({{"x", "1"}}));
    CHECK(run["spec"]["args"] == json::parse(R"([{"name": "x", "value": "1"}])"));
    run = rollouts::build_analysis_run(argless, request_with({}));
    CHECK_FALSE(run["spec"].contains("args"));
}

TEST_CASE("an argument given twice is a usage error naming it", "[rollouts]") {
    const auto arguments = rollouts::parse_analysis_arguments({"a=1", "b=x=y", "c="});
    REQUIRE(arguments.size() == 3);
    CHECK(arguments[1].name == "b");
    CHECK(arguments[1].value == "x=y");
    try {
        (void)rollouts::parse_analysis_arguments({"a=1", "b=2", "a=1"});
        FAIL("accepted a repeated argument");
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ExitCode::usage);
        CHECK(std::string(error.what()) == "argument \"a\" is given more than once with -a");
    }
    CHECK_THROWS_WITH(rollouts::parse_analysis_arguments({"a=1", "bad"}),
                      Catch::StartsWith("arguments must be in the form NAME=VALUE"));
}

TEST_CASE("an arg left without a value is not resolved", "[rollouts]") {
    CHECK_THROWS_WITH(rollouts::build_analysis_run(analysis_template(), request_with({})),
                      Catch::StartsWith("args.service-name was not resolved"));
}

TEST_CASE("only templates make runs", "[rollouts]") {
    json rollout = analysis_template();
    rollout["kind"] = "Rollout";
    CHECK_THROWS_WITH(rollouts::build_analysis_run(rollout, request_with({})),
                      "an AnalysisRun is made from an AnalysisTemplate or ClusterAnalysisTemplate, "
                      "not a Rollout");
    json specless = analysis_template();
    specless.erase("spec");
    CHECK_THROWS_WITH(rollouts::build_analysis_run(specless, request_with({})),
                      "analysistemplate \"success-rate\" has no spec");
}
