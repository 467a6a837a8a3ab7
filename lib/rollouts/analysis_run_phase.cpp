#include "lib/rollouts/analysis_run_phase.hpp"

#include "lib/core/text.hpp"
#include "lib/rollouts/json_fields.hpp"

namespace nova::rollouts {

AnalysisRunPhase analysis_run_phase(const nlohmann::json& run) {
    return {fields::string_at(run, {"status", "phase"}),
            fields::string_at(run, {"status", "message"})};
}

bool analysis_run_finished(const AnalysisRunPhase& phase) {
    return phase.phase == "Successful" || phase.phase == "Failed" || phase.phase == "Error" ||
           phase.phase == "Inconclusive";
}

bool analysis_run_successful(const AnalysisRunPhase& phase) {
    return phase.phase == "Successful";
}

std::string analysis_run_phase_line(const AnalysisRunPhase& phase) {
    // Server text: a message of several lines stays on this one.
    std::string line = core::one_line(phase.phase);
    if (!phase.message.empty()) {
        line += " - " + core::one_line(phase.message);
    }
    return line;
}

std::optional<std::string> AnalysisRunPhaseLines::next(const AnalysisRunPhase& phase) {
    if (phase.phase.empty() || (m_last && *m_last == phase.phase)) {
        return std::nullopt;
    }
    m_last = phase.phase;
    return analysis_run_phase_line(phase);
}

} // namespace nova::rollouts
