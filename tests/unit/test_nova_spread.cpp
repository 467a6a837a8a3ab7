#include "lib/nova/spread.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace nova;
using fleet::ClusterHealth;
using fleet::Exclusion;
using fleet::ReplicaCounts;
using fleet::SplitRule;
using fleet::SpreadMode;

namespace {

constexpr const char* name_key = "kubernetes.io/metadata.name";
constexpr const char* region_key = "nova.elotl.co/cluster.region";

fleet::WorkloadCluster cluster(const std::string& name, ClusterHealth health = ClusterHealth::ready,
                               const std::string& region = "") {
    fleet::WorkloadCluster c;
    c.name = name;
    c.labels = {{name_key, name}};
    c.region = region;
    c.health = health;
    c.ready = health == ClusterHealth::ready ? "True" : "False";
    c.standby = health == ClusterHealth::standby ? "True" : "False";
    return c;
}

// A policy with the given spread; no clusterSelector (every cluster).
fleet::SchedulePolicy spread_policy(SpreadMode mode, const std::string& topology_key = name_key,
                                    std::vector<fleet::PercentageShare> percentages = {}) {
    fleet::SchedulePolicy p;
    p.name = "p";
    p.spread = fleet::SpreadConstraints{topology_key, mode, std::move(percentages)};
    return p;
}

const auto divide = spread_policy(SpreadMode::divide);

} // namespace

TEST_CASE("divide_evenly: the remainder goes to the first parts") {
    CHECK(fleet::divide_evenly(10, 2) == std::vector<std::int64_t>{5, 5});
    CHECK(fleet::divide_evenly(3, 2) == std::vector<std::int64_t>{2, 1});
    CHECK(fleet::divide_evenly(10, 3) == std::vector<std::int64_t>{4, 3, 3});
    CHECK(fleet::divide_evenly(2, 3) == std::vector<std::int64_t>{1, 1, 0});
    CHECK(fleet::divide_evenly(0, 2) == std::vector<std::int64_t>{0, 0});
    CHECK(fleet::divide_evenly(-4, 2) == std::vector<std::int64_t>{0, 0});
    CHECK(fleet::divide_evenly(5, 0).empty());
}

TEST_CASE("eligible clusters: selected and Ready, standby and not-ready named with a reason") {
    auto down = cluster("wlc-3", ClusterHealth::not_ready);
    down.ready_reason = "AgentLost";
    down.ready_message = "no heartbeat for 5m";
    auto unknown = cluster("wlc-5", ClusterHealth::unknown);
    unknown.ready = "";
    auto unlabelled = cluster("wlc-6");
    unlabelled.labels = {{"team", "a"}}; // kubernetes.io/metadata.name is implied by the name
    const std::vector<fleet::WorkloadCluster> clusters = {
        cluster("wlc-2"), cluster("wlc-4", ClusterHealth::standby), down, cluster("wlc-1"), unknown,
        unlabelled,
    };
    auto policy = spread_policy(SpreadMode::divide);
    policy.cluster_selector = core::LabelSelector::parse(
        "kubernetes.io/metadata.name in (wlc-1,wlc-2,wlc-3,wlc-4,wlc-5,wlc-6)");

    const auto result = fleet::eligible_clusters(policy, clusters);
    std::vector<std::string> eligible;
    for (const auto& c : result.eligible) {
        eligible.push_back(c.name);
    }
    CHECK(eligible == std::vector<std::string>{"wlc-1", "wlc-2", "wlc-6"});
    const std::vector<fleet::ExcludedCluster> excluded = {
        {"wlc-3", Exclusion::not_ready, "Ready=False (AgentLost: no heartbeat for 5m)"},
        {"wlc-4", Exclusion::standby, "Ready=False, Standby=True"},
        {"wlc-5", Exclusion::health_unknown, "Ready=(none)"},
    };
    CHECK(result.excluded == excluded);

    SECTION("a cluster the selector does not pick is in neither list") {
        policy.cluster_selector = core::LabelSelector::parse("kubernetes.io/metadata.name=wlc-1");
        const auto narrowed = fleet::eligible_clusters(policy, clusters);
        REQUIRE(narrowed.eligible.size() == 1);
        CHECK(narrowed.eligible[0].name == "wlc-1");
        CHECK(narrowed.excluded.empty());
    }
    SECTION("a cluster without the topologyKey label is in no domain") {
        const auto by_region =
            fleet::eligible_clusters(spread_policy(SpreadMode::divide, region_key),
                                     {cluster("a", ClusterHealth::ready, "us-east"), cluster("b")});
        REQUIRE(by_region.eligible.size() == 1);
        CHECK(by_region.excluded ==
              std::vector<fleet::ExcludedCluster>{
                  {"b", Exclusion::no_topology_value, "no label nova.elotl.co/cluster.region"}});
        CHECK(fleet::to_string(Exclusion::no_topology_value) == "NoTopologyValue");
    }
}

