// The clusters' own controllers and kubelet in nova-sim (`run --controllers`): Deployments,
// ReplicaSets and Jobs get pods that start, become Ready and complete, at simulated times.

#include "lib/core/duration.hpp"
#include "lib/sim/cluster_controller.hpp"
#include "lib/sim/controllers.hpp"
#include "lib/sim/store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

using nlohmann::json;
using namespace nova::sim;
using namespace std::chrono_literals;
namespace kinds = nova::sim::kinds;

namespace {

constexpr std::string_view k_alphabet = "bcdfghjklmnpqrstvwxz2456789";

json pod_template(const std::string& image, json labels = {{"app", "demo"}}) {
    return {{"metadata", {{"labels", std::move(labels)}}},
            {"spec", {{"containers", json::array({{{"name", "demo"}, {"image", image}}})}}}};
}

json replica_set(const std::string& name, int replicas) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", "demo"}}}}},
              {"template",
               pod_template("argoproj/rollouts-demo:blue",
                            {{"app", "demo"}, {"rollouts-pod-template-hash", "6f9c8b7d5"}})}}}};
}

json deployment(const std::string& name, int replicas, const std::string& image,
                const std::string& ns = "default") {
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", ns}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", "demo"}}}}},
              {"template", pod_template(image)}}}};
}

