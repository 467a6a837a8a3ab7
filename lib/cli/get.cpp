// `get rollout NAME` and `get experiment NAME`: argo's tree plus every workload cluster, once or
// live (-w). Reads as parse → gather → compute → render → exit code.
#include "lib/cli/get.hpp"

#include "lib/cli/color.hpp"
#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/terminal.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/text.hpp"
#include "lib/render/cluster_tree.hpp"
#include "lib/render/document.hpp"
#include "lib/rollouts/status_check.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace nova::cli {
namespace {

// Redraws at most this often, and on a terminal at least every age_refresh, so that ages
// advance second by second (a redraw costs no request: the streams stay connected).
constexpr std::chrono::milliseconds redraw_interval{200};
constexpr std::chrono::milliseconds age_refresh{1000};

// One rendered state: the text (or document) and how a run that ends on it exits.
struct Frame {
    std::string text;
    std::optional<core::Error> incomplete;
    // --until-done: Healthy or Degraded (or aborted) ends the watch.
    std::optional<rollouts::StatusVerdict> done;
};

Frame rollout_frame(const TreeData& data, const GetOptions& options, const render::Palette& palette,
                    bool compact) {
    const fleet::RolloutView view = rollout_view(data, options.name);
    Frame frame;
    frame.text =
        options.output.output.empty()
            ? render::render_rollout_view(view, palette, core::Clock::now())
            : document_text(render::rollout_view_document(view), options.output.output, compact);
    frame.incomplete = incomplete_error(view.missing_clusters(), data);
    const auto verdict = rollouts::status_verdict(view.info, false);
    if (verdict == rollouts::StatusVerdict::healthy ||
        verdict == rollouts::StatusVerdict::degraded) {
        frame.done = verdict;
    }
    return frame;
}

Frame experiment_frame(const TreeData& data, const GetOptions& options,
                       const render::Palette& palette, bool compact) {
    const fleet::ExperimentView view = experiment_view(data, options.name);
    Frame frame;
    frame.text =
        options.output.output.empty()
            ? render::render_experiment_view(view, palette, core::Clock::now())
            : document_text(render::experiment_view_document(view), options.output.output, compact);
    frame.incomplete = incomplete_error(view.missing_clusters(), data);
    return frame;
}

using FrameMaker = Frame (*)(const TreeData&, const GetOptions&, const render::Palette&, bool);

// Watch: the first frame at once, then one per change (throttled), until Ctrl-C, the timeout,
// or with --until-done a finished rollout.
core::ExitCode watch(Context& context, const GetOptions& options, TreeSource& source,
                     const TreeData& first, FrameMaker make_frame) {
    StopSignals signals;
    const render::Palette palette = palette_for(options.output);
    const bool documents = !options.output.output.empty();
    LiveScreen screen(context.out, !documents && stdout_is_terminal());
    std::string last_document;
    const auto show = [&](const Frame& frame) {
        if (!documents) {
            screen.draw(frame.text);
        } else if (frame.text != last_document) {
            // One document per change: a JSON line each, or YAML documents separated by ---.
            context.out << (options.output.output == "yaml" && !last_document.empty() ? "---\n"
                                                                                      : "")
                        << frame.text << std::flush;
            last_document = frame.text;
        }
    };

    Frame frame = make_frame(first, options, palette, true);
    show(frame);
    TreeSource::FollowOptions follow;
    if (options.timeout_seconds > 0) {
        follow.deadline = kube::SteadyClock::now() + std::chrono::seconds(options.timeout_seconds);
    }
    follow.min_interval = redraw_interval;
    if (screen.terminal()) {
        follow.refresh = age_refresh;
    }
    kube::WatchEnd end = kube::WatchEnd::stopped;
    if (!(options.until_done && frame.done)) {
        end = source.follow(
            [&](const TreeData& data) {
                try {
                    frame = make_frame(data, options, palette, true);
                } catch (const core::Error&) {
                    // Deleted meanwhile: argo keeps the last display, and so do we.
                    return true;
                }
                show(frame);
                return !(options.until_done && frame.done);
            },
            follow);
    }
    screen.finish();
    if (options.until_done) {
        if (frame.done) {
            if (*frame.done == rollouts::StatusVerdict::degraded) {
                throw core::Error("rollout " + core::quote(options.name) + " is Degraded",
                                  core::ExitCode::bad_state);
            }
        } else if (end == kube::WatchEnd::deadline) {
            throw core::Error("rollout " + core::quote(options.name) + " was not done within " +
                                  std::to_string(options.timeout_seconds) + "s",
                              core::ExitCode::timeout);
        }
    } else if (options.timeout_fails && end == kube::WatchEnd::deadline) {
        throw core::Error("stopped watching " + core::quote(options.name) + " after its timeout (" +
                              std::to_string(options.timeout_seconds) + "s)",
                          core::ExitCode::timeout);
    }
    // Ctrl-C and --timeout-seconds end a plain watch successfully, as in argo.
    if (frame.incomplete) {
        throw *frame.incomplete;
    }
    return core::ExitCode::success;
}

void add_get_subcommand(CLI::App& get, CommandTable& commands, Context& context, bool rollout) {
    auto options = std::make_shared<GetOptions>();
    CLI::App* command =
        rollout ? get.add_subcommand("rollout", "Get details about a rollout, in every cluster")
                : get.add_subcommand("experiment", "Get details about an experiment");
    command->alias(rollout ? "ro" : "exp");
    command->alias(rollout ? "rollouts" : "experiments");
    command
        ->add_option(rollout ? "ROLLOUT_NAME" : "EXPERIMENT_NAME", options->name,
                     rollout ? "The rollout" : "The experiment")
        ->required();
    command->add_flag("-w,--watch", options->watch, "Watch live updates");
    command
        ->add_option("--timeout-seconds", options->timeout_seconds,
                     "With --watch: stop after this many seconds (0: never)")
        ->check(CLI::NonNegativeNumber);
    if (rollout) {
        command->add_flag("--until-done", options->until_done,
                          "Watch until the rollout is Healthy (exit 0) or Degraded (exit 3); "
                          "implies --watch");
    }
    add_output_flags(*command, options->output, rollout);
    add_cluster_flags(*command, options->clusters);
    command->footer(rollout ? "Exit codes: 0 shown; 1 failed (not found, API error); 2 usage; 3 "
                              "Degraded with --until-done; 4 --until-done timed out; 5 some "
                              "workload cluster could not be read."
                            : "");

    commands.add(command,
                 [&context, options, rollout]() { return run_get(context, *options, rollout); });
}

} // namespace

