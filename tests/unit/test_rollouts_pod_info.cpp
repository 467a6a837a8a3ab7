#include "lib/rollouts/icons.hpp"
#include "lib/rollouts/pod_info.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;
using nlohmann::json;

namespace {

json running(int restarts = 0) {
    return json{{"ready", true},
                {"restartCount", restarts},
                {"state", {{"running", {{"startedAt", "2024-05-01T10:00:00Z"}}}}}};
}

json waiting(const std::string& reason, int restarts = 0) {
    return json{{"ready", false},
                {"restartCount", restarts},
                {"state", {{"waiting", {{"reason", reason}}}}}};
}

json terminated(int exit_code, const std::string& reason = "", int signal = 0) {
    json state = {{"exitCode", exit_code}};
    if (!reason.empty()) {
        state["reason"] = reason;
    }
    if (signal != 0) {
        state["signal"] = signal;
    }
    return json{{"ready", false}, {"restartCount", 0}, {"state", {{"terminated", state}}}};
}

json pod(const std::string& phase, json statuses, int containers = -1) {
    json spec_containers = json::array();
    const auto count = containers < 0 ? static_cast<int>(statuses.size()) : containers;
    for (int i = 0; i < count; ++i) {
        spec_containers.push_back({{"name", "c" + std::to_string(i)}});
    }
    return json{{"metadata", {{"name", "p"}}},
                {"spec", {{"containers", spec_containers}}},
                {"status", {{"phase", phase}, {"containerStatuses", statuses}}}};
}

json with_init(json object, json init_specs, json init_statuses) {
    object["spec"]["initContainers"] = std::move(init_specs);
    object["status"]["initContainerStatuses"] = std::move(init_statuses);
    return object;
}

} // namespace

TEST_CASE("a running pod is Running with its ready count", "[rollouts]") {
    const auto info = make_pod_info(pod("Running", {running(), running(2)}));
    CHECK(info.status == "Running");
    CHECK(info.icon == icons::ok);
    CHECK(info.ready() == "2/2");
    CHECK(info.restarts == 2);
    CHECK(info.cluster.empty());
}

TEST_CASE("container reasons are taken last container first", "[rollouts]") {
    // The first container's reason wins because it is looked at last.
    const auto info =
        make_pod_info(pod("Running", {waiting("CrashLoopBackOff", 5), waiting("ErrImagePull")}));
    CHECK(info.status == "CrashLoopBackOff");
    CHECK(info.icon == icons::bad);
    CHECK(info.restarts == 5);
    CHECK(info.ready() == "0/2");

    CHECK(make_pod_info(pod("Pending", {waiting("ImagePullBackOff")})).icon == icons::warning);
    CHECK(make_pod_info(pod("Pending", {waiting("ErrImagePull")})).icon == icons::warning);
    CHECK(make_pod_info(pod("Pending", {waiting("CreateContainerConfigError")})).icon ==
          icons::warning);
    CHECK(make_pod_info(pod("Pending", {waiting("ContainerCreating")})).icon == icons::progressing);
    // A waiting container without a reason leaves the phase.
    CHECK(make_pod_info(pod("Pending", {json{{"state", {{"waiting", json::object()}}}}})).status ==
          "Pending");
}

TEST_CASE("terminated containers give their reason, signal or exit code", "[rollouts]") {
    CHECK(make_pod_info(pod("Failed", {terminated(1, "Error")})).status == "Error");
    const auto signalled = make_pod_info(pod("Failed", {terminated(137, "", 9)}));
    CHECK(signalled.status == "Signal:9");
    CHECK(signalled.icon == icons::bad);
    const auto exited = make_pod_info(pod("Failed", {terminated(3)}));
    CHECK(exited.status == "ExitCode:3");
    CHECK(exited.icon == icons::bad);
    CHECK(make_pod_info(pod("Succeeded", {terminated(0, "Completed")})).status == "Completed");
}

TEST_CASE("Completed with a container still running reads Running", "[rollouts]") {
    const auto info = make_pod_info(pod("Running", {running(), terminated(0, "Completed")}));
    CHECK(info.status == "Running");
    CHECK(info.ready() == "1/2");
}

