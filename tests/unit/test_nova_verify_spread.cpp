#include "lib/nova/verify_spread.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace nova;
using fleet::ClusterHealth;
using fleet::RowResult;
using fleet::SplitRule;
using fleet::SpreadVerdict;
using nlohmann::json;

namespace {

fleet::WorkloadCluster cluster(const std::string& name,
                               ClusterHealth health = ClusterHealth::ready) {
    fleet::WorkloadCluster c;
    c.name = name;
    c.health = health;
    c.ready = health == ClusterHealth::ready ? "True" : "False";
    c.standby = health == ClusterHealth::standby ? "True" : "False";
    return c;
}

// A SchedulePolicy as the API returns it: the tutorial's shape, narrowed by `resources`.
json policy_object(const std::string& name, const json& spread,
                   const json& resources = {{"app", "rollouts-demo"}}) {
    json spec = {
        {"namespaceSelector", {{"matchLabels", {{"kubernetes.io/metadata.name", "default"}}}}},
        {"resourceSelectors", {{"labelSelectors", {{{"matchLabels", resources}}}}}},
        {"groupBy", {{"labelKey", "role"}}},
    };
    if (!spread.is_null()) {
        spec["spreadConstraints"] = spread;
    }
    return {{"metadata", {{"name", name}}}, {"spec", spec}};
}

const json divide = {{"topologyKey", "kubernetes.io/metadata.name"}, {"spreadMode", "Divide"}};

json replica_set(const std::string& name, std::int64_t replicas, const std::string& role) {
    return {{"kind", "ReplicaSet"},
            {"metadata",
             {{"name", name},
              {"namespace", "default"},
              {"labels", {{"app", "rollouts-demo"}, {"role", role}}}}},
            {"spec", {{"replicas", replicas}}}};
}

fleet::PlacementObjects control(std::vector<json> policies,
                                std::vector<fleet::WorkloadCluster> clusters) {
    fleet::PlacementObjects objects;
    objects.policies = fleet::parse_schedule_policies(json(policies));
    objects.namespace_labels = {{"kubernetes.io/metadata.name", "default"}};
    objects.clusters = std::move(clusters);
    return objects;
}

rollouts::PodInfo pod(const std::string& name, bool ready, const std::string& status = "Running") {
    rollouts::PodInfo info;
    info.meta.name = name;
    info.status = status;
    info.total_containers = 1;
    info.ready_containers = ready ? 1 : 0;
    return info;
}

// A copy in `cluster` asking for `desired`, with `ready` ready pods (and desired - ready that
// are still being created).
fleet::ClusterReplicaSet copy(const std::string& cluster, std::int64_t desired,
                              std::optional<std::int64_t> ready = std::nullopt) {
    fleet::ClusterReplicaSet c;
    c.cluster = cluster;
    c.desired = desired;
    const auto running = ready.value_or(desired);
    for (std::int64_t i = 0; i < desired; ++i) {
        c.pods.push_back(pod(cluster + "-pod-" + std::to_string(i), i < running,
                             i < running ? "Running" : "ContainerCreating"));
    }
    return c;
}

std::vector<fleet::ClusterReading> read(const std::vector<std::string>& clusters) {
    std::vector<fleet::ClusterReading> readings;
    for (const auto& name : clusters) {
        fleet::ClusterReading reading;
        reading.cluster = name;
        readings.push_back(std::move(reading));
    }
    return readings;
}

fleet::SpreadSubject subject(const std::string& name, std::int64_t replicas,
                             const std::string& role = "stable") {
    fleet::SpreadSubject s;
    s.kind = "ReplicaSet";
    s.name = name;
    s.role = role;
    s.replicas = replicas;
    return s;
}

std::vector<std::int64_t> expected_of(const fleet::SpreadSubject& s) {
    std::vector<std::int64_t> out;
    for (const auto& row : s.rows) {
        out.push_back(row.expected);
    }
    return out;
}

std::vector<std::string> clusters_of(const fleet::SpreadSubject& s) {
    std::vector<std::string> out;
    for (const auto& row : s.rows) {
        out.push_back(row.cluster);
    }
    return out;
}

} // namespace

