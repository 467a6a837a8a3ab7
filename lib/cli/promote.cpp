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

// The status patch and then the spec patch (a canary paused by hand): two writes, and a
// failure of the second would leave the first applied. Both go to the server as dry runs first
// (?dryRun=All: RBAC, admission, validation, the object's existence), so that a refusal changes
// nothing; only then both for real. Returns the object the last write returned.
std::optional<nlohmann::json> send_status_then_spec(WriteSession& session, const ObjectRef& ref,
                                                    const rollouts::PromotePatches& patches) {
    const Write status_write{kube::Method::patch, ref.status(), std::string(merge_patch_type),
                             *patches.status_patch};
    const Write spec_write{kube::Method::patch, ref, std::string(merge_patch_type),
                           *patches.spec_patch};
    const Write unified_write{kube::Method::patch, ref, std::string(merge_patch_type),
                              *patches.unified_patch};
    const auto status_check = session.try_server_dry_run(status_write);
    if (status_check && !status_check->ok()) {
        if (status_check->error().kind == kube::ErrorKind::http &&
            status_check->error().is_not_found()) {
            // No status subresource (a CRD from before them): one patch does it all.
            return session.send(unified_write);
        }
        throw session.error(status_check->error(), status_write.method, status_write.target);
    }
    if (const auto spec_check = session.try_server_dry_run(spec_write);
        spec_check && !spec_check->ok()) {
        throw session.error(spec_check->error(), spec_write.method, spec_write.target);
    }
    std::optional<nlohmann::json> returned;
    if (!session.patch_status(ref, status_write.body, returned)) {
        // The status subresource went away between the dry run and the write.
        return session.send(unified_write);
    }
    auto result = session.try_send(spec_write);
    if (result && !result->ok()) {
        // Refused after the dry run said yes (a change of RBAC or of the object meanwhile).
        throw core::Error(rollouts::half_promoted_message(
            ref.name, status_write.body,
            session.error(result->error(), spec_write.method, spec_write.target).what()));
    }
    if (result) {
        returned = std::move(result->response().json);
    }
    return returned;
}

core::ExitCode promote_command(Context& context, const PromoteOptions& options) {
    // parse: usage errors first, each one line.
    rollouts::check_promote_flags(options.flags);
    check_name_arguments("rollout", {options.name});
    WriteSession session(context, options.write);
    // The deprecated flags still work, with a word on what replaces them.
    if (options.flags.skip_current_step) {
        context.err << "warning: --skip-current-step is deprecated: promote without it moves "
                       "to the next step\n";
    }
    if (options.flags.skip_all_steps) {
        context.err << "warning: --skip-all-steps is deprecated: use --full instead\n";
    }
    return for_each_name(session, {options.name}, [&](const std::string& name) {
        // gather
        const ObjectRef ref = ObjectRef::argo("rollouts", session.namespace_name(), name);
        const nlohmann::json rollout = session.get(ref);
        // compute
        rollouts::PromotePatches patches = rollouts::promote_patches(rollout, options.flags);
        // write: the status first; a CRD without the status subresource takes everything
        // in one patch of the main resource.
        std::optional<nlohmann::json> returned;
        if (patches.status_patch && patches.spec_patch && !session.dry_run()) {
            returned = send_status_then_spec(session, ref, patches);
        } else {
            if (patches.status_patch &&
                !session.patch_status(ref, *patches.status_patch, returned)) {
                patches.spec_patch = patches.unified_patch;
            }
            if (patches.spec_patch) {
                if (auto object =
                        session.send({kube::Method::patch, ref, std::string(merge_patch_type),
                                      *patches.spec_patch})) {
                    returned = std::move(object);
                }
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
    set_help_notes(
        *command,
        "Without --full: a rollout held by pause conditions (a pause step, an inconclusive "
        "analysis) has them cleared, which lets the controller go on; a canary held by none "
        "moves to its next step; a rollout paused by hand (`pause`) is unpaused too. With "
        "--full: skips every remaining step, pause and analysis.");
    commands.add(command, [&context, options]() { return promote_command(context, *options); });
}

} // namespace nova::cli
