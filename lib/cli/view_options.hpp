#pragma once

#include "lib/cli/gather.hpp"
#include "lib/core/error.hpp"
#include "lib/nova/cluster_view.hpp"
#include "lib/render/palette.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What get, list and status share: output and colour flags, the model computed from gathered
// data, and the exit code of an incomplete view.
namespace nova::cli {

struct OutputFlags {
    bool no_color = false;
    std::string color = "auto";
    std::string output; // "", "json" or "yaml"
};

// --no-color and --color (and -o json|yaml when `structured`).
void add_output_flags(CLI::App& command, OutputFlags& flags, bool structured);

// The palette the flags, the terminal and the environment ask for.
render::Palette palette_for(const OutputFlags& flags);

// A document as -o asks: indented JSON or YAML; `compact` JSON on one line (watch mode).
std::string document_text(const nlohmann::ordered_json& document, std::string_view output,
                          bool compact = false);

// The model of `get rollout` / `status` and `get experiment` from gathered data. Throws
// core::Error `rollout.argoproj.io "NAME" not found` (exit 1) when it does not exist.
fleet::RolloutView rollout_view(const TreeData& data, std::string_view name);
fleet::ExperimentView experiment_view(const TreeData& data, std::string_view name);

// The error a view ends with when some cluster could not be read (exit 5), or nullopt.
std::optional<core::Error> incomplete_error(const std::vector<std::string>& missing_clusters,
                                            const TreeData& data);

// A --timeout of a wait (Go syntax); a usage error for a bad, negative or too long duration
// (at most 10 years: far beyond any wait, far within what the clock holds).
std::chrono::nanoseconds parse_wait_timeout(const std::string& timeout);

// The deadline `length` from now (none for 0), saturating instead of overflowing.
std::optional<kube::SteadyClock::time_point> deadline_after(std::chrono::nanoseconds length);

// The warnings of a gathering, to stderr.
void print_warnings(std::ostream& err, const TreeData& data);

} // namespace nova::cli
