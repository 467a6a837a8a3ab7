// `verify-spread ROLLOUT`: where Nova should have put the rollout's replicas (SchedulePolicy,
// Cluster objects, the split nova-sim also uses) held against what every workload cluster runs.
// Exit 0 as expected, 3 mismatch, 5 a cluster could not be read; --wait checks again on every
// change until it matches (exit 4 at --timeout). Reads as parse → gather → compute → render →
// exit code.
#include "lib/cli/verify_spread.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/terminal.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/core/text.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/render/spread_report.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace nova::cli {

namespace {

struct VerifySpreadOptions {
    std::string name;
    bool tolerance = false;
    bool wait = false;
    std::string timeout = "0";
    OutputFlags output;
    ClusterFlags clusters;
};

// The Cluster objects, or with --workload-contexts (no Cluster objects read) one Ready cluster
// per context, named after it: all a policy's clusterSelector can then see is the name.
std::vector<fleet::WorkloadCluster> clusters_of(const TreeData& data) {
    if (!data.clusters.empty()) {
        return fleet::parse_clusters(nlohmann::json(data.clusters));
    }
    std::vector<fleet::WorkloadCluster> clusters;
    for (const auto& reading : data.readings) {
        if (reading.info) {
            clusters.push_back(*reading.info);
            continue;
        }
        fleet::WorkloadCluster cluster;
        cluster.name = reading.cluster;
        cluster.ready = "True";
        cluster.health = fleet::ClusterHealth::ready;
        clusters.push_back(std::move(cluster));
    }
    return clusters;
}

std::string first_reason(const fleet::SpreadReport& report) {
    if (report.reasons.empty()) {
        return render::spread_verdict_line(report);
    }
    std::string text = report.reasons.front();
    if (report.reasons.size() > 1) {
        text += " (and " + std::to_string(report.reasons.size() - 1) + " more)";
    }
    return text;
}

core::ExitCode verify_spread_command(Context& context, const VerifySpreadOptions& options) {
    // parse
    const auto deadline = deadline_after(parse_wait_timeout(options.timeout));
    const bool documents = !options.output.output.empty();
    const fleet::SpreadOptions spread{options.tolerance};

    // gather
    const Connection connection = connect(context.kube_overrides);
    const auto client = make_client(connection);
    TreeRequest request;
    request.name = options.name;
    request.placement = true;
    TreeSource source(*client, connection, options.clusters, request);
    const TreeData& first = source.gather();
    print_warnings(context.err, first);

    // compute; with --wait, again on every change until the spread is as expected
    fleet::SpreadReport report = spread_report(first, options.name, spread);
    bool timed_out = false;
    if (options.wait && report.verdict != fleet::SpreadVerdict::as_expected) {
        std::string last_line;
        const auto progress = [&]() {
            const std::string line = "waiting: " + first_reason(report);
            if (!documents && line != last_line) {
                context.out << line << '\n' << std::flush;
                last_line = line;
            }
        };
        progress();
        StopSignals signals;
        TreeSource::FollowOptions follow;
        follow.deadline = deadline;
        follow.min_interval = std::chrono::milliseconds(200);
        const auto end = source.follow(
            [&](const TreeData& data) {
                try {
                    report = spread_report(data, options.name, spread);
                } catch (const core::Error&) {
                    return true; // deleted, or the clusters unreadable, meanwhile: keep waiting
                }
                progress();
                return report.verdict != fleet::SpreadVerdict::as_expected;
            },
            follow);
        if (report.verdict != fleet::SpreadVerdict::as_expected) {
            if (end == kube::WatchEnd::deadline) {
                timed_out = true;
            } else if (end == kube::WatchEnd::interrupted) {
                throw core::Error("interrupted while waiting for the spread of rollout " +
                                  core::quote(options.name) + ": " + first_reason(report));
            }
        }
    }

    // render
    if (documents) {
        context.out << document_text(render::spread_report_document(report), options.output.output);
    } else {
        context.out << render::render_spread_report(report, palette_for(options.output));
    }
    context.out << std::flush;

    // exit code
    if (timed_out) {
        throw core::Error("rollout " + core::quote(options.name) +
                              " was not spread as expected within " + options.timeout + ": " +
                              first_reason(report),
                          core::ExitCode::timeout);
    }
    if (auto error = spread_error(report)) {
        throw *error;
    }
    return core::ExitCode::success;
}

} // namespace

fleet::SpreadReport spread_report(const TreeData& data, std::string_view name,
                                  const fleet::SpreadOptions& options) {
    const fleet::RolloutView view = rollout_view(data, name);
    if (data.clusters_unknown) {
        throw core::Error("incomplete: Nova's workload clusters could not be listed, so no spread "
                          "can be expected",
                          core::ExitCode::incomplete);
    }
    fleet::PlacementObjects control;
    control.policies = fleet::parse_schedule_policies(nlohmann::json(data.schedule_policies));
    control.clusters = clusters_of(data);
    control.replica_sets = data.objects.replica_sets;
    control.jobs = data.jobs;
    if (!data.namespaces.empty()) {
        control.namespace_labels = core::labels_of(data.namespaces.front());
    } else {
        // The API server gives every namespace this label; without read access, assume it.
        control.namespace_labels = {{"kubernetes.io/metadata.name", view.info.meta.namespace_name}};
    }
    return fleet::verify_spread(view, control, data.readings, options);
}

std::optional<core::Error> spread_error(const fleet::SpreadReport& report) {
    switch (report.verdict) {
    case fleet::SpreadVerdict::as_expected:
        return std::nullopt;
    case fleet::SpreadVerdict::mismatch:
        return core::Error("rollout " + core::quote(report.rollout) +
                               " is not spread as expected: " + first_reason(report),
                           core::ExitCode::bad_state);
    case fleet::SpreadVerdict::incomplete:
        break;
    }
    std::string reason;
    for (const auto& subject : report.subjects) {
        for (const auto& row : subject.rows) {
            if (row.missing && reason.empty()) {
                reason = row.reason;
            }
        }
    }
    if (reason.empty()) {
        reason = render::spread_verdict_line(report);
    }
    return core::Error("incomplete: " + reason, core::ExitCode::incomplete);
}

void add_verify_spread_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<VerifySpreadOptions>();
    CLI::App* command = app.add_subcommand(
        "verify-spread",
        "Check that Nova spread the rollout's replicas over the workload clusters as its "
        "SchedulePolicy says");
    command->add_option("ROLLOUT_NAME", options->name, "The rollout")->required();
    command->add_flag("--tolerance", options->tolerance,
                      "Accept any Divide or percentageSplit placement within ±1 replica per "
                      "cluster that places the same total (Nova's remainder rule is "
                      "undocumented)");
    command->add_flag("--wait", options->wait,
                      "Check again on every change until the spread is as expected (for "
                      "pipelines, after each promote)");
    command
        ->add_option("-t,--timeout", options->timeout,
                     "With --wait: give up after this long, exit 4 (Go duration: 90s, 10m; 0: "
                     "never)")
        ->default_str("0");
    add_output_flags(*command, options->output, true);
    add_cluster_flags(*command, options->clusters);
    command->footer("Exit codes: 0 spread as expected; 1 failed (not found, API error); 2 usage; 3 "
                    "spread mismatch; 4 --wait timed out; 5 a workload cluster could not be read.");
    commands.add(command,
                 [&context, options]() { return verify_spread_command(context, *options); });
}

} // namespace nova::cli