TEST_CASE("the pod's own reason overrides its phase", "[rollouts]") {
    auto evicted = pod("Failed", json::array(), 1);
    evicted["status"]["reason"] = "Evicted";
    const auto info = make_pod_info(evicted);
    CHECK(info.status == "Evicted");
    CHECK(info.icon == icons::none);
    CHECK(info.ready() == "0/1");
}

TEST_CASE("init containers decide while the pod initialises", "[rollouts]") {
    const json specs = {{{"name", "init-a"}}, {{"name", "init-b"}}};
    const auto base = pod("Pending", {waiting("PodInitializing")});

    SECTION("a failed init container") {
        auto failed = terminated(2, "", 0);
        failed["restartCount"] = 4;
        const auto info = make_pod_info(with_init(base, specs, {failed}));
        CHECK(info.status == "Init:ExitCode:2");
        CHECK(info.icon == icons::progressing);
        CHECK(info.restarts == 4); // not reset: the pod is initialising
        CHECK(make_pod_info(with_init(base, specs, {terminated(1, "", 15)})).status ==
              "Init:Signal:15");
        CHECK(make_pod_info(with_init(base, specs, {terminated(1, "OOMKilled")})).status ==
              "Init:OOMKilled");
    }
    SECTION("a waiting init container") {
        CHECK(make_pod_info(with_init(base, specs, {waiting("CrashLoopBackOff")})).status ==
              "Init:CrashLoopBackOff");
        // PodInitializing (or no reason) counts containers done.
        CHECK(make_pod_info(
                  with_init(base, specs, {terminated(0, "Completed"), waiting("PodInitializing")}))
                  .status == "Init:1/2");
        CHECK(make_pod_info(with_init(base, specs, {running()})).status == "Init:0/2");
    }
    SECTION("init containers all done") {
        const auto info =
            make_pod_info(with_init(pod("Running", {running()}), specs,
                                    {terminated(0, "Completed"), terminated(0, "Completed")}));
        CHECK(info.status == "Running");
        CHECK(info.ready() == "1/1");
    }
    SECTION("sidecars") {
        const json sidecar_specs = {{{"name", "proxy"}, {"restartPolicy", "Always"}},
                                    {{"name", "init-b"}}};
        auto ready_sidecar = running();
        ready_sidecar["name"] = "proxy";
        ready_sidecar["started"] = true;
        // A ready sidecar is passed over; the next init container decides.
        CHECK(make_pod_info(with_init(base, sidecar_specs, {ready_sidecar, waiting("")})).status ==
              "Init:1/2");
        // A started but unready sidecar ends the walk without holding the pod in Init.
        auto unready_sidecar = ready_sidecar;
        unready_sidecar["ready"] = false;
        unready_sidecar["restartCount"] = 3;
        const auto info = make_pod_info(
            with_init(pod("Running", {running(1)}), sidecar_specs, {unready_sidecar}));
        CHECK(info.status == "Running");
        CHECK(info.restarts == 1); // init restarts are dropped once the pod is past Init
    }
}

TEST_CASE("a deleted pod is Terminating, or Unknown when its node is lost", "[rollouts]") {
    auto deleted = pod("Running", {running()});
    deleted["metadata"]["deletionTimestamp"] = "2024-05-01T10:00:00Z";
    const auto info = make_pod_info(deleted);
    CHECK(info.status == "Terminating");
    CHECK(info.icon == icons::progressing);
    deleted["status"]["reason"] = "NodeLost";
    const auto lost = make_pod_info(deleted);
    CHECK(lost.status == "Unknown");
    CHECK(lost.icon == icons::unknown);
}

TEST_CASE("pods sort by creation time, then name", "[rollouts]") {
    PodInfo a;
    a.meta.name = "b";
    a.meta.created = nova::core::parse_rfc3339("2024-05-01T10:00:00Z");
    PodInfo b = a;
    b.meta.name = "a";
    CHECK(pod_order(b, a));
    b.meta.created = nova::core::parse_rfc3339("2024-05-01T10:00:01Z");
    CHECK(pod_order(a, b));
    PodInfo no_time;
    no_time.meta.name = "z";
    CHECK(pod_order(no_time, a)); // Go's zero time comes first
}
