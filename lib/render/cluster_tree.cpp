#include "lib/render/cluster_tree.hpp"

#include "lib/core/text.hpp"
#include "lib/render/rollout_view.hpp"
#include "lib/render/text_width.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace nova::render {

namespace {

constexpr std::string_view icon_cluster = "\u2388"; // ⎈, narrow in every terminal font

// Width of the cluster-name column: values start at column 17 like the other header values,
// unless a name is too long for that.
constexpr std::size_t header_value_column = 17;

// `text` and spaces up to `width` visible columns (colour escapes take none).
std::string pad_visible(std::string_view text, std::size_t width) {
    const auto used = cell_width(text);
    return std::string(text) + std::string(used < width ? width - used : 0, ' ');
}

std::string status_cell(const Palette& palette, std::string_view icon, std::string_view status) {
    return palette.colorize(icon) + " " + std::string(status);
}

std::string count_cell(std::string_view word, const fleet::PodCount& count) {
    return fmt::format("{}:{}/{}", word, count.ready, count.total);
}

std::vector<std::string> count_cells(const fleet::ClusterSummary& cluster, ClusterCounts counts) {
    switch (counts) {
    case ClusterCounts::canary:
        return {count_cell("stable", cluster.stable), count_cell("canary", cluster.canary),
                count_cell("ready", cluster.pods)};
    case ClusterCounts::blue_green:
        return {count_cell("stable", cluster.stable), count_cell("preview", cluster.canary),
                count_cell("ready", cluster.pods)};
    case ClusterCounts::pods:
        break;
    }
    return {count_cell("ready", cluster.pods)};
}

// The tail of a Go-style error chain ("Get \"…\": dial tcp …: connect: connection refused"),
// its root cause: short enough for a tree row, the Clusters block has the whole text.
std::string root_cause(std::string_view error) {
    const auto colon = error.rfind(": ");
    // One printable line whatever the model holds: server text must not break the tree.
    return core::one_line(colon == std::string_view::npos ? error : error.substr(colon + 2));
}

// A cluster that could not be read, under a ReplicaSet or a running Job.
template <typename Copy>
TreeNode unread_node(const Copy& copy, const Palette& palette) {
    const bool unmapped = copy.state == fleet::ReadState::unmapped;
    return TreeNode{
        .name = std::string(icon_cluster) + " " + copy.cluster,
        .kind = "Cluster",
        .status = status_cell(palette, unmapped ? "?" : "\u26a0", fleet::to_string(copy.state)),
        .age = {},
        .info = unmapped ? "no kubeconfig context" : root_cause(copy.error),
        .children = {},
    };
}

// Each ReplicaSet's and Job's copies, under argo's row for it.
TreeExtras cluster_rows(const fleet::ClusterJoin& join, const Palette& palette,
                        core::Clock::time_point now) {
    return TreeExtras{
        .replica_set =
            [&join, &palette, now](TreeNode& node, const rollouts::ReplicaSetInfo& info) {
                const auto it = join.replica_sets.find(info.meta.name);
                if (it == join.replica_sets.end()) {
                    return;
                }
                for (const auto& copy : it->second) {
                    node.children.push_back(cluster_replica_set_node(copy, palette, now));
                }
            },
        .job =
            [&join, &palette, now](TreeNode& node, const rollouts::JobInfo& info) {
                const auto it = join.jobs.find(info.meta.name);
                if (it == join.jobs.end()) {
                    return;
                }
                for (const auto& copy : it->second) {
                    node.children.push_back(cluster_job_node(copy, palette, now));
                }
            },
    };
}

} // namespace

ClusterCounts cluster_counts_for(const rollouts::RolloutInfo& info) {
    return info.strategy == "BlueGreen" ? ClusterCounts::blue_green : ClusterCounts::canary;
}

