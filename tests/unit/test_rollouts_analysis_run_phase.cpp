#include "lib/rollouts/analysis_run_phase.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using nlohmann::json;

TEST_CASE("an AnalysisRun's phase and whether it is decided", "[rollouts]") {
    const auto phase = rollouts::analysis_run_phase(
        json{{"status", {{"phase", "Failed"}, {"message", "metric \"errors\" assessed Failed"}}}});
    CHECK(phase.phase == "Failed");
    CHECK(rollouts::analysis_run_finished(phase));
    CHECK_FALSE(rollouts::analysis_run_successful(phase));
    CHECK(rollouts::analysis_run_phase_line(phase) == "Failed - metric \"errors\" assessed Failed");

    CHECK(rollouts::analysis_run_phase(json::object()).phase.empty());
    for (const char* running : {"", "Pending", "Running"}) {
        CHECK_FALSE(rollouts::analysis_run_finished({running, ""}));
    }
    for (const char* done : {"Successful", "Failed", "Error", "Inconclusive"}) {
        CHECK(rollouts::analysis_run_finished({done, ""}));
    }
    CHECK(rollouts::analysis_run_successful({"Successful", ""}));
}

TEST_CASE("one line per phase change", "[rollouts]") {
    rollouts::AnalysisRunPhaseLines lines;
    CHECK_FALSE(lines.next({"", ""}));
    CHECK(lines.next({"Running", ""}) == "Running");
    CHECK_FALSE(lines.next({"Running", "still"}));
    CHECK(lines.next({"Successful", "done"}) == "Successful - done");
    CHECK_FALSE(lines.next({"Successful", "done"}));
}

TEST_CASE("server text in a phase line cannot drive the terminal", "[rollouts]") {
    CHECK(rollouts::analysis_run_phase_line({"Error", "\x1b[2Jgone"}).find('\x1b') ==
          std::string::npos);
}

TEST_CASE("a message of several lines stays on the phase's line", "[rollouts]") {
    CHECK(
        rollouts::analysis_run_phase_line({"Failed", "metric \"errors\" failed:\nline two\tend"}) ==
        "Failed - metric \"errors\" failed: line two end");
    CHECK(rollouts::analysis_run_phase_line({"Err\r\nor", ""}) == "Err  or");
}
