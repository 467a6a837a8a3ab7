// nova-sim's simulated Nova scheduler: SchedulePolicy placement into the workload clusters'
// stores, copies kept in step, and status summed back into the control plane.

#include "lib/sim/controllers.hpp"
#include "lib/sim/nova_controller.hpp"
#include "lib/sim/resources.hpp"
#include "lib/sim/store.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using nlohmann::json;
using nova::sim::ControllerRunner;
using nova::sim::Fleet;
using nova::sim::GroupResource;
using nova::sim::ListOptions;
using nova::sim::Store;
namespace kinds = nova::sim::kinds;

namespace {

json cluster(const std::string& name, bool standby = false) {
    const auto condition = [](const char* type, const char* status) {
        return json{{"type", type},
                    {"status", status},
                    {"reason", "Test"},
                    {"message", ""},
                    {"lastTransitionTime", "2024-05-01T10:00:00Z"}};
    };
    return {{"apiVersion", "cluster.elotl.co/v1alpha1"},
            {"kind", "Cluster"},
            {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/metadata.name", name}}}}},
            {"spec", {{"name", name}}},
            {"status",
             {{"conditions", json::array({condition("Ready", standby ? "False" : "True"),
                                          condition("Idle", "True"),
                                          condition("Standby", standby ? "True" : "False")})},
              {"lastUpdateTime", "2024-05-01T10:00:00Z"}}}};
}

// The tutorial's policy (examples/argo-rollouts/schedule_policy_canary.yaml), with `clusters`
// in its clusterSelector and `spread` as its spreadConstraints.
json policy(const std::string& name, const std::vector<std::string>& clusters,
            json spread = {{"topologyKey", "kubernetes.io/metadata.name"},
                           {"spreadMode", "Divide"}},
            const std::string& ns = "default") {
    json spec = {
        {"namespaceSelector", {{"matchLabels", {{"kubernetes.io/metadata.name", ns}}}}},
        {"clusterSelector",
         {{"matchExpressions", json::array({{{"key", "kubernetes.io/metadata.name"},
                                             {"operator", "In"},
                                             {"values", clusters}}})}}},
        {"resourceSelectors",
         {{"labelSelectors",
           json::array(
               {{{"matchExpressions",
                  json::array({{{"key", "app"},
                                {"operator", "In"},
                                {"values", json::array({"rollouts-demo"})}},
                               {{"key", "role"}, {"operator", "Exists"}},
                               {{"key", "base-template"}, {"operator", "DoesNotExist"}}})}}})}}},
        {"groupBy", {{"labelKey", "role"}}}};
    if (!spread.is_null()) {
        spec["spreadConstraints"] = std::move(spread);
    }
    return {{"apiVersion", "policy.elotl.co/v1alpha1"},
            {"kind", "SchedulePolicy"},
            {"metadata", {{"name", name}}},
            {"spec", std::move(spec)}};
}

json replica_set(const std::string& name, std::int64_t replicas, const std::string& role = "stable",
                 const std::string& ns = "default") {
    return {{"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata",
             {{"name", name},
              {"namespace", ns},
              {"labels", {{"app", "rollouts-demo"}, {"role", role}}},
              {"annotations", {{"rollout.argoproj.io/revision", "1"}}},
              {"ownerReferences", json::array({{{"apiVersion", "argoproj.io/v1alpha1"},
                                                {"kind", "Rollout"},
                                                {"name", "rollout-demo"},
                                                {"uid", "1234"},
                                                {"controller", true}}})}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", "rollouts-demo"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "rollouts-demo"}, {"role", role}}}}},
                {"spec",
                 {{"containers", json::array({{{"name", "main"},
                                               {"image", "argoproj/rollouts-demo:green"}}})}}}}}}}};
}

const std::vector<std::string> k_two = {"kind-workload-1", "kind-workload-2"};

// A control plane and three workload clusters (the third in standby unless asked otherwise).
struct World {
    Store cp, w1, w2, w3;
    std::unique_ptr<ControllerRunner> runner;
    std::vector<std::string> errors;
    nova::core::Clock::time_point now = nova::core::parse_rfc3339("2024-05-01T10:00:00Z");

