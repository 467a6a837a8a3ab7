// `retry rollout NAME...` clears status.abort, so an aborted rollout takes its update up
// again; `retry experiment NAME...` wipes an experiment's status, so the controller starts it
// over. Reads as parse → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct RetryOptions {
    std::vector<std::string> names;
    WriteFlags write;
};

core::ExitCode retry_rollouts(Context& context, const RetryOptions& options) {
    // parse: every name is checked before the first request
    check_name_arguments("rollout", options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        const ObjectRef ref = ObjectRef::argo("rollouts", session.namespace_name(), name);
        const std::string body = R"({"status":{"abort":false}})";
        std::optional<nlohmann::json> rollout;
        // A CRD without the status subresource takes the same patch on the main resource.
        if (!session.patch_status(ref, body, rollout)) {
            rollout = session.send({kube::Method::patch, ref, std::string(merge_patch_type), body});
        }
        session.done("rollout '" + name + "' retried", rollout.value_or(nullptr));
    });
}

core::ExitCode retry_experiments(Context& context, const RetryOptions& options) {
    check_name_arguments("experiment", options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        // Experiments have no status subresource: the main resource takes status changes.
        const Write retry{kube::Method::patch,
                          ObjectRef::argo("experiments", session.namespace_name(), name),
                          std::string(merge_patch_type), R"({"status":null})"};
        const auto experiment = session.send(retry);
        session.done("experiment '" + name + "' retried", experiment.value_or(nullptr));
    });
}

} // namespace

void add_retry_command(CLI::App& app, CommandTable& commands, Context& context) {
    CLI::App* retry = app.add_subcommand("retry", "Retry a rollout or experiment");
    retry->require_subcommand(0, 1);

    auto rollout_options = std::make_shared<RetryOptions>();
    CLI::App* rollout = retry->add_subcommand("rollout", "Retry an aborted rollout");
    rollout->alias("ro");
    rollout->alias("rollouts");
    rollout->add_option("ROLLOUT_NAME", rollout_options->names, "Rollouts to retry")->required();
    add_write_flags(*rollout, rollout_options->write);
    commands.add(rollout, [&context, rollout_options]() {
        return retry_rollouts(context, *rollout_options);
    });

    auto experiment_options = std::make_shared<RetryOptions>();
    CLI::App* experiment = retry->add_subcommand("experiment", "Retry an experiment");
    experiment->alias("exp");
    experiment->alias("experiments");
    experiment->add_option("EXPERIMENT_NAME", experiment_options->names, "Experiments to retry")
        ->required();
    add_write_flags(*experiment, experiment_options->write);
    commands.add(experiment, [&context, experiment_options]() {
        return retry_experiments(context, *experiment_options);
    });
}

} // namespace nova::cli
