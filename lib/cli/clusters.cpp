// `clusters`: one row per Nova workload cluster, with its kubeconfig context (and where that came
// from), what Nova says about it, and one concurrent probe of every mapped cluster. Reads as
// parse → gather → compute → render → exit code.
#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/text.hpp"
#include "lib/nova/cluster_list.hpp"
#include "lib/render/cluster_table.hpp"
#include "version_info.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nova::cli {
namespace {

// How long one cluster may take to answer its probe, unless --probe-timeout says otherwise: a
// dead or hung cluster never holds the others' rows back for longer.
constexpr std::string_view default_probe_timeout = "5s";
// Longer than any probe is worth, short enough that "now + timeout" never overflows.
constexpr std::chrono::hours longest_probe_timeout{1};

struct ClustersOptions {
    OutputFlags output;
    ClusterFlags clusters;
    std::string probe_timeout{default_probe_timeout};
};

std::chrono::milliseconds parse_probe_timeout(const std::string& text) {
    const auto length = core::parse_go_duration(text); // usage error when malformed
    if (length.count() <= 0) {
        throw core::usage_error("--probe-timeout " + core::quote(text) + " must be positive");
    }
    if (length > longest_probe_timeout) {
        throw core::usage_error("--probe-timeout " + core::quote(text) +
                                " is too long: at most 1h");
    }
    return std::chrono::ceil<std::chrono::milliseconds>(length);
}

// The workload clusters and their contexts: Nova's Cluster objects from the control plane
// (one request), or the contexts --workload-contexts names.
fleet::ContextMapping cluster_targets(kube::Client& client, const Connection& connection,
                                      const ClusterFlags& flags) {
    const fleet::ContextSources sources = context_sources(connection, flags);
    if (!flags.workload_contexts.empty()) {
        return {
            fleet::workload_context_targets(flags.workload_contexts, sources.kubeconfig_contexts),
            {}};
    }
    const kube::Result listed =
        client.run_one(kube::Request::get(connection.control_plane, nova_clusters_path));
    if (!listed.ok() && listed.error().is_not_found()) {
        throw core::Error("the control plane serves no Nova clusters (clusters.cluster.elotl.co "
                          "is not found): is the context a Nova control plane? "
                          "--workload-contexts names workload clusters without it");
    }
    return fleet::map_cluster_contexts(fleet::parse_clusters(listed.value().json), sources);
}

// One concurrent round: GET /version of every mapped cluster, each with its own deadline.
// nullopt for the clusters not asked (unmapped, context not in the kubeconfig).
std::vector<std::optional<fleet::ProbeResult>>
probe_clusters(kube::Client& client, const Connection& connection,
               const std::vector<fleet::ClusterTarget>& targets,
               std::chrono::milliseconds timeout) {
    std::vector<std::optional<fleet::ProbeResult>> probes(targets.size());
    std::vector<kube::Request> requests;
    std::vector<std::size_t> asked; // the target of each request
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const fleet::ClusterTarget& target = targets[i];
        if (target.context.empty() || !target.context_exists) {
            continue;
        }
        try {
            kube::RestConfig config = kube::resolve_context(connection.kubeconfig, target.context,
                                                            connection.overrides, connection.env);
            // Each cluster's own deadline, counted from the start of the round (and, as
            // kubectl does with --request-timeout, told to the server).
            config.request_timeout = timeout;
            requests.push_back(kube::Request::get(
                std::make_shared<const kube::RestConfig>(std::move(config)), "/version"));
            asked.push_back(i);
        } catch (const core::Error& error) {
            // A context that cannot be used (a bad user entry, an unreadable CA file).
            probes[i] = fleet::ProbeResult{false, {}, {}, error.what()};
        }
    }
    const auto results = client.run(std::move(requests));
    for (std::size_t r = 0; r < results.size(); ++r) {
        fleet::ProbeResult probe;
        if (results[r].ok()) {
            const kube::Response& response = results[r].response();
            probe.answered = true;
            if (response.json.is_object()) {
                probe.server_version = response.json.value("gitVersion", std::string());
            }
            probe.latency = std::chrono::duration_cast<std::chrono::microseconds>(response.elapsed);
        } else {
            probe.error = results[r].error().message;
        }
        probes[asked[r]] = std::move(probe);
    }
    return probes;
}

core::ExitCode run_clusters(Context& context, const ClustersOptions& options) {
    // parse
    const auto timeout = parse_probe_timeout(options.probe_timeout);
    // A bad --cluster-context or --workload-contexts is a usage error whatever the control plane
    // says.
    fleet::parse_cluster_context_flags(options.clusters.cluster_contexts);
    if (!options.clusters.workload_contexts.empty()) {
        fleet::workload_context_targets(options.clusters.workload_contexts, {});
    }
    const render::Palette palette = palette_for(options.output);

    // gather
    const Connection connection = connect(context.kube_overrides);
    const auto client = make_client(connection);
    const fleet::ContextMapping mapping = cluster_targets(*client, connection, options.clusters);
    // A workload cluster's credential plugin is part of its probe (lib/kube stops it with the
    // probe): one that hangs makes that cluster unreachable after the probe timeout, as a hung
    // server does, and holds no other row back.
    const auto probes = probe_clusters(*client, connection, mapping.targets, timeout);

    // compute
    const auto entries = fleet::build_cluster_entries(mapping.targets, probes);

    // render
    for (const auto& name : mapping.unknown_clusters) {
        context.err << "warning: a context is given for " << core::quote(name)
                    << ", which is not one of Nova's clusters\n";
    }
    if (!options.output.output.empty()) {
        context.out << document_text(render::cluster_list_document(entries), options.output.output);
    } else if (entries.empty()) {
        context.err << "No resources found.\n";
    } else {
        context.out << render::render_cluster_table(entries, palette);
    }
    context.out << std::flush;

    // exit code
    const auto missing = fleet::missing_clusters(entries);
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) {
            names += (names.empty() ? "" : ", ") + core::quote(name);
        }
        throw core::Error("incomplete: workload cluster" +
                              std::string(missing.size() > 1 ? "s " : " ") + names +
                              " could not be reached",
                          core::ExitCode::incomplete);
    }
    return core::ExitCode::success;
}

} // namespace

void add_clusters_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ClustersOptions>();
    CLI::App* command = app.add_subcommand(
        "clusters", "List Nova's workload clusters, their contexts, and whether they answer");
    command->alias("cluster");
    command
        ->add_option("--probe-timeout", options->probe_timeout,
                     "How long each cluster may take to answer its probe (GET /version), its "
                     "exec credential plugin included")
        ->type_name("DURATION")
        ->default_str(std::string(default_probe_timeout));
    add_output_flags(*command, options->output, true);
    add_cluster_flags(*command, options->clusters);
    command->footer("Exit codes: 0 every cluster answered; 1 failed (control plane, kubeconfig); "
                    "2 usage; 5 some workload cluster is unmapped or could not be reached (not "
                    "counted: clusters in standby).");
    commands.add(command, [&context, options]() { return run_clusters(context, *options); });
}

} // namespace nova::cli
