#include "lib/core/error.hpp"
#include "lib/core/yaml.hpp"
#include "lib/nova/schedule_policy.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace nova;
using fleet::SpreadMode;

namespace {

// Elotl's examples/argo-rollouts/schedule_policy_canary.yaml, as the tutorial applies it.
constexpr const char* tutorial_policy = R"(
apiVersion: policy.elotl.co/v1alpha1
kind: SchedulePolicy
metadata:
  name: rollouts-demo-policy
spec:
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: default
  clusterSelector:
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values: [wlc-1, wlc-2]
  spreadConstraints:
    topologyKey: kubernetes.io/metadata.name
    spreadMode: Divide
  resourceSelectors:
    labelSelectors:
      - matchExpressions:
          - key: app
            operator: In
            values: [rollouts-demo]
          - key: role
            operator: Exists
          - key: base-template
            operator: DoesNotExist
  groupBy:
    labelKey: role
)";

nlohmann::json yaml(const char* text) {
    return core::parse_yaml_documents(text).at(0);
}

// A minimal valid policy to break one field of.
nlohmann::json policy(const std::string& name,
                      nlohmann::json spec_patch = nlohmann::json::object()) {
    nlohmann::json spec = {
        {"namespaceSelector", {{"matchLabels", {{"kubernetes.io/metadata.name", "default"}}}}},
        {"resourceSelectors", {{"labelSelectors", {{{"matchLabels", {{"app", "demo"}}}}}}}},
    };
    spec.merge_patch(spec_patch);
    return {{"apiVersion", "policy.elotl.co/v1alpha1"},
            {"kind", "SchedulePolicy"},
            {"metadata", {{"name", name}}},
            {"spec", spec}};
}

nlohmann::json object(const std::string& ns, const core::Labels& labels) {
    nlohmann::json metadata = {{"name", "obj"}, {"labels", labels}};
    if (!ns.empty()) {
        metadata["namespace"] = ns;
    }
    return {{"kind", "ReplicaSet"}, {"metadata", metadata}};
}

const core::Labels default_ns = {{"kubernetes.io/metadata.name", "default"}};

std::vector<std::string> names(const std::vector<fleet::SchedulePolicy>& policies) {
    std::vector<std::string> result;
    for (const auto& p : policies) {
        result.push_back(p.name);
    }
    return result;
}

} // namespace

TEST_CASE("the tutorial's canary SchedulePolicy") {
    const auto parsed = fleet::parse_schedule_policy(yaml(tutorial_policy));
    CHECK(parsed.name == "rollouts-demo-policy");
    CHECK(parsed.namespace_selector.to_string() == "kubernetes.io/metadata.name=default");
    REQUIRE(parsed.resource_selectors.size() == 1);
    CHECK(parsed.resource_selectors[0].to_string() == "app in (rollouts-demo),!base-template,role");
    CHECK(parsed.cluster_selector.to_string() == "kubernetes.io/metadata.name in (wlc-1,wlc-2)");
    CHECK(parsed.group_by == "role");
    REQUIRE(parsed.spread.has_value());
    CHECK(parsed.spread->topology_key == "kubernetes.io/metadata.name");
    CHECK(parsed.spread->mode == SpreadMode::divide);
    CHECK(parsed.spread->percentage_split.empty());
}

TEST_CASE("SchedulePolicy defaults: Divide, no grouping, every cluster, no spread") {
    const auto bare = fleet::parse_schedule_policy(policy("bare"));
    CHECK(bare.group_by.empty());
    CHECK(bare.cluster_selector.empty());
    CHECK_FALSE(bare.spread.has_value());

    const auto no_mode =
        fleet::parse_schedule_policy(policy("p", {{"spreadConstraints", {{"topologyKey", "k"}}}}));
    REQUIRE(no_mode.spread.has_value());
    CHECK(no_mode.spread->mode == SpreadMode::divide);
    CHECK(fleet::to_string(SpreadMode::duplicate) == "Duplicate");
}