TEST_CASE("verify-spread: the expected split per cluster, table-driven") {
    struct Case {
        const char* what;
        std::vector<json> policies;
        std::vector<fleet::WorkloadCluster> clusters;
        std::int64_t replicas;
        std::optional<SplitRule> rule;
        std::vector<std::string> row_clusters;
        std::vector<std::int64_t> expected;
        std::int64_t unplaced;
        std::size_t excluded;
        std::size_t problems; // > 0: Nova would not place it as the user thinks (a mismatch)
    };
    const auto two = std::vector{cluster("wlc-1"), cluster("wlc-2")};
    const json at_70_30 = {{"topologyKey", "kubernetes.io/metadata.name"},
                           {"percentageSplit",
                            {{{"topologyValue", "wlc-1"}, {"percentage", 70}},
                             {{"topologyValue", "wlc-2"}, {"percentage", 30}}}}};
    const json duplicate = {{"topologyKey", "kubernetes.io/metadata.name"},
                            {"spreadMode", "Duplicate"}};
    const std::vector<Case> cases = {
        {"10 over 2",
         {policy_object("p", divide)},
         two,
         10,
         SplitRule::divide,
         {"wlc-1", "wlc-2"},
         {5, 5},
         0,
         0,
         0},
        {"3 over 2: the first cluster by name gets the remainder",
         {policy_object("p", divide)},
         std::vector{cluster("wlc-2"), cluster("wlc-1")},
         3,
         SplitRule::divide,
         {"wlc-1", "wlc-2"},
         {2, 1},
         0,
         0,
         0},
        {"5 at 70/30: floored to 3/1, one replica placed nowhere",
         {policy_object("p", at_70_30)},
         two,
         5,
         SplitRule::percentage,
         {"wlc-1", "wlc-2"},
         {3, 1},
         1,
         0,
         0},
        {"a standby cluster is excluded and named",
         {policy_object("p", divide)},
         std::vector{cluster("wlc-1"), cluster("wlc-2"), cluster("wlc-3", ClusterHealth::standby)},
         10,
         SplitRule::divide,
         {"wlc-1", "wlc-2", "wlc-3"},
         {5, 5, 0},
         0,
         1,
         0},
        {"a not-ready cluster is excluded and named",
         {policy_object("p", divide)},
         std::vector{cluster("wlc-1", ClusterHealth::not_ready), cluster("wlc-2"),
                     cluster("wlc-3")},
         9,
         SplitRule::divide,
         {"wlc-1", "wlc-2", "wlc-3"},
         {0, 5, 4},
         0,
         1,
         0},
        {"Duplicate: every cluster runs all",
         {policy_object("p", duplicate)},
         two,
         3,
         SplitRule::duplicate,
         {"wlc-1", "wlc-2"},
         {3, 3},
         0,
         0,
         0},
        {"no matching policy",
         {policy_object("p", divide, {{"app", "other"}})},
         two,
         4,
         std::nullopt,
         {},
         {},
         0,
         0,
         1},
        {"two matching policies",
         {policy_object("a", divide), policy_object("b", duplicate)},
         two,
         4,
         std::nullopt,
         {},
         {},
         0,
         0,
         1},
        {"no eligible cluster",
         {policy_object("p", divide)},
         std::vector{cluster("wlc-1", ClusterHealth::standby)},
         4,
         SplitRule::divide,
         {"wlc-1"},
         {0},
         4,
         1,
         1},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto objects = control(c.policies, c.clusters);
        // Every cluster runs what the model expects, so only policy problems can fail it.
        std::vector<fleet::ClusterReplicaSet> copies;
        std::vector<std::string> names;
        for (const auto& cl : c.clusters) {
            names.push_back(cl.name);
        }
        const auto first = fleet::verify_subject(subject("rs", c.replicas),
                                                 replica_set("rs", c.replicas, "stable"), objects,
                                                 {}, read(names), {});
        for (const auto& row : first.rows) {
            if (row.expected > 0) {
                copies.push_back(copy(row.cluster, row.expected));
            }
        }
        const auto result = fleet::verify_subject(subject("rs", c.replicas),
                                                  replica_set("rs", c.replicas, "stable"), objects,
                                                  copies, read(names), {});
        CHECK(result.rule == c.rule);
        CHECK(clusters_of(result) == c.row_clusters);
        CHECK(expected_of(result) == c.expected);
        CHECK(result.unplaced == c.unplaced);
        CHECK(result.excluded.size() == c.excluded);
        CHECK(result.problems.size() == c.problems);
        CHECK(result.result == (c.problems > 0 ? RowResult::mismatch : RowResult::match));
        if (c.unplaced > 0 && c.problems == 0) {
            CHECK(result.notes.size() == 1);
        }
    }
}

