#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/replica_set_info.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

namespace {

json replica_set(const std::string& name, const std::string& hash, int revision,
                 const std::string& owner = "ro-uid") {
    json object = R"({"kind": "ReplicaSet", "metadata": {"generation": 1},
        "spec": {"replicas": 1, "template": {"spec": {
            "initContainers": [{"name": "init", "image": "init:1"}]}}},
        "status": {"observedGeneration": 1, "replicas": 1, "availableReplicas": 1}})"_json;
    object["metadata"]["name"] = name;
    object["metadata"]["uid"] = name + "-uid";
    object["metadata"]["labels"]["rollouts-pod-template-hash"] = hash;
    object["metadata"]["annotations"]["rollout.argoproj.io/revision"] = std::to_string(revision);
    object["metadata"]["ownerReferences"] = json::array({json{{"uid", owner}}});
    object["spec"]["template"]["spec"]["containers"] =
        json::array({json{{"name", "app"}, {"image", "app:" + hash}}});
    return object;
}

json pod_of(const std::string& name, const std::string& owner_uid, const std::string& created) {
    return json{{"kind", "Pod"},
                {"metadata",
                 {{"name", name},
                  {"creationTimestamp", created},
                  {"ownerReferences", {{{"uid", owner_uid}}}}}},
                {"spec", {{"containers", {{{"name", "app"}}}}}},
                {"status", {{"phase", "Running"}}}};
}

} // namespace

TEST_CASE("ReplicaSet health", "[rollouts]") {
    auto rs = replica_set("rs", "h", 1);
    CHECK(replica_set_health(rs) == "Healthy");
    rs["status"]["availableReplicas"] = 0;
    CHECK(replica_set_health(rs) == "Progressing");
    rs["status"]["conditions"] = R"([{"type": "ReplicaFailure", "status": "True"}])"_json;
    CHECK(replica_set_health(rs) == "ReplicaFailure");
    rs["status"]["conditions"][0]["status"] = "False";
    CHECK(replica_set_health(rs) == "Progressing");
    rs["spec"]["replicas"] = 0;
    CHECK(replica_set_health(rs) == "ScaledDown");
    rs["metadata"]["generation"] = 2; // not observed yet
    CHECK(replica_set_health(rs) == "Progressing");
    auto unset = replica_set("rs", "h", 1);
    unset["spec"].erase("replicas");
    unset["status"]["availableReplicas"] = 0;
    CHECK(replica_set_health(unset) == "Healthy");
}

TEST_CASE("ReplicaSets of an owner, sorted by revision then name, with their pods", "[rollouts]") {
    ObjectSet objects;
    objects.add(replica_set("b-old", "o", 1));
    objects.add(replica_set("c-new", "n", 2));
    objects.add(replica_set("a-new", "m", 2));
    objects.add(replica_set("other", "x", 9, "other-uid"));
    objects.add(pod_of("p2", "c-new-uid", "2024-05-01T10:00:00Z"));
    objects.add(pod_of("p1", "c-new-uid", "2024-05-01T10:00:00Z"));
    objects.add(pod_of("p0", "c-new-uid", "2024-05-01T10:00:05Z"));
    objects.add(pod_of("stray", "nobody", "2024-05-01T10:00:00Z"));

    const auto infos = replica_set_infos("ro-uid", nullptr, objects);
    REQUIRE(infos.size() == 3);
    CHECK(infos[0].meta.name == "a-new");
    CHECK(infos[1].meta.name == "c-new");
    CHECK(infos[2].meta.name == "b-old");
    REQUIRE(infos[1].pods.size() == 3);
    CHECK(infos[1].pods[0].meta.name == "p1");
    CHECK(infos[1].pods[1].meta.name == "p2");
    CHECK(infos[1].pods[2].meta.name == "p0");
    CHECK(infos[0].pods.empty());

    const auto& rs = infos[0];
    CHECK(rs.revision == 2);
    CHECK(rs.status == "Healthy");
    CHECK(rs.icon == icons::ok);
    CHECK(rs.pod_template_hash == "m");
    CHECK(rs.images == std::vector<std::string>{"app:m"});
    CHECK(rs.init_container_images == std::vector<std::string>{"init:1"});
    CHECK_FALSE(rs.stable);
    CHECK_FALSE(rs.canary);
}

