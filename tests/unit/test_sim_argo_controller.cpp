// The simulated argo-rollouts controller: a canary Rollout taken through the tutorial's steps
// with Stores and ControllerRunner::step at fake times. ReplicaSet and Job status is written by
// hand (in nova-sim the Nova controller sums it back from the workload clusters).

#include "lib/rollouts/rollout_info.hpp"
#include "lib/sim/argo_controller.hpp"
#include "lib/sim/controllers.hpp"
#include "lib/sim/store.hpp"
#include "sim_test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using nlohmann::json;
using nova::sim::ControllerRunner;
using nova::sim::Fleet;
using nova::sim::SimSettings;
using nova::sim::Store;
namespace kinds = nova::sim::kinds;

namespace {

json tutorial_steps() {
    return json::parse(R"([
        {"setWeight": 20},
        {"pause": {}},
        {"analysis": {"templates": [{"templateName": "http-benchmark"}],
                      "args": [{"name": "host", "value": "rollouts-demo-canary"}]}},
        {"setWeight": 60},
        {"pause": {}}])");
}

// The tutorial's objects: base Deployment, Services, AnalysisTemplate and workloadRef Rollout.
void load_tutorial(Store& cp, json steps = tutorial_steps(), int failure_limit = 1) {
    cp.create(kinds::deployments, json::parse(R"({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "rollouts-demo", "namespace": "default",
                     "labels": {"base-template": "yes"}},
        "spec": {"replicas": 10, "selector": {"matchLabels": {"app": "rollouts-demo"}},
                 "template": {"metadata": {"labels": {"app": "rollouts-demo",
                                                      "role": "placeholder"}},
                              "spec": {"containers": [{"name": "main",
                                  "image": "argoproj/rollouts-demo:green"}]}}}})"));
    for (const char* role : {"canary", "stable"}) {
        cp.create(kinds::services, {{"apiVersion", "v1"},
                                    {"kind", "Service"},
                                    {"metadata",
                                     {{"name", std::string("rollouts-demo-") + role},
                                      {"namespace", "default"},
                                      {"labels", {{"app", "rollouts-demo"}, {"role", role}}}}},
                                    {"spec",
                                     {{"selector", {{"app", "rollouts-demo"}, {"role", role}}},
                                      {"ports", json::array({{{"port", 80}}})}}}});
    }
    json analysis_template = json::parse(R"({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
        "metadata": {"name": "http-benchmark", "namespace": "default"},
        "spec": {"args": [{"name": "host"}],
                 "metrics": [{"name": "http-benchmark", "interval": "5s", "count": 1,
                   "provider": {"job": {
                     "metadata": {"labels": {"role": "placeholder", "app": "rollouts-demo"}},
                     "spec": {"parallelism": 2, "backoffLimit": 0,
                       "template": {"spec": {"restartPolicy": "Never", "containers": [
                         {"name": "load-tester", "image": "argoproj/load-tester:latest",
                          "args": ["wrk http://{{args.host}}/color"]}]}}}}}}]}})");
    analysis_template["spec"]["metrics"][0]["failureLimit"] = failure_limit;
    cp.create(kinds::analysis_templates, analysis_template);
    json rollout = json::parse(R"({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "rollout-demo", "namespace": "default"},
        "spec": {"replicas": 10, "revisionHistoryLimit": 1,
                 "workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                 "name": "rollouts-demo"},
                 "strategy": {"canary": {
                     "canaryMetadata": {"labels": {"role": "canary"}},
                     "stableMetadata": {"labels": {"role": "stable"}},
                     "canaryService": "rollouts-demo-canary"}}}})");
    rollout["spec"]["strategy"]["canary"]["steps"] = std::move(steps);
    cp.create(kinds::rollouts, rollout);
}

struct Sim {
    Store cp;
    Store hosting;
    SimSettings settings;
    ControllerRunner runner{Fleet{&cp, &hosting, {}}, 1.0};
    nova::core::Clock::time_point now = nova::core::Clock::now();
    std::vector<std::string> log;

    explicit Sim(const std::string& mode = "always") {
        settings.argo_controller = mode;
        runner.add(nova::sim::make_argo_controller(settings));
        runner.set_log([this](const std::string& line) { log.push_back(line); });
    }

