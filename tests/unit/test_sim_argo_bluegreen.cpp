// The simulated argo-rollouts controller with a blue-green Rollout: Stores and
// ControllerRunner::step at fake times, ReplicaSet status written by hand (in nova-sim the Nova
// controller sums it back from the workload clusters).

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

json service(const std::string& name) {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"selector", {{"app", "bg"}}}, {"ports", json::array({{{"port", 80}}})}}}};
}

// A blue-green Rollout of 4 replicas with an active and a preview Service.
json rollout(const json& blue_green = json::object()) {
    json ro = json::parse(R"({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "bg", "namespace": "default"},
        "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "bg"}},
                 "template": {"metadata": {"labels": {"app": "bg"}},
                              "spec": {"containers": [{"name": "main",
                                  "image": "argoproj/rollouts-demo:blue"}]}},
                 "strategy": {"blueGreen": {"activeService": "bg-active",
                                            "previewService": "bg-preview"}}}})");
    for (const auto& [key, value] : blue_green.items()) {
        ro["spec"]["strategy"]["blueGreen"][key] = value;
    }
    return ro;
}

struct Sim {
    Store cp;
    Store hosting;
    SimSettings settings;
    ControllerRunner runner{Fleet{&cp, &hosting, {}}, 1.0};
    nova::core::Clock::time_point now = nova::core::Clock::now();
    std::vector<std::string> log;

    explicit Sim(const json& blue_green = json::object(), bool services = true) {
        settings.argo_controller = "always";
        cp.set_clock([this] { return std::chrono::time_point_cast<std::chrono::seconds>(now); });
        runner.add(nova::sim::make_argo_controller(settings));
        runner.set_log([this](const std::string& line) { log.push_back(line); });
        if (services) {
            cp.create(kinds::services, service("bg-active"));
            cp.create(kinds::services, service("bg-preview"));
        }
        cp.create(kinds::rollouts, rollout(blue_green));
    }

    void tick() {
        runner.step(now);
        now += std::chrono::milliseconds(50);
    }

    // Ticks, with every ReplicaSet's pods ready at once (what Nova would sum back).
    void settle(int ticks = 20) {
        for (int i = 0; i < ticks; ++i) {
            tick();
            nova::sim::testing::mark_replica_sets_ready(cp);
        }
    }

    json ro() { return cp.get(kinds::rollouts, "default", "bg"); }
    json status() { return ro()["status"]; }
    std::string hash() { return status()["currentPodHash"].get<std::string>(); }
    json rs(const std::string& hash) {
        return cp.get(kinds::replica_sets, "default", "bg-" + hash);
    }
    std::string selector(const std::string& name) {
        return cp.get(kinds::services, "default", name)["spec"]["selector"].value(
            "rollouts-pod-template-hash", "");
    }

    void patch_status(const json& patch) {
        cp.patch(kinds::rollouts, "default", "bg", nova::sim::PatchType::merge, {{"status", patch}},
                 true);
    }
    void patch_spec(const json& patch) {
        cp.patch(kinds::rollouts, "default", "bg", nova::sim::PatchType::merge, {{"spec", patch}});
    }
    void set_image(const std::string& tag) {
        cp.modify(kinds::rollouts, "default", "bg", [&](json& o) {
            o["spec"]["template"]["spec"]["containers"][0]["image"] =
                "argoproj/rollouts-demo:" + tag;
        });
    }

    nova::rollouts::RolloutInfo info() {
        nova::rollouts::ObjectSet objects;
        for (const auto& gr : {kinds::rollouts, kinds::replica_sets}) {
            for (auto& object : cp.list(gr).items) {
                objects.add(std::move(object));
            }
        }
        return nova::rollouts::build_rollout_info(objects, "bg");
    }
};

} // namespace

