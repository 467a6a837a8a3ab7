// `pause NAME...`: sets spec.paused on each rollout (argo's one merge patch per name); the
// controller holds the rollout where it is, in every workload cluster Nova placed it.
// Reads as parse → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct PauseOptions {
    std::vector<std::string> names;
    WriteFlags write;
};

core::ExitCode pause_command(Context& context, const PauseOptions& options) {
    // parse: every name is checked before the first request
    check_name_arguments("rollout", options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        const Write pause{kube::Method::patch,
                          ObjectRef::argo("rollouts", session.namespace_name(), name),
                          std::string(merge_patch_type), R"({"spec":{"paused":true}})"};
        const auto rollout = session.send(pause);
        session.done("rollout '" + name + "' paused", rollout.value_or(nullptr));
    });
}

} // namespace

void add_pause_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<PauseOptions>();
    CLI::App* command = app.add_subcommand("pause", "Pause a rollout");
    command->add_option("ROLLOUT_NAME", options->names, "Rollouts to pause")->required();
    add_write_flags(*command, options->write);
    commands.add(command, [&context, options]() { return pause_command(context, *options); });
}

} // namespace nova::cli