std::string render_clusters_block(const std::vector<fleet::ClusterSummary>& clusters,
                                  ClusterCounts counts, const Palette& palette) {
    if (clusters.empty()) {
        return {};
    }
    std::size_t name_width = header_value_column - 2;
    std::size_t status_width = 0;
    std::vector<std::size_t> count_widths;
    for (const auto& cluster : clusters) {
        name_width = std::max(name_width, cell_width(cluster.cluster) + 2);
        status_width = std::max(status_width, cell_width(cluster.status) + 2 + 2);
        const auto cells = count_cells(cluster, counts);
        count_widths.resize(std::max(count_widths.size(), cells.size()), 0);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            count_widths[i] = std::max(count_widths[i], cell_width(cells[i]) + 2);
        }
    }
    std::string out = "Clusters:\n";
    for (const auto& cluster : clusters) {
        std::string line = "  " + pad_visible(cluster.cluster, name_width);
        const auto status = status_cell(palette, cluster.icon, cluster.status);
        if (cluster.state != fleet::ReadState::read) {
            line += cluster.error.empty()
                        ? status
                        : pad_visible(status, status_width) + core::one_line(cluster.error);
        } else {
            line += pad_visible(status, status_width);
            const auto cells = count_cells(cluster, counts);
            for (std::size_t i = 0; i < cells.size(); ++i) {
                line += i + 1 == cells.size() ? cells[i] : pad_visible(cells[i], count_widths[i]);
            }
        }
        out += line + '\n';
    }
    return out;
}

TreeNode cluster_replica_set_node(const fleet::ClusterReplicaSet& copy, const Palette& palette,
                                  core::Clock::time_point now) {
    if (copy.state != fleet::ReadState::read) {
        return unread_node(copy, palette);
    }
    TreeNode node{
        .name = std::string(icon_cluster) + " " + copy.cluster,
        .kind = "Cluster",
        .status = status_cell(palette, copy.icon, copy.status),
        .age = age_at(copy.meta.created, now),
        .info = fmt::format("ready:{}/{}", copy.ready, copy.desired),
        .children = {},
    };
    for (const auto& pod : copy.pods) {
        node.children.push_back(pod_node(pod, palette, now));
    }
    return node;
}

TreeNode cluster_job_node(const fleet::ClusterJob& copy, const Palette& palette,
                          core::Clock::time_point now) {
    if (copy.state != fleet::ReadState::read) {
        return unread_node(copy, palette);
    }
    TreeNode node{
        .name = std::string(icon_cluster) + " " + copy.cluster,
        .kind = "Cluster",
        .status = status_cell(palette, copy.icon, copy.status),
        .age = age_at(copy.meta.created, now),
        .info = {},
        .children = {},
    };
    for (const auto& pod : copy.pods) {
        node.children.push_back(pod_node(pod, palette, now));
    }
    return node;
}

TreeNode rollout_view_tree(const fleet::RolloutView& view, const Palette& palette,
                           core::Clock::time_point now) {
    if (!view.multi_cluster) {
        return rollout_tree(view.info, palette, now);
    }
    return rollout_tree(view.info, palette, now, cluster_rows(view.join, palette, now));
}

std::string render_rollout_view(const fleet::RolloutView& view, const Palette& palette,
                                core::Clock::time_point now) {
    if (!view.multi_cluster) {
        return render_rollout(view.info, palette, now);
    }
    return render_rollout_header(view.info, palette) +
           render_clusters_block(view.clusters, cluster_counts_for(view.info), palette) + "\n" +
           render_tree_table(rollout_view_tree(view, palette, now));
}

std::string render_experiment_view(const fleet::ExperimentView& view, const Palette& palette,
                                   core::Clock::time_point now) {
    if (!view.multi_cluster) {
        return render_experiment(view.info, palette, now);
    }
    const auto root =
        experiment_node(view.info, palette, now, cluster_rows(view.join, palette, now));
    return render_experiment_header(view.info, palette) +
           render_clusters_block(view.clusters, ClusterCounts::pods, palette) + "\n" +
           render_tree_table(root);
}

} // namespace nova::render
