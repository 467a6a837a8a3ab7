// `resume NAME...`: clears spec.paused on each rollout, undoing `pause` (promote's unpause
// half, without moving a step on). Reads as parse → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct ResumeOptions {
    std::vector<std::string> names;
    WriteFlags write;
};

core::ExitCode resume_command(Context& context, const ResumeOptions& options) {
    // parse: every name is checked before the first request
    check_name_arguments("rollout", options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        const Write resume{kube::Method::patch,
                           ObjectRef::argo("rollouts", session.namespace_name(), name),
                           std::string(merge_patch_type), R"({"spec":{"paused":false}})"};
        const auto rollout = session.send(resume);
        session.done("rollout '" + name + "' resumed", rollout.value_or(nullptr));
    });
}

} // namespace

void add_resume_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ResumeOptions>();
    CLI::App* command = app.add_subcommand("resume", "Resume a rollout paused with pause");
    command->add_option("ROLLOUT_NAME", options->names, "Rollouts to resume")->required();
    add_write_flags(*command, options->write);
    set_help_notes(*command,
                   "Only undoes `pause`: a rollout held by a pause step or an analysis needs "
                   "`promote`.");
    commands.add(command, [&context, options]() { return resume_command(context, *options); });
}

} // namespace nova::cli
