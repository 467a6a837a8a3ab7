#include "lib/cli/app.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/completion.hpp"
#include "lib/cli/invocation.hpp"
#include "lib/cli/kube_flags.hpp"
#include "lib/cli/man_page.hpp"
#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <iostream>
#include <string>

namespace nova::cli {
namespace {

// The command the user selected: the deepest subcommand that was given.
const CLI::App* selected_command(const CLI::App& app) {
    const CLI::App* command = &app;
    for (auto subcommands = command->get_subcommands(); !subcommands.empty();
         subcommands = command->get_subcommands()) {
        command = subcommands.front();
    }
    return command;
}

// "kubectl nova-rollouts get rollout" for the help hint of a usage error.
std::string command_path(const CLI::App& command, const std::string& program) {
    std::string path;
    for (const CLI::App* app = &command; app->get_parent() != nullptr; app = app->get_parent()) {
        path.insert(0, " " + app->get_name());
    }
    return program + path;
}

// CLI11's messages start with a capital and may end with a newline; ours read as one line.
std::string usage_message(const CLI::ParseError& error) {
    std::string message = error.what();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    // "Foo is required" reads "foo is required"; an argument name in capitals keeps them.
    if (message.size() > 1 && std::islower(static_cast<unsigned char>(message[1])) != 0) {
        message.front() =
            static_cast<char>(std::tolower(static_cast<unsigned char>(message.front())));
    }
    return message;
}

// Left-over arguments read better the way kubectl words them.
std::string extras_message(const CLI::App& app, const CLI::App& command,
                           const CLI::ParseError& error) {
    // Unknown flags fall through to the root (kubectl's global flags live there).
    auto extras = app.remaining(true);
    if (extras.empty()) {
        return usage_message(error);
    }
    const std::string& first = extras.front();
    if (first.size() > 1 && first.front() == '-') {
        return "unknown flag: " + first.substr(0, first.find('='));
    }
    if (!command.get_subcommands({}).empty()) {
        return "unknown command \"" + first + "\"";
    }
    return "unexpected argument \"" + first + "\"";
}

int to_int(core::ExitCode code) {
    return static_cast<int>(code);
}

} // namespace

void add_commands(CLI::App& app, CommandTable& commands, Context& context) {
    // Before the commands, which inherit the flags' fallthrough.
    add_kube_flags(app, context.kube_overrides);
    add_get_command(app, commands, context);
    add_list_command(app, commands, context);
    add_status_command(app, commands, context);
    add_pause_command(app, commands, context);
    add_set_command(app, commands, context);
    add_undo_command(app, commands, context);
    add_promote_command(app, commands, context);
    add_abort_command(app, commands, context);
    add_retry_command(app, commands, context);
    add_resume_command(app, commands, context);
    add_restart_command(app, commands, context);
    add_create_command(app, commands, context);
    add_terminate_command(app, commands, context);
    add_clusters_command(app, commands, context);
    add_verify_spread_command(app, commands, context);
    add_version_command(app, commands, context);
    add_completion_command(app, commands, context);
    add_man_command(app, commands, context);
}

int run(int argc, char** argv) {
    Context context{program_name(argc > 0 ? argv[0] : "", process_env()), std::cout, std::cerr, {}};

    CLI::App app("Drive Argo Rollouts canaries across every cluster of an Elotl Nova control plane",
                 context.program);
    app.get_formatter()->column_width(36);
    app.footer("Use \"" + context.program +
               " <command> --help\" for more information about a command.\n");
    // At most one command per level: with the global flags falling through to the root, a
    // stray word that names a root command ("get rollout x version") must be an error, not a
    // second command.
    app.require_subcommand(0, 1);
    CommandTable commands;
    add_commands(app, commands, context);
    // __complete (hidden): after every command is on the app, whose tree it walks.
    if (auto completed = run_completion_request(app, argc, argv, context)) {
        return *completed;
    }

    try {
        app.parse(argc, argv);
        const CLI::App* command = selected_command(app);
        const CommandRun* run_command = commands.find(command);
        if (run_command == nullptr) {
            // A bare group (or no command at all) shows what it offers, as kubectl does.
            context.out << command->help();
            return to_int(core::ExitCode::success);
        }
        return to_int((*run_command)());
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help, context.out, context.err);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help, context.out, context.err);
    } catch (const CLI::ParseError& error) {
        const CLI::App& command = *selected_command(app);
        std::string message = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr
                                  ? extras_message(app, command, error)
                                  : usage_message(error);
        context.err << "error: " << message << " (see '" << command_path(command, context.program)
                    << " --help')\n";
        return to_int(core::ExitCode::usage);
    } catch (const core::Error& error) {
        // Messages carry server text (Status messages, names): keep escape sequences inert.
        context.err << "error: " << core::printable(error.what()) << '\n';
        return to_int(error.code());
    } catch (const std::exception& error) {
        context.err << "error: internal error: " << error.what() << '\n';
        return to_int(core::ExitCode::failure);
    }
}

} // namespace nova::cli