TEST_CASE("topology domains by a Cluster label, in value order") {
    const std::vector<fleet::WorkloadCluster> clusters = {
        cluster("c", ClusterHealth::ready, "us-west"), cluster("b", ClusterHealth::ready, "eu"),
        cluster("a", ClusterHealth::ready, "us-west"), cluster("d")};
    const std::vector<fleet::TopologyDomain> by_region = {{"eu", {"b"}}, {"us-west", {"a", "c"}}};
    CHECK(fleet::topology_domains(region_key, clusters) == by_region);
    CHECK(fleet::topology_domains(name_key, clusters).size() == 4);
}

TEST_CASE("expected split, table-driven") {
    struct Case {
        const char* what;
        fleet::SchedulePolicy policy;
        std::vector<fleet::WorkloadCluster> clusters; // before eligibility
        std::int64_t replicas;
        SplitRule rule;
        ReplicaCounts expected;
        std::int64_t unplaced;
    };
    const auto two = std::vector{cluster("wlc-1"), cluster("wlc-2")};
    const auto at_70_30 =
        spread_policy(SpreadMode::divide, name_key, {{"wlc-1", 70}, {"wlc-2", 30}});
    fleet::SchedulePolicy unspread;
    unspread.name = "one";

    const std::vector<Case> cases = {
        {"10 over 2 clusters", divide, two, 10, SplitRule::divide, {{"wlc-1", 5}, {"wlc-2", 5}}, 0},
        {"3 over 2: the first cluster by name gets the extra one",
         divide,
         std::vector{cluster("wlc-2"), cluster("wlc-1")},
         3,
         SplitRule::divide,
         {{"wlc-1", 2}, {"wlc-2", 1}},
         0},
        {"5 at 70/30 floors to 3/1 and drops one, as Nova documents",
         at_70_30,
         two,
         5,
         SplitRule::percentage,
         {{"wlc-1", 3}, {"wlc-2", 1}},
         1},
        {"10 at 70/30", at_70_30, two, 10, SplitRule::percentage, {{"wlc-1", 7}, {"wlc-2", 3}}, 0},
        {"a standby cluster gets nothing",
         divide,
         std::vector{cluster("wlc-1"), cluster("wlc-2"), cluster("wlc-3", ClusterHealth::standby)},
         10,
         SplitRule::divide,
         {{"wlc-1", 5}, {"wlc-2", 5}},
         0},
        {"a not-ready cluster gets nothing",
         divide,
         std::vector{cluster("wlc-1", ClusterHealth::not_ready), cluster("wlc-2"),
                     cluster("wlc-3")},
         9,
         SplitRule::divide,
         {{"wlc-2", 5}, {"wlc-3", 4}},
         0},
        {"Duplicate: every cluster runs all",
         spread_policy(SpreadMode::duplicate),
         std::vector{cluster("wlc-1"), cluster("wlc-2"), cluster("wlc-3")},
         3,
         SplitRule::duplicate,
         {{"wlc-1", 3}, {"wlc-2", 3}, {"wlc-3", 3}},
         0},
        {"Duplicate ignores percentageSplit",
         spread_policy(SpreadMode::duplicate, name_key, {{"wlc-1", 70}}),
         two,
         4,
         SplitRule::duplicate,
         {{"wlc-1", 4}, {"wlc-2", 4}},
         0},
        {"0 replicas", divide, two, 0, SplitRule::divide, {{"wlc-1", 0}, {"wlc-2", 0}}, 0},
        {"more clusters than replicas",
         divide,
         std::vector{cluster("wlc-1"), cluster("wlc-2"), cluster("wlc-3")},
         2,
         SplitRule::divide,
         {{"wlc-1", 1}, {"wlc-2", 1}, {"wlc-3", 0}},
         0},
        {"by region, then evenly within a region",
         spread_policy(SpreadMode::divide, region_key),
         std::vector{cluster("a", ClusterHealth::ready, "us-west"),
                     cluster("b", ClusterHealth::ready, "eu"),
                     cluster("c", ClusterHealth::ready, "us-west")},
         11,
         SplitRule::divide,
         {{"a", 3}, {"b", 6}, {"c", 2}},
         0},
        {"percentage per region, then evenly within it",
         spread_policy(SpreadMode::divide, region_key, {{"us-west", 50}, {"eu", 50}}),
         std::vector{cluster("a", ClusterHealth::ready, "us-west"),
                     cluster("b", ClusterHealth::ready, "eu"),
                     cluster("c", ClusterHealth::ready, "us-west")},
         10,
         SplitRule::percentage,
         {{"a", 3}, {"b", 5}, {"c", 2}},
         0},
        {"the share of a value with no eligible cluster is unplaced",
         at_70_30,
         std::vector{cluster("wlc-1"), cluster("wlc-2", ClusterHealth::standby)},
         10,
         SplitRule::percentage,
         {{"wlc-1", 7}},
         3},
        {"a domain without a percentage gets nothing",
         spread_policy(SpreadMode::divide, name_key, {{"wlc-1", 60}}),
         two,
         10,
         SplitRule::percentage,
         {{"wlc-1", 6}, {"wlc-2", 0}},
         4},
        {"no eligible cluster: all unplaced",
         divide,
         std::vector{cluster("wlc-1", ClusterHealth::standby)},
         4,
         SplitRule::divide,
         {},
         4},
        {"no spreadConstraints: one cluster (the first by name in this model)",
         unspread,
         std::vector{cluster("wlc-2"), cluster("wlc-1")},
         4,
         SplitRule::one_cluster,
         {{"wlc-1", 4}, {"wlc-2", 0}},
         0},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto eligible = fleet::eligible_clusters(c.policy, c.clusters).eligible;
        const auto split = fleet::expected_split(c.policy, eligible, c.replicas);
        CHECK(split.rule == c.rule);
        CHECK(split.replicas == c.expected);
        CHECK(split.unplaced == c.unplaced);
        CHECK(fleet::matches_exactly(split, c.expected));
        CHECK(fleet::within_tolerance(split, c.expected));
    }
}