TEST_CASE("argo controller, blue-green: the first revision puts both Services on it", "[sim]") {
    Sim sim;
    sim.tick();
    const auto hash = sim.hash();
    // The preview Service follows the new ReplicaSet at once; the active one waits for its pods.
    CHECK(sim.selector("bg-preview") == hash);
    CHECK(sim.selector("bg-active").empty());
    CHECK(sim.status()["stableRS"] == hash);
    sim.settle();
    const auto status = sim.status();
    CHECK(status["phase"] == "Healthy");
    CHECK(sim.selector("bg-active") == hash);
    CHECK(status["blueGreen"] == json({{"activeSelector", hash}, {"previewSelector", hash}}));
    CHECK(status["selector"] == "app=bg,rollouts-pod-template-hash=" + hash);
    CHECK(status["availableReplicas"] == 4);
    CHECK(status["HPAReplicas"] == 4);
    CHECK(status["observedGeneration"] == "1");
    CHECK_FALSE(status.contains("currentStepHash"));
    CHECK(status["canary"] == json::object());
    const auto active = sim.cp.get(kinds::services, "default", "bg-active");
    CHECK(active["metadata"]["annotations"]["argo-rollouts.argoproj.io/managed-by-rollouts"] ==
          "bg");
    CHECK(active["spec"]["selector"]["app"] == "bg");
    CHECK(sim.rs(hash)["spec"]["replicas"] == 4);
    const auto version = sim.ro()["metadata"]["resourceVersion"];
    sim.settle(5);
    CHECK(sim.ro()["metadata"]["resourceVersion"] == version);
    CHECK(sim.log.empty());
}