json job(const std::string& name, int backoff_limit = -1) {
    json spec = {{"template", pod_template("argoproj/load-tester:latest", {{"role", "test"}})}};
    spec["template"]["spec"]["restartPolicy"] = "Never";
    if (backoff_limit >= 0) {
        spec["backoffLimit"] = backoff_limit;
    }
    return {{"apiVersion", "batch/v1"},
            {"kind", "Job"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", spec}};
}

// One workload cluster (and, when asked, a hosting cluster and a control plane) driven by a
// ControllerRunner at fake times: t(1500ms) is 1.5 s after the start.
struct World {
    SimSettings settings;
    Store workload;
    Store hosting;
    Store control_plane;
    nova::core::Clock::time_point start =
        nova::core::Clock::time_point(nova::core::parse_rfc3339("2024-05-01T10:00:00Z"));
    nova::core::Clock::time_point now = start;
    std::unique_ptr<ControllerRunner> runner;
    std::vector<std::string> errors;

    explicit World(double scale = 1.0) {
        for (Store* store : {&workload, &hosting, &control_plane}) {
            store->set_clock([this] { return std::chrono::floor<std::chrono::seconds>(now); });
        }
        Fleet fleet;
        fleet.control_plane = &control_plane;
        fleet.hosting = &hosting;
        fleet.workloads = {{"kind-workload-1", &workload}};
        runner = std::make_unique<ControllerRunner>(fleet, scale);
        runner->set_log([this](const std::string& line) { errors.push_back(line); });
        runner->add(std::make_unique<ClusterController>(settings));
    }

    void at(std::chrono::milliseconds since_start) {
        now = start + since_start;
        runner->step(now);
        CHECK(errors.empty());
    }

    [[nodiscard]] std::vector<json> pods(Store& store) const {
        return store.list(kinds::pods).items;
    }
    [[nodiscard]] std::vector<json> pods() const { return workload.list(kinds::pods).items; }
};

std::string phase(const json& pod) {
    return pod["status"].value("phase", "");
}

std::string condition(const json& object, const std::string& type) {
    for (const auto& c : object["status"].value("conditions", json::array())) {
        if (c["type"] == type) {
            return c["status"];
        }
    }
    return "";
}

json find_condition(const json& object, const std::string& type) {
    for (const auto& c : object["status"].value("conditions", json::array())) {
        if (c["type"] == type) {
            return c;
        }
    }
    return nullptr;
}

std::set<std::string> names(const std::vector<json>& objects) {
    std::set<std::string> out;
    for (const auto& o : objects) {
        out.insert(o["metadata"]["name"].get<std::string>());
    }
    return out;
}

} // namespace

TEST_CASE("cluster controller: pod-template-hash is stable, 10 chars, Kubernetes' alphabet",
          "[sim][cluster-controller]") {
    const json a = pod_template("argoproj/rollouts-demo:blue");
    const std::string hash = pod_template_hash(a);
    CHECK(hash.size() == 10);
    CHECK(hash.find_first_not_of(k_alphabet) == std::string::npos);
    CHECK(pod_template_hash(a) == hash);
    CHECK(pod_template_hash(json::parse(a.dump())) == hash);
    CHECK(pod_template_hash(pod_template("argoproj/rollouts-demo:green")) != hash);
}

TEST_CASE("cluster controller: a ReplicaSet's pods are Pending, then Running and Ready",
          "[sim][cluster-controller]") {
    World world;
    const json rs = world.workload.create(kinds::replica_sets, replica_set("demo-6f9c8b7d5", 3));
    world.at(0ms);

    auto pods = world.pods();
    REQUIRE(pods.size() == 3);
    for (const auto& pod : pods) {
        const std::string name = pod["metadata"]["name"];
        REQUIRE(name.size() == std::string("demo-6f9c8b7d5-").size() + 5);
        CHECK(name.rfind("demo-6f9c8b7d5-", 0) == 0);
        CHECK(name.substr(15).find_first_not_of(k_alphabet) == std::string::npos);
        CHECK(pod["metadata"]["labels"] ==
              json{{"app", "demo"}, {"rollouts-pod-template-hash", "6f9c8b7d5"}});
        const json& owner = pod["metadata"]["ownerReferences"][0];
        CHECK(owner["kind"] == "ReplicaSet");
        CHECK(owner["apiVersion"] == "apps/v1");
        CHECK(owner["name"] == "demo-6f9c8b7d5");
        CHECK(owner["uid"] == rs["metadata"]["uid"]);
        CHECK(owner["controller"] == true);
        CHECK(pod["spec"]["nodeName"] == "kind-workload-1-worker");
        CHECK(pod["spec"]["containers"][0]["image"] == "argoproj/rollouts-demo:blue");
        CHECK(phase(pod) == "Pending");
        CHECK(condition(pod, "Ready") == "False");
        CHECK(pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] ==
              "ContainerCreating");
        CHECK_FALSE(pod["status"].contains("podIP"));
    }
    json status = world.workload.get(kinds::replica_sets, "default", "demo-6f9c8b7d5")["status"];
    CHECK(status["replicas"] == 3);
    CHECK(status["fullyLabeledReplicas"] == 3);
    CHECK_FALSE(status.contains("readyReplicas"));
    CHECK(status["observedGeneration"] == 1);

    world.at(2900ms); // pod_start is 3 s
    for (const auto& pod : world.pods()) {
        CHECK(phase(pod) == "Pending");
    }

    world.at(3000ms);
    pods = world.pods();
    std::set<std::string> ips;
    for (const auto& pod : pods) {
        CHECK(phase(pod) == "Running");
        CHECK(condition(pod, "Ready") == "True");
        CHECK(condition(pod, "ContainersReady") == "True");
        const json& container = pod["status"]["containerStatuses"][0];
        CHECK(container["ready"] == true);
        CHECK(container["state"]["running"]["startedAt"] == "2024-05-01T10:00:03Z");
        CHECK(pod["status"]["startTime"] == "2024-05-01T10:00:00Z");
        const std::string ip = pod["status"]["podIP"];
        CHECK(ip.rfind("10.244.", 0) == 0);
        ips.insert(ip);
    }
    CHECK(ips.size() == 3);
    status = world.workload.get(kinds::replica_sets, "default", "demo-6f9c8b7d5")["status"];
    CHECK(status["readyReplicas"] == 3);
    CHECK(status["availableReplicas"] == 3);

    // Nothing changes any more: no writes, no events.
    const std::string version = world.workload.resource_version();
    world.at(4000ms);
    world.at(60000ms);
    CHECK(world.workload.resource_version() == version);
}

