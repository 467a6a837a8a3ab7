#include "lib/nova/cluster_view.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using fleet::ReadState;
using nlohmann::json;

namespace {

json rollout() {
    return {
        {"apiVersion", "argoproj.io/v1alpha1"},
        {"kind", "Rollout"},
        {"metadata", {{"name", "demo"}, {"namespace", "ns"}, {"uid", "ro-uid"}}},
        {"spec", {{"replicas", 4}, {"strategy", {{"canary", {{"steps", {{{"setWeight", 50}}}}}}}}}},
        {"status",
         {{"stableRS", "stable1"}, {"currentPodHash", "canary1"}, {"currentStepIndex", 0}}}};
}

json replica_set(const std::string& name, const std::string& hash, const std::string& uid,
                 std::int64_t replicas, std::int64_t revision, const std::string& owner) {
    json object{
        {"apiVersion", "apps/v1"},
        {"kind", "ReplicaSet"},
        {"metadata",
         {{"name", name},
          {"namespace", "ns"},
          {"uid", uid},
          {"creationTimestamp", "2025-06-02T10:00:00Z"},
          {"labels", {{"rollouts-pod-template-hash", hash}}},
          {"annotations", {{"rollout.argoproj.io/revision", std::to_string(revision)}}}}},
        {"spec", {{"replicas", replicas}}},
        {"status",
         {{"replicas", replicas}, {"readyReplicas", replicas}, {"availableReplicas", replicas}}}};
    if (!owner.empty()) {
        object["metadata"]["ownerReferences"] = {{{"kind", "Rollout"}, {"uid", owner}}};
    }
    return object;
}

json pod(const std::string& name, const std::string& owner_uid, const std::string& hash,
         bool ready) {
    json object{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", name},
          {"namespace", "ns"},
          {"uid", name + "-uid"},
          {"creationTimestamp", "2025-06-02T10:00:00Z"},
          {"labels", json::object()}}},
        {"spec", {{"containers", {{{"name", "c"}}}}}},
        {"status",
         {{"phase", "Running"},
          {"containerStatuses",
           {{{"name", "c"}, {"ready", ready}, {"state", {{"running", json::object()}}}}}}}}};
    if (!owner_uid.empty()) {
        object["metadata"]["ownerReferences"] = {{{"kind", "ReplicaSet"}, {"uid", owner_uid}}};
    }
    if (!hash.empty()) {
        object["metadata"]["labels"]["rollouts-pod-template-hash"] = hash;
    }
    return object;
}

// The control plane: stable (4), canary (2), an old revision scaled down.
rollouts::RolloutInfo info() {
    rollouts::ObjectSet objects;
    objects.add(rollout());
    objects.add(replica_set("demo-stable1", "stable1", "cp-s", 4, 2, "ro-uid"));
    objects.add(replica_set("demo-canary1", "canary1", "cp-c", 2, 3, "ro-uid"));
    objects.add(replica_set("demo-old1", "old1", "cp-o", 0, 1, "ro-uid"));
    return rollouts::build_rollout_info(objects, "demo");
}

fleet::ClusterReading reading(const std::string& cluster) {
    fleet::ClusterReading result;
    result.cluster = cluster;
    result.context = "ctx-" + cluster;
    return result;
}

const std::vector<fleet::ClusterReplicaSet>& copies(const fleet::RolloutView& view,
                                                    const std::string& name) {
    static const std::vector<fleet::ClusterReplicaSet> none;
    const auto it = view.join.replica_sets.find(name);
    return it == view.join.replica_sets.end() ? none : it->second;
}

} // namespace

TEST_CASE("copies join by name, their pods by owner uid in that cluster") {
    auto a = reading("a");
    a.replica_sets = {replica_set("demo-stable1", "stable1", "a-s", 2, 2, ""),
                      replica_set("demo-canary1", "canary1", "a-c", 1, 3, "")};
    a.pods = {pod("s-1", "a-s", "", true), pod("s-2", "a-s", "", false),
              pod("c-1", "a-c", "", true),
              pod("other", "elsewhere", "", true)}; // owned by nothing we know
    const auto view = fleet::build_rollout_view(info(), {a});
    CHECK(view.multi_cluster);
    CHECK_FALSE(view.incomplete());
    const auto& stable = copies(view, "demo-stable1");
    REQUIRE(stable.size() == 1);
    CHECK(stable[0].cluster == "a");
    CHECK(stable[0].meta.uid == "a-s");
    CHECK(stable[0].desired == 2);
    CHECK_FALSE(stable[0].matched_by_hash);
    REQUIRE(stable[0].pods.size() == 2);
    CHECK(stable[0].pods[0].cluster == "a");
    CHECK(copies(view, "demo-canary1").at(0).pods.size() == 1);
    CHECK(copies(view, "demo-old1").empty());

    REQUIRE(view.clusters.size() == 1);
    const auto& summary = view.clusters[0];
    CHECK(summary.status == "Reachable"); // no Cluster object
    CHECK(summary.stable == fleet::PodCount{1, 2});
    CHECK(summary.canary == fleet::PodCount{1, 1});
    CHECK(summary.pods == fleet::PodCount{2, 3});
}

