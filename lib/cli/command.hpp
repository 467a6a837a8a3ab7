#pragma once

#include "lib/core/error.hpp"
#include "lib/kube/config.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace nova::cli {

// What every command gets: the program name as invoked, the streams to write to, and kubectl's
// global flags as given (resolved against the kubeconfig only by commands that connect).
struct Context {
    std::string program;
    std::ostream& out;
    std::ostream& err;
    kube::Overrides kube_overrides;
};

// Runs a parsed command. Failures are thrown as core::Error; the return value is the exit code
// of a command that ran to the end (status and verify-spread return 3, 4 or 5 that way).
using CommandRun = std::function<core::ExitCode()>;

// The commands registered on the CLI11 app. A command runs only after the whole command line
// has parsed, so a usage error never leaves a command half done.
class CommandTable {
public:
    void add(const CLI::App* command, CommandRun run) {
        m_entries.push_back({command, std::move(run)});
    }
    // The run function of `command`, or nullptr if it has none (a group such as "get").
    [[nodiscard]] const CommandRun* find(const CLI::App* command) const {
        for (const auto& entry : m_entries) {
            if (entry.command == command) {
                return &entry.run;
            }
        }
        return nullptr;
    }

private:
    struct Entry {
        const CLI::App* command;
        CommandRun run;
    };
    std::vector<Entry> m_entries;
};

// Every command and kubectl's global flags, as the program has them (tests build the same app).
void add_commands(CLI::App& app, CommandTable& commands, Context& context);

// One function per command file (lib/cli/<command>.cpp) adds its subcommand.
void add_version_command(CLI::App& app, CommandTable& commands, Context& context);
void add_get_command(CLI::App& app, CommandTable& commands, Context& context);
void add_list_command(CLI::App& app, CommandTable& commands, Context& context);
void add_status_command(CLI::App& app, CommandTable& commands, Context& context);
void add_pause_command(CLI::App& app, CommandTable& commands, Context& context);
void add_set_command(CLI::App& app, CommandTable& commands, Context& context);
void add_undo_command(CLI::App& app, CommandTable& commands, Context& context);
void add_promote_command(CLI::App& app, CommandTable& commands, Context& context);
void add_abort_command(CLI::App& app, CommandTable& commands, Context& context);
void add_retry_command(CLI::App& app, CommandTable& commands, Context& context);
void add_resume_command(CLI::App& app, CommandTable& commands, Context& context);
void add_restart_command(CLI::App& app, CommandTable& commands, Context& context);
void add_create_command(CLI::App& app, CommandTable& commands, Context& context);
void add_terminate_command(CLI::App& app, CommandTable& commands, Context& context);
void add_clusters_command(CLI::App& app, CommandTable& commands, Context& context);
void add_verify_spread_command(CLI::App& app, CommandTable& commands, Context& context);

} // namespace nova::cli