TEST_CASE("percentageSplit as the CRD's list and as the docs' map") {
    const auto as_list = fleet::parse_schedule_policy(
        policy("p", {{"spreadConstraints",
                      {{"topologyKey", "kubernetes.io/metadata.name"},
                       {"percentageSplit",
                        {{{"topologyValue", "wlc-1"}, {"percentage", 70}},
                         {{"topologyValue", "wlc-2"}, {"percentage", 30}}}}}}}));
    const std::vector<fleet::PercentageShare> expected = {{"wlc-1", 70}, {"wlc-2", 30}};
    CHECK(as_list.spread->percentage_split == expected);

    const auto as_map = fleet::parse_schedule_policy(
        policy("p", {{"spreadConstraints",
                      {{"topologyKey", "kubernetes.io/metadata.name"},
                       {"percentageSplit", {{"wlc-1", 70}, {"wlc-2", 30}}}}}}));
    CHECK(as_map.spread->percentage_split == expected);
}

TEST_CASE("a malformed SchedulePolicy is an error naming the policy and the field") {
    struct Case {
        const char* what;
        nlohmann::json policy;
        const char* message;
    };
    auto no_name = policy("x");
    no_name["metadata"].erase("name");
    auto no_spec = policy("p");
    no_spec.erase("spec");
    auto no_namespaces = policy("p");
    no_namespaces["spec"].erase("namespaceSelector");
    auto no_resources = policy("p");
    no_resources["spec"].erase("resourceSelectors");
    const auto spread = [](nlohmann::json constraints) {
        return policy("p", {{"spreadConstraints", std::move(constraints)}});
    };
    const std::vector<Case> cases = {
        {"no name", no_name, "SchedulePolicy (unnamed): metadata.name: required"},
        {"no spec", no_spec, "SchedulePolicy \"p\": spec: required"},
        {"no namespaceSelector", no_namespaces,
         "SchedulePolicy \"p\": spec.namespaceSelector: required"},
        {"no resourceSelectors", no_resources,
         "SchedulePolicy \"p\": spec.resourceSelectors: required"},
        {"labelSelectors not a list",
         policy("p", {{"resourceSelectors", {{"labelSelectors", "app=demo"}}}}),
         "SchedulePolicy \"p\": spec.resourceSelectors.labelSelectors: expected a list"},
        {"bad operator in a resource selector",
         policy("p", {{"resourceSelectors",
                       {{"labelSelectors",
                         {{{"matchExpressions", {{{"key", "a"}, {"operator", "Near"}}}}}}}}}}),
         "SchedulePolicy \"p\": spec.resourceSelectors.labelSelectors[0]: invalid label selector"},
        {"clusterSelector not an object", policy("p", {{"clusterSelector", "wlc-1"}}),
         "SchedulePolicy \"p\": spec.clusterSelector: invalid label selector"},
        {"groupBy without labelKey", policy("p", {{"groupBy", {{"key", "role"}}}}),
         "SchedulePolicy \"p\": spec.groupBy.labelKey: required"},
        {"no topologyKey", spread({{"spreadMode", "Divide"}}),
         "SchedulePolicy \"p\": spec.spreadConstraints.topologyKey: required"},
        {"unknown spreadMode", spread({{"topologyKey", "k"}, {"spreadMode", "Spread"}}),
         "SchedulePolicy \"p\": spec.spreadConstraints.spreadMode: expected Divide or "
         "Duplicate, found \"Spread\""},
        {"percentage over 100",
         spread({{"topologyKey", "k"},
                 {"percentageSplit", {{{"topologyValue", "a"}, {"percentage", 120}}}}}),
         "SchedulePolicy \"p\": spec.spreadConstraints.percentageSplit[0].percentage: "
         "percentage 120 is not between 0 and 100"},
        {"percentage not a number",
         spread({{"topologyKey", "k"},
                 {"percentageSplit", {{{"topologyValue", "a"}, {"percentage", "70%"}}}}}),
         "percentageSplit[0].percentage: expected an integer percentage, found string"},
        {"no topologyValue",
         spread({{"topologyKey", "k"}, {"percentageSplit", {{{"percentage", 50}}}}}),
         "SchedulePolicy \"p\": spec.spreadConstraints.percentageSplit[0]: missing string "
         "field \"topologyValue\""},
        {"a value twice",
         spread({{"topologyKey", "k"},
                 {"percentageSplit",
                  {{{"topologyValue", "a"}, {"percentage", 50}},
                   {{"topologyValue", "a"}, {"percentage", 20}}}}}),
         "topologyValue \"a\" is listed twice"},
        {"over 100 in all",
         spread({{"topologyKey", "k"},
                 {"percentageSplit",
                  {{{"topologyValue", "a"}, {"percentage", 70}},
                   {{"topologyValue", "b"}, {"percentage", 40}}}}}),
         "percentages sum to 110, more than 100"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        CHECK_THROWS_WITH(fleet::parse_schedule_policy(c.policy),
                          Catch::Matchers::Contains(c.message));
    }
}

TEST_CASE("a list of policies: sorted by name, a bad one set aside with its error") {
    auto bad = policy("b-bad");
    bad["spec"]["spreadConstraints"] = {{"topologyKey", "k"}, {"spreadMode", 3}};
    const auto set = fleet::parse_schedule_policies(
        {{"kind", "SchedulePolicyList"}, {"items", {policy("c"), bad, policy("a")}}});
    CHECK(names(set.policies) == std::vector<std::string>{"a", "c"});
    REQUIRE(set.rejected.size() == 1);
    CHECK(set.rejected[0].name == "b-bad");
    CHECK(set.rejected[0].error ==
          "SchedulePolicy \"b-bad\": spec.spreadConstraints.spreadMode: expected Divide or "
          "Duplicate, found 3");
    CHECK(fleet::parse_schedule_policies(nlohmann::json::array({policy("a")})).policies.size() ==
          1);
    CHECK(fleet::parse_schedule_policies(nullptr).policies.empty());
}

TEST_CASE("which policies select an object") {
    const auto canary_policy = fleet::parse_schedule_policy(yaml(tutorial_policy));
    const auto all_of_default = fleet::parse_schedule_policy(
        policy("everything-in-default",
               {{"resourceSelectors", {{"labelSelectors", {{{"matchExpressions", {}}}}}}}}));
    const auto other_app = fleet::parse_schedule_policy(policy("other-app"));
    const std::vector<fleet::SchedulePolicy> policies = {canary_policy, all_of_default, other_app};
    const auto stable_rs =
        object("default", {{"app", "rollouts-demo"}, {"role", "stable"}, {"x", "y"}});
    const auto base_deploy = object(
        "default", {{"app", "rollouts-demo"}, {"role", "placeholder"}, {"base-template", "yes"}});

    struct Case {
        const char* what;
        nlohmann::json object;
        core::Labels namespace_labels;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {"two matching policies",
         stable_rs,
         default_ns,
         {"rollouts-demo-policy", "everything-in-default"}},
        {"the base Deployment is excluded by base-template",
         base_deploy,
         default_ns,
         {"everything-in-default"}},
        {"a namespaceSelector that does not match",
         object("prod", {{"app", "rollouts-demo"}, {"role", "stable"}}),
         {{"kubernetes.io/metadata.name", "prod"}},
         {}},
        {"no matching policy", object("default", {{"app", "x"}}), {}, {}},
        {"one matching policy",
         object("default", {{"app", "demo"}}),
         default_ns,
         {"everything-in-default", "other-app"}},
        {"a cluster-scoped object: namespaceSelector does not apply",
         object("", {{"app", "demo"}}),
         {},
         {"everything-in-default", "other-app"}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        CHECK(names(fleet::matching_policies(policies, c.object, c.namespace_labels)) ==
              c.expected);
    }

    // No labelSelectors at all selects nothing (an empty OR), unlike `- matchExpressions: []`.
    auto none = policy("none");
    none["spec"]["resourceSelectors"] = nlohmann::json::object();
    CHECK_FALSE(fleet::selects(fleet::parse_schedule_policy(none), stable_rs, default_ns));
}

TEST_CASE("groupBy puts stable and canary ReplicaSets in different ScheduleGroups") {
    const auto canary_policy = fleet::parse_schedule_policy(yaml(tutorial_policy));
    CHECK(fleet::schedule_group(canary_policy, object("default", {{"role", "stable"}})) ==
          "stable");
    CHECK(fleet::schedule_group(canary_policy, object("default", {{"role", "canary"}})) ==
          "canary");
    CHECK(fleet::schedule_group(canary_policy, object("default", {{"app", "a"}})) == "");
    CHECK_FALSE(fleet::schedule_group(fleet::parse_schedule_policy(policy("p")),
                                      object("default", {{"role", "stable"}}))
                    .has_value());
}
