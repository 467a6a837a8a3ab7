// `promote NAME [--full]`: moves a rollout on, past its current step or pause, or (--full) all
// the way to the new version; one change in the control plane, which Nova carries to every
// workload cluster. Reads as parse → gather → compute → write → report.
#include "lib/rollouts/promote.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <optional>
#include <string>

namespace nova::cli {
namespace {

struct PromoteOptions {
    std::string name;
    rollouts::PromoteFlags flags;
    WriteFlags write;
};

core::ExitCode promote_command(Context& context, const PromoteOptions& options) {
    // parse: the deprecated flags still work, with a word on what replaces them.
    if (options.flags.skip_current_step) {
        context.err << "warning: --skip-current-step is deprecated: promote without it moves "
                       "to the next step\n";
    }
    if (options.flags.skip_all_steps) {
        context.err << "warning: --skip-all-steps is deprecated: use --full instead\n";
    }
    rollouts::check_promote_flags(options.flags);
    check_name_arguments("rollout", {options.name});
    WriteSession session(context, options.write);
    return for_each_name(session, {options.name}, [&](const std::string& name) {
        // gather
        const ObjectRef ref = ObjectRef::argo("rollouts", session.namespace_name(), name);
        const nlohmann::json rollout = session.get(ref);
        // compute
        rollouts::PromotePatches patches = rollouts::promote_patches(rollout, options.flags);
        // write: the status first; a CRD without the status subresource takes everything
        // in one patch of the main resource.
        std::optional<nlohmann::json> returned;
        if (patches.status_patch && !session.patch_status(ref, *patches.status_patch, returned)) {
            patches.spec_patch = patches.unified_patch;
        }
        if (patches.spec_patch) {
            if (auto object = session.send({kube::Method::patch, ref, std::string(merge_patch_type),
                                            *patches.spec_patch})) {
                returned = std::move(object);
            }
        }
        // report: --full is what the user asked for, whichever patch it took.
        session.done("rollout '" + name + "' " +
                         (options.flags.full ? "fully promoted" : "promoted"),
                     returned.value_or(rollout));
    });
}

} // namespace

void add_promote_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<PromoteOptions>();
    CLI::App* command = app.add_subcommand("promote", "Promote a rollout");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout to promote")->required();
    command->add_flag("--full", options->flags.full,
                      "Perform a full promotion, skipping analysis, pauses, and steps");
    // Deprecated in argo, kept working and out of the help.
    command->add_flag("-c,--skip-current-step", options->flags.skip_current_step)->group("");
    command->add_flag("-a,--skip-all-steps", options->flags.skip_all_steps)->group("");
    add_write_flags(*command, options->write);
    command->footer(
        "Without --full: a rollout held by pause conditions (a pause step, an inconclusive "
        "analysis) has them cleared, which lets the controller go on; a canary held by none "
        "moves to its next step; a rollout paused by hand (`pause`) is unpaused too. With "
        "--full: skips every remaining step, pause and analysis.");
    commands.add(command, [&context, options]() { return promote_command(context, *options); });
}

} // namespace nova::cli
