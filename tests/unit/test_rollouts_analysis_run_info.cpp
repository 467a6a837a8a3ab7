#include "lib/rollouts/analysis_run_info.hpp"
#include "lib/rollouts/icons.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

namespace {

json run(const std::string& name, int revision, const std::string& created) {
    return json{{"kind", "AnalysisRun"},
                {"metadata",
                 {{"name", name},
                  {"namespace", "ns"},
                  {"creationTimestamp", created},
                  {"annotations", {{"rollout.argoproj.io/revision", std::to_string(revision)}}},
                  {"ownerReferences", {{{"uid", "owner"}}}}}},
                {"status", {{"phase", "Running"}}}};
}

} // namespace

TEST_CASE("an AnalysisRun's counters and jobs come from its metric results", "[rollouts]") {
    auto object = run("r", 2, "2024-05-01T10:00:00Z");
    object["status"]["phase"] = "Inconclusive";
    object["status"]["metricResults"] = R"([
        {"name": "web", "successful": 2, "failed": 1, "measurements": [
            {"phase": "Successful", "startedAt": "2024-05-01T10:01:00Z",
             "metadata": {"job-name": "job-1"}},
            {"phase": "Failed", "metadata": {"job-name": "job-2", "job-namespace": "jobs"}},
            {"phase": "Successful", "value": "0.9", "startedAt": "2024-05-01T10:02:00Z"},
            {"phase": "Error", "metadata": {"other": "x"}}
        ]},
        {"name": "cpu", "inconclusive": 1, "error": 3, "measurements": [
            {"phase": "Running", "metadata": {"job-name": "job-3"}}
        ]},
        {"name": "web", "successful": 1, "measurements": [
            {"phase": "Failed", "metadata": {"job-name": "never-read"}}
        ]}
    ])"_json;
    const auto info = make_analysis_run_info(object);
    CHECK(info.status == "Inconclusive");
    CHECK(info.icon == icons::unknown);
    CHECK(info.revision == 2);
    CHECK(info.successful == 3);
    CHECK(info.failed == 1);
    CHECK(info.inconclusive == 1);
    CHECK(info.error == 3);

    // A repeated metric name reads the measurements of its first result again.
    REQUIRE(info.jobs.size() == 5);
    CHECK(info.jobs[0].meta.name == "job-1");
    CHECK(info.jobs[0].meta.namespace_name == "ns");
    CHECK(info.jobs[0].meta.created == nova::core::parse_rfc3339("2024-05-01T10:01:00Z"));
    CHECK(info.jobs[0].status == "Successful");
    CHECK(info.jobs[0].icon == icons::ok);
    CHECK(info.jobs[0].metric_name == "web");
    CHECK(info.jobs[1].meta.name == "job-2");
    CHECK(info.jobs[1].meta.namespace_name == "jobs");
    CHECK_FALSE(info.jobs[1].meta.created);
    CHECK(info.jobs[2].meta.name == "job-3");
    CHECK(info.jobs[3].meta.name == "job-1");
    CHECK(info.jobs[4].meta.name == "job-2");

    REQUIRE(info.measurements.size() == 2);
    CHECK(info.measurements[0].value == "0.9");
    CHECK(info.measurements[0].metric_name == "web");
}

TEST_CASE("runs sort by revision, creation time, then name descending", "[rollouts]") {
    ObjectSet objects;
    objects.add(run("a", 1, "2024-05-01T10:00:00Z"));
    objects.add(run("b", 1, "2024-05-01T10:00:00Z"));
    objects.add(run("c", 1, "2024-05-01T09:00:00Z"));
    objects.add(run("d", 2, "2024-05-01T11:00:00Z"));
    auto foreign = run("e", 3, "2024-05-01T10:00:00Z");
    foreign["metadata"]["ownerReferences"][0]["uid"] = "someone-else";
    objects.add(foreign);
    const auto infos = analysis_run_infos("owner", objects);
    REQUIRE(infos.size() == 4);
    CHECK(infos[0].meta.name == "d");
    CHECK(infos[1].meta.name == "c");
    CHECK(infos[2].meta.name == "b");
    CHECK(infos[3].meta.name == "a");
}
