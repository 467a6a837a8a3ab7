#include "lib/rollouts/phase.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

namespace {

// A healthy, fully promoted basic canary; each test breaks one thing.
json healthy_canary() {
    return R"({
        "metadata": {"generation": 4},
        "spec": {"replicas": 3, "strategy": {"canary": {"steps": [{"setWeight": 50}]}}},
        "status": {"observedGeneration": "4", "replicas": 3, "updatedReplicas": 3,
                   "availableReplicas": 3, "readyReplicas": 3,
                   "currentPodHash": "abc", "stableRS": "abc"}
    })"_json;
}

json healthy_blue_green() {
    auto rollout = healthy_canary();
    rollout["spec"]["strategy"] = R"({"blueGreen": {"activeService": "a"}})"_json;
    rollout["status"]["blueGreen"] = R"({"activeSelector": "abc"})"_json;
    return rollout;
}

RolloutPhase phase(const json& rollout) {
    return rollout_phase(rollout);
}

} // namespace

TEST_CASE("a healthy rollout", "[rollouts]") {
    CHECK(phase(healthy_canary()) == RolloutPhase{"Healthy", ""});
    CHECK(phase(healthy_blue_green()) == RolloutPhase{"Healthy", ""});
}

TEST_CASE("an unobserved spec generation comes first", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["observedGeneration"] = "3";
    rollout["status"]["phase"] = "Healthy";
    CHECK(phase(rollout) ==
          RolloutPhase{"Progressing", "waiting for rollout spec update to be observed"});
    // A v0.9 hash, a higher number or no observedGeneration all count as observed.
    rollout["status"]["observedGeneration"] = "6cbccd9f99";
    CHECK(phase(rollout).status == "Healthy");
    rollout["status"]["observedGeneration"] = "5";
    CHECK(phase(rollout).status == "Healthy");
    rollout["status"].erase("observedGeneration");
    CHECK(phase(rollout).status == "Healthy");
}

TEST_CASE("a controller pause without pause conditions is unpausing", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["controllerPause"] = true;
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "waiting for rollout to unpause"});
    rollout["status"]["pauseConditions"] = R"([{"reason": "CanaryPauseStep"}])"_json;
    CHECK(phase(rollout) == RolloutPhase{"Paused", "CanaryPauseStep"});
}

TEST_CASE("the controller's phase and message are used when present", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["phase"] = "Paused";
    rollout["status"]["message"] = "CanaryPauseStep";
    CHECK(phase(rollout) == RolloutPhase{"Paused", "CanaryPauseStep"});
    rollout["status"]["message"] = nullptr;
    CHECK(phase(rollout) == RolloutPhase{"Paused", ""});
}

TEST_CASE("degraded conditions, first hit wins", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["conditions"] = R"([
        {"type": "Available", "reason": "AvailableReason", "message": "fine"},
        {"type": "Progressing", "reason": "ProgressDeadlineExceeded", "message": "too slow"},
        {"type": "InvalidSpec", "reason": "x", "message": "bad spec"}
    ])"_json;
    CHECK(phase(rollout) == RolloutPhase{"Degraded", "ProgressDeadlineExceeded: too slow"});
    rollout["status"]["conditions"][1]["reason"] = "RolloutAborted";
    CHECK(phase(rollout) == RolloutPhase{"Degraded", "RolloutAborted: too slow"});
    rollout["status"]["conditions"][1]["reason"] = "ReplicaSetUpdated";
    CHECK(phase(rollout) == RolloutPhase{"Degraded", "InvalidSpec: bad spec"});
}

TEST_CASE("pauses", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["spec"]["paused"] = true;
    rollout["status"]["pauseConditions"] = R"([{"reason": "CanaryPauseStep"}])"_json;
    CHECK(phase(rollout) == RolloutPhase{"Paused", "manually paused"});
    rollout["spec"]["paused"] = false;
    CHECK(phase(rollout) == RolloutPhase{"Paused", "CanaryPauseStep"});
}

TEST_CASE("a restart is pending until restartedAt names the same instant", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["spec"]["restartAt"] = "2024-05-01T10:00:00Z";
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "rollout is restarting"});
    rollout["status"]["restartedAt"] = "2024-05-01T09:00:00Z";
    CHECK(phase(rollout).message == "rollout is restarting");
    rollout["status"]["restartedAt"] = "2024-05-01T12:00:00+02:00";
    CHECK(phase(rollout).status == "Healthy");
}

TEST_CASE("replica counts", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["updatedReplicas"] = 2;
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "more replicas need to be updated"});
    rollout["status"]["updatedReplicas"] = 3;
    rollout["status"]["availableReplicas"] = 2;
    CHECK(phase(rollout) ==
          RolloutPhase{"Progressing", "updated replicas are still becoming available"});
    // spec.replicas defaults to 1.
    auto single = healthy_canary();
    single["spec"].erase("replicas");
    single["status"]["updatedReplicas"] = 0;
    CHECK(phase(single).message == "more replicas need to be updated");
    CHECK(desired_replicas(single) == 1);
}

TEST_CASE("basic canary waits for old replicas and steps", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["status"]["replicas"] = 4;
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "old replicas are pending termination"});
    // With traffic routing, old replicas may stay (scale-down delay).
    rollout["spec"]["strategy"]["canary"]["trafficRouting"] = R"({"smi": {}})"_json;
    CHECK(phase(rollout).status == "Healthy");
    rollout["status"]["stableRS"] = "old";
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "waiting for all steps to complete"});
    rollout["status"]["stableRS"] = "";
    rollout["status"]["currentPodHash"] = "";
    CHECK(phase(rollout).message == "waiting for all steps to complete");
}

TEST_CASE("blue-green waits for the cutover and post-promotion", "[rollouts]") {
    auto rollout = healthy_blue_green();
    rollout["status"]["replicas"] = 6; // old replicas never count for blue-green
    CHECK(phase(rollout).status == "Healthy");
    rollout["status"]["blueGreen"]["activeSelector"] = "old";
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "active service cutover pending"});
    rollout["status"]["blueGreen"]["activeSelector"] = "abc";
    rollout["status"]["stableRS"] = "old";
    CHECK(phase(rollout) ==
          RolloutPhase{"Progressing", "waiting for post-promotion verification to complete"});
    rollout["spec"]["strategy"]["blueGreen"]["postPromotionAnalysis"] =
        R"({"templates": [{"templateName": "t"}]})"_json;
    CHECK(phase(rollout) == RolloutPhase{"Progressing", "waiting for analysis to complete"});
    rollout["status"]["blueGreen"]["postPromotionAnalysisRunStatus"] =
        R"({"name": "run", "status": "Running"})"_json;
    CHECK(phase(rollout).message == "waiting for analysis to complete");
    rollout["status"]["blueGreen"]["postPromotionAnalysisRunStatus"]["status"] = "Successful";
    CHECK(phase(rollout).message == "waiting for post-promotion verification to complete");
}

TEST_CASE("a rollout with no strategy is healthy once replicas are updated", "[rollouts]") {
    auto rollout = healthy_canary();
    rollout["spec"]["strategy"] = json::object();
    rollout["status"]["stableRS"] = "";
    CHECK(phase(rollout).status == "Healthy");
}
