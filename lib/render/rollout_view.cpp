#include "lib/render/rollout_view.hpp"

#include "lib/core/text.hpp"
#include "lib/render/text_width.hpp"
#include "lib/rollouts/icons.hpp"

#include <fmt/format.h>

namespace nova::render {

namespace {

namespace icons = rollouts::icons;

constexpr std::string_view icon_rollout = "\u27f3"; // ⟳
constexpr std::string_view icon_revision = "#";
constexpr std::string_view icon_replica_set = "\u29c9"; // ⧉
constexpr std::string_view icon_pod = "\u25a1";         // □
constexpr std::string_view icon_job = "\u229e";         // ⊞
constexpr std::string_view icon_experiment = "\u03a3";  // Σ
constexpr std::string_view icon_analysis = "\u03b1";    // α

std::string status_cell(const Palette& palette, std::string_view icon, std::string_view status) {
    return palette.colorize(icon) + " " + std::string(status);
}

std::string images_block(const std::vector<rollouts::ImageInfo>& images, const Palette& palette) {
    std::string out;
    for (std::size_t i = 0; i < images.size(); ++i) {
        out += header_line(i == 0 ? "Images:" : "", format_image(images[i], palette));
    }
    return out;
}

} // namespace

std::string header_line(std::string_view label, std::string_view value) {
    return pad_right(label, 17) + std::string(value) + '\n';
}

std::string format_image(const rollouts::ImageInfo& image, const Palette& palette) {
    if (image.tags.empty()) {
        return image.image;
    }
    std::vector<std::string> tags;
    for (const auto& tag : image.tags) {
        tags.push_back(palette.colorize(tag));
    }
    return image.image + " (" + core::join(tags, ", ") + ")";
}

std::string age_at(std::optional<core::TimePoint> created, core::Clock::time_point now) {
    if (!created) {
        return core::age(std::nullopt, std::chrono::floor<std::chrono::seconds>(now));
    }
    // Go truncates the (sub-second) difference toward zero.
    return core::human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - *created));
}

std::string render_rollout_header(const rollouts::RolloutInfo& info, const Palette& palette) {
    std::string out;
    out += header_line("Name:", info.meta.name);
    out += header_line("Namespace:", info.meta.namespace_name);
    out += header_line("Status:", status_cell(palette, info.icon, info.status));
    if (!info.message.empty()) {
        out += header_line("Message:", info.message);
    }
    out += header_line("Strategy:", info.strategy);
    if (info.strategy == "Canary") {
        out += header_line("  Step:", info.step);
        out += header_line("  SetWeight:", info.set_weight);
        out += header_line("  ActualWeight:", info.actual_weight);
    }
    out += images_block(rollouts::rollout_images(info), palette);
    out += "Replicas:\n";
    out += header_line("  Desired:", std::to_string(info.desired));
    out += header_line("  Current:", std::to_string(info.current));
    out += header_line("  Updated:", std::to_string(info.updated));
    out += header_line("  Ready:", std::to_string(info.ready));
    out += header_line("  Available:", std::to_string(info.available));
    return out;
}

std::string render_experiment_header(const rollouts::ExperimentInfo& info, const Palette& palette) {
    std::string out;
    out += header_line("Name:", info.meta.name);
    out += header_line("Namespace:", info.meta.namespace_name);
    out += header_line("Status:", status_cell(palette, info.icon, info.status));
    if (!info.message.empty()) {
        out += header_line("Message:", info.message);
    }
    out += images_block(rollouts::experiment_images(info), palette);
    return out;
}

namespace {

TreeNode with_extras(TreeNode node, const rollouts::ReplicaSetInfo& info,
                     const TreeExtras& extras) {
    if (extras.replica_set) {
        extras.replica_set(node, info);
    }
    return node;
}

} // namespace

TreeNode pod_node(const rollouts::PodInfo& info, const Palette& palette,
                  core::Clock::time_point now) {
    std::string details = "ready:" + info.ready();
    if (info.restarts > 0) {
        details += fmt::format(",restarts:{}", info.restarts);
    }
    return TreeNode{
        .name = std::string(icon_pod) + " " + info.meta.name,
        .kind = "Pod",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = std::move(details),
        .children = {},
    };
}