    explicit World(bool third_standby = true) {
        cp.create(kinds::clusters, cluster("kind-workload-1"));
        cp.create(kinds::clusters, cluster("kind-workload-2"));
        cp.create(kinds::clusters, cluster("kind-workload-3", third_standby));
        runner = std::make_unique<ControllerRunner>(
            Fleet{&cp,
                  nullptr,
                  {{"kind-workload-1", &w1}, {"kind-workload-2", &w2}, {"kind-workload-3", &w3}}},
            1.0);
        runner->add(nova::sim::make_nova_controller());
        runner->set_log([this](const std::string& line) { errors.push_back(line); });
    }

    void step() {
        now += std::chrono::milliseconds(50);
        runner->step(now);
        REQUIRE(errors.empty());
    }

    static std::int64_t replicas_in(const Store& store, const GroupResource& gr,
                                    const std::string& name, const std::string& ns = "default") {
        const auto copy = store.find(gr, ns, name);
        return copy ? copy->at("spec").value("replicas", std::int64_t{-1}) : -1;
    }
    static std::int64_t parallelism_in(const Store& store, const std::string& name) {
        const auto copy = store.find(kinds::jobs, "default", name);
        return copy ? copy->at("spec").value("parallelism", std::int64_t{-1}) : -1;
    }
    std::string versions() const {
        return cp.resource_version() + "/" + w1.resource_version() + "/" + w2.resource_version() +
               "/" + w3.resource_version();
    }
    std::vector<json> events(const std::string& reason) const {
        ListOptions options;
        options.fields = nova::sim::FieldSelector::parse("reason=" + reason);
        return cp.list(kinds::events, options).items;
    }
    std::string idle(const std::string& name) const {
        const json object = cp.get(kinds::clusters, "", name);
        for (const auto& c : object["status"]["conditions"]) {
            if (c["type"] == "Idle") {
                return c["status"];
            }
        }
        return "";
    }
};

void set_copy_status(Store& store, const GroupResource& gr, const std::string& name,
                     const json& status) {
    store.modify(
        gr, "default", name, [&](json& object) { object["status"] = status; }, true);
}

} // namespace

TEST_CASE("nova controller: Divide splits a ReplicaSet over the chosen clusters", "[sim][nova]") {
    World world;
    world.cp.create(
        kinds::schedule_policies,
        policy("rollouts-demo-policy", {"kind-workload-1", "kind-workload-2", "kind-workload-3"}));
    world.cp.create(kinds::replica_sets, replica_set("rollout-demo-aaa", 10));
    world.cp.create(kinds::replica_sets, replica_set("rollout-demo-bbb", 3, "canary"));
    world.step();

    CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rollout-demo-aaa") == 5);
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rollout-demo-aaa") == 5);
    // The documented remainder rule: the first clusters by name get one more.
    CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rollout-demo-bbb") == 2);
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rollout-demo-bbb") == 1);
    // The standby cluster is selected by the policy but gets nothing.
    CHECK_FALSE(world.w3.find(kinds::replica_sets, "default", "rollout-demo-aaa"));
    CHECK_FALSE(world.w3.find(kinds::replica_sets, "default", "rollout-demo-bbb"));

    const json copy = world.w1.get(kinds::replica_sets, "default", "rollout-demo-aaa");
    const json origin = world.cp.get(kinds::replica_sets, "default", "rollout-demo-aaa");
    CHECK(copy["metadata"]["labels"]["app"] == "rollouts-demo");
    CHECK(copy["metadata"]["labels"]["role"] == "stable");
    CHECK(copy["metadata"]["labels"]["nova.elotl.co/target-cluster"] == "kind-workload-1");
    CHECK(copy["metadata"]["labels"]["nova.elotl.co/matching-policy"] == "rollouts-demo-policy");
    CHECK(copy["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "1");
    CHECK(copy["metadata"]["annotations"]["nova-sim/origin-uid"] == origin["metadata"]["uid"]);
    CHECK_FALSE(copy["metadata"].contains("ownerReferences"));
    CHECK(copy["metadata"]["uid"] != origin["metadata"]["uid"]);
    CHECK(copy["spec"]["template"] == origin["spec"]["template"]);
    CHECK(copy["spec"]["selector"] == origin["spec"]["selector"]);

    // The clusters holding workloads are no longer idle; the standby one is.
    CHECK(world.idle("kind-workload-1") == "False");
    CHECK(world.idle("kind-workload-2") == "False");
    CHECK(world.idle("kind-workload-3") == "True");

    // Placement is reported once, on the control-plane object.
    const auto matched = world.events("SchedulePolicyMatched");
    REQUIRE(matched.size() == 2);
    CHECK(matched[0]["involvedObject"]["kind"] == "ReplicaSet");
    CHECK(matched[0]["source"]["component"] == "nova-scheduler");

    // Nothing changed: nothing is written.
    const std::string before = world.versions();
    world.step();
    world.step();
    CHECK(world.versions() == before);
}

TEST_CASE("nova controller: Duplicate and percentageSplit", "[sim][nova]") {
    World world;
    SECTION("Duplicate: every cluster runs all replicas") {
        world.cp.create(
            kinds::schedule_policies,
            policy("dup", k_two,
                   {{"topologyKey", "kubernetes.io/metadata.name"}, {"spreadMode", "Duplicate"}}));
        world.cp.create(kinds::replica_sets, replica_set("rs", 3));
        world.step();
        CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rs") == 3);
        CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 3);
    }
    SECTION("percentageSplit 70/30") {
        world.cp.create(
            kinds::schedule_policies,
            policy("pct", k_two,
                   {{"topologyKey", "kubernetes.io/metadata.name"},
                    {"spreadMode", "Divide"},
                    {"percentageSplit",
                     json::array({{{"topologyValue", "kind-workload-1"}, {"percentage", 70}},
                                  {{"topologyValue", "kind-workload-2"}, {"percentage", 30}}})}}));
        world.cp.create(kinds::replica_sets, replica_set("rs", 10));
        world.step();
        CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rs") == 7);
        CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 3);
    }
    SECTION("no spreadConstraints: the whole group goes to one cluster") {
        world.cp.create(kinds::schedule_policies, policy("one", k_two, nullptr));
        world.cp.create(kinds::replica_sets, replica_set("rs", 4));
        world.step();
        CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rs") == 4);
        CHECK_FALSE(world.w2.find(kinds::replica_sets, "default", "rs"));
    }
}

