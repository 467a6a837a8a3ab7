#include "argo_golden_support.hpp"
#include "lib/rollouts/list_rows.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using nlohmann::json;

TEST_CASE("list rows of the list-test rollouts", "[rollouts]") {
    const auto now = test::argo_golden_now();
    const auto canary = rollouts::rollout_list_row(
        test::load_argo_objects({"argo-list/can-guestbook.yaml"}, now).at(0));
    CHECK(canary == rollouts::RolloutListRow{"test", "can-guestbook", "Canary", "Progressing",
                                             "1/3", "10", "1/4", 5, 3, 2});
    const auto blue_green = rollouts::rollout_list_row(
        test::load_argo_objects({"argo-list/bg-guestbook.yaml"}, now).at(0));
    CHECK(blue_green == rollouts::RolloutListRow{"test", "bg-guestbook", "BlueGreen", "Progressing",
                                                 "-", "-", "1/4", 5, 3, 2});
}

TEST_CASE("list rows: unknown strategy, no step, phase only", "[rollouts]") {
    const auto row = rollouts::rollout_list_row(R"({"metadata": {"name": "x", "namespace": "n"},
        "spec": {"strategy": {}},
        "status": {"phase": "Paused", "message": "CanaryPauseStep"}})"_json);
    CHECK(row.strategy == "unknown");
    CHECK(row.step == "-");
    CHECK(row.set_weight == "-");
    CHECK(row.status == "Paused");
    CHECK(row.ready == "0/0");
    CHECK(row.desired == 1);

    const auto no_index = rollouts::rollout_list_row(R"({"metadata": {"name": "x"},
        "spec": {"strategy": {"canary": {"steps": [{"setWeight": 5}]}}}})"_json);
    CHECK(no_index.step == "-");
    CHECK(no_index.set_weight == "5");
}

TEST_CASE("the watch prints a rollout again only when its row changed", "[rollouts]") {
    rollouts::RolloutListRow row{"ns", "a", "Canary", "Healthy", "-", "100", "1/1", 1, 1, 1};
    rollouts::RolloutRowTracker tracker;
    tracker.remember(row);
    CHECK_FALSE(tracker.changed(row));
    auto other_namespace = row;
    other_namespace.namespace_name = "ns2";
    CHECK(tracker.changed(other_namespace));
    CHECK_FALSE(tracker.changed(other_namespace));
    auto updated = row;
    updated.available = 0;
    CHECK(tracker.changed(updated));
    CHECK_FALSE(tracker.changed(updated));
    CHECK(tracker.changed(row));
}

TEST_CASE("experiment list entries", "[rollouts]") {
    const auto entry = rollouts::experiment_list_entry(R"({
        "metadata": {"name": "e", "namespace": "n", "creationTimestamp": "2024-05-01T10:00:00Z"},
        "spec": {"duration": "1h30m"},
        "status": {"phase": "Running", "availableAt": "2024-05-01T10:05:00Z"}})"_json);
    CHECK(entry.name == "e");
    CHECK(entry.phase == "Running");
    CHECK(entry.duration == std::chrono::minutes(90));
    CHECK(entry.available_at == core::parse_rfc3339("2024-05-01T10:05:00Z"));
    CHECK(entry.created == core::parse_rfc3339("2024-05-01T10:00:00Z"));
    CHECK_FALSE(entry.completed);

    for (const auto* phase : {"Successful", "Failed", "Error", "Inconclusive"}) {
        CHECK(rollouts::experiment_list_entry(json{{"status", {{"phase", phase}}}}).completed);
    }
    CHECK_FALSE(rollouts::experiment_list_entry(R"({"spec": {"duration": "soon"}})"_json).duration);
    CHECK_FALSE(rollouts::experiment_list_entry(R"({"spec": {"duration": "60"}})"_json).duration);
}