TreeNode replica_set_node(const rollouts::ReplicaSetInfo& info, const Palette& palette,
                          core::Clock::time_point now) {
    std::vector<std::string> tags;
    std::string name = info.meta.name;
    // Each applicable tag wraps the name once more (nested escapes, as argo).
    const auto add_tag = [&](std::string_view tag) {
        tags.push_back(palette.colorize(tag));
        name = palette.colorize_as(name, tag);
    };
    if (info.stable) {
        add_tag("stable");
    }
    if (info.canary) {
        add_tag("canary");
    } else if (info.active) {
        add_tag("active");
    } else if (info.preview) {
        add_tag("preview");
    }
    if (info.ping) {
        add_tag("ping");
    }
    if (info.pong) {
        add_tag("pong");
    }
    if (!info.scale_down_deadline.empty()) {
        tags.push_back("delay:" + rollouts::scale_down_delay(info, now));
    }
    TreeNode node{
        .name = std::string(icon_replica_set) + " " + name,
        .kind = "ReplicaSet",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = core::join(tags, ","),
        .children = {},
    };
    for (const auto& pod : info.pods) {
        node.children.push_back(pod_node(pod, palette, now));
    }
    return node;
}

TreeNode job_node(const rollouts::JobInfo& info, const Palette& palette,
                  core::Clock::time_point now) {
    return TreeNode{
        .name = std::string(icon_job) + " " + palette.colorize_as(info.meta.name, info.status),
        .kind = "Job",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = {},
        .children = {},
    };
}

TreeNode analysis_run_node(const rollouts::AnalysisRunInfo& info, const Palette& palette,
                           core::Clock::time_point now, const TreeExtras& extras) {
    std::vector<std::string> counters;
    const std::pair<std::string_view, std::int64_t> counts[] = {
        {icons::ok, info.successful},
        {icons::bad, info.failed},
        {icons::unknown, info.inconclusive},
        {icons::warning, info.error},
    };
    for (const auto& [icon, count] : counts) {
        if (count > 0) {
            counters.push_back(fmt::format("{} {}", palette.colorize(icon), count));
        }
    }
    TreeNode node{
        .name = std::string(icon_analysis) + " " + palette.colorize_as(info.meta.name, info.status),
        .kind = "AnalysisRun",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = core::join(counters, ","),
        .children = {},
    };
    for (const auto& job : info.jobs) {
        node.children.push_back(job_node(job, palette, now));
        if (extras.job) {
            extras.job(node.children.back(), job);
        }
    }
    return node;
}

TreeNode experiment_node(const rollouts::ExperimentInfo& info, const Palette& palette,
                         core::Clock::time_point now, const TreeExtras& extras) {
    TreeNode node{
        .name =
            std::string(icon_experiment) + " " + palette.colorize_as(info.meta.name, info.status),
        .kind = "Experiment",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = {},
        .children = {},
    };
    for (const auto& replica_set : info.replica_sets) {
        node.children.push_back(
            with_extras(replica_set_node(replica_set, palette, now), replica_set, extras));
    }
    for (const auto& run : info.analysis_runs) {
        node.children.push_back(analysis_run_node(run, palette, now, extras));
    }
    return node;
}

TreeNode rollout_tree(const rollouts::RolloutInfo& info, const Palette& palette,
                      core::Clock::time_point now, const TreeExtras& extras) {
    TreeNode root{
        .name = std::string(icon_rollout) + " " + info.meta.name,
        .kind = "Rollout",
        .status = status_cell(palette, info.icon, info.status),
        .age = age_at(info.meta.created, now),
        .info = {},
        .children = {},
    };
    for (const auto& group : rollouts::revision_groups(info)) {
        TreeNode revision{
            .name = fmt::format("{} revision:{}", icon_revision, group.revision),
            .kind = {},
            .status = " ", // argo prints an empty icon and status around a space
            .age = {},
            .info = {},
            .children = {},
        };
        for (const auto* replica_set : group.replica_sets) {
            revision.children.push_back(
                with_extras(replica_set_node(*replica_set, palette, now), *replica_set, extras));
        }
        for (const auto* experiment : group.experiments) {
            revision.children.push_back(experiment_node(*experiment, palette, now, extras));
        }
        for (const auto* run : group.analysis_runs) {
            revision.children.push_back(analysis_run_node(*run, palette, now, extras));
        }
        root.children.push_back(std::move(revision));
    }
    return root;
}

std::string render_rollout(const rollouts::RolloutInfo& info, const Palette& palette,
                           core::Clock::time_point now) {
    return render_rollout_header(info, palette) + "\n" +
           render_tree_table(rollout_tree(info, palette, now));
}

std::string render_experiment(const rollouts::ExperimentInfo& info, const Palette& palette,
                              core::Clock::time_point now) {
    return render_experiment_header(info, palette) + "\n" +
           render_tree_table(experiment_node(info, palette, now));
}

} // namespace nova::render
