// `list rollouts` and `list experiments`: argo's tables, a live table with -w, documents with -o.
// Reads as parse → gather → compute → render → exit code.
#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/terminal.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/core/duration.hpp"
#include "lib/render/document.hpp"
#include "lib/render/list_tables.hpp"
#include "lib/render/tab_writer.hpp"
#include "lib/rollouts/list_rows.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct ListRolloutsOptions {
    std::string name;
    bool all_namespaces = false;
    bool watch = false;
    bool timestamps = false;
    std::string output;
};

core::ExitCode list_rollouts_command(Context& context, const ListRolloutsOptions& options) {
    // gather
    const Connection connection = connect(context.kube_overrides);
    const auto client = make_client(connection);
    const RolloutListRequest request{options.all_namespaces, options.name};
    RolloutList list = list_rollouts(*client, connection, request);

    // compute
    std::vector<rollouts::RolloutListRow> rows;
    rollouts::RolloutRowTracker tracker;
    for (const auto& rollout : list.items) {
        rows.push_back(rollouts::rollout_list_row(rollout));
        tracker.remember(rows.back());
    }

    // render
    const render::RolloutTableColumns columns{options.all_namespaces, options.timestamps};
    if (!options.output.empty()) {
        context.out << document_text(render::rollout_list_document(rows), options.output,
                                     options.watch)
                    << std::flush;
    } else if (rows.empty() && !options.watch) {
        context.err << "No resources found.\n"; // argo's words, on stderr
    } else {
        context.out << render::render_rollout_table(rows, columns, core::Clock::now())
                    << std::flush;
    }
    if (!options.watch) {
        return core::ExitCode::success;
    }

    // watch: a row again only when it changed (argo's rule), until Ctrl-C.
    StopSignals signals;
    follow_rollouts(
        *client, connection, request, list,
        [&](const nlohmann::json& rollout) {
            const auto row = rollouts::rollout_list_row(rollout);
            if (!tracker.changed(row)) {
                return true;
            }
            if (!options.output.empty()) {
                // One document per change: JSON lines, or YAML documents after ---.
                context.out << (options.output == "yaml" ? "---\n" : "")
                            << document_text(render::rollout_list_document({row}), options.output,
                                             true);
            } else {
                render::TabWriter updates;
                updates.write(render::rollout_table_row(row, columns, core::Clock::now()));
                context.out << updates.flush();
            }
            context.out << std::flush;
            return true;
        },
        std::nullopt);
    return core::ExitCode::success;
}

void add_list_rollouts(CLI::App& list, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ListRolloutsOptions>();
    CLI::App* command = list.add_subcommand("rollouts", "List rollouts");
    command->alias("ro");
    command->alias("rollout");
    command->add_option("--name", options->name, "Only the rollout of this name");
    command->add_flag("-A,--all-namespaces", options->all_namespaces,
                      "Rollouts of every namespace");
    command->add_flag("-w,--watch", options->watch, "Print a row again whenever it changes");
    command->add_flag("--timestamps", options->timestamps, "Start each row with the time");
    command
        ->add_option("-o,--output", options->output,
                     "Print a document instead of the table: json or yaml")
        ->check(CLI::IsMember({"json", "yaml"}));
    commands.add(command,
                 [&context, options]() { return list_rollouts_command(context, *options); });
}

void add_list_experiments(CLI::App& list, CommandTable& commands, Context& context) {
    auto all_namespaces = std::make_shared<bool>(false);
    CLI::App* command = list.add_subcommand("experiments", "List experiments");
    command->alias("exp");
    command->alias("experiment");
    command->add_flag("-A,--all-namespaces", *all_namespaces, "Experiments of every namespace");
    commands.add(command, [&context, all_namespaces]() {
        // gather
        const Connection connection = connect(context.kube_overrides);
        const auto client = make_client(connection);
        const auto experiments = list_experiments(*client, connection, *all_namespaces);
        // compute
        std::vector<rollouts::ExperimentListEntry> entries;
        for (const auto& experiment : experiments) {
            entries.push_back(rollouts::experiment_list_entry(experiment));
        }
        // render
        if (entries.empty()) {
            context.err << "No resources found.\n";
        } else {
            context.out << render::render_experiment_table(entries, *all_namespaces,
                                                           core::Clock::now());
        }
        return core::ExitCode::success;
    });
}

} // namespace

void add_list_command(CLI::App& app, CommandTable& commands, Context& context) {
    CLI::App* list = app.add_subcommand("list", "List rollouts or experiments");
    list->require_subcommand(0, 1);
    add_list_rollouts(*list, commands, context);
    add_list_experiments(*list, commands, context);
}

} // namespace nova::cli
