#include "argo_golden_support.hpp"
#include "lib/core/error.hpp"
#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using rollouts::ImageInfo;

namespace {

const auto now = test::argo_golden_now();

std::vector<std::int64_t> revs(const rollouts::RolloutInfo& info) {
    return rollouts::revisions(info);
}

} // namespace

TEST_CASE("canary fixture: values of the header", "[rollouts]") {
    const auto objects = test::argo_fixture("canary", now);
    const auto info = rollouts::build_rollout_info(objects, "canary-demo");
    CHECK(info.meta.name == "canary-demo");
    CHECK(info.meta.namespace_name == "jesse-test");
    CHECK(info.status == "Degraded");
    CHECK(info.icon == rollouts::icons::bad);
    CHECK(info.message ==
          "ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out "
          "progressing.");
    CHECK(info.strategy == "Canary");
    CHECK(info.step == "0/8");
    CHECK(info.set_weight == "20");
    CHECK(info.actual_weight == "0");
    CHECK(info.desired == 5);
    CHECK(info.current == 6);
    CHECK(info.updated == 1);
    CHECK(info.ready == 5);
    CHECK(info.available == 5);
    CHECK_FALSE(info.aborted);
    CHECK(revs(info) == std::vector<std::int64_t>{31, 30, 29});
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:does-not-exist", {"canary"}},
                                 {"argoproj/rollouts-demo:green", {"stable"}}});
    REQUIRE(info.replica_sets.size() == 3);
    CHECK(info.replica_sets[1].pods.size() == 5);
    CHECK(info.containers == std::vector<rollouts::ContainerInfo>{
                                 {"canary-demo", "argoproj/rollouts-demo:does-not-exist"}});
    CHECK_FALSE(info.workload_ref);
    CHECK(info.restarted_at == "Never");
    CHECK(info.observed_generation == "429");
}

TEST_CASE("canary fixture: ping-pong tags", "[rollouts]") {
    const auto objects = test::argo_fixture("canary", now);
    const auto info = rollouts::build_rollout_info(objects, "canary-demo-pingpong");
    CHECK(revs(info).size() == 3);
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:does-not-exist", {"canary", "ping"}},
                                 {"argoproj/rollouts-demo:green", {"stable", "pong"}}});
}

TEST_CASE("canary fixture: actual weight with traffic routing", "[rollouts]") {
    const auto objects = test::argo_fixture("canary", now);
    // status.canary.weights present: the canary weight it reports.
    CHECK(rollouts::build_rollout_info(objects, "canary-demo-weights").actual_weight == "20");
    // Absent: the set weight.
    const auto fallback = rollouts::build_rollout_info(objects, "canary-demo-weights-na");
    CHECK(fallback.actual_weight == fallback.set_weight);
}

TEST_CASE("canary fixture: workloadRef", "[rollouts]") {
    const auto objects = test::argo_fixture("canary", now);
    const auto deploy = rollouts::build_rollout_info(objects, "canary-demo-workloadRef-deploy");
    REQUIRE(deploy.workload_ref);
    CHECK(*deploy.workload_ref == rollouts::WorkloadRef{"Deployment", "canary-demo-deploy", true});
    REQUIRE(deploy.containers.size() == 1);
    CHECK(deploy.containers[0].image == "argoproj/rollouts-demo:red");

    // A workloadRef to a ReplicaSet: argo looks for a Deployment of that name and fails; here the
    // tree is still built.
    const auto replica_set = rollouts::build_rollout_info(objects, "canary-demo-workloadRef");
    REQUIRE(replica_set.workload_ref);
    CHECK_FALSE(replica_set.workload_ref->found);
    CHECK(replica_set.containers.empty());
    CHECK(replica_set.replica_sets.size() == 3);
}

TEST_CASE("a missing rollout is argo's not-found error", "[rollouts]") {
    const auto objects = test::argo_fixture("canary", now);
    try {
        (void)rollouts::build_rollout_info(objects, "nope");
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(std::string(e.what()) == "rollout.argoproj.io \"nope\" not found");
        CHECK(e.code() == core::ExitCode::failure);
    }
    CHECK_THROWS_WITH(rollouts::build_experiment_info(objects, "nope"),
                      "experiment.argoproj.io \"nope\" not found");
}

TEST_CASE("blue-green fixture", "[rollouts]") {
    auto objects = test::argo_fixture("blue-green", now);
    auto info = rollouts::build_rollout_info(objects, "bluegreen-demo");
    CHECK(info.status == "Paused");
    CHECK(info.message == "BlueGreenPause");
    CHECK(info.icon == rollouts::icons::paused);
    CHECK(info.strategy == "BlueGreen");
    CHECK(info.step.empty());
    CHECK(info.set_weight.empty());
    CHECK(revs(info) == std::vector<std::int64_t>{11, 10, 8});
    CHECK(rollouts::revision_groups(info).at(0).replica_sets.size() == 1);
    CHECK(info.replica_sets[0].scale_down_deadline.empty());
    CHECK(rollouts::scale_down_delay(info.replica_sets[0], now).empty());
    // Tags of a single ReplicaSet keep argo's order (stable, active), not sorted.
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:blue", {"stable", "active"}},
                                 {"argoproj/rollouts-demo:green", {"preview"}}});

    // The same image from two ReplicaSets: merged tags are sorted.
    objects.replica_sets[2]["spec"]["template"]["spec"]["containers"][0]["image"] =
        "argoproj/rollouts-demo:blue";
    info = rollouts::build_rollout_info(objects, "bluegreen-demo");
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:blue", {"active", "preview", "stable"}}});
}

