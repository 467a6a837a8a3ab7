// The -o json / -o yaml documents: goldens of the multi-cluster scenarios, and YAML that reads
// back as the same values as the JSON.

#include "lib/core/yaml.hpp"
#include "lib/render/document.hpp"
#include "lib/rollouts/list_rows.hpp"
#include "multicluster_support.hpp"

#include <catch2/catch.hpp>

using namespace nova;

namespace {

// The YAML text read back as JSON (kubectl's scalar typing), to compare with the document.
nlohmann::json yaml_values(const std::string& text) {
    const auto documents = core::parse_yaml_documents(text);
    REQUIRE(documents.size() == 1);
    return documents.front();
}

nlohmann::json json_values(const nlohmann::ordered_json& document) {
    return nlohmann::json::parse(document.dump());
}

} // namespace

TEST_CASE("RolloutView documents of the multi-cluster scenarios match their goldens") {
    for (const auto& name : test::multicluster_scenarios()) {
        SECTION(name) {
            const auto scenario = test::load_multicluster_scenario(name);
            const auto document = render::rollout_view_document(test::scenario_view(scenario));
            CHECK(document["apiVersion"] == "nova-rollouts.elotl.co/v1alpha1");
            CHECK(document["kind"] == "RolloutView");
            CHECK(document["complete"] == (scenario.exit_code != 5));
            const auto json = render::to_json_text(document);
            const auto yaml = render::to_yaml_text(document);
            test::check_golden("multicluster/" + name + ".json", json);
            test::check_golden("multicluster/" + name + ".yaml", yaml);
            CHECK(nlohmann::json::parse(json) == json_values(document));
            CHECK(yaml_values(yaml) == json_values(document));
        }
    }
}

TEST_CASE("RolloutStatus and RolloutList documents") {
    const auto scenario = test::load_multicluster_scenario("cluster-down");
    const auto view = test::scenario_view(scenario);
    const auto status = render::rollout_status_document(
        view, render::status_outcome(rollouts::StatusVerdict::paused, false));
    CHECK(status["outcome"] == "Paused");
    CHECK(status["complete"] == false);
    CHECK(status["missingClusters"] == nlohmann::ordered_json::array({"kind-workload-2"}));
    test::check_golden("multicluster/cluster-down.status.yaml", render::to_yaml_text(status));
    CHECK(yaml_values(render::to_yaml_text(status)) == json_values(status));

    std::vector<rollouts::RolloutListRow> rows;
    for (const auto& object : test::of_kind(scenario.control_plane, "Rollout")) {
        rows.push_back(rollouts::rollout_list_row(object));
    }
    const auto list = render::rollout_list_document(rows);
    test::check_golden("multicluster/cluster-down.list.json", render::to_json_text(list));
    CHECK(yaml_values(render::to_yaml_text(list)) == json_values(list));
}

TEST_CASE("status outcomes") {
    using rollouts::StatusVerdict;
    CHECK(render::status_outcome(StatusVerdict::healthy, false) == render::StatusOutcome::healthy);
    CHECK(render::status_outcome(StatusVerdict::degraded, true) == render::StatusOutcome::degraded);
    CHECK(render::status_outcome(StatusVerdict::in_progress, false) ==
          render::StatusOutcome::in_progress);
    CHECK(render::status_outcome(StatusVerdict::in_progress, true) ==
          render::StatusOutcome::timed_out);
    CHECK(render::to_string(render::StatusOutcome::timed_out) == "TimedOut");
    CHECK(render::to_string(render::StatusOutcome::in_progress) == "InProgress");
}

TEST_CASE("a single-cluster rollout's document has no clusters and argo's pods") {
    const auto now = test::argo_golden_now();
    const auto view = fleet::build_rollout_view(
        rollouts::build_rollout_info(test::argo_fixture("canary", now), "canary-demo"), {});
    const auto document = render::rollout_view_document(view);
    CHECK(document["complete"] == true);
    CHECK(document["clusters"].empty());
    CHECK(document["rollout"]["status"] == "Degraded");
    CHECK(document["rollout"]["setWeight"] == 20);
    const auto& stable = document["replicaSets"][1];
    CHECK(stable["tags"] == nlohmann::ordered_json::array({"stable"}));
    CHECK(stable["pods"].size() == 5);
    CHECK(stable["pods"][0]["cluster"].is_null());
    CHECK(stable["clusters"].empty());
    CHECK(yaml_values(render::to_yaml_text(document)) == json_values(document));
}

TEST_CASE("YAML quotes strings that would read back as something else") {
    nlohmann::ordered_json document{{"empty", ""},
                                    {"yes", "yes"},
                                    {"no", "No"},
                                    {"null", "null"},
                                    {"tilde", "~"},
                                    {"number", "12"},
                                    {"float", "1.5"},
                                    {"negative", "-3"},
                                    {"time", "2025-06-02T10:20:30Z"},
                                    {"colon", "a: b"},
                                    {"hash", "a #b"},
                                    {"plain", "Running"},
                                    {"int", 12},
                                    {"bool", true},
                                    {"nothing", nullptr},
                                    {"list", nlohmann::ordered_json::array()},
                                    {"map", nlohmann::ordered_json::object()},
                                    {"nested", {{"a", {1, 2}}}}};
    const auto text = render::to_yaml_text(document);
    CHECK(yaml_values(text) == json_values(document));
    CHECK(text.find("plain: Running\n") != std::string::npos);
    CHECK(text.find("nothing: null\n") != std::string::npos);
    CHECK(text.find("list: []\n") != std::string::npos);
}

TEST_CASE("JSON text: indented or one line, invalid UTF-8 replaced") {
    nlohmann::ordered_json document{{"a", 1}, {"b", "x\xff"}};
    CHECK(render::to_json_text(document, true) == "{\"a\":1,\"b\":\"x\xef\xbf\xbd\"}\n");
    CHECK(render::to_json_text(document) == "{\n  \"a\": 1,\n  \"b\": \"x\xef\xbf\xbd\"\n}\n");
}
