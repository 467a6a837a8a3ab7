// `terminate analysisrun NAME...` and `terminate experiment NAME...`: argo's one merge patch per
// name setting spec.terminate; the controller stops the run (or the experiment and its runs),
// and Nova stops their Jobs and ReplicaSets in every workload cluster. Unlike argo, a terminated
// experiment is reported as terminated, not "retried". Reads as parse → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/write.hpp"

#include <memory>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

struct TerminateOptions {
    std::vector<std::string> names;
    WriteFlags write;
};

// What a kind is called in the URL and in the success line.
struct Terminable {
    const char* resource; // "analysisruns"
    const char* label;    // "analysisRun" (argo's spelling)
    const char* kind;     // "analysisrun": what a bad name is called
};

constexpr Terminable analysis_runs{"analysisruns", "analysisRun", "analysisrun"};
constexpr Terminable experiments{"experiments", "experiment", "experiment"};

core::ExitCode terminate_command(Context& context, const TerminateOptions& options,
                                 const Terminable& what) {
    // parse: every name is checked before the first request
    check_name_arguments(what.kind, options.names);
    WriteSession session(context, options.write);
    return for_each_name(session, options.names, [&](const std::string& name) {
        const Write terminate{kube::Method::patch,
                              ObjectRef::argo(what.resource, session.namespace_name(), name),
                              std::string(merge_patch_type), R"({"spec":{"terminate":true}})"};
        const auto object = session.send(terminate);
        session.done(std::string(what.label) + " '" + name + "' terminated",
                     object.value_or(nullptr));
    });
}

void add_terminate_subcommand(CLI::App& terminate, CommandTable& commands, Context& context,
                              const Terminable& what) {
    auto options = std::make_shared<TerminateOptions>();
    const bool run = &what == &analysis_runs;
    CLI::App* command =
        run ? terminate.add_subcommand("analysisrun", "Terminate an AnalysisRun")
            : terminate.add_subcommand("experiment", "Terminate an Experiment and its runs");
    command->alias(run ? "ar" : "exp");
    command->alias(run ? "analysisruns" : "experiments");
    command
        ->add_option(run ? "ANALYSISRUN_NAME" : "EXPERIMENT_NAME", options->names,
                     run ? "AnalysisRuns to terminate" : "Experiments to terminate")
        ->required();
    add_write_flags(*command, options->write);
    commands.add(command, [&context, options, &what]() {
        return terminate_command(context, *options, what);
    });
}

} // namespace

void add_terminate_command(CLI::App& app, CommandTable& commands, Context& context) {
    CLI::App* terminate = app.add_subcommand("terminate", "Terminate an AnalysisRun or Experiment");
    terminate->require_subcommand(0, 1);
    add_terminate_subcommand(*terminate, commands, context, analysis_runs);
    add_terminate_subcommand(*terminate, commands, context, experiments);
}

} // namespace nova::cli