TEST_CASE("nova controller: copies follow scaling, spec changes, policy changes and deletion",
          "[sim][nova]") {
    World world;
    world.cp.create(kinds::schedule_policies, policy("rollouts-demo-policy", k_two));
    world.cp.create(kinds::replica_sets, replica_set("rs", 10));
    world.step();
    REQUIRE(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 5);

    world.cp.modify(kinds::replica_sets, "default", "rs", [](json& rs) {
        rs["spec"]["replicas"] = 3;
        rs["spec"]["template"]["spec"]["containers"][0]["image"] = "argoproj/rollouts-demo:blue";
        rs["metadata"]["annotations"]["rollout.argoproj.io/desired-replicas"] = "10";
    });
    world.step();
    const json copy = world.w1.get(kinds::replica_sets, "default", "rs");
    CHECK(copy["spec"]["replicas"] == 2);
    CHECK(copy["spec"]["template"]["spec"]["containers"][0]["image"] ==
          "argoproj/rollouts-demo:blue");
    CHECK(copy["metadata"]["annotations"]["rollout.argoproj.io/desired-replicas"] == "10");
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 1);

    // Scaled to 1: the second cluster keeps a copy with no replicas.
    world.cp.modify(kinds::replica_sets, "default", "rs",
                    [](json& rs) { rs["spec"]["replicas"] = 1; });
    world.step();
    CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rs") == 1);
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 0);
    CHECK(world.idle("kind-workload-2") == "True");

    // The policy narrowed to one cluster: the other one's copy goes.
    world.cp.modify(kinds::schedule_policies, "", "rollouts-demo-policy", [](json& p) {
        p["spec"]["clusterSelector"]["matchExpressions"][0]["values"] = {"kind-workload-2"};
    });
    world.step();
    CHECK_FALSE(world.w1.find(kinds::replica_sets, "default", "rs"));
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs") == 1);

    // Deleting the control-plane object deletes its copies.
    world.cp.remove(kinds::replica_sets, "default", "rs");
    world.step();
    CHECK_FALSE(world.w1.find(kinds::replica_sets, "default", "rs"));
    CHECK_FALSE(world.w2.find(kinds::replica_sets, "default", "rs"));
    CHECK(world.idle("kind-workload-2") == "True");
}