TEST_CASE("groupBy role: stable and canary ReplicaSets are each split on their own") {
    // The tutorial's rollout at setWeight 30 of 10: role=stable 7, role=canary 3. Two groups,
    // each divided with the remainder on wlc-1, so wlc-1 runs 6 pods and wlc-2 runs 4; one group
    // of 10 would have been 5/5.
    const auto eligible =
        fleet::eligible_clusters(divide, {cluster("wlc-1"), cluster("wlc-2")}).eligible;
    const auto stable = fleet::expected_split(divide, eligible, 7);
    const auto canary = fleet::expected_split(divide, eligible, 3);
    CHECK(stable.replicas == ReplicaCounts{{"wlc-1", 4}, {"wlc-2", 3}});
    CHECK(canary.replicas == ReplicaCounts{{"wlc-1", 2}, {"wlc-2", 1}});

    // The tutorial's own numbers (setWeight 20): 2 canaries, one per cluster; 8 stable, 4 each.
    CHECK(fleet::expected_split(divide, eligible, 2).replicas ==
          ReplicaCounts{{"wlc-1", 1}, {"wlc-2", 1}});
    CHECK(fleet::expected_split(divide, eligible, 8).replicas ==
          ReplicaCounts{{"wlc-1", 4}, {"wlc-2", 4}});
}

TEST_CASE("within_tolerance and matches_exactly, table-driven") {
    const auto eligible =
        fleet::eligible_clusters(divide, {cluster("a"), cluster("b"), cluster("c")}).eligible;
    const auto three_over_3 = fleet::expected_split(divide, eligible, 4); // 2/1/1
    const auto at_70_30 = fleet::expected_split(
        spread_policy(SpreadMode::divide, name_key, {{"a", 70}, {"b", 30}}), eligible, 5); // 3/1/0
    const auto duplicated =
        fleet::expected_split(spread_policy(SpreadMode::duplicate), eligible, 2); // 2/2/2
    fleet::SchedulePolicy unspread;
    const auto one = fleet::expected_split(unspread, eligible, 3); // 3 on any one

    struct Case {
        const char* what;
        const fleet::ExpectedSplit& expected;
        ReplicaCounts actual;
        bool exact;
        bool tolerated;
    };
    const std::vector<Case> cases = {
        {"exact", three_over_3, {{"a", 2}, {"b", 1}, {"c", 1}}, true, true},
        {"a missing cluster counts as 0", three_over_3, {{"a", 2}, {"b", 2}}, false, true},
        {"another remainder rule", three_over_3, {{"a", 1}, {"b", 1}, {"c", 2}}, false, true},
        {"off by two", three_over_3, {{"a", 0}, {"b", 2}, {"c", 2}}, false, false},
        {"a replica short", three_over_3, {{"a", 2}, {"b", 1}, {"c", 0}}, false, false},
        {"a replica on a cluster the policy excludes",
         three_over_3,
         {{"a", 2}, {"b", 1}, {"c", 0}, {"d", 1}},
         false,
         false},
        {"an ineligible cluster at 0 is fine",
         three_over_3,
         {{"a", 2}, {"b", 1}, {"c", 1}, {"d", 0}},
         true,
         true},
        {"70/30 floored", at_70_30, {{"a", 3}, {"b", 1}}, true, true},
        {"70/30 with the dropped replica placed after all",
         at_70_30,
         {{"a", 3}, {"b", 2}},
         false,
         false},
        {"Duplicate must be exact", duplicated, {{"a", 2}, {"b", 2}, {"c", 2}}, true, true},
        {"Duplicate off by one", duplicated, {{"a", 3}, {"b", 1}, {"c", 2}}, false, false},
        {"one cluster: any eligible one", one, {{"b", 3}}, true, true},
        {"one cluster: not split", one, {{"a", 2}, {"b", 1}}, false, false},
        {"one cluster: not an ineligible one", one, {{"z", 3}}, false, false},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        CHECK(fleet::matches_exactly(c.expected, c.actual) == c.exact);
        CHECK(fleet::within_tolerance(c.expected, c.actual) == c.tolerated);
    }
    CHECK(fleet::to_string(SplitRule::percentage) == "PercentageSplit");
}