TEST_CASE("cluster controller: scaling a ReplicaSet up and down, newest pods go first",
          "[sim][cluster-controller]") {
    World world;
    world.workload.create(kinds::replica_sets, replica_set("demo", 2));
    world.at(0ms);
    const auto first = names(world.pods());
    REQUIRE(first.size() == 2);

    world.workload.modify(kinds::replica_sets, "default", "demo",
                          [](json& o) { o["spec"]["replicas"] = 4; });
    world.at(5000ms);
    REQUIRE(world.pods().size() == 4);
    world.at(8000ms);
    json status = world.workload.get(kinds::replica_sets, "default", "demo")["status"];
    CHECK(status["replicas"] == 4);
    CHECK(status["readyReplicas"] == 4);
    CHECK(status["observedGeneration"] == 2);

    world.workload.modify(kinds::replica_sets, "default", "demo",
                          [](json& o) { o["spec"]["replicas"] = 2; });
    world.at(9000ms);
    CHECK(names(world.pods()) == first);
    status = world.workload.get(kinds::replica_sets, "default", "demo")["status"];
    CHECK(status["replicas"] == 2);
    CHECK(status["readyReplicas"] == 2);

    world.workload.modify(kinds::replica_sets, "default", "demo",
                          [](json& o) { o["spec"]["replicas"] = 0; });
    world.at(10000ms);
    CHECK(world.pods().empty());
    status = world.workload.get(kinds::replica_sets, "default", "demo")["status"];
    CHECK(status["replicas"] == 0);
    CHECK_FALSE(status.contains("readyReplicas"));

    // Deleting the ReplicaSet deletes its pods (the store's garbage collector).
    world.workload.modify(kinds::replica_sets, "default", "demo",
                          [](json& o) { o["spec"]["replicas"] = 1; });
    world.at(11000ms);
    REQUIRE(world.pods().size() == 1);
    world.workload.remove(kinds::replica_sets, "default", "demo");
    CHECK(world.pods().empty());
    world.at(12000ms);
    CHECK(world.pods().empty());
}

