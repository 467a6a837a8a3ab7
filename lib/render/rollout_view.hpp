#pragma once

#include "lib/core/duration.hpp"
#include "lib/render/palette.hpp"
#include "lib/render/tree.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

// `get rollout` and `get experiment` as argo prints them (reference/argo-rollouts-plugin.md §4):
// the header block, an empty line, the tree table. `now` may carry sub-second precision: argo
// subtracts its exact clock from whole-second timestamps, which decides e.g. whether a deadline
// four hours away reads "4h" or "3h59m".
namespace nova::render {

std::string render_rollout(const rollouts::RolloutInfo& info, const Palette& palette,
                           core::Clock::time_point now);
std::string render_experiment(const rollouts::ExperimentInfo& info, const Palette& palette,
                              core::Clock::time_point now);

// The parts, for views that add to them.
std::string render_rollout_header(const rollouts::RolloutInfo& info, const Palette& palette);
std::string render_experiment_header(const rollouts::ExperimentInfo& info, const Palette& palette);

// Rows a view hangs under argo's ReplicaSet and Job rows as the tree is built (the per-cluster
// view adds each one's clusters there), so argo's own rows stay exactly as argo prints them.
struct TreeExtras {
    std::function<void(TreeNode&, const rollouts::ReplicaSetInfo&)> replica_set;
    std::function<void(TreeNode&, const rollouts::JobInfo&)> job;
};

TreeNode rollout_tree(const rollouts::RolloutInfo& info, const Palette& palette,
                      core::Clock::time_point now, const TreeExtras& extras = {});
TreeNode experiment_node(const rollouts::ExperimentInfo& info, const Palette& palette,
                         core::Clock::time_point now, const TreeExtras& extras = {});
TreeNode replica_set_node(const rollouts::ReplicaSetInfo& info, const Palette& palette,
                          core::Clock::time_point now);
TreeNode pod_node(const rollouts::PodInfo& info, const Palette& palette,
                  core::Clock::time_point now);
TreeNode analysis_run_node(const rollouts::AnalysisRunInfo& info, const Palette& palette,
                           core::Clock::time_point now, const TreeExtras& extras = {});
TreeNode job_node(const rollouts::JobInfo& info, const Palette& palette,
                  core::Clock::time_point now);

// One header line: the label padded to 17 code points, then the value (argo's "%-17s%v\n").
std::string header_line(std::string_view label, std::string_view value);

// "image (tag, tag)" with coloured tags, or the image alone when it has no tags.
std::string format_image(const rollouts::ImageInfo& image, const Palette& palette);

// AGE of something created at `created` (nullopt prints "292y"), as argo computes it.
std::string age_at(std::optional<core::TimePoint> created, core::Clock::time_point now);

// What argo writes before each redraw in watch mode: cursor home, erase display, cursor home.
inline constexpr std::string_view argo_clear_screen = "\x1b[H\x1b[2J\x1b[0;0H";

} // namespace nova::render