TEST_CASE("nova controller: objects without exactly one policy stay unplaced", "[sim][nova]") {
    World world;
    world.cp.create(kinds::schedule_policies, policy("rollouts-demo-policy", k_two));
    json base = replica_set("rollouts-demo", 10);
    base["kind"] = "Deployment";
    base["metadata"]["labels"]["base-template"] = "yes";
    world.cp.create(kinds::deployments, base);
    json unlabelled = replica_set("plain", 2);
    unlabelled["metadata"]["labels"].erase("role");
    world.cp.create(kinds::replica_sets, unlabelled);
    world.step();
    CHECK_FALSE(world.w1.find(kinds::deployments, "default", "rollouts-demo"));
    CHECK_FALSE(world.w1.find(kinds::replica_sets, "default", "plain"));
    CHECK(world.events("NoSchedulePolicy").size() == 2);
    CHECK_FALSE(world.cp.get(kinds::replica_sets, "default", "plain").contains("status"));

    // Two policies matching: not placed either, and what was placed goes.
    world.cp.create(kinds::replica_sets, replica_set("rs", 2));
    world.step();
    REQUIRE(World::replicas_in(world.w1, kinds::replica_sets, "rs") == 1);
    world.cp.create(kinds::schedule_policies, policy("second", k_two));
    world.step();
    CHECK_FALSE(world.w1.find(kinds::replica_sets, "default", "rs"));
    const auto several = world.events("MultipleSchedulePolicies");
    REQUIRE(several.size() == 1);
    CHECK(several[0]["type"] == "Warning");
    CHECK(several[0]["message"].get<std::string>().find("rollouts-demo-policy, second") !=
          std::string::npos);
}

TEST_CASE("nova controller: ReplicaSet and Deployment status is the copies' sum", "[sim][nova]") {
    World world;
    world.cp.create(kinds::schedule_policies, policy("rollouts-demo-policy", k_two));
    world.cp.create(kinds::replica_sets, replica_set("rs", 10));
    json deployment = replica_set("web", 4);
    deployment["kind"] = "Deployment";
    world.cp.create(kinds::deployments, deployment);
    world.step();
    json rs = world.cp.get(kinds::replica_sets, "default", "rs");
    CHECK(rs["status"]["replicas"] == 0);
    CHECK(rs["status"]["observedGeneration"] == 1);

    set_copy_status(world.w1, kinds::replica_sets, "rs",
                    {{"replicas", 5},
                     {"fullyLabeledReplicas", 5},
                     {"readyReplicas", 5},
                     {"availableReplicas", 4},
                     {"observedGeneration", 1}});
    set_copy_status(world.w2, kinds::replica_sets, "rs",
                    {{"replicas", 5}, {"fullyLabeledReplicas", 5}, {"readyReplicas", 3}});
    const auto available = [](const char* status) {
        return json::array({{{"type", "Available"}, {"status", status}, {"reason", "x"}}});
    };
    set_copy_status(world.w1, kinds::deployments, "web",
                    {{"replicas", 2},
                     {"updatedReplicas", 2},
                     {"readyReplicas", 2},
                     {"availableReplicas", 2},
                     {"conditions", available("True")}});
    set_copy_status(world.w2, kinds::deployments, "web",
                    {{"replicas", 2},
                     {"updatedReplicas", 2},
                     {"readyReplicas", 1},
                     {"availableReplicas", 1},
                     {"unavailableReplicas", 1},
                     {"conditions", available("False")}});
    world.step();
    rs = world.cp.get(kinds::replica_sets, "default", "rs");
    CHECK(rs["status"] == json{{"replicas", 10},
                               {"fullyLabeledReplicas", 10},
                               {"readyReplicas", 8},
                               {"availableReplicas", 4},
                               {"observedGeneration", 1}});
    json web = world.cp.get(kinds::deployments, "default", "web");
    CHECK(web["status"]["replicas"] == 4);
    CHECK(web["status"]["readyReplicas"] == 3);
    CHECK(web["status"]["unavailableReplicas"] == 1);
    REQUIRE(web["status"]["conditions"].size() == 1);
    CHECK(web["status"]["conditions"][0]["status"] == "False");

    set_copy_status(world.w2, kinds::deployments, "web",
                    {{"replicas", 2},
                     {"updatedReplicas", 2},
                     {"readyReplicas", 2},
                     {"availableReplicas", 2},
                     {"conditions", available("True")}});
    world.cp.modify(kinds::replica_sets, "default", "rs",
                    [](json& o) { o["spec"]["replicas"] = 8; });
    world.step();
    web = world.cp.get(kinds::deployments, "default", "web");
    CHECK(web["status"]["availableReplicas"] == 4);
    CHECK_FALSE(web["status"].contains("unavailableReplicas"));
    CHECK(web["status"]["conditions"][0]["status"] == "True");
    CHECK(web["status"]["conditions"][0]["reason"] == "MinimumReplicasAvailable");
    rs = world.cp.get(kinds::replica_sets, "default", "rs");
    CHECK(rs["status"]["observedGeneration"] == 2);

    const std::string before = world.versions();
    world.step();
    CHECK(world.versions() == before);
}