TEST_CASE("argo controller, blue-green: BlueGreenPause, promote, scale-down delay", "[sim]") {
    Sim sim(json{{"autoPromotionEnabled", false}, {"scaleDownDelaySeconds", 10}});
    sim.settle();
    const auto a = sim.hash();
    sim.set_image("green");
    sim.settle();
    const auto b = sim.hash();
    REQUIRE(b != a);
    auto status = sim.status();
    CHECK(status["phase"] == "Paused");
    CHECK(status["message"] == "BlueGreenPause");
    CHECK(status["controllerPause"] == true);
    CHECK(status["pauseConditions"][0]["reason"] == "BlueGreenPause");
    CHECK(status["stableRS"] == a);
    CHECK(status["blueGreen"] == json({{"activeSelector", a}, {"previewSelector", b}}));
    CHECK(status["replicas"] == 8);
    CHECK(status["updatedReplicas"] == 4);
    CHECK(status["availableReplicas"] == 4);
    CHECK(status["selector"] == "app=bg,rollouts-pod-template-hash=" + a);
    CHECK(sim.selector("bg-active") == a);
    CHECK(sim.selector("bg-preview") == b);
    CHECK(sim.rs(a)["spec"]["replicas"] == 4);
    CHECK(sim.rs(b)["spec"]["replicas"] == 4);
    CHECK(sim.rs(b)["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "2");
    auto info = sim.info();
    CHECK(info.status == "Paused");
    CHECK(info.message == "BlueGreenPause");
    REQUIRE(info.replica_sets.size() == 2);
    for (const auto& rs : info.replica_sets) {
        if (rs.pod_template_hash == a) {
            CHECK((rs.stable && rs.active && !rs.preview));
        } else {
            CHECK((rs.preview && !rs.stable && !rs.active));
        }
    }

    // promote: the plugin clears pauseConditions; the controller switches the active Service.
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle(3);
    status = sim.status();
    CHECK(status["phase"] == "Healthy");
    CHECK(status["stableRS"] == b);
    CHECK(status["blueGreen"] == json({{"activeSelector", b}, {"previewSelector", b}}));
    CHECK_FALSE(status.contains("controllerPause"));
    CHECK_FALSE(status.contains("pauseConditions"));
    CHECK(sim.selector("bg-active") == b);
    // The old ReplicaSet stays up until its scale-down deadline.
    const auto old_rs = sim.rs(a);
    CHECK(old_rs["spec"]["replicas"] == 4);
    const auto deadline =
        old_rs["metadata"]["annotations"].value("scale-down-deadline", std::string());
    REQUIRE(deadline.size() == 20);
    CHECK(deadline.back() == 'Z');
    CHECK(sim.status()["replicas"] == 8);
    sim.now += std::chrono::seconds(11);
    sim.settle(3);
    CHECK(sim.rs(a)["spec"]["replicas"] == 0);
    CHECK(sim.status()["replicas"] == 4);
    CHECK(sim.status()["phase"] == "Healthy");
    info = sim.info();
    CHECK(info.status == "Healthy");
    CHECK(sim.log.empty());
}

TEST_CASE("argo controller, blue-green: automatic promotion, with and without delay", "[sim]") {
    SECTION("autoPromotionEnabled (the default) promotes once the preview is available") {
        Sim sim;
        sim.settle();
        sim.set_image("green");
        sim.tick();
        const auto b = sim.hash();
        CHECK(sim.status()["phase"] == "Progressing");
        sim.settle();
        CHECK(sim.status()["phase"] == "Healthy");
        CHECK(sim.status()["stableRS"] == b);
        CHECK_FALSE(sim.status().contains("pauseConditions"));
        CHECK(sim.selector("bg-active") == b);
    }
    SECTION("autoPromotionSeconds pauses that long") {
        Sim sim(json{{"autoPromotionSeconds", 20}});
        sim.settle();
        const auto a = sim.hash();
        sim.set_image("green");
        sim.settle();
        CHECK(sim.status()["phase"] == "Paused");
        CHECK(sim.selector("bg-active") == a);
        sim.now += std::chrono::seconds(21);
        sim.settle(3);
        CHECK(sim.status()["phase"] == "Healthy");
        CHECK(sim.selector("bg-active") == sim.hash());
    }
}

TEST_CASE("argo controller, blue-green: previewReplicaCount sizes the preview", "[sim]") {
    Sim sim(json{{"autoPromotionEnabled", false}, {"previewReplicaCount", 1}});
    sim.settle();
    sim.set_image("green");
    sim.settle();
    const auto b = sim.hash();
    CHECK(sim.status()["phase"] == "Paused");
    CHECK(sim.rs(b)["spec"]["replicas"] == 1);
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle();
    CHECK(sim.rs(b)["spec"]["replicas"] == 4);
    CHECK(sim.status()["phase"] == "Healthy");
    CHECK(sim.selector("bg-active") == b);
    CHECK_FALSE(sim.status()["blueGreen"].contains("scaleUpPreviewCheckPoint"));
}

TEST_CASE("argo controller, blue-green: abort, retry and promote --full", "[sim]") {
    Sim sim(json{{"autoPromotionEnabled", false}, {"abortScaleDownDelaySeconds", 10}});
    sim.settle();
    const auto a = sim.hash();
    sim.set_image("green");
    sim.settle();
    const auto b = sim.hash();
    sim.patch_status({{"abort", true}});
    sim.settle(3);
    auto status = sim.status();
    CHECK(status["phase"] == "Degraded");
    CHECK(status["message"] == "RolloutAborted: Rollout aborted update to revision 2");
    CHECK_FALSE(status.contains("pauseConditions"));
    CHECK(sim.selector("bg-active") == a);
    // The preview stays up abortScaleDownDelaySeconds.
    CHECK(sim.rs(b)["spec"]["replicas"] == 4);
    CHECK(sim.rs(b)["metadata"]["annotations"].contains("scale-down-deadline"));
    sim.now += std::chrono::seconds(11);
    sim.settle(3);
    CHECK(sim.rs(b)["spec"]["replicas"] == 0);
    CHECK(sim.rs(a)["spec"]["replicas"] == 4);
    CHECK(sim.info().status == "Degraded");

    // retry (the plugin clears abort): the preview comes back and pauses again.
    sim.patch_status({{"abort", false}});
    sim.settle();
    CHECK(sim.status()["phase"] == "Paused");
    CHECK(sim.rs(b)["spec"]["replicas"] == 4);
    CHECK_FALSE(sim.rs(b)["metadata"]["annotations"].contains("scale-down-deadline"));

    // promote --full: promoteFull is enough, the pause condition goes with it.
    sim.patch_status({{"promoteFull", true}});
    sim.settle(3);
    status = sim.status();
    CHECK(status["phase"] == "Healthy");
    CHECK(status["stableRS"] == b);
    CHECK_FALSE(status.contains("promoteFull"));
    CHECK_FALSE(status.contains("pauseConditions"));
    CHECK(sim.selector("bg-active") == b);
}

TEST_CASE("argo controller, blue-green: a missing Service is InvalidSpec until it exists",
          "[sim]") {
    Sim sim(json::object(), false);
    sim.cp.create(kinds::services, service("bg-preview"));
    sim.tick();
    auto status = sim.status();
    CHECK(status["phase"] == "Degraded");
    CHECK(status["message"] ==
          "InvalidSpec: The Rollout \"bg\" is invalid: spec.strategy.blueGreen.activeService: "
          "Invalid value: \"bg-active\": services \"bg-active\" not found");
    CHECK(sim.cp.list(kinds::replica_sets).items.empty());
    CHECK(sim.info().status == "Degraded");
    CHECK(sim.log.empty());

    sim.cp.create(kinds::services, service("bg-active"));
    sim.settle();
    status = sim.status();
    CHECK(status["phase"] == "Healthy");
    for (const auto& condition : status["conditions"]) {
        CHECK(condition["type"] != "InvalidSpec");
    }

    // A Service another rollout manages is refused too.
    sim.cp.modify(kinds::services, "default", "bg-preview", [](json& o) {
        o["metadata"]["annotations"]["argo-rollouts.argoproj.io/managed-by-rollouts"] = "other";
    });
    sim.tick();
    CHECK(sim.status()["message"] ==
          "InvalidSpec: The Rollout \"bg\" is invalid: spec.strategy.blueGreen.previewService: "
          "Invalid value: \"bg-preview\": Service \"bg-preview\" is managed by another Rollout");
}

TEST_CASE("argo controller, blue-green: back to the old revision within its delay", "[sim]") {
    Sim sim(json{{"autoPromotionEnabled", false}, {"scaleDownDelaySeconds", 30}});
    sim.settle();
    const auto a = sim.hash();
    sim.now += std::chrono::seconds(2); // argo tells the older ReplicaSet by creationTimestamp
    sim.set_image("green");
    sim.settle();
    sim.patch_status({{"pauseConditions", nullptr}});
    sim.settle(3);
    const auto b = sim.hash();
    REQUIRE(sim.status()["stableRS"] == b);
    REQUIRE(sim.rs(a)["metadata"]["annotations"].contains("scale-down-deadline"));

    // undo while the old pods still run: a fast rollback, no pause, no new ReplicaSet.
    sim.set_image("blue");
    sim.settle(5);
    const auto status = sim.status();
    CHECK(status["currentPodHash"] == a);
    CHECK(status["stableRS"] == a);
    CHECK(status["phase"] == "Healthy");
    CHECK_FALSE(status.contains("pauseConditions"));
    CHECK(sim.selector("bg-active") == a);
    CHECK(sim.selector("bg-preview") == a);
    CHECK_FALSE(sim.rs(a)["metadata"]["annotations"].contains("scale-down-deadline"));
    CHECK(sim.rs(a)["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "3");
    CHECK(sim.cp.list(kinds::replica_sets).items.size() == 2);
    // Now the other one waits for its deadline.
    CHECK(sim.rs(b)["spec"]["replicas"] == 4);
    CHECK(sim.rs(b)["metadata"]["annotations"].contains("scale-down-deadline"));
    sim.now += std::chrono::seconds(31);
    sim.settle(3);
    CHECK(sim.rs(b)["spec"]["replicas"] == 0);
}
