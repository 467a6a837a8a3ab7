// The pure half of lib/cli/verify_spread: the model from gathered data, and the error (and exit
// code) a run ends with.
#include "lib/cli/verify_spread.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace nova;
using nlohmann::json;

namespace {

// The tutorial's rollout with one 4-replica ReplicaSet, placed 2+2 by one policy.
cli::TreeData tutorial_data() {
    cli::TreeData data;
    data.objects.rollouts.push_back(
        {{"kind", "Rollout"},
         {"metadata", {{"name", "demo"}, {"namespace", "default"}, {"uid", "ro-1"}}},
         {"spec",
          {{"replicas", 4},
           {"strategy", {{"canary", json::object()}}},
           {"selector", {{"matchLabels", {{"app", "demo"}}}}}}},
         {"status", {{"stableRS", "abc"}, {"currentPodHash", "abc"}}}});
    data.objects.replica_sets.push_back(
        {{"kind", "ReplicaSet"},
         {"metadata",
          {{"name", "demo-abc"},
           {"namespace", "default"},
           {"uid", "rs-1"},
           {"labels", {{"app", "demo"}, {"rollouts-pod-template-hash", "abc"}}},
           {"ownerReferences", {{{"uid", "ro-1"}, {"kind", "Rollout"}, {"name", "demo"}}}}}},
         {"spec", {{"replicas", 4}}}});
    data.schedule_policies.push_back(
        {{"metadata", {{"name", "p"}}},
         {"spec",
          {{"namespaceSelector", json::object()},
           {"resourceSelectors", {{"labelSelectors", {{{"matchLabels", {{"app", "demo"}}}}}}}},
           {"spreadConstraints", {{"topologyKey", "kubernetes.io/metadata.name"}}}}}});
    for (const char* name : {"wlc-1", "wlc-2"}) {
        data.clusters.push_back(
            {{"metadata", {{"name", name}}},
             {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}});
        fleet::ClusterReading reading;
        reading.cluster = name;
        reading.replica_sets.push_back({{"metadata",
                                         {{"name", "demo-abc"},
                                          {"uid", std::string("copy-") + name},
                                          {"labels", {{"rollouts-pod-template-hash", "abc"}}}}},
                                        {"spec", {{"replicas", 2}}}});
        data.readings.push_back(std::move(reading));
    }
    return data;
}

} // namespace

TEST_CASE("verify-spread's model from gathered data", "[cli][verify-spread]") {
    auto data = tutorial_data();
    const auto report = cli::spread_report(data, "demo", {});
    REQUIRE(report.subjects.size() == 1);
    CHECK(report.subjects[0].role == "stable");
    REQUIRE(report.subjects[0].rows.size() == 2);
    CHECK(report.subjects[0].rows[0].expected == 2);
    CHECK(report.subjects[0].rows[0].desired == 2);
    // No pods yet: the copies ask for the right number, none runs.
    CHECK(report.verdict == fleet::SpreadVerdict::mismatch);
    const auto error = cli::spread_error(report);
    REQUIRE(error);
    CHECK(error->code() == core::ExitCode::bad_state);
    CHECK(std::string(error->what()) ==
          "rollout \"demo\" is not spread as expected: wlc-1 runs 0 of the expected 2: no pod "
          "there yet (and 1 more)");

    SECTION("a rollout that does not exist is exit 1") {
        try {
            (void)cli::spread_report(data, "other", {});
            FAIL("no error");
        } catch (const core::Error& e) {
            CHECK(e.code() == core::ExitCode::failure);
        }
    }
    SECTION("without Nova's clusters nothing can be expected: exit 5") {
        data.clusters_unknown = true;
        try {
            (void)cli::spread_report(data, "demo", {});
            FAIL("no error");
        } catch (const core::Error& e) {
            CHECK(e.code() == core::ExitCode::incomplete);
        }
    }
    SECTION("a cluster that could not be read is exit 5, with its reason") {
        auto incomplete = report;
        incomplete.verdict = fleet::SpreadVerdict::incomplete;
        incomplete.subjects[0].rows[1].missing = true;
        incomplete.subjects[0].rows[1].reason = "wlc-2 could not be read: connection refused";
        const auto e = cli::spread_error(incomplete);
        REQUIRE(e);
        CHECK(e->code() == core::ExitCode::incomplete);
        CHECK(std::string(e->what()) == "incomplete: wlc-2 could not be read: connection refused");
    }
    SECTION("as expected: no error") {
        auto fine = report;
        fine.verdict = fleet::SpreadVerdict::as_expected;
        CHECK_FALSE(cli::spread_error(fine));
    }
}