    void tick(int times = 1) {
        for (int i = 0; i < times; ++i) {
            runner.step(now);
            now += std::chrono::milliseconds(50);
        }
    }

    // Ticks, with every ReplicaSet's pods ready at once (what Nova would sum back).
    void settle(int ticks = 30) {
        for (int i = 0; i < ticks; ++i) {
            tick();
            nova::sim::testing::mark_replica_sets_ready(cp);
        }
    }

    json rollout() { return cp.get(kinds::rollouts, "default", "rollout-demo"); }

    void patch_status(const json& patch) {
        cp.patch(kinds::rollouts, "default", "rollout-demo", nova::sim::PatchType::merge,
                 {{"status", patch}}, true);
    }

    void set_image(const std::string& image) {
        cp.modify(kinds::deployments, "default", "rollouts-demo", [&](json& o) {
            o["spec"]["template"]["spec"]["containers"][0]["image"] = image;
        });
    }

    // The plugin's view of the objects in the store.
    nova::rollouts::RolloutInfo info() {
        nova::rollouts::ObjectSet objects;
        for (const auto& gr :
             {kinds::rollouts, kinds::replica_sets, kinds::analysis_runs, kinds::deployments}) {
            for (auto& object : cp.list(gr).items) {
                if (!object.contains("apiVersion")) {
                    object["apiVersion"] = "v1";
                }
                objects.add(std::move(object));
            }
        }
        return nova::rollouts::build_rollout_info(objects, "rollout-demo");
    }

    json rs_with_image(const std::string& tag) {
        for (const auto& rs : cp.list(kinds::replica_sets).items) {
            if (rs["spec"]["template"]["spec"]["containers"][0]["image"] ==
                "argoproj/rollouts-demo:" + tag) {
                return rs;
            }
        }
        return nullptr;
    }

    // Completes (or fails) the analysis Job as Nova would write its status back.
    void finish_job(bool success) {
        for (const auto& job : cp.list(kinds::jobs).items) {
            cp.modify(
                kinds::jobs, "default", job["metadata"]["name"].get<std::string>(),
                [&](json& o) {
                    o["status"] = {
                        {success ? "succeeded" : "failed", 2},
                        {"conditions", json::array({{{"type", success ? "Complete" : "Failed"},
                                                     {"status", "True"}}})}};
                },
                true);
        }
    }
};

// Up to the first pause of the tutorial's second revision.
void to_first_pause(Sim& sim) {
    sim.settle();
    sim.set_image("argoproj/rollouts-demo:blue");
    sim.settle();
}

} // namespace

TEST_CASE("argo controller: hashes and weights as argo computes them", "[sim]") {
    CHECK(nova::sim::argo::safe_encode(1234567890U) == "56789bcdf4");
    const json pod_template = {{"metadata", {{"labels", {{"app", "a"}}}}}};
    const auto hash = nova::sim::argo::pod_template_hash(pod_template);
    CHECK(hash == nova::sim::argo::pod_template_hash(pod_template));
    CHECK(hash != nova::sim::argo::pod_template_hash(pod_template, 1));
    CHECK(hash.find_first_not_of("456789bcdf") == std::string::npos);
    using nova::sim::argo::weighted_counts;
    CHECK(weighted_counts(10, 20, 100, 3) == std::pair<std::int64_t, std::int64_t>{2, 8});
    CHECK(weighted_counts(10, 60, 100, 3) == std::pair<std::int64_t, std::int64_t>{6, 4});
    CHECK(weighted_counts(10, 0, 100, 3) == std::pair<std::int64_t, std::int64_t>{0, 10});
    CHECK(weighted_counts(3, 50, 100, 0) == std::pair<std::int64_t, std::int64_t>{2, 1});
    CHECK(weighted_counts(1, 5, 100, 1) == std::pair<std::int64_t, std::int64_t>{1, 1});
}