TEST_CASE("experiment-analysis fixture", "[rollouts]") {
    const auto objects = test::argo_fixture("experiment-analysis", now);
    const auto info = rollouts::build_rollout_info(objects, "rollout-experiment-analysis");
    CHECK(info.status == "Degraded"); // the deadline condition beats the pause condition
    CHECK(info.step == "1/2");
    CHECK(info.set_weight == "25");
    CHECK(info.actual_weight == "25"); // 1 of 4 available pods is in the canary
    const auto groups = rollouts::revision_groups(info);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].revision == 2);
    CHECK(groups[0].replica_sets.size() == 1);
    CHECK(groups[0].experiments.size() == 1);
    CHECK(groups[0].analysis_runs.size() == 1);
    CHECK(groups[1].replica_sets.size() == 1);
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:blue", {"stable"}},
                                 {"argoproj/rollouts-demo:yellow", {"canary"}}});
    const auto& run = info.analysis_runs.at(0);
    CHECK(run.successful == 4);
    CHECK(run.failed == 4);
    CHECK(run.inconclusive == 1);
    CHECK(run.error == 1);
    CHECK(run.jobs.size() == 8);

    const auto experiment =
        rollouts::build_experiment_info(objects, "rollout-experiment-analysis-6f646bf7b7-1-vcv27");
    CHECK(experiment.status == "Running");
    CHECK(experiment.revision == 2);
    CHECK(experiment.replica_sets.size() == 2);
    CHECK_FALSE(experiment.replica_sets[0].canary); // an experiment's ReplicaSets are untagged
    CHECK(rollouts::experiment_images(experiment) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:blue", {}},
                                 {"argoproj/rollouts-demo:yellow", {}}});
    CHECK(experiment == info.experiments.at(0));
}

TEST_CASE("experiment-step fixture: template tags and experiment runs", "[rollouts]") {
    const auto objects = test::argo_fixture("experiment-step", now);
    const auto info = rollouts::build_rollout_info(objects, "canary-demo");
    CHECK(info.status == "Progressing");
    CHECK(info.message == "more replicas need to be updated");
    CHECK(info.set_weight == "0");
    CHECK(rollouts::rollout_images(info) ==
          std::vector<ImageInfo>{{"argoproj/rollouts-demo:blue", {"\u03a3:canary-preview"}},
                                 {"argoproj/rollouts-demo:green", {"stable"}}});
    REQUIRE(info.experiments.size() == 1);
    REQUIRE(info.experiments[0].analysis_runs.size() == 1);
    const auto& job = info.experiments[0].analysis_runs[0].jobs.at(0);
    CHECK(job.meta.name == "4e2d824d-01af-11ea-b38c-42010aa80083.stress.1");
    CHECK(job.status == "Running");
    // The Job's own pod is not owned by any ReplicaSet: never shown.
    for (const auto& replica_set : info.replica_sets) {
        for (const auto& pod : replica_set.pods) {
            CHECK(pod.meta.name.find("stress") == std::string::npos);
        }
    }
}

TEST_CASE("aborted and invalid fixtures", "[rollouts]") {
    const auto aborted = rollouts::build_rollout_info(test::argo_fixture("rollout-aborted", now),
                                                      "rollout-background-analysis");
    CHECK(aborted.status == "Degraded");
    CHECK(aborted.message ==
          "RolloutAborted: metric \"web\" assessed Failed due to failed (1) > failureLimit (0)");
    CHECK(aborted.aborted);
    CHECK(aborted.set_weight == "0");

    const auto invalid =
        rollouts::build_rollout_info(test::argo_fixture("rollout-invalid", now), "rollout-invalid");
    CHECK(invalid.status == "Degraded");
    CHECK(invalid.message.starts_with("InvalidSpec: The Rollout \"rollout-invalid\" is invalid"));
    CHECK(invalid.step.empty());
    CHECK(invalid.set_weight == "100");
    CHECK(invalid.actual_weight == "100");
    CHECK(invalid.replica_sets.empty());
    CHECK(revs(invalid).empty());
}

TEST_CASE("objects without a revision are grouped under revision 0", "[rollouts]") {
    rollouts::ObjectSet objects;
    objects.add(R"({"kind": "Rollout", "metadata": {"name": "r", "uid": "u"}})"_json);
    objects.add(R"({"kind": "ReplicaSet", "metadata": {"name": "rs",
        "ownerReferences": [{"uid": "u"}]}})"_json);
    const auto info = rollouts::build_rollout_info(objects, "r");
    CHECK(revs(info) == std::vector<std::int64_t>{0});
    CHECK(info.strategy.empty());
    CHECK(info.desired == 1);
}

TEST_CASE("infos built from the same objects compare equal", "[rollouts]") {
    const auto objects = test::argo_fixture("experiment-analysis", now);
    const auto a = rollouts::build_rollout_info(objects, "rollout-experiment-analysis");
    auto b = rollouts::build_rollout_info(objects, "rollout-experiment-analysis");
    CHECK(a == b);
    b.replica_sets[0].pods[0].cluster = "workload-1";
    CHECK_FALSE(a == b);
}