TEST_CASE("a copy under another name joins by its pod-template hash, pods too") {
    auto a = reading("a");
    a.replica_sets = {replica_set("renamed", "stable1", "a-s", 1, 2, "")};
    a.pods = {pod("p-owned", "a-s", "", true), pod("p-hash", "", "stable1", true),
              pod("p-other-hash", "", "zzz", true)};
    const auto view = fleet::build_rollout_view(info(), {a});
    const auto& stable = copies(view, "demo-stable1");
    REQUIRE(stable.size() == 1);
    CHECK(stable[0].matched_by_hash);
    CHECK(stable[0].meta.name == "renamed");
    REQUIRE(stable[0].pods.size() == 2);
    CHECK(stable[0].pods[0].meta.name == "p-hash");
    CHECK(stable[0].pods[1].meta.name == "p-owned");
}

TEST_CASE("the name match wins over the hash, and one copy serves one ReplicaSet") {
    // An experiment's ReplicaSet shares the canary's template hash.
    rollouts::ObjectSet objects;
    objects.add(rollout());
    objects.add(replica_set("demo-canary1", "canary1", "cp-c", 2, 3, "ro-uid"));
    auto experiment = json{{"kind", "Experiment"},
                           {"metadata",
                            {{"name", "exp"},
                             {"namespace", "ns"},
                             {"uid", "exp-uid"},
                             {"ownerReferences", {{{"uid", "ro-uid"}}}},
                             {"annotations", {{"rollout.argoproj.io/revision", "3"}}}}}};
    objects.add(experiment);
    objects.add(replica_set("exp-canary1", "canary1", "cp-e", 1, 3, "exp-uid"));
    auto a = reading("a");
    a.replica_sets = {replica_set("demo-canary1", "canary1", "a-c", 1, 3, "")};
    const auto view = fleet::build_rollout_view(rollouts::build_rollout_info(objects, "demo"), {a});
    CHECK(copies(view, "demo-canary1").size() == 1);
    CHECK_FALSE(copies(view, "demo-canary1").at(0).matched_by_hash);
    CHECK(copies(view, "exp-canary1").empty()); // the only copy went to its namesake
}

TEST_CASE(
    "clusters without a copy show nothing, and scaled-down copies only for live ReplicaSets") {
    auto a = reading("a");
    a.replica_sets = {replica_set("demo-stable1", "stable1", "a-s", 4, 2, ""),
                      replica_set("demo-canary1", "canary1", "a-c", 0, 3, ""),
                      replica_set("demo-old1", "old1", "a-o", 0, 1, "")};
    auto b = reading("b"); // read, holds nothing
    const auto view = fleet::build_rollout_view(info(), {a, b});
    CHECK(copies(view, "demo-stable1").size() == 1);
    // The canary is live (2 replicas): a's 0 share is worth showing.
    REQUIRE(copies(view, "demo-canary1").size() == 1);
    CHECK(copies(view, "demo-canary1")[0].status == "ScaledDown");
    // The old revision runs nowhere: its empty copy is noise.
    CHECK(copies(view, "demo-old1").empty());
    CHECK(view.clusters.at(1).pods == fleet::PodCount{0, 0});
}

TEST_CASE("unreachable and unmapped clusters appear under live ReplicaSets and make it "
          "incomplete") {
    auto down = reading("down");
    down.state = ReadState::unreachable;
    down.error = "dial tcp: connection refused";
    fleet::ClusterTarget no_context;
    no_context.cluster = "edge";
    const auto unmapped = fleet::make_reading(no_context);
    CHECK(unmapped.state == ReadState::unmapped);
    const auto view = fleet::build_rollout_view(info(), {down, unmapped});
    CHECK(view.multi_cluster);
    CHECK(view.incomplete());
    CHECK(view.missing_clusters() == std::vector<std::string>{"down", "edge"});
    const auto& stable = copies(view, "demo-stable1");
    REQUIRE(stable.size() == 2);
    CHECK(stable[0].state == ReadState::unreachable);
    CHECK(stable[0].error == "dial tcp: connection refused");
    CHECK(stable[1].state == ReadState::unmapped);
    CHECK(copies(view, "demo-old1").empty());
    CHECK(view.clusters[0].status == "Unreachable");
    CHECK(view.clusters[1].status == "Unmapped");
}