core::ExitCode run_get(Context& context, const GetOptions& options, bool rollout) {
    // parse
    const bool watching = options.watch || options.until_done;
    // gather
    const Connection connection = connect(context.kube_overrides);
    const auto client = make_client(connection);
    TreeRequest request;
    request.subject = rollout ? TreeRequest::Subject::rollout : TreeRequest::Subject::experiment;
    request.name = options.name;
    request.deployment = !options.output.output.empty();
    TreeSource source(*client, connection, options.clusters, request);
    const TreeData& data = source.gather();
    print_warnings(context.err, data);
    const FrameMaker make_frame = rollout ? rollout_frame : experiment_frame;
    if (watching) {
        return watch(context, options, source, data, make_frame);
    }
    // compute, render
    const Frame frame = make_frame(data, options, palette_for(options.output), false);
    context.out << frame.text << std::flush;
    // exit code
    if (frame.incomplete) {
        throw *frame.incomplete;
    }
    return core::ExitCode::success;
}

void add_get_command(CLI::App& app, CommandTable& commands, Context& context) {
    CLI::App* get = app.add_subcommand("get", "Get details about rollouts and experiments");
    get->require_subcommand(0, 1);
    add_get_subcommand(*get, commands, context, true);
    add_get_subcommand(*get, commands, context, false);
}

} // namespace nova::cli
