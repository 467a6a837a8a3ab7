// `abort NAME...`: sets status.abort on each rollout; the controller goes back to the stable
// version, in every workload cluster Nova placed it. Reads as parse → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct AbortOptions {
    std::vector<std::string> names;
    WriteFlags write;
};

core::ExitCode abort_command(Context& context, const AbortOptions& options) {
    // parse: every name is checked before the first request
    check_name_arguments("rollout", options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        const ObjectRef ref = ObjectRef::argo("rollouts", session.namespace_name(), name);
        const std::string body = R"({"status":{"abort":true}})";
        std::optional<nlohmann::json> rollout;
        // A CRD without the status subresource takes the same patch on the main resource.
        if (!session.patch_status(ref, body, rollout)) {
            rollout = session.send({kube::Method::patch, ref, std::string(merge_patch_type), body});
        }
        session.done("rollout '" + name + "' aborted", rollout.value_or(nullptr));
    });
}

} // namespace

void add_abort_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AbortOptions>();
    CLI::App* command = app.add_subcommand("abort", "Abort a rollout");
    command->add_option("ROLLOUT_NAME", options->names, "Rollouts to abort")->required();
    add_write_flags(*command, options->write);
    set_help_notes(*command,
                   "An aborted rollout goes back to its stable version, but its spec still "
                   "holds the new one: `retry rollout` takes the update up again, and so "
                   "does any change to the spec.");
    commands.add(command, [&context, options]() { return abort_command(context, *options); });
}

} // namespace nova::cli
