#include "lib/rollouts/icons.hpp"

#include <catch2/catch.hpp>

using namespace nova::rollouts;

TEST_CASE("rollout icons", "[rollouts]") {
    CHECK(icons::for_rollout("Progressing") == "\u25cc");
    CHECK(icons::for_rollout("Error") == "\u26a0");
    CHECK(icons::for_rollout("InvalidSpec") == "\u26a0");
    CHECK(icons::for_rollout("Paused") == "\u0965");
    CHECK(icons::for_rollout("Healthy") == "\u2714");
    CHECK(icons::for_rollout("Degraded") == "\u2716");
    CHECK(icons::for_rollout("Unknown") == "?");
    CHECK(icons::for_rollout("ScaledDown") == "\u2022");
    CHECK(icons::for_rollout("Whatever") == " ");
}

TEST_CASE("ReplicaSet icons", "[rollouts]") {
    CHECK(icons::for_replica_set("Progressing") == icons::progressing);
    CHECK(icons::for_replica_set("Healthy") == icons::ok);
    CHECK(icons::for_replica_set("ReplicaFailure") == icons::bad);
    CHECK(icons::for_replica_set("ScaledDown") == icons::neutral);
    CHECK(icons::for_replica_set("") == icons::none);
}

TEST_CASE("pod icons", "[rollouts]") {
    CHECK(icons::for_pod("Init:0/1") == icons::progressing);
    CHECK(icons::for_pod("Init:Error") == icons::progressing); // the Init: prefix comes first
    CHECK(icons::for_pod("Signal:9") == icons::bad);
    CHECK(icons::for_pod("ExitCode:1") == icons::bad);
    CHECK(icons::for_pod("RunContainerError") == icons::warning);
    CHECK(icons::for_pod("ErrImageNeverPull") == icons::warning);
    CHECK(icons::for_pod("Pending") == icons::progressing);
    CHECK(icons::for_pod("Terminating") == icons::progressing);
    CHECK(icons::for_pod("ContainerCreating") == icons::progressing);
    CHECK(icons::for_pod("Running") == icons::ok);
    CHECK(icons::for_pod("Completed") == icons::ok);
    CHECK(icons::for_pod("Failed") == icons::bad);
    CHECK(icons::for_pod("InvalidImageName") == icons::bad);
    CHECK(icons::for_pod("CrashLoopBackOff") == icons::bad);
    CHECK(icons::for_pod("ImagePullBackOff") == icons::warning);
    CHECK(icons::for_pod("RegistryUnavailable") == icons::warning);
    CHECK(icons::for_pod("Unknown") == icons::unknown);
    CHECK(icons::for_pod("Evicted") == icons::none);
}

TEST_CASE("analysis icons (runs, experiments, jobs)", "[rollouts]") {
    CHECK(icons::for_analysis("Successful") == icons::ok);
    CHECK(icons::for_analysis("Inconclusive") == icons::unknown);
    CHECK(icons::for_analysis("Failed") == icons::bad);
    CHECK(icons::for_analysis("Error") == icons::warning);
    CHECK(icons::for_analysis("Running") == icons::progressing);
    CHECK(icons::for_analysis("Pending") == icons::waiting);
    CHECK(icons::for_analysis("") == icons::none);
}
