// `status NAME`: wait for a rollout to finish, for CI. argo's semantics minus its traps: a
// timeout exits 4 with a line saying so, Degraded or aborted exits 3, --success-on-pause ends a
// paused rollout successfully, and a line is printed only when the status changes.
// Reads as parse → gather → compute → render → exit code.
#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/terminal.hpp"
#include "lib/cli/verify_spread.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/text.hpp"
#include "lib/render/document.hpp"
#include "lib/render/spread_report.hpp"
#include "lib/render/status_lines.hpp"
#include "lib/rollouts/status_check.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace nova::cli {
namespace {

struct StatusOptions {
    std::string name;
    bool watch = true;
    std::string timeout = "0";
    bool success_on_pause = false;
    bool verify_spread = false;
    bool tolerance = false;
    std::string output;
    ClusterFlags clusters;
};

bool finished(rollouts::StatusVerdict verdict) {
    return verdict != rollouts::StatusVerdict::in_progress;
}

core::ExitCode status_command(Context& context, const StatusOptions& options) {
    // parse
    const auto deadline = deadline_after(parse_wait_timeout(options.timeout));
    const bool documents = !options.output.empty();

    // gather: the control plane decides; the clusters only matter to the document and to
    // --verify-spread.
    const Connection connection = connect(context.kube_overrides);
    const auto client = make_client(connection);
    TreeRequest request;
    request.name = options.name;
    request.workload_clusters = documents || options.verify_spread;
    request.placement = options.verify_spread;
    TreeSource source(*client, connection, options.clusters, request);
    const TreeData& first = source.gather();
    if (documents || options.verify_spread) {
        print_warnings(context.err, first);
    }

    // compute and render: the first state, then each change while watching.
    fleet::RolloutView view = rollout_view(first, options.name);
    auto verdict = rollouts::status_verdict(view.info, options.success_on_pause);
    // --verify-spread: done also needs the spread as expected; checked once the rollout is.
    const fleet::SpreadOptions spread_options{options.tolerance};
    std::optional<fleet::SpreadReport> spread;
    std::string last_spread_line;
    const auto check_spread = [&](const TreeData& data) {
        spread.reset();
        if (!options.verify_spread || verdict == rollouts::StatusVerdict::in_progress ||
            verdict == rollouts::StatusVerdict::degraded) {
            return;
        }
        try {
            spread = spread_report(data, options.name, spread_options);
        } catch (const core::Error& error) {
            if (error.code() != core::ExitCode::incomplete) {
                throw;
            }
            // Nova's clusters could not be listed: nothing to hold the clusters against yet.
            fleet::SpreadReport unknown;
            unknown.rollout = options.name;
            unknown.verdict = fleet::SpreadVerdict::incomplete;
            unknown.reasons.push_back(error.what());
            spread = std::move(unknown);
        }
        if (!documents && spread->verdict != fleet::SpreadVerdict::as_expected) {
            const std::string line =
                "Spread: " + (spread->reasons.empty() ? render::spread_verdict_line(*spread)
                                                      : spread->reasons.front());
            if (line != last_spread_line) {
                context.out << line << '\n' << std::flush;
                last_spread_line = line;
            }
        }
    };
    const auto done = [&]() {
        if (!finished(verdict)) {
            return false;
        }
        return !spread || spread->verdict == fleet::SpreadVerdict::as_expected;
    };
    render::StatusLinePrinter lines;
    const auto print_line = [&]() {
        if (documents) {
            return;
        }
        if (auto line = lines.next(view.info)) {
            context.out << *line << '\n' << std::flush;
        }
    };

    kube::WatchEnd end = kube::WatchEnd::stopped;
    if (!options.watch) {
        if (!documents) {
            context.out << render::status_line_once(view.info) << '\n';
        }
    } else {
        print_line();
        check_spread(first);
        if (!done()) {
            StopSignals signals;
            TreeSource::FollowOptions follow;
            follow.deadline = deadline;
            end = source.follow(
                [&](const TreeData& data) {
                    try {
                        view = rollout_view(data, options.name);
                    } catch (const core::Error&) {
                        return true; // deleted meanwhile: wait for it to come back
                    }
                    verdict = rollouts::status_verdict(view.info, options.success_on_pause);
                    print_line();
                    check_spread(data);
                    return !done();
                },
                follow);
        }
    }

    if (!options.watch) {
        check_spread(first);
    }

    // exit code
    const bool timed_out = options.watch && !done() && end == kube::WatchEnd::deadline;
    if (documents) {
        auto document =
            render::rollout_status_document(view, render::status_outcome(verdict, timed_out));
        if (spread) {
            // --verify-spread: the check that decided, as verify-spread -o prints it.
            document["spread"] = render::spread_report_document(*spread);
        }
        context.out << document_text(document, options.output);
    }
    context.out << std::flush;
    if (verdict == rollouts::StatusVerdict::degraded) {
        throw core::Error(rollouts::degraded_message(view.info), core::ExitCode::bad_state);
    }
    if (timed_out) {
        const std::string state =
            finished(verdict) && spread && !spread->reasons.empty()
                ? render::status_line(view.info) + "; spread: " + spread->reasons.front()
                : render::status_line(view.info);
        throw core::Error("rollout " + core::quote(options.name) + " did not finish within " +
                              options.timeout + ": " + state,
                          core::ExitCode::timeout);
    }
    if (options.watch && !done() && !(finished(verdict) && spread)) {
        throw core::Error("interrupted while waiting for rollout " + core::quote(options.name) +
                          ": " + render::status_line(view.info));
    }
    if (spread) {
        if (auto error = spread_error(*spread)) {
            throw *error;
        }
    }
    return core::ExitCode::success;
}

} // namespace

void add_status_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<StatusOptions>();
    CLI::App* command = app.add_subcommand(
        "status", "Wait for a rollout to finish and exit with what happened (for CI)");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout")->required();
    command
        ->add_flag("-w,--watch", options->watch,
                   "Watch until the rollout is done (default); --watch=false checks once")
        ->default_str("true");
    command
        ->add_option("-t,--timeout", options->timeout,
                     "Give up after this long, exit 4 (Go duration: 90s, 10m; 0: never)")
        ->default_str("0");
    command->add_flag("--success-on-pause", options->success_on_pause,
                      "A paused rollout is done too (exit 0): gate a manual promotion");
    command->add_flag(
        "--verify-spread", options->verify_spread,
        "Done also means spread as expected over the workload clusters (as "
        "verify-spread checks): wait for it; exit 3 on a mismatch when checking once, "
        "5 when a cluster cannot be read");
    command->add_flag("--tolerance", options->tolerance,
                      "With --verify-spread: accept ±1 replica per cluster (see verify-spread)");
    command
        ->add_option("-o,--output", options->output,
                     "Print a document at the end instead of progress lines: json or yaml")
        ->check(CLI::IsMember({"json", "yaml"}));
    add_cluster_flags(*command, options->clusters);
    command->footer("Exit codes: 0 Healthy (or paused with --success-on-pause, or checked once "
                    "while progressing); 1 failed or interrupted; 2 usage; 3 Degraded or "
                    "aborted, or with --verify-spread spread mismatch; 4 timed out; 5 with "
                    "--verify-spread a workload cluster could not be read.");
    commands.add(command, [&context, options]() { return status_command(context, *options); });
}

} // namespace nova::cli
