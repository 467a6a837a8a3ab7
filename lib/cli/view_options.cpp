#include "lib/cli/view_options.hpp"

#include "lib/cli/color.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/text.hpp"
#include "lib/render/document.hpp"
#include "lib/rollouts/experiment_info.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <ostream>

namespace nova::cli {

void add_output_flags(CLI::App& command, OutputFlags& flags, bool structured) {
    command.add_flag("--no-color", flags.no_color, "Do not colourize the output");
    command
        .add_option("--color", flags.color,
                    "Colourize the output: auto (on a terminal, unless NO_COLOR is set or TERM is "
                    "dumb), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->default_str("auto");
    if (structured) {
        command
            .add_option("-o,--output", flags.output,
                        "Print a document instead of text: json or yaml (apiVersion "
                        "nova-rollouts.elotl.co/v1alpha1)")
            ->check(CLI::IsMember({"json", "yaml"}));
    }
}

render::Palette palette_for(const OutputFlags& flags) {
    return render::Palette(use_color(parse_color_mode(flags.color), flags.no_color,
                                     stdout_is_terminal(), process_env()));
}

std::string document_text(const nlohmann::ordered_json& document, std::string_view output,
                          bool compact) {
    return output == "yaml" ? render::to_yaml_text(document)
                            : render::to_json_text(document, compact);
}

fleet::RolloutView rollout_view(const TreeData& data, std::string_view name) {
    return fleet::build_rollout_view(rollouts::build_rollout_info(data.objects, name),
                                     data.readings);
}

fleet::ExperimentView experiment_view(const TreeData& data, std::string_view name) {
    return fleet::build_experiment_view(rollouts::build_experiment_info(data.objects, name),
                                        data.readings);
}

std::optional<core::Error> incomplete_error(const std::vector<std::string>& missing_clusters,
                                            const TreeData& data) {
    if (missing_clusters.empty() && !data.clusters_unknown) {
        return std::nullopt;
    }
    if (missing_clusters.empty()) {
        return core::Error("incomplete: Nova's workload clusters could not be listed",
                           core::ExitCode::incomplete);
    }
    std::string names;
    for (const auto& name : missing_clusters) {
        names += (names.empty() ? "" : ", ") + core::quote(name);
    }
    return core::Error("incomplete: workload cluster" +
                           std::string(missing_clusters.size() > 1 ? "s " : " ") + names +
                           " could not be read",
                       core::ExitCode::incomplete);
}

void print_warnings(std::ostream& err, const TreeData& data) {
    for (const auto& warning : data.warnings) {
        err << "warning: " << warning << '\n';
    }
}

namespace {

// The longest --timeout: far beyond any wait, and far within what the clock and get's whole
// seconds (an int) hold.
constexpr std::chrono::hours timeout_max{24 * 365 * 10};

} // namespace

std::chrono::nanoseconds parse_wait_timeout(const std::string& timeout) {
    const auto length = core::parse_go_duration(timeout);
    if (length.count() < 0) {
        throw core::usage_error("--timeout " + core::quote(timeout) + " is negative");
    }
    if (length > timeout_max) {
        throw core::usage_error("--timeout " + core::quote(timeout) +
                                " is too long: at most 87600h (10 years)");
    }
    return length;
}

std::optional<kube::SteadyClock::time_point> deadline_after(std::chrono::nanoseconds length) {
    if (length.count() == 0) {
        return std::nullopt;
    }
    const auto now = kube::SteadyClock::now();
    const auto wait = std::chrono::duration_cast<kube::SteadyClock::duration>(length);
    if (wait > kube::SteadyClock::time_point::max() - now) {
        return kube::SteadyClock::time_point::max();
    }
    return now + wait;
}

} // namespace nova::cli