TEST_CASE("argo controller: the first revision becomes stable and Healthy", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp);
    sim.tick(3);
    auto replica_sets = sim.cp.list(kinds::replica_sets).items;
    REQUIRE(replica_sets.size() == 1);
    const json& rs = replica_sets[0];
    const auto ro = sim.rollout();
    const auto hash = rs["metadata"]["labels"]["rollouts-pod-template-hash"].get<std::string>();
    CHECK(rs["metadata"]["name"] == "rollout-demo-" + hash);
    CHECK(rs["metadata"]["labels"]["role"] == "placeholder");
    CHECK(rs["spec"]["template"]["metadata"]["labels"]["role"] == "stable");
    CHECK(rs["spec"]["selector"]["matchLabels"] ==
          json({{"app", "rollouts-demo"}, {"rollouts-pod-template-hash", hash}}));
    CHECK(rs["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "1");
    CHECK(rs["metadata"]["ownerReferences"][0]["uid"] == ro["metadata"]["uid"]);
    CHECK(rs["metadata"]["ownerReferences"][0]["controller"] == true);
    CHECK(rs["spec"]["replicas"] == 10);
    CHECK(ro["status"]["stableRS"] == hash);
    CHECK(ro["status"]["phase"] == "Progressing");
    CHECK(ro["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "1");

    sim.settle();
    const auto healthy = sim.rollout();
    CHECK(healthy["status"]["phase"] == "Healthy");
    CHECK(healthy["status"]["availableReplicas"] == 10);
    CHECK(healthy["status"]["currentStepIndex"] == 5);
    CHECK(healthy["status"]["observedGeneration"] == "1");
    CHECK(healthy["status"]["selector"] == "app=rollouts-demo");
    const auto info = sim.info();
    CHECK(info.status == "Healthy");
    CHECK(info.step == "5/5");
    CHECK(info.available == 10);
    // Written only when something changes.
    const auto version = healthy["metadata"]["resourceVersion"];
    sim.tick(5);
    CHECK(sim.rollout()["metadata"]["resourceVersion"] == version);
    CHECK(sim.log.empty());
}

TEST_CASE("argo controller: the tutorial's canary, step by step", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp);
    to_first_pause(sim);

    // Step 1/5: 20% of 10 is 2 canary pods, 8 stable; paused.
    const auto green = sim.rs_with_image("green");
    const auto blue = sim.rs_with_image("blue");
    REQUIRE(!blue.is_null());
    CHECK(blue["spec"]["replicas"] == 2);
    CHECK(green["spec"]["replicas"] == 8);
    CHECK(blue["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "2");
    CHECK(blue["spec"]["template"]["metadata"]["labels"]["role"] == "canary");
    auto ro = sim.rollout();
    CHECK(ro["status"]["phase"] == "Paused");
    CHECK(ro["status"]["message"] == "CanaryPauseStep");
    CHECK(ro["status"]["controllerPause"] == true);
    CHECK(ro["status"]["pauseConditions"][0]["reason"] == "CanaryPauseStep");
    CHECK(ro["status"]["currentStepIndex"] == 1);
    CHECK(sim.cp.get(kinds::services, "default",
                     "rollouts-demo-canary")["spec"]["selector"]["rollouts-pod-template-hash"] ==
          blue["metadata"]["labels"]["rollouts-pod-template-hash"]);
    auto info = sim.info();
    CHECK(info.status == "Paused");
    CHECK(info.message == "CanaryPauseStep");
    CHECK(info.step == "1/5");
    CHECK(info.set_weight == "20");
    CHECK(info.actual_weight == "20");
    CHECK(info.updated == 2);
    CHECK(info.current == 10);

    // promote: the plugin clears the pause conditions; the analysis step runs a Job.
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle(5);
    ro = sim.rollout();
    CHECK(ro["status"]["currentStepIndex"] == 2);
    const auto hash = blue["metadata"]["labels"]["rollouts-pod-template-hash"].get<std::string>();
    const auto run = sim.cp.get(kinds::analysis_runs, "default", "rollout-demo-" + hash + "-2-2");
    CHECK(run["metadata"]["labels"]["rollout-type"] == "Step");
    CHECK(run["metadata"]["labels"]["step-index"] == "2");
    CHECK(run["metadata"]["ownerReferences"][0]["uid"] == ro["metadata"]["uid"]);
    CHECK(run["spec"]["args"] ==
          json::parse(R"([{"name":"host","value":"rollouts-demo-canary"}])"));
    CHECK(run["status"]["phase"] == "Running");
    CHECK(ro["status"]["canary"]["currentStepAnalysisRunStatus"]["name"] ==
          run["metadata"]["name"]);
    const auto job_name = run["metadata"]["uid"].get<std::string>() + ".http-benchmark.1";
    const auto job = sim.cp.get(kinds::jobs, "default", job_name);
    CHECK(job["metadata"]["labels"]["role"] == "placeholder");
    CHECK(job["metadata"]["labels"]["analysisrun.argoproj.io/uid"] == run["metadata"]["uid"]);
    CHECK(job["metadata"]["ownerReferences"][0]["kind"] == "AnalysisRun");
    CHECK(job["spec"]["template"]["spec"]["containers"][0]["args"][0] ==
          "wrk http://rollouts-demo-canary/color");
    CHECK(run["status"]["metricResults"][0]["measurements"][0]["metadata"]["job-name"] == job_name);

    // The Job succeeds: Successful, then setWeight 60 (6 canary, 4 stable), paused at 4/5.
    sim.finish_job(true);
    sim.settle();
    CHECK(sim.cp.get(kinds::analysis_runs, "default",
                     "rollout-demo-" + hash + "-2-2")["status"]["phase"] == "Successful");
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 6);
    CHECK(sim.rs_with_image("green")["spec"]["replicas"] == 4);
    info = sim.info();
    CHECK(info.status == "Paused");
    CHECK(info.step == "4/5");
    CHECK(info.set_weight == "60");
    CHECK(info.actual_weight == "60");
    REQUIRE(info.analysis_runs.size() == 1);
    CHECK(info.analysis_runs[0].status == "Successful");

    // Promote again: the canary becomes stable, the old ReplicaSet is scaled down.
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle();
    ro = sim.rollout();
    CHECK(ro["status"]["phase"] == "Healthy");
    CHECK(ro["status"]["stableRS"] == hash);
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 10);
    CHECK(sim.rs_with_image("blue")["spec"]["template"]["metadata"]["labels"]["role"] == "stable");
    CHECK(sim.rs_with_image("green")["spec"]["replicas"] == 0);
    info = sim.info();
    CHECK(info.status == "Healthy");
    CHECK(info.step == "5/5");
    REQUIRE(info.replica_sets.size() == 2);
    CHECK(info.replica_sets[1].status == "ScaledDown");
    CHECK(sim.log.empty());
}

TEST_CASE("argo controller: a failed analysis Job aborts, retry starts over", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp, tutorial_steps(), 0);
    to_first_pause(sim);
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle(5);
    sim.finish_job(false);
    sim.settle();
    auto ro = sim.rollout();
    CHECK(ro["status"]["abort"] == true);
    CHECK(ro["status"]["phase"] == "Degraded");
    CHECK(ro["status"]["message"].get<std::string>().starts_with(
        "RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase "
        "error/failed: Metric \"http-benchmark\" assessed Failed due to failed (1) > "
        "failureLimit (0)"));
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 0);
    CHECK(sim.rs_with_image("green")["spec"]["replicas"] == 10);
    CHECK(sim.info().status == "Degraded");

    // retry: abort false; the steps start over with 2 canary pods.
    sim.patch_status({{"abort", false}});
    sim.settle();
    ro = sim.rollout();
    CHECK_FALSE(ro["status"].contains("abort"));
    CHECK(ro["status"]["phase"] == "Paused");
    CHECK(ro["status"]["currentStepIndex"] == 1);
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 2);
    // promote: a new run (collision counter) for the analysis step.
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle(5);
    const auto hash = sim.rs_with_image("blue")["metadata"]["labels"]["rollouts-pod-template-hash"]
                          .get<std::string>();
    CHECK(sim.cp.find(kinds::analysis_runs, "default", "rollout-demo-" + hash + "-2-2.1")
              .has_value());
}

