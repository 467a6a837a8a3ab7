#include "lib/rollouts/object_set.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

TEST_CASE("ObjectSet files objects by kind and ignores other kinds", "[rollouts]") {
    ObjectSet set;
    CHECK(set.add(R"({"kind": "Rollout"})"_json));
    CHECK(set.add(R"({"kind": "ReplicaSet"})"_json));
    CHECK(set.add(R"({"kind": "Pod"})"_json));
    CHECK(set.add(R"({"kind": "Experiment"})"_json));
    CHECK(set.add(R"({"kind": "AnalysisRun"})"_json));
    CHECK(set.add(R"({"kind": "Deployment"})"_json));
    CHECK_FALSE(set.add(R"({"kind": "Job"})"_json));
    CHECK_FALSE(set.add(R"({})"_json));
    CHECK(set.rollouts.size() == 1);
    CHECK(set.replica_sets.size() == 1);
    CHECK(set.pods.size() == 1);
    CHECK(set.experiments.size() == 1);
    CHECK(set.analysis_runs.size() == 1);
    CHECK(set.deployments.size() == 1);
}

TEST_CASE("ownership is decided by ownerReference uid, controller or not", "[rollouts]") {
    const auto pod = R"({"metadata": {"ownerReferences": [
        {"kind": "Job", "uid": "job-1"},
        {"kind": "ReplicaSet", "uid": "rs-2", "controller": false},
        {"kind": "ReplicaSet", "uid": "rs-1", "controller": true}
    ]}})"_json;
    CHECK(is_owned_by(pod, "rs-1"));
    CHECK(is_owned_by(pod, "job-1"));
    CHECK_FALSE(is_owned_by(pod, "rs-3"));
    // The first reference (in the object's order) that matches decides.
    CHECK(owner_among(pod, {"rs-1", "rs-2"}) == "rs-2");
    CHECK_FALSE(owner_among(pod, {"other"}));
    CHECK_FALSE(owner_among(json::object(), {"rs-1"}));
}

TEST_CASE("revisions come from the revision annotation, 0 when unusable", "[rollouts]") {
    CHECK(revision_of(R"({"metadata": {"annotations":
        {"rollout.argoproj.io/revision": "31"}}})"_json) == 31);
    CHECK(revision_of(R"({"metadata": {"annotations":
        {"rollout.argoproj.io/revision": "x"}}})"_json) == 0);
    CHECK(revision_of(R"({"metadata": {}})"_json) == 0);
}

TEST_CASE("object_meta reads name, namespace, uid and creation time", "[rollouts]") {
    const auto meta = object_meta(R"({"metadata": {"name": "n", "namespace": "ns", "uid": "u",
        "creationTimestamp": "2024-05-01T10:00:00Z"}})"_json);
    CHECK(meta.name == "n");
    CHECK(meta.namespace_name == "ns");
    CHECK(meta.uid == "u");
    CHECK(meta.created == nova::core::parse_rfc3339("2024-05-01T10:00:00Z"));
    CHECK_FALSE(object_meta(json::object()).created);
}