TEST_CASE("a cluster's multi-line or escaping error becomes one printable line") {
    auto down = reading("down");
    down.state = ReadState::unreachable;
    down.error = "from server (Unauthorized):\n\tlog in \x1b]8;;http://x\x07"
                 "again\r\n";
    const auto view = fleet::build_rollout_view(info(), {down});
    const std::string flat = "from server (Unauthorized):  log in U+001B]8;;http://xU+0007again";
    CHECK(view.clusters.at(0).error == flat);
    CHECK(copies(view, "demo-stable1").at(0).error == flat);
}

TEST_CASE("a standby cluster that cannot be read is planned, not missing") {
    auto parked = reading("parked");
    parked.state = ReadState::unreachable;
    parked.error = "timeout";
    fleet::WorkloadCluster cluster;
    cluster.name = "parked";
    cluster.health = fleet::ClusterHealth::standby;
    parked.info = cluster;
    const auto view = fleet::build_rollout_view(info(), {parked});
    CHECK_FALSE(view.incomplete());
    CHECK(view.clusters.at(0).status == "Standby");
    CHECK(copies(view, "demo-stable1").empty());
}

TEST_CASE("make_reading") {
    fleet::ClusterTarget target;
    target.cluster = "a";
    target.context = "ctx";
    target.source = fleet::ContextSource::config_file;
    auto read = fleet::make_reading(target);
    CHECK(read.state == ReadState::read);
    CHECK(read.context == "ctx");
    CHECK(read.source == fleet::ContextSource::config_file);
    target.context_exists = false;
    read = fleet::make_reading(target);
    CHECK(read.state == ReadState::unreachable);
    CHECK(read.error == "context \"ctx\" (from config file) is not in the kubeconfig");
}

TEST_CASE("a rollout not spread by Nova is not multi-cluster") {
    CHECK_FALSE(fleet::build_rollout_view(info(), {}).multi_cluster);
    CHECK_FALSE(fleet::build_rollout_view(info(), {reading("a"), reading("b")}).multi_cluster);
}

TEST_CASE("a pod listed twice counts once") {
    auto a = reading("a");
    a.replica_sets = {replica_set("demo-stable1", "stable1", "a-s", 1, 2, "")};
    a.pods = {pod("p", "a-s", "", true), pod("p", "a-s", "", true)};
    const auto view = fleet::build_rollout_view(info(), {a});
    CHECK(copies(view, "demo-stable1").at(0).pods.size() == 1);
    CHECK(view.clusters[0].pods == fleet::PodCount{1, 1});
}