TEST_CASE("argo controller: abort and promote --full", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp);
    to_first_pause(sim);
    sim.patch_status({{"abort", true}});
    sim.settle();
    auto ro = sim.rollout();
    CHECK(ro["status"]["phase"] == "Degraded");
    CHECK(ro["status"]["message"] == "RolloutAborted: Rollout aborted update to revision 2");
    CHECK(ro["status"]["currentStepIndex"] == 0);
    CHECK_FALSE(ro["status"].contains("pauseConditions"));
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 0);
    CHECK(sim.rs_with_image("green")["spec"]["replicas"] == 10);

    // promote --full skips every step (the plugin also clears abort through retry first).
    sim.patch_status({{"abort", false}});
    sim.settle();
    sim.patch_status({{"promoteFull", true}});
    sim.settle();
    ro = sim.rollout();
    CHECK(ro["status"]["phase"] == "Healthy");
    CHECK_FALSE(ro["status"].contains("promoteFull"));
    CHECK(ro["status"]["currentStepIndex"] == 5);
    CHECK(sim.rs_with_image("blue")["spec"]["replicas"] == 10);
    CHECK(sim.rs_with_image("green")["spec"]["replicas"] == 0);
    CHECK(sim.info().status == "Healthy");
}

TEST_CASE("argo controller: timed pause, restart, and the revision history limit", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp, json::parse(R"([{"setWeight": 50}, {"pause": {"duration": "10s"}}])"));
    to_first_pause(sim);
    CHECK(sim.rollout()["status"]["phase"] == "Paused");
    sim.now += std::chrono::seconds(11);
    sim.settle();
    CHECK(sim.rollout()["status"]["phase"] == "Healthy");

    // A third revision: with revisionHistoryLimit 1 the first ReplicaSet goes.
    sim.set_image("argoproj/rollouts-demo:red");
    sim.settle();
    sim.now += std::chrono::seconds(11);
    sim.settle();
    CHECK(sim.rollout()["status"]["phase"] == "Healthy");
    CHECK(sim.rs_with_image("green").is_null());
    CHECK(sim.cp.list(kinds::replica_sets).items.size() == 2);

    sim.cp.patch(kinds::rollouts, "default", "rollout-demo", nova::sim::PatchType::merge,
                 {{"spec", {{"restartAt", "2020-01-01T00:00:00Z"}}}});
    sim.settle(3);
    CHECK(sim.rollout()["status"]["restartedAt"] == "2020-01-01T00:00:00Z");
    CHECK(sim.rollout()["status"]["phase"] == "Healthy");
}

