// `restart NAME [--in DURATION]`: sets spec.restartAt; the controller then replaces the
// rollout's pods, in every workload cluster Nova placed them. Reads as parse → compute →
// write → report.
#include "lib/rollouts/restart.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <string>

namespace nova::cli {
namespace {

struct RestartOptions {
    std::string name;
    std::string in;
    WriteFlags write;
};

core::ExitCode restart_command(Context& context, const RestartOptions& options) {
    // parse: a bad delay is a usage error before anything is sent.
    const auto delay = rollouts::restart_delay(options.in);
    check_name_arguments("rollout", {options.name});
    WriteSession session(context, options.write);
    return for_each_name(session, {options.name}, [&](const std::string& name) {
        const Write restart{
            kube::Method::patch, ObjectRef::argo("rollouts", session.namespace_name(), name),
            std::string(merge_patch_type), rollouts::restart_patch(core::Clock::now(), delay)};
        const auto rollout = session.send(restart);
        session.done("rollout '" + name + "' restarts in " +
                         (options.in.empty() ? std::string("0s") : options.in),
                     rollout.value_or(nullptr));
    });
}

} // namespace

void add_restart_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<RestartOptions>();
    CLI::App* command = app.add_subcommand("restart", "Restart the pods of a rollout");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout to restart")->required();
    command->add_option("-i,--in", options->in,
                        "Restart after this long (Go duration: 30s, 5m, 1h30m; default: now)");
    add_write_flags(*command, options->write);
    commands.add(command, [&context, options]() { return restart_command(context, *options); });
}

} // namespace nova::cli