TEST_CASE("verify-spread: the problems name the policies and what to do") {
    const auto two = std::vector{cluster("wlc-1"), cluster("wlc-2")};
    const auto none = fleet::verify_subject(
        subject("rs", 4), replica_set("rs", 4, "stable"),
        control({policy_object("p", divide, {{"app", "other"}})}, two), {}, read({}), {});
    REQUIRE(none.problems.size() == 1);
    CHECK(none.problems[0] ==
          "no SchedulePolicy selects ReplicaSet rs (labels app=rollouts-demo,role=stable), so Nova "
          "places it nowhere: add one whose namespaceSelector and resourceSelectors match it");
    const auto several = fleet::verify_subject(
        subject("rs", 4), replica_set("rs", 4, "stable"),
        control({policy_object("b", divide), policy_object("a", divide)}, two), {}, read({}), {});
    CHECK(several.policies == std::vector<std::string>{"a", "b"});
    REQUIRE(several.problems.size() == 1);
    CHECK(several.problems[0] ==
          "SchedulePolicies a, b all select ReplicaSet rs; Nova does not place an object several "
          "policies select as either of them would: make exactly one match");
    SECTION("a namespace the namespaceSelector does not pick") {
        auto objects = control({policy_object("p", divide)}, two);
        objects.namespace_labels = {{"kubernetes.io/metadata.name", "prod"}};
        const auto result = fleet::verify_subject(subject("rs", 4), replica_set("rs", 4, "stable"),
                                                  objects, {}, read({}), {});
        CHECK(result.policies.empty());
        CHECK(result.result == RowResult::mismatch);
    }
}

TEST_CASE("verify-spread: groupBy role splits stable and canary separately") {
    // setWeight 30 of 10: 7 stable and 3 canary, each divided on its own (4+3 and 2+1), not 5/5.
    const auto objects =
        control({policy_object("p", divide)}, {cluster("wlc-1"), cluster("wlc-2")});
    const auto stable = fleet::verify_subject(
        subject("rs-stable", 7), replica_set("rs-stable", 7, "stable"), objects,
        {copy("wlc-1", 4), copy("wlc-2", 3)}, read({"wlc-1", "wlc-2"}), {});
    const auto canary = fleet::verify_subject(
        subject("rs-canary", 3, "canary"), replica_set("rs-canary", 3, "canary"), objects,
        {copy("wlc-1", 2), copy("wlc-2", 1)}, read({"wlc-1", "wlc-2"}), {});
    CHECK(stable.group == std::optional<std::string>("stable"));
    CHECK(canary.group == std::optional<std::string>("canary"));
    CHECK(stable.group_by == "role");
    CHECK(expected_of(stable) == std::vector<std::int64_t>{4, 3});
    CHECK(expected_of(canary) == std::vector<std::int64_t>{2, 1});
    CHECK(stable.result == RowResult::match);
    CHECK(canary.result == RowResult::match);
}