TEST_CASE("argo controller: auto runs once argo-rollouts is available in kind-cp", "[sim]") {
    Sim sim("auto");
    load_tutorial(sim.cp);
    sim.tick(3);
    CHECK(sim.cp.list(kinds::replica_sets).items.empty());
    CHECK_FALSE(sim.rollout().contains("status"));
    sim.hosting.create(
        {"", "namespaces"},
        {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "elotl"}}}});
    sim.hosting.create(kinds::deployments,
                       json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "argo-rollouts", "namespace": "elotl"},
                         "spec": {"replicas": 1}})"));
    sim.tick(3);
    CHECK(sim.cp.list(kinds::replica_sets).items.empty());
    sim.hosting.modify(
        kinds::deployments, "elotl", "argo-rollouts",
        [](json& o) {
            o["status"] = {{"availableReplicas", 1}};
        },
        true);
    sim.tick(3);
    CHECK(sim.cp.list(kinds::replica_sets).items.size() == 1);

    Sim never("never");
    load_tutorial(never.cp);
    never.tick(3);
    CHECK(never.cp.list(kinds::replica_sets).items.empty());
}

TEST_CASE("argo controller: a missing workloadRef Deployment is InvalidSpec", "[sim]") {
    Sim sim;
    load_tutorial(sim.cp);
    sim.cp.remove(kinds::deployments, "default", "rollouts-demo");
    sim.tick(2);
    const auto ro = sim.rollout();
    CHECK(ro["status"]["phase"] == "Degraded");
    CHECK(ro["status"]["message"] == "InvalidSpec: deployments.apps \"rollouts-demo\" not found");
    CHECK(sim.info().status == "Degraded");
}