TEST_CASE("nova controller: a Job's parallelism is split and its status summed", "[sim][nova]") {
    World world;
    world.cp.create(kinds::schedule_policies, policy("rollouts-demo-policy", k_two));
    // The tutorial's analysis Job: parallelism 2, one pod in each cluster.
    json job = {
        {"apiVersion", "batch/v1"},
        {"kind", "Job"},
        {"metadata",
         {{"name", "e6f5.http-benchmark.1"},
          {"namespace", "default"},
          {"labels", {{"app", "rollouts-demo"}, {"role", "placeholder"}}}}},
        {"spec",
         {{"parallelism", 2},
          {"backoffLimit", 0},
          {"selector", {{"matchLabels", {{"batch.kubernetes.io/controller-uid", "abc"}}}}},
          {"template",
           {{"metadata",
             {{"labels",
               {{"batch.kubernetes.io/controller-uid", "abc"},
                {"job-name", "e6f5.http-benchmark.1"}}}}},
            {"spec",
             {{"restartPolicy", "Never"},
              {"containers", json::array({{{"name", "load-tester"}, {"image", "lt"}}})}}}}}}}};
    world.cp.create(kinds::jobs, job);
    world.step();
    CHECK(World::parallelism_in(world.w1, "e6f5.http-benchmark.1") == 1);
    CHECK(World::parallelism_in(world.w2, "e6f5.http-benchmark.1") == 1);
    const json copy = world.w1.get(kinds::jobs, "default", "e6f5.http-benchmark.1");
    CHECK_FALSE(copy["spec"].contains("selector"));
    CHECK(copy["spec"]["template"]["metadata"]["labels"] ==
          json{{"job-name", "e6f5.http-benchmark.1"}});
    CHECK(world.idle("kind-workload-1") == "False");

    const auto complete = [](const char* at) {
        return json{{"succeeded", 1},
                    {"startTime", "2024-05-01T10:00:01Z"},
                    {"completionTime", at},
                    {"conditions", json::array({{{"type", "Complete"},
                                                 {"status", "True"},
                                                 {"lastTransitionTime", at}}})}};
    };
    set_copy_status(world.w1, kinds::jobs, "e6f5.http-benchmark.1",
                    complete("2024-05-01T10:00:06Z"));
    set_copy_status(world.w2, kinds::jobs, "e6f5.http-benchmark.1",
                    {{"active", 1}, {"startTime", "2024-05-01T10:00:00Z"}});
    world.step();
    json origin = world.cp.get(kinds::jobs, "default", "e6f5.http-benchmark.1");
    CHECK(origin["status"] ==
          json{{"active", 1}, {"succeeded", 1}, {"startTime", "2024-05-01T10:00:00Z"}});

    set_copy_status(world.w2, kinds::jobs, "e6f5.http-benchmark.1",
                    complete("2024-05-01T10:00:07Z"));
    world.step();
    origin = world.cp.get(kinds::jobs, "default", "e6f5.http-benchmark.1");
    CHECK(origin["status"]["succeeded"] == 2);
    CHECK_FALSE(origin["status"].contains("active"));
    CHECK(origin["status"]["completionTime"] == "2024-05-01T10:00:07Z");
    REQUIRE(origin["status"]["conditions"].size() == 1);
    CHECK(origin["status"]["conditions"][0]["type"] == "Complete");

    SECTION("one failed copy fails the Job") {
        set_copy_status(world.w1, kinds::jobs, "e6f5.http-benchmark.1",
                        {{"failed", 1},
                         {"conditions", json::array({{{"type", "Failed"},
                                                      {"status", "True"},
                                                      {"reason", "BackoffLimitExceeded"}}})}});
        world.step();
        origin = world.cp.get(kinds::jobs, "default", "e6f5.http-benchmark.1");
        CHECK(origin["status"]["failed"] == 1);
        CHECK(origin["status"]["conditions"][0]["type"] == "Failed");
        CHECK_FALSE(origin["status"].contains("completionTime"));
    }
    SECTION("a new Job of the same name replaces the old copies") {
        world.cp.remove(kinds::jobs, "default", "e6f5.http-benchmark.1");
        world.cp.create(kinds::jobs, job);
        world.step();
        const json fresh = world.w1.get(kinds::jobs, "default", "e6f5.http-benchmark.1");
        CHECK_FALSE(fresh.contains("status"));
        CHECK_FALSE(
            world.cp.get(kinds::jobs, "default", "e6f5.http-benchmark.1")["status"].contains(
                "conditions"));
    }
}

