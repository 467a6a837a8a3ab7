// `undo ROLLOUT_NAME [--to-revision N]`: puts back the pod template of an earlier revision, taken
// from the ReplicaSet the rollout controls for it, with argo's one JSON patch; on the rollout, or
// on the Deployment, ReplicaSet or PodTemplate its workloadRef names. Reads as parse → gather →
// compute → write → report.
#include "lib/rollouts/undo.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/wire.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/strict_fields.hpp"
#include "lib/rollouts/workload_ref.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

using nlohmann::json;
using rollouts::WorkloadReference;

struct UndoOptions {
    std::string name;
    std::string to_revision = "0"; // as given: checked by rollouts::parse_to_revision
    WriteFlags write;
};

// Where the writes of undo go for a workloadRef: the object itself, not the rollout.
ObjectRef workload_object(const WorkloadReference& workload, const std::string& namespace_name) {
    switch (workload.kind) {
    case WorkloadReference::Kind::deployment:
        return ObjectRef::apps("deployments", namespace_name, workload.name);
    case WorkloadReference::Kind::replica_set:
        return ObjectRef::apps("replicasets", namespace_name, workload.name);
    case WorkloadReference::Kind::pod_template:
        return ObjectRef::core("podtemplates", namespace_name, workload.name);
    case WorkloadReference::Kind::other:
        break;
    }
    throw core::Error("workload of type " + workload.kind_name + " is not supported");
}

core::ExitCode undo_command(Context& context, const UndoOptions& options) {
    // parse
    const std::int64_t to_revision = rollouts::parse_to_revision(options.to_revision);
    check_name_arguments("rollout", {options.name});
    WriteSession session(context, options.write);
    const std::string& namespace_name = session.namespace_name();
    const ObjectRef rollout_ref = ObjectRef::argo("rollouts", namespace_name, options.name);

    // gather: the rollout, then in one round its ReplicaSets and the workload it refers to
    const json rollout = session.get(rollout_ref);
    const auto workload = rollouts::workload_reference(rollout);
    if (workload && workload->kind == WorkloadReference::Kind::other) {
        throw core::Error("rollout " + core::quote(options.name) + " takes its pod template from " +
                          workload->describe() +
                          " (spec.workloadRef); undo supports a referenced Deployment, ReplicaSet "
                          "or PodTemplate");
    }
    const ObjectRef replica_sets_ref = ObjectRef::apps("replicasets", namespace_name, "");
    std::string list_path = replica_sets_ref.path();
    if (const std::string selector = rollouts::replica_set_selector(rollout); !selector.empty()) {
        list_path = kube::append_query(std::move(list_path), "labelSelector", selector);
    }
    const ObjectRef target = workload ? workload_object(*workload, namespace_name) : rollout_ref;
    std::vector<kube::Request> reads{
        kube::Request::get(session.connection().control_plane, list_path)};
    if (workload) {
        reads.push_back(kube::Request::get(session.connection().control_plane, target.path()));
    }
    auto results = session.client().run(std::move(reads));
    if (!results[0].ok()) {
        throw core::Error(
            "failed to retrieve the replica sets of rollout " + core::quote(options.name) + ": " +
            session.error(results[0].error(), kube::Method::get, replica_sets_ref).what());
    }
    if (workload && !results[1].ok()) {
        if (results[1].error().kind == kube::ErrorKind::http && results[1].error().is_not_found()) {
            throw core::Error(workload->not_found_message(options.name));
        }
        throw session.error(results[1].error(), kube::Method::get, target);
    }
    if (workload) {
        session.mark_read(target); // --dry-run reads it no second time
    }
    const json& current = workload ? results[1].json() : rollout;

    // compute
    const auto replica_sets = rollouts::controlled_replica_sets(
        list_items(results[0].json()), rollouts::fields::string_at(rollout, {"metadata", "uid"}));
    const auto wanted = rollouts::undo_target(replica_sets, to_revision, options.name);
    const json* current_template =
        workload ? workload->find_template(current)
                 : rollouts::strict::Fields(current, "rollout " + core::quote(options.name))
                       .object({"spec", "template"});
    if (current_template != nullptr &&
        rollouts::template_matches(*current_template, wanted.pod_template)) {
        const std::string skipped = rollouts::skipped_message(wanted.revision);
        if (options.write.output.empty()) {
            context.out << skipped << '\n';
        } else {
            // The document stays alone on stdout.
            context.err << skipped << '\n';
            session.done(skipped, current);
        }
        session.finish();
        return core::ExitCode::success;
    }

    // write
    const std::string pointer = workload ? workload->template_pointer() : "/spec/template";
    const Write patch{kube::Method::patch, target, std::string(json_patch_type),
                      rollouts::undo_patch(pointer, wanted.pod_template).dump()};
    auto result = session.try_send(patch);
    if (result && !result->ok()) {
        throw core::Error("failed restoring revision " + std::to_string(wanted.revision) + ": " +
                          session.error(result->error(), patch.method, patch.target).what());
    }

    // report
    session.done("rollout '" + options.name + "' undo", result ? result->json() : json());
    session.finish();
    return core::ExitCode::success;
}

} // namespace

void add_undo_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<UndoOptions>();
    CLI::App* command = app.add_subcommand("undo", "Undo a rollout");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout")->required();
    command
        ->add_option("--to-revision", options->to_revision,
                     "The revision to roll back to (default 0: the previous revision)")
        ->type_name("INT");
    add_write_flags(*command, options->write);
    set_help_notes(*command,
                   "The pod template comes from the rollout's ReplicaSet of that revision; with a "
                   "workloadRef, the referenced Deployment, ReplicaSet or PodTemplate is patched "
                   "instead of the rollout.");
    commands.add(command, [&context, options]() { return undo_command(context, *options); });
}

} // namespace nova::cli
