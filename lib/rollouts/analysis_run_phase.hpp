#pragma once

// What `create -w` follows of an AnalysisRun it created: its phase, until it is decided.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace nova::rollouts {

struct AnalysisRunPhase {
    std::string phase; // status.phase: "" before the controller saw it, Pending, Running, ...
    std::string message;

    bool operator==(const AnalysisRunPhase&) const = default;
};

AnalysisRunPhase analysis_run_phase(const nlohmann::json& run);

// Successful, Failed, Error and Inconclusive are final: the run measures no more.
bool analysis_run_finished(const AnalysisRunPhase& phase);
bool analysis_run_successful(const AnalysisRunPhase& phase);

// "Running", "Failed - metric \"errors\" assessed Failed ..." (the message made printable, and
// kept on one line).
std::string analysis_run_phase_line(const AnalysisRunPhase& phase);

// One line per phase change: the line for `phase` when its phase differs from the last one
// printed (an empty phase, before the controller set one, is never printed).
class AnalysisRunPhaseLines {
public:
    std::optional<std::string> next(const AnalysisRunPhase& phase);

private:
    std::optional<std::string> m_last;
};

} // namespace nova::rollouts