TEST_CASE("cluster controller: a Deployment gets a ReplicaSet per template and becomes "
          "Available",
          "[sim][cluster-controller]") {
    World world;
    const json created = world.workload.create(kinds::deployments, deployment("web", 2, "nginx:1"));
    world.at(0ms);

    auto replica_sets = world.workload.list(kinds::replica_sets).items;
    REQUIRE(replica_sets.size() == 1);
    const json first = replica_sets[0];
    const std::string hash = first["metadata"]["labels"]["pod-template-hash"];
    CHECK(hash == pod_template_hash(created["spec"]["template"]));
    CHECK(first["metadata"]["name"] == "web-" + hash);
    CHECK(first["metadata"]["labels"]["app"] == "demo");
    CHECK(first["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
    CHECK(first["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "2");
    CHECK(first["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3");
    CHECK(first["metadata"]["ownerReferences"][0]["uid"] == created["metadata"]["uid"]);
    CHECK(first["metadata"]["ownerReferences"][0]["kind"] == "Deployment");
    CHECK(first["metadata"]["ownerReferences"][0]["controller"] == true);
    CHECK(first["spec"]["selector"]["matchLabels"]["pod-template-hash"] == hash);
    CHECK(first["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == hash);
    CHECK(first["spec"]["replicas"] == 2);

    json web = world.workload.get(kinds::deployments, "default", "web");
    CHECK(web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
    CHECK(web["metadata"]["generation"] == 1);
    CHECK(web["status"]["replicas"] == 2);
    CHECK(web["status"]["updatedReplicas"] == 2);
    CHECK(web["status"]["unavailableReplicas"] == 2);
    CHECK(web["status"]["observedGeneration"] == 1);
    CHECK(condition(web, "Available") == "False");
    CHECK(find_condition(web, "Progressing")["reason"] == "ReplicaSetUpdated");
    for (const auto& pod : world.pods()) {
        CHECK(pod["metadata"]["labels"]["pod-template-hash"] == hash);
    }

    world.at(3000ms);
    web = world.workload.get(kinds::deployments, "default", "web");
    CHECK(web["status"]["availableReplicas"] == 2);
    CHECK(web["status"]["readyReplicas"] == 2);
    CHECK_FALSE(web["status"].contains("unavailableReplicas"));
    CHECK(find_condition(web, "Available")["reason"] == "MinimumReplicasAvailable");
    CHECK(condition(web, "Available") == "True");
    CHECK(find_condition(web, "Progressing")["reason"] == "NewReplicaSetAvailable");
    CHECK(find_condition(web, "Progressing")["message"] ==
          "ReplicaSet \"web-" + hash + "\" has successfully progressed.");
    const std::string version = world.workload.resource_version();
    world.at(5000ms);
    CHECK(world.workload.resource_version() == version);

    // A new template: a second ReplicaSet, revision 2; the first goes to 0.
    world.workload.modify(kinds::deployments, "default", "web", [](json& o) {
        o["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
    });
    world.at(6000ms);
    replica_sets = world.workload.list(kinds::replica_sets).items;
    REQUIRE(replica_sets.size() == 2);
    const json old_rs = world.workload.get(kinds::replica_sets, "default", "web-" + hash);
    CHECK(old_rs["spec"]["replicas"] == 0);
    web = world.workload.get(kinds::deployments, "default", "web");
    CHECK(web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2");
    const std::string new_hash = pod_template_hash(web["spec"]["template"]);
    const json new_rs = world.workload.get(kinds::replica_sets, "default", "web-" + new_hash);
    CHECK(new_rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2");
    for (const auto& pod : world.pods()) {
        CHECK(pod["spec"]["containers"][0]["image"] == "nginx:2");
    }
    CHECK(web["status"]["observedGeneration"] == 2);
    CHECK(condition(web, "Available") == "False");

    world.at(9000ms);
    web = world.workload.get(kinds::deployments, "default", "web");
    CHECK(condition(web, "Available") == "True");
    CHECK(web["status"]["updatedReplicas"] == 2);

    // Scaling the Deployment scales its current ReplicaSet.
    world.workload.modify(kinds::deployments, "default", "web",
                          [](json& o) { o["spec"]["replicas"] = 3; });
    world.at(10000ms);
    CHECK(world.workload.get(kinds::replica_sets, "default",
                             "web-" + new_hash)["spec"]["replicas"] == 3);
    CHECK(world.pods().size() == 3);

    // Deleting the Deployment takes its ReplicaSets and their pods with it.
    world.workload.remove(kinds::deployments, "default", "web");
    CHECK(world.workload.list(kinds::replica_sets).items.empty());
    CHECK(world.pods().empty());
}

TEST_CASE("cluster controller: a Job's pod runs and the Job completes",
          "[sim][cluster-controller]") {
    World world;
    world.settings.job_run = 5000ms;
    const json created = world.workload.create(kinds::jobs, job("bench"));
    world.at(0ms);
    auto pods = world.pods();
    REQUIRE(pods.size() == 1);
    const json pod = pods[0];
    const std::string uid = created["metadata"]["uid"];
    CHECK(pod["metadata"]["name"].get<std::string>().rfind("bench-", 0) == 0);
    CHECK(pod["metadata"]["labels"]["job-name"] == "bench");
    CHECK(pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "bench");
    CHECK(pod["metadata"]["labels"]["controller-uid"] == uid);
    CHECK(pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == uid);
    CHECK(pod["metadata"]["labels"]["role"] == "test");
    CHECK(pod["metadata"]["ownerReferences"][0]["kind"] == "Job");
    CHECK(pod["metadata"]["ownerReferences"][0]["apiVersion"] == "batch/v1");
    CHECK(pod["metadata"]["ownerReferences"][0]["uid"] == uid);
    CHECK(pod["spec"]["restartPolicy"] == "Never");
    json status = world.workload.get(kinds::jobs, "default", "bench")["status"];
    CHECK(status["active"] == 1);
    CHECK(status["startTime"] == "2024-05-01T10:00:00Z");
    CHECK_FALSE(status.contains("conditions"));

    world.at(3000ms);
    CHECK(phase(world.pods()[0]) == "Running");
    status = world.workload.get(kinds::jobs, "default", "bench")["status"];
    CHECK(status["active"] == 1);
    CHECK(status["ready"] == 1);

    world.at(7900ms);
    CHECK(phase(world.pods()[0]) == "Running");
    world.at(8000ms);
    pods = world.pods();
    REQUIRE(pods.size() == 1);
    CHECK(phase(pods[0]) == "Succeeded");
    CHECK(pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 0);
    CHECK(pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] ==
          "Completed");
    const json done = world.workload.get(kinds::jobs, "default", "bench");
    CHECK(done["status"]["succeeded"] == 1);
    CHECK_FALSE(done["status"].contains("active"));
    CHECK(done["status"]["completionTime"] == "2024-05-01T10:00:08Z");
    CHECK(condition(done, "Complete") == "True");
    CHECK(find_condition(done, "Complete")["reason"] == "CompletionsReached");

    const std::string version = world.workload.resource_version();
    world.at(20000ms);
    CHECK(world.workload.resource_version() == version);
    CHECK(world.pods().size() == 1);

    // Deleting the Job deletes its pod.
    world.workload.remove(kinds::jobs, "default", "bench");
    CHECK(world.pods().empty());

    // A long name is cut to 58 characters before the random suffix, as generateName is.
    const std::string long_name = "be71ac5f-231e-44db-b59b-907b287b0303.http-benchmark.1";
    world.workload.create(kinds::jobs, job(long_name + "-and-more"));
    world.at(21000ms);
    REQUIRE(world.pods().size() == 1);
    const std::string pod_name = world.pods()[0]["metadata"]["name"];
    CHECK(pod_name.size() == 63);
    CHECK(pod_name.substr(0, 58) == (long_name + "-and-more-").substr(0, 58));
}

TEST_CASE("cluster controller: failing_jobs makes the next Jobs fail",
          "[sim][cluster-controller]") {
    World world;
    world.settings.failing_jobs = 1;
    world.workload.create(kinds::jobs, job("first", 0));
    world.at(0ms);
    CHECK(world.settings.failing_jobs == 0);
    world.workload.create(kinds::jobs, job("second", 0));
    world.at(1000ms);
    world.at(8000ms);
    world.at(9000ms);

    const json first = world.workload.get(kinds::jobs, "default", "first");
    CHECK(condition(first, "Failed") == "True");
    CHECK(find_condition(first, "Failed")["reason"] == "BackoffLimitExceeded");
    CHECK(first["status"]["failed"] == 1);
    CHECK_FALSE(first["status"].contains("completionTime"));
    const json second = world.workload.get(kinds::jobs, "default", "second");
    CHECK(condition(second, "Complete") == "True");
    for (const auto& pod : world.pods()) {
        const std::string name = pod["metadata"]["name"];
        if (name.rfind("first-", 0) == 0) {
            CHECK(phase(pod) == "Failed");
            CHECK(pod["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 1);
        } else {
            CHECK(phase(pod) == "Succeeded");
        }
    }
    CHECK(world.pods().size() == 2);

    // With a backoffLimit left, a failed pod is replaced, and the Job may still succeed.
    world.settings.failing_jobs = 1;
    world.workload.create(kinds::jobs, job("retried"));
    world.at(10000ms);
    world.at(18000ms); // the first pod failed; a second starts
    CHECK(world.workload.get(kinds::jobs, "default", "retried")["status"]["failed"] == 1);
    CHECK(world.workload.get(kinds::jobs, "default", "retried")["status"]["active"] == 1);
    world.at(26000ms);
    const json retried = world.workload.get(kinds::jobs, "default", "retried");
    CHECK(condition(retried, "Complete") == "True");
    CHECK(retried["status"]["failed"] == 1);
    CHECK(retried["status"]["succeeded"] == 1);
}

TEST_CASE("cluster controller: the hosting cluster runs argo-rollouts, and the control plane "
          "runs nothing",
          "[sim][cluster-controller]") {
    World world(10.0); // ten simulated seconds a second: pods start in 300 ms
    world.hosting.create(
        kinds::namespaces,
        {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "elotl"}}}});
    world.hosting.create(
        kinds::deployments,
        deployment("argo-rollouts", 1, "quay.io/argoproj/argo-rollouts:v1.7.2", "elotl"));
    world.control_plane.create(kinds::replica_sets, replica_set("demo", 3));
    world.control_plane.create(kinds::deployments, deployment("web", 2, "nginx:1"));
    const std::string control_plane_version = world.control_plane.resource_version();

    world.at(0ms);
    auto pods = world.pods(world.hosting);
    REQUIRE(pods.size() == 1);
    CHECK(pods[0]["metadata"]["namespace"] == "elotl");
    CHECK(pods[0]["spec"]["nodeName"] == "kind-cp-worker");
    world.at(299ms);
    CHECK(condition(world.hosting.get(kinds::deployments, "elotl", "argo-rollouts"), "Available") ==
          "False");
    world.at(300ms);
    CHECK(condition(world.hosting.get(kinds::deployments, "elotl", "argo-rollouts"), "Available") ==
          "True");
    CHECK(world.control_plane.resource_version() == control_plane_version);
    CHECK(world.pods(world.control_plane).empty());
}

TEST_CASE("cluster controller: the kubelet runs pods created directly",
          "[sim][cluster-controller]") {
    World world;
    world.workload.create(kinds::pods, {{"apiVersion", "v1"},
                                        {"kind", "Pod"},
                                        {"metadata", {{"name", "lone"}, {"namespace", "default"}}},
                                        {"spec", pod_template("busybox")["spec"]}});
    world.at(0ms);
    json pod = world.workload.get(kinds::pods, "default", "lone");
    CHECK(pod["spec"]["nodeName"] == "kind-workload-1-worker");
    CHECK(phase(pod) == "Pending");
    CHECK(pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] ==
          "ContainerCreating");
    world.at(3000ms);
    pod = world.workload.get(kinds::pods, "default", "lone");
    CHECK(phase(pod) == "Running");
    CHECK(condition(pod, "Ready") == "True");
}

TEST_CASE("cluster controller: an image the cluster cannot pull keeps its pods in "
          "ImagePullBackOff (ctl pull-fail)",
          "[sim][cluster-controller]") {
    World world;
    world.settings.set_pull_fails("kind-workload-1", "argoproj/rollouts-demo:blue");
    CHECK(world.settings.pull_fails("kind-workload-1", "argoproj/rollouts-demo:blue"));
    CHECK_FALSE(world.settings.pull_fails("kind-workload-2", "argoproj/rollouts-demo:blue"));
    world.workload.create(kinds::replica_sets, replica_set("demo-6f9c8b7d5", 2));
    world.at(0ms);
    world.at(3000ms);
    for (const auto& pod : world.pods()) {
        CHECK(phase(pod) == "Pending");
        CHECK(condition(pod, "Ready") == "False");
        const json& state = pod["status"]["containerStatuses"][0]["state"];
        CHECK(state["waiting"]["reason"] == "ImagePullBackOff");
        CHECK(state["waiting"]["message"] ==
              "Back-off pulling image \"argoproj/rollouts-demo:blue\"");
    }
    // Written once: later ticks change nothing.
    const std::string version = world.workload.resource_version();
    world.at(5000ms);
    CHECK(world.workload.resource_version() == version);

    // The image pulls again: the pods start on the next tick.
    world.settings.set_pull_fails("kind-workload-1", "");
    CHECK_FALSE(world.settings.pull_fails("kind-workload-1", "argoproj/rollouts-demo:blue"));
    world.at(5100ms);
    for (const auto& pod : world.pods()) {
        CHECK(phase(pod) == "Running");
        CHECK(condition(pod, "Ready") == "True");
    }
}

TEST_CASE("simulated controllers: a paused controller skips its ticks (ctl pause)",
          "[sim][cluster-controller]") {
    SimSettings settings;
    CHECK_FALSE(settings.paused("cluster"));
    settings.set_paused("cluster", true);
    CHECK(settings.paused("cluster"));
    CHECK_FALSE(settings.paused("nova"));

    Store workload;
    Fleet fleet;
    fleet.workloads = {{"kind-workload-1", &workload}};
    ControllerRunner runner(fleet, 1.0);
    for (auto& controller : simulated_controllers(settings)) {
        runner.add(std::move(controller));
    }
    workload.create(kinds::replica_sets, replica_set("demo-6f9c8b7d5", 2));
    runner.step(nova::core::Clock::now());
    CHECK(workload.list(kinds::pods).items.empty());
    settings.set_paused("cluster", false);
    runner.step(nova::core::Clock::now());
    CHECK(workload.list(kinds::pods).items.size() == 2);
}