TEST_CASE("nova controller: Services go whole to every cluster, namespaces are created",
          "[sim][nova]") {
    World world(false);
    world.cp.create(
        kinds::namespaces,
        {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "demo"}}}});
    world.cp.create(kinds::schedule_policies,
                    policy("demo-policy", {"kind-workload-1", "kind-workload-2", "kind-workload-3"},
                           {{"topologyKey", "kubernetes.io/metadata.name"},
                            {"percentageSplit", json::array({{{"topologyValue", "kind-workload-1"},
                                                              {"percentage", 100}}})}},
                           "demo"));
    world.cp.create(kinds::services,
                    {{"apiVersion", "v1"},
                     {"kind", "Service"},
                     {"metadata",
                      {{"name", "rollouts-demo-canary"},
                       {"namespace", "demo"},
                       {"labels", {{"app", "rollouts-demo"}, {"role", "canary"}}}}},
                     {"spec",
                      {{"clusterIP", "10.96.0.10"},
                       {"selector", {{"app", "rollouts-demo"}}},
                       {"ports", json::array({{{"port", 80}}})}}}});
    world.cp.create(kinds::replica_sets, replica_set("rs", 3, "canary", "demo"));
    world.step();
    for (Store* store : {&world.w1, &world.w2, &world.w3}) {
        CHECK(store->find(kinds::namespaces, "", "demo"));
        const auto service = store->find(kinds::services, "demo", "rollouts-demo-canary");
        REQUIRE(service);
        CHECK_FALSE((*service)["spec"].contains("clusterIP"));
        CHECK((*service)["spec"]["ports"][0]["port"] == 80);
    }
    // percentageSplit places replicas only where a share is given; copies stay for the rest.
    CHECK(World::replicas_in(world.w1, kinds::replica_sets, "rs", "demo") == 3);
    CHECK(World::replicas_in(world.w2, kinds::replica_sets, "rs", "demo") == 0);
    CHECK(World::replicas_in(world.w3, kinds::replica_sets, "rs", "demo") == 0);
    CHECK(world.idle("kind-workload-1") == "False");
    CHECK(world.idle("kind-workload-3") == "True");

    world.cp.remove(kinds::services, "demo", "rollouts-demo-canary");
    world.step();
    CHECK_FALSE(world.w2.find(kinds::services, "demo", "rollouts-demo-canary"));
}

TEST_CASE("nova controller: an Idle=False it did not write stays", "[sim][nova]") {
    World world;
    world.cp.modify(kinds::clusters, "", "kind-workload-2", [](json& c) {
        for (auto& condition : c["status"]["conditions"]) {
            if (condition["type"] == "Idle") {
                condition["status"] = "False";
                condition["reason"] = "Busy";
            }
        }
    });
    world.step();
    CHECK(world.idle("kind-workload-1") == "True");
    CHECK(world.idle("kind-workload-2") == "False");
}
