#include "argo_golden_support.hpp"
#include "lib/rollouts/rollout_info.hpp"
#include "lib/rollouts/status_check.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using rollouts::StatusVerdict;

namespace {

rollouts::RolloutInfo with_status(std::string status, bool aborted = false) {
    rollouts::RolloutInfo info;
    info.status = std::move(status);
    info.aborted = aborted;
    return info;
}

} // namespace

TEST_CASE("status verdicts", "[rollouts]") {
    CHECK(status_verdict(with_status("Healthy"), false) == StatusVerdict::healthy);
    CHECK(status_verdict(with_status("Degraded"), false) == StatusVerdict::degraded);
    CHECK(status_verdict(with_status("Progressing"), true) == StatusVerdict::in_progress);
    CHECK(status_verdict(with_status("Paused"), false) == StatusVerdict::in_progress);
    CHECK(status_verdict(with_status("Paused"), true) == StatusVerdict::paused);
    // Aborted is bad whatever phase the controller reports meanwhile.
    CHECK(status_verdict(with_status("Progressing", true), true) == StatusVerdict::degraded);
}

TEST_CASE("status exit codes", "[rollouts]") {
    CHECK(status_exit_code(StatusVerdict::healthy) == core::ExitCode::success);
    CHECK(status_exit_code(StatusVerdict::paused) == core::ExitCode::success);
    CHECK(status_exit_code(StatusVerdict::degraded) == core::ExitCode::bad_state);
    CHECK(status_exit_code(StatusVerdict::in_progress) == core::ExitCode::timeout);
}

TEST_CASE("status of the fixtures, as upstream's status tests see them", "[rollouts]") {
    const auto now = test::argo_golden_now();
    const auto blue_green =
        rollouts::build_rollout_info(test::argo_fixture("blue-green", now), "bluegreen-demo");
    CHECK(status_verdict(blue_green, false) == StatusVerdict::in_progress);
    CHECK(status_verdict(blue_green, true) == StatusVerdict::paused);

    const auto aborted = rollouts::build_rollout_info(test::argo_fixture("rollout-aborted", now),
                                                      "rollout-background-analysis");
    CHECK(status_verdict(aborted, false) == StatusVerdict::degraded);
    CHECK(rollouts::degraded_message(aborted) ==
          "The rollout is in a degraded state with message: RolloutAborted: metric \"web\" "
          "assessed Failed due to failed (1) > failureLimit (0)");
    CHECK(std::string(rollouts::status_timeout_message) == "Rollout status watch exceeded timeout");
}
