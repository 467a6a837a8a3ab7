#pragma once

#include <stdexcept>
#include <string>

namespace nova::core {

// The exit codes of every command (DESIGN.md §5).
enum class ExitCode : int {
    success = 0,
    failure = 1,    // the operation failed: API error, not found, bad kubeconfig, ...
    usage = 2,      // unknown flag, wrong arguments
    bad_state = 3,  // the thing checked is bad: Degraded, aborted, spread mismatch
    timeout = 4,    // timed out waiting
    incomplete = 5, // one or more workload clusters could not be read
};

// The one error type of the project: a message for the user and the exit code it leads to.
// It is thrown where the problem is found and printed once, at the top, as "error: <message>".
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, ExitCode code = ExitCode::failure)
        : std::runtime_error(message), m_code(code) {}

    [[nodiscard]] ExitCode code() const noexcept { return m_code; }

private:
    ExitCode m_code;
};

// A usage error (exit 2): bad flag values, wrong arguments.
inline Error usage_error(const std::string& message) {
    return Error(message, ExitCode::usage);
}

} // namespace nova::core