TEST_CASE("verify-spread: each cluster held against the expectation, with a reason") {
    const auto objects =
        control({policy_object("p", divide)}, {cluster("wlc-1"), cluster("wlc-2")});
    const auto check = [&](std::vector<fleet::ClusterReplicaSet> copies,
                           std::vector<fleet::ClusterReading> readings,
                           fleet::SpreadOptions options = {}, std::int64_t replicas = 10) {
        return fleet::verify_subject(subject("rs", replicas), replica_set("rs", replicas, "stable"),
                                     objects, copies, readings, options);
    };
    const auto both = read({"wlc-1", "wlc-2"});

    SECTION("as expected") {
        const auto s = check({copy("wlc-1", 5), copy("wlc-2", 5)}, both);
        CHECK(s.result == RowResult::match);
        CHECK(s.rows[0].desired == 5);
        CHECK(s.rows[0].ready == 5);
    }
    SECTION("a copy changed by hand") {
        const auto s = check({copy("wlc-1", 6), copy("wlc-2", 5)}, both);
        CHECK(s.result == RowResult::mismatch);
        CHECK(s.rows[0].result == RowResult::mismatch);
        CHECK(s.rows[0].reason == "wlc-1 runs 6 of the expected 5: its copy asks for 6");
        CHECK(s.rows[1].result == RowResult::match);
    }
    SECTION("a copy asking for the wrong number whose pods are not up yet") {
        const auto s = check({copy("wlc-1", 6, 5), copy("wlc-2", 5)}, both);
        CHECK(s.rows[0].reason ==
              "wlc-1 runs the expected 5, but its copy asks for 6; pod wlc-1-pod-5 is "
              "ContainerCreating");
    }
    SECTION("no copy at all") {
        const auto s = check({copy("wlc-1", 5)}, both);
        CHECK(s.rows[1].reason ==
              "wlc-2 runs 0 of the expected 5: it has no copy of ReplicaSet rs");
        CHECK_FALSE(s.rows[1].copy);
    }
    SECTION("a pod that cannot start, with its phase from the cluster") {
        auto failing = copy("wlc-2", 1);
        failing.pods[0] = pod("rollout-demo-845ffbfc68-x7k2p", false, "ImagePullBackOff");
        auto readings = both;
        readings[1].pods.push_back({{"metadata", {{"name", "rollout-demo-845ffbfc68-x7k2p"}}},
                                    {"status", {{"phase", "Pending"}}}});
        const auto s = check({copy("wlc-1", 1), failing}, readings, {}, 2);
        CHECK(s.rows[1].reason == "wlc-2 runs 0 of the expected 1: pod "
                                  "rollout-demo-845ffbfc68-x7k2p is Pending (ImagePullBackOff)");
    }
    SECTION("a cluster the policy does not select runs some") {
        auto readings = read({"wlc-1", "wlc-2", "wlc-9"});
        const auto s = check({copy("wlc-1", 5), copy("wlc-2", 5), copy("wlc-9", 1)}, readings);
        REQUIRE(s.rows.size() == 3);
        CHECK(s.rows[2].reason == "wlc-9 runs 1 of the expected 0: its copy asks for 1, but "
                                  "SchedulePolicy p does not select this cluster");
    }
    SECTION("a cluster that could not be read is unknown, not a mismatch") {
        auto readings = both;
        readings[1].state = fleet::ReadState::unreachable;
        readings[1].error = "connection refused";
        const auto s = check({copy("wlc-1", 5)}, readings);
        CHECK(s.result == RowResult::unknown);
        CHECK(s.rows[1].result == RowResult::unknown);
        CHECK(s.rows[1].missing);
        CHECK(s.rows[1].reason == "wlc-2 could not be read: connection refused");
        CHECK_FALSE(s.rows[1].desired);
    }
    SECTION("a cluster's multi-line or escaping error stays one printable line") {
        auto readings = both;
        readings[1].state = fleet::ReadState::unreachable;
        readings[1].error = "from server (Forbidden): no\n\tway \x1b[31m\n";
        const auto s = check({copy("wlc-1", 5)}, readings);
        CHECK(s.rows[1].reason == "wlc-2 could not be read: from server (Forbidden): no  way "
                                  "U+001B[31m");
    }
    SECTION("--tolerance accepts another remainder rule, not a lost replica") {
        const auto odd = [&](std::vector<fleet::ClusterReplicaSet> copies, bool tolerance) {
            return fleet::verify_subject(subject("rs", 3), replica_set("rs", 3, "stable"), objects,
                                         copies, both, {tolerance})
                .result;
        };
        CHECK(odd({copy("wlc-1", 1), copy("wlc-2", 2)}, false) == RowResult::mismatch);
        CHECK(odd({copy("wlc-1", 1), copy("wlc-2", 2)}, true) == RowResult::match);
        CHECK(odd({copy("wlc-1", 1), copy("wlc-2", 1)}, true) == RowResult::mismatch);
        CHECK(odd({copy("wlc-1", 3)}, true) == RowResult::match); // 3/0 is within ±1 of 2/1
        CHECK(odd({copy("wlc-1", 2), copy("wlc-2", 2)}, true) == RowResult::mismatch);
    }
}