TEST_CASE("canary tags, with ping-pong", "[rollouts]") {
    ObjectSet objects;
    objects.add(replica_set("stable", "s", 1));
    objects.add(replica_set("canary", "c", 2));
    objects.add(replica_set("old", "o", 0));
    auto rollout = R"({"spec": {"strategy": {"canary": {}}},
                       "status": {"stableRS": "s", "currentPodHash": "c"}})"_json;
    auto infos = replica_set_infos("ro-uid", &rollout, objects);
    REQUIRE(infos.size() == 3);
    CHECK(infos[0].canary);
    CHECK_FALSE(infos[0].stable);
    CHECK(infos[1].stable);
    CHECK_FALSE(infos[2].stable);
    CHECK_FALSE(infos[2].canary);
    CHECK_FALSE(infos[0].ping);
    CHECK_FALSE(infos[1].pong);

    rollout["spec"]["strategy"]["canary"]["pingPong"] =
        R"({"pingService": "ping", "pongService": "pong"})"_json;
    rollout["status"]["canary"]["stablePingPong"] = "ping";
    infos = replica_set_infos("ro-uid", &rollout, objects);
    CHECK(infos[0].pong);
    CHECK_FALSE(infos[0].ping);
    CHECK(infos[1].ping);
    CHECK_FALSE(infos[1].pong);

    // A fully promoted canary: stable wins over canary.
    rollout["status"]["currentPodHash"] = "s";
    infos = replica_set_infos("ro-uid", &rollout, objects);
    CHECK(infos[1].stable);
    CHECK_FALSE(infos[1].canary);
}

TEST_CASE("blue-green tags", "[rollouts]") {
    ObjectSet objects;
    objects.add(replica_set("active", "a", 1));
    objects.add(replica_set("preview", "p", 2));
    const auto rollout = R"({"spec": {"strategy": {"blueGreen": {}}},
        "status": {"stableRS": "a",
                   "blueGreen": {"activeSelector": "a", "previewSelector": "p"}}})"_json;
    const auto infos = replica_set_infos("ro-uid", &rollout, objects);
    CHECK(infos[0].preview);
    CHECK_FALSE(infos[0].active);
    CHECK(infos[1].stable);
    CHECK(infos[1].active);
    CHECK_FALSE(infos[1].preview);
}

TEST_CASE("scale-down deadline and delay", "[rollouts]") {
    ObjectSet objects;
    auto rs = replica_set("rs", "h", 1);
    rs["metadata"]["annotations"]["scale-down-deadline"] = "2024-05-01T14:00:00Z";
    rs["metadata"]["annotations"]["experiment.argoproj.io/template-name"] = "baseline";
    objects.add(rs);
    const auto info = replica_set_infos("ro-uid", nullptr, objects).at(0);
    CHECK(info.scale_down_deadline == "2024-05-01T14:00:00Z");
    CHECK(info.template_name == "baseline");

    const auto ten = nova::core::parse_rfc3339("2024-05-01T10:00:00Z");
    using std::chrono::milliseconds;
    CHECK(scale_down_delay(info, ten) == "4h");
    CHECK(scale_down_delay(info, ten + milliseconds(1)) == "3h59m");
    CHECK(scale_down_delay(info, ten + std::chrono::hours(4)) == "0s");
    CHECK(scale_down_delay(info, ten + std::chrono::hours(4) + milliseconds(1)) == "passed");
    auto ancient = info;
    ancient.scale_down_deadline = "0001-01-01T00:00:00Z";
    CHECK(scale_down_delay(ancient, ten) == "passed");
    auto far = info;
    far.scale_down_deadline = "9999-01-01T00:00:00Z";
    CHECK(scale_down_delay(far, ten) == "238y"); // clamped to 2262, without overflow
    auto bad = info;
    bad.scale_down_deadline = "tomorrow";
    CHECK(scale_down_delay(bad, ten).empty());
}
