#include "argo_golden_support.hpp"
#include "lib/render/rollout_view.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace nova;

namespace {

const auto now = test::argo_golden_now();
const render::Palette color(true);
const render::Palette no_color(false);

std::string strip_escapes(const std::string& text) {
    static const std::regex escape("\x1b\\[[0-9;]*m");
    return std::regex_replace(text, escape, "");
}

std::string rollout_output(std::string_view folder, std::string_view name,
                           const render::Palette& palette) {
    return render::render_rollout(
        rollouts::build_rollout_info(test::argo_fixture(folder, now), name), palette, now);
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("colour output: canary", "[render]") {
    const auto out = rollout_output("canary", "canary-demo", color);
    CHECK(contains(out, "Status:          \x1b[31m\u2716\x1b[0m Degraded\n"));
    CHECK(contains(out, "Images:          argoproj/rollouts-demo:does-not-exist "
                        "(\x1b[33mcanary\x1b[0m)\n"));
    CHECK(contains(out, "\u2502  \u2514\u2500\u2500\u29c9 \x1b[33mcanary-demo-65fb5ffc84\x1b[0m"));
    CHECK(contains(out, "\x1b[94m\u25cc\x1b[0m Progressing"));
    CHECK(contains(out, "\x1b[33mcanary\x1b[0m\n"));
    CHECK(contains(out, "\x1b[32m\u2714\x1b[0m Running"));
    CHECK(contains(out, "\x1b[31m\u26a0\x1b[0m ImagePullBackOff"));
    CHECK(contains(out, "\x1b[0m\u2022\x1b[0m ScaledDown"));
    // Colour never changes the layout.
    CHECK(strip_escapes(out) == rollout_output("canary", "canary-demo", no_color));
}

TEST_CASE("colour output: blue-green, nested tag colours", "[render]") {
    const auto out = rollout_output("blue-green", "bluegreen-demo", color);
    CHECK(contains(out, "Status:          \x1b[0m\u0965\x1b[0m Paused\n"));
    CHECK(contains(out, "argoproj/rollouts-demo:blue (\x1b[32mstable\x1b[0m, "
                        "\x1b[32mactive\x1b[0m)\n"));
    CHECK(contains(out, "\u29c9 \x1b[32m\x1b[32mbluegreen-demo-6cbccd9f99\x1b[0m\x1b[0m"));
    CHECK(contains(out, "\x1b[32mstable\x1b[0m,\x1b[32mactive\x1b[0m\n"));
    CHECK(contains(out, "\u29c9 \x1b[94mbluegreen-demo-74b948fccb\x1b[0m"));
    CHECK(strip_escapes(out) == rollout_output("blue-green", "bluegreen-demo", no_color));
}

TEST_CASE("colour output: analysis runs, experiments and jobs", "[render]") {
    const auto out = rollout_output("experiment-analysis", "rollout-experiment-analysis", color);
    CHECK(contains(out, "\u03a3 \x1b[94mrollout-experiment-analysis-6f646bf7b7-1-vcv27\x1b[0m"));
    CHECK(contains(out, "\u03b1 \x1b[0mrollout-experiment-analysis-random-fail-6f646bf7b7-skqcr"
                        "\x1b[0m"));
    CHECK(contains(out, "\x1b[33m?\x1b[0m Inconclusive"));
    CHECK(contains(out, "\x1b[32m\u2714\x1b[0m 4,\x1b[31m\u2716\x1b[0m 4,\x1b[33m?\x1b[0m 1,"
                        "\x1b[31m\u26a0\x1b[0m 1\n"));
    CHECK(contains(out, "\u229e \x1b[0mrollout-experiment-analysis-random-fail-6f646bf7b7-skqcr-"
                        "rzl6lt\x1b[0m"));
    CHECK(strip_escapes(out) ==
          rollout_output("experiment-analysis", "rollout-experiment-analysis", no_color));

    const auto experiment = render::render_experiment(
        rollouts::build_experiment_info(test::argo_fixture("experiment-analysis", now),
                                        "rollout-experiment-analysis-6f646bf7b7-1-vcv27"),
        color, now);
    CHECK(experiment.starts_with("Name:            rollout-experiment-analysis-6f646bf7b7-1-vcv27\n"
                                 "Namespace:       jesse-test\n"
                                 "Status:          \x1b[94m\u25cc\x1b[0m Running\n"));
}

TEST_CASE("pod restarts, job without start time, experiment message", "[render]") {
    rollouts::ObjectSet objects;
    objects.add(R"({"kind": "Rollout", "metadata": {"name": "r", "namespace": "ns", "uid": "u",
        "creationTimestamp": "2025-06-02T10:00:00Z"},
        "spec": {"replicas": 1, "strategy": {"blueGreen": {}}},
        "status": {"phase": "Healthy", "replicas": 1, "updatedReplicas": 1,
                   "readyReplicas": 1, "availableReplicas": 1}})"_json);
    objects.add(R"({"kind": "ReplicaSet", "metadata": {"name": "r-1", "uid": "rs",
        "creationTimestamp": "2025-06-02T10:00:00Z",
        "annotations": {"rollout.argoproj.io/revision": "1", "scale-down-deadline": "soon"},
        "labels": {"rollouts-pod-template-hash": "h1"},
        "ownerReferences": [{"uid": "u"}]},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"image": "app:1"}]}}},
        "status": {"replicas": 1, "availableReplicas": 1}})"_json);
    objects.add(R"({"kind": "Pod", "metadata": {"name": "r-1-a",
        "creationTimestamp": "2025-06-02T10:20:00Z", "ownerReferences": [{"uid": "rs"}]},
        "spec": {"containers": [{"name": "c"}]},
        "status": {"phase": "Running", "containerStatuses": [
            {"ready": true, "restartCount": 3, "state": {"running": {}}}]}})"_json);
    objects.add(R"({"kind": "AnalysisRun", "metadata": {"name": "run", "uid": "ar",
        "creationTimestamp": "2025-06-02T10:20:30Z",
        "annotations": {"rollout.argoproj.io/revision": "1"}, "ownerReferences": [{"uid": "u"}]},
        "status": {"phase": "Pending", "metricResults": [{"name": "m",
            "measurements": [{"phase": "Pending", "metadata": {"job-name": "job"}}]}]}})"_json);
    const auto out =
        render::render_rollout(rollouts::build_rollout_info(objects, "r"), no_color, now);
    CHECK(out == "Name:            r\n"
                 "Namespace:       ns\n"
                 "Status:          \u2714 Healthy\n"
                 "Strategy:        BlueGreen\n"
                 "Images:          app:1\n"
                 "Replicas:\n"
                 "  Desired:       1\n"
                 "  Current:       1\n"
                 "  Updated:       1\n"
                 "  Ready:         1\n"
                 "  Available:     1\n"
                 "\n"
                 "NAME              KIND         STATUS     AGE   INFO\n"
                 "\u27f3 r               Rollout      \u2714 Healthy  20m   \n"
                 "\u2514\u2500\u2500# revision:1                                 \n"
                 "   \u251c\u2500\u2500\u29c9 r-1       ReplicaSet   \u2714 Healthy  20m   delay:\n"
                 "   \u2502  \u2514\u2500\u2500\u25a1 r-1-a  Pod          \u2714 Running  30s   "
                 "ready:1/1,restarts:3\n"
                 "   \u2514\u2500\u2500\u03b1 run       AnalysisRun  \u25f7 Pending  0s    \n"
                 "      \u2514\u2500\u2500\u229e job    Job          \u25f7 Pending  292y  \n");

    objects.experiments.push_back(R"({"kind": "Experiment", "metadata": {"name": "e",
        "namespace": "ns", "creationTimestamp": "2025-06-02T10:20:00Z"},
        "status": {"phase": "Failed", "message": "metric failed"}})"_json);
    CHECK(render::render_experiment(rollouts::build_experiment_info(objects, "e"), no_color, now) ==
          "Name:            e\n"
          "Namespace:       ns\n"
          "Status:          \u2716 Failed\n"
          "Message:         metric failed\n"
          "\n"
          "NAME  KIND        STATUS    AGE  INFO\n"
          "\u03a3 e   Experiment  \u2716 Failed  30s  \n");
}

TEST_CASE("ages as argo computes them", "[render]") {
    const auto created = std::chrono::floor<std::chrono::seconds>(now) - std::chrono::hours(24 * 7);
    CHECK(render::age_at(created, now) == "7d");
    CHECK(render::age_at(created + std::chrono::hours(24 * 7) + std::chrono::seconds(1), now) ==
          "0s"); // half a second ahead: Go truncates -0.5s to 0
    CHECK(render::age_at(created + std::chrono::hours(24 * 7) + std::chrono::seconds(3), now) ==
          "<invalid>");
    CHECK(render::age_at(std::nullopt, now) == "292y");
}

TEST_CASE("header lines pad labels to 17", "[render]") {
    CHECK(render::header_line("  Step:", "") == "  Step:          \n");
    CHECK(render::header_line("", "x") == std::string(17, ' ') + "x\n");
    CHECK(render::format_image({"img", {}}, color) == "img");
    CHECK(render::format_image({"img", {"\u03a3:t", "stable"}}, no_color) ==
          "img (\u03a3:t, stable)");
}