TEST_CASE("analysis Jobs join by name, with their pods and status") {
    rollouts::ObjectSet objects;
    objects.add(rollout());
    objects.add(json{{"kind", "AnalysisRun"},
                     {"metadata",
                      {{"name", "run"},
                       {"namespace", "ns"},
                       {"uid", "run-uid"},
                       {"ownerReferences", {{{"uid", "ro-uid"}}}}}},
                     {"status",
                      {{"phase", "Running"},
                       {"metricResults",
                        {{{"name", "m"},
                          {"measurements",
                           {{{"phase", "Successful"}, {"metadata", {{"job-name", "job-1"}}}},
                            {{"phase", "Running"}, {"metadata", {{"job-name", "job-2"}}}}}}}}}}}});
    const auto run_info = rollouts::build_rollout_info(objects, "demo");
    CHECK(fleet::analysis_job_names(run_info) == std::vector<std::string>{"job-1", "job-2"});

    auto job_pod = [](const std::string& name, const std::string& job, const std::string& label,
                      const std::string& phase) {
        auto object = pod(name, "", "", false);
        object["metadata"]["labels"][label] = job;
        object["status"]["phase"] = phase;
        return object;
    };
    auto a = reading("a");
    a.jobs = {json{{"kind", "Job"},
                   {"metadata", {{"name", "job-1"}, {"uid", "j1"}}},
                   {"status", {{"conditions", {{{"type", "Complete"}, {"status", "True"}}}}}}}};
    a.job_pods = {job_pod("job-1-x", "job-1", "job-name", "Succeeded")};
    auto b = reading("b");
    b.job_pods = {job_pod("job-2-y", "job-2", "batch.kubernetes.io/job-name", "Running")};
    const auto view = fleet::build_rollout_view(run_info, {a, b});
    CHECK(view.multi_cluster);
    const auto& job1 = view.join.jobs.at("job-1");
    REQUIRE(job1.size() == 1);
    CHECK(job1[0].cluster == "a");
    CHECK(job1[0].status == "Successful");
    CHECK(job1[0].meta.uid == "j1");
    CHECK(job1[0].pods.at(0).cluster == "a");
    const auto& job2 = view.join.jobs.at("job-2");
    REQUIRE(job2.size() == 1);
    CHECK(job2[0].cluster == "b");
    CHECK(job2[0].status == "Running"); // from its pods: no Job object was listed
    CHECK(job2[0].meta.name == "job-2");

    // A cluster that cannot be read may hold the running Job (job-2), not the finished one.
    auto down = reading("down");
    down.state = ReadState::unreachable;
    down.error = "dial tcp: connection\nrefused";
    const auto partial = fleet::build_rollout_view(run_info, {a, b, down});
    CHECK(partial.join.jobs.at("job-1").size() == 1);
    const auto& running = partial.join.jobs.at("job-2");
    REQUIRE(running.size() == 2);
    CHECK(running[1].cluster == "down");
    CHECK(running[1].state == ReadState::unreachable);
    CHECK(running[1].error == "dial tcp: connection refused");
    CHECK(running[1].pods.empty());
    // Only unread clusters: nothing was seen, but the Job is still worth a look there.
    const auto blind = fleet::build_rollout_view(run_info, {down});
    CHECK(blind.join.jobs.count("job-1") == 0);
    CHECK(blind.join.jobs.at("job-2").size() == 1);
}

TEST_CASE("blue-green: the preview ReplicaSet counts as the canary") {
    rollouts::ObjectSet objects;
    auto bg = rollout();
    bg["spec"]["strategy"] = {{"blueGreen", {{"activeService", "a"}}}};
    bg["status"] = {{"stableRS", "stable1"},
                    {"currentPodHash", "canary1"},
                    {"blueGreen", {{"activeSelector", "stable1"}, {"previewSelector", "canary1"}}}};
    objects.add(bg);
    objects.add(replica_set("demo-stable1", "stable1", "cp-s", 1, 2, "ro-uid"));
    objects.add(replica_set("demo-canary1", "canary1", "cp-c", 1, 3, "ro-uid"));
    auto a = reading("a");
    a.replica_sets = {replica_set("demo-stable1", "stable1", "a-s", 1, 2, ""),
                      replica_set("demo-canary1", "canary1", "a-c", 1, 3, "")};
    a.pods = {pod("s", "a-s", "", true), pod("c", "a-c", "", false)};
    const auto view = fleet::build_rollout_view(rollouts::build_rollout_info(objects, "demo"), {a});
    CHECK(view.clusters[0].stable == fleet::PodCount{1, 1});
    CHECK(view.clusters[0].canary == fleet::PodCount{0, 1});
}

TEST_CASE("experiment view joins its ReplicaSets") {
    rollouts::ObjectSet objects;
    objects.add(json{{"kind", "Experiment"},
                     {"metadata", {{"name", "exp"}, {"namespace", "ns"}, {"uid", "exp-uid"}}},
                     {"status", {{"phase", "Running"}}}});
    objects.add(replica_set("exp-a", "h", "cp-e", 1, 0, "exp-uid"));
    auto a = reading("a");
    a.replica_sets = {replica_set("exp-a", "h", "a-e", 1, 0, "")};
    a.pods = {pod("p", "a-e", "", true)};
    const auto view =
        fleet::build_experiment_view(rollouts::build_experiment_info(objects, "exp"), {a});
    CHECK(view.multi_cluster);
    CHECK(view.join.replica_sets.at("exp-a").at(0).pods.size() == 1);
    CHECK(view.clusters.at(0).pods == fleet::PodCount{1, 1});
}

TEST_CASE("read states and pod readiness") {
    CHECK(fleet::to_string(ReadState::read) == "Read");
    CHECK(fleet::to_string(ReadState::unreachable) == "Unreachable");
    CHECK(fleet::to_string(ReadState::unmapped) == "Unmapped");
    rollouts::PodInfo pod_info;
    CHECK_FALSE(fleet::pod_ready(pod_info)); // no containers
    pod_info.total_containers = 2;
    pod_info.ready_containers = 2;
    CHECK(fleet::pod_ready(pod_info));
}