TEST_CASE("verify-spread: a rollout's ReplicaSets and running analysis Jobs") {
    fleet::RolloutView view;
    view.info.meta.name = "rollout-demo";
    view.info.meta.namespace_name = "default";
    rollouts::ReplicaSetInfo stable;
    stable.meta.name = "rs-old";
    stable.stable = true;
    rollouts::ReplicaSetInfo canary;
    canary.meta.name = "rs-new";
    canary.canary = true;
    rollouts::ReplicaSetInfo gone;
    gone.meta.name = "rs-gone";
    view.info.replica_sets = {canary, stable, gone};
    view.join.replica_sets["rs-old"] = {copy("wlc-1", 4), copy("wlc-2", 4)};
    view.join.replica_sets["rs-new"] = {copy("wlc-1", 1), copy("wlc-2", 1)};
    rollouts::AnalysisRunInfo run;
    run.status = "Running";
    rollouts::JobInfo job_info;
    job_info.meta.name = "job-1";
    run.jobs = {job_info};
    view.info.analysis_runs = {run};

    auto objects = control({policy_object("p", divide)}, {cluster("wlc-1"), cluster("wlc-2")});
    objects.replica_sets = {replica_set("rs-old", 8, "stable"), replica_set("rs-new", 2, "canary"),
                            replica_set("rs-gone", 0, "stable")};
    json job = replica_set("job-1", 0, "placeholder");
    job["kind"] = "Job";
    job["spec"] = {{"parallelism", 2}};
    objects.jobs = {job};

    auto readings = read({"wlc-1", "wlc-2"});
    for (auto& reading : readings) {
        reading.jobs.push_back({{"metadata", {{"name", "job-1"}}}, {"spec", {{"parallelism", 1}}}});
        reading.job_pods.push_back(
            {{"metadata",
              {{"name", "job-1-" + reading.cluster}, {"labels", {{"job-name", "job-1"}}}}},
             {"spec", {{"containers", {{{"name", "c"}}}}}},
             {"status",
              {{"phase", "Running"},
               {"containerStatuses",
                {{{"name", "c"}, {"ready", true}, {"state", {{"running", json::object()}}}}}},
               {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}});
    }

    auto report = fleet::verify_spread(view, objects, readings, {});
    REQUIRE(report.subjects.size() == 3); // the 0-replica ReplicaSet runs nowhere
    CHECK(report.subjects[0].role == "canary");
    CHECK(report.subjects[1].role == "stable");
    CHECK(report.subjects[2].kind == "Job");
    CHECK(report.subjects[2].role == "analysis");
    CHECK(expected_of(report.subjects[2]) == std::vector<std::int64_t>{1, 1});
    INFO((report.reasons.empty() ? std::string() : report.reasons.front()));
    CHECK(report.verdict == SpreadVerdict::as_expected);
    CHECK(report.reasons.empty());

    SECTION("a finished Job is no longer checked") {
        objects.jobs[0]["status"] = {{"conditions", {{{"type", "Complete"}, {"status", "True"}}}}};
        CHECK(fleet::verify_spread(view, objects, readings, {}).subjects.size() == 2);
    }
    SECTION("a mismatch wins over a cluster that could not be read") {
        view.join.replica_sets["rs-new"] = {copy("wlc-1", 2)};
        auto partly = readings;
        partly.push_back(read({"wlc-3"})[0]);
        partly.back().state = fleet::ReadState::unreachable;
        partly.back().error = "timeout";
        report = fleet::verify_spread(view, objects, partly, {});
        CHECK(report.verdict == SpreadVerdict::mismatch);
        CHECK(report.missing_clusters == std::vector<std::string>{"wlc-3"});
        CHECK(report.reasons.front() == "wlc-1 runs 2 of the expected 1: its copy asks for 2");
    }
    SECTION("only a cluster that could not be read: incomplete") {
        auto partly = readings;
        partly[1].state = fleet::ReadState::unreachable;
        partly[1].error = "connection refused";
        report = fleet::verify_spread(view, objects, partly, {});
        CHECK(report.verdict == SpreadVerdict::incomplete);
        CHECK(report.missing_clusters == std::vector<std::string>{"wlc-2"});
    }
    SECTION("a standby cluster that cannot be read is planned, not missing") {
        objects.clusters.push_back(cluster("wlc-3", ClusterHealth::standby));
        auto partly = readings;
        partly.push_back(read({"wlc-3"})[0]);
        partly.back().state = fleet::ReadState::unreachable;
        partly.back().info = cluster("wlc-3", ClusterHealth::standby);
        report = fleet::verify_spread(view, objects, partly, {});
        CHECK(report.verdict == SpreadVerdict::as_expected);
    }
}
