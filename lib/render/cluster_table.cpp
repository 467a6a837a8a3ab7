#include "lib/render/cluster_table.hpp"

#include "lib/core/text.hpp"
#include "lib/render/document.hpp"
#include "lib/render/tab_writer.hpp"
#include "lib/rollouts/icons.hpp"

#include <fmt/format.h>

namespace nova::render {

namespace {

using Json = nlohmann::ordered_json;
namespace icons = rollouts::icons;

// A cell of the table: the text on one printable line (a region, a version or a context name
// holding a tab or a newline must not break the row or drive the terminal), or "-" for none.
std::string or_dash(const std::string& text) {
    return text.empty() ? std::string("-") : core::one_line(text);
}

Json string_or_null(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

std::string_view reachability_icon(fleet::Reachability reachability) {
    switch (reachability) {
    case fleet::Reachability::reachable:
        return icons::ok;
    case fleet::Reachability::unreachable:
        return icons::warning;
    case fleet::Reachability::unmapped:
        break;
    }
    return icons::unknown;
}

std::string reachable_cell(const fleet::ClusterEntry& entry, const Palette& palette) {
    const std::string icon = palette.colorize(reachability_icon(entry.reachability));
    if (entry.reachability == fleet::Reachability::reachable) {
        return icon + " " + format_latency(entry.latency.value_or(std::chrono::microseconds{}));
    }
    // The model keeps it one line; the terminal is protected here whatever it holds.
    return icon + " " + core::one_line(entry.error);
}

// A field of the Cluster object; "" without one (--workload-contexts).
const std::string& cluster_field(const fleet::ClusterEntry& entry,
                                 std::string fleet::WorkloadCluster::*field) {
    static const std::string none;
    return entry.info ? (*entry.info).*field : none;
}

} // namespace

std::string format_latency(std::chrono::microseconds latency) {
    const auto micros = latency.count() < 0 ? 0 : latency.count();
    if (micros < 10'000) {
        return fmt::format("{:.1f}ms", static_cast<double>(micros) / 1000.0);
    }
    if (micros < 1'000'000) {
        return fmt::format("{}ms", (micros + 500) / 1000);
    }
    return fmt::format("{:.2f}s", static_cast<double>(micros) / 1'000'000.0);
}

std::string render_cluster_table(const std::vector<fleet::ClusterEntry>& entries,
                                 const Palette& palette) {
    TabWriter writer;
    writer.write("NAME\tCONTEXT\tSOURCE\tREADY\tIDLE\tSTANDBY\tK8S-VERSION\tREGION\tZONE\t"
                 "REACHABLE\n");
    for (const auto& entry : entries) {
        using fleet::WorkloadCluster;
        std::string line = or_dash(entry.name) + '\t' + or_dash(entry.context) + '\t' +
                           std::string(fleet::to_string(entry.source)) + '\t' +
                           or_dash(cluster_field(entry, &WorkloadCluster::ready)) + '\t' +
                           or_dash(cluster_field(entry, &WorkloadCluster::idle)) + '\t' +
                           or_dash(cluster_field(entry, &WorkloadCluster::standby)) + '\t' +
                           or_dash(entry.kubernetes_version) + '\t' +
                           or_dash(cluster_field(entry, &WorkloadCluster::region)) + '\t' +
                           or_dash(cluster_field(entry, &WorkloadCluster::zone)) + '\t' +
                           reachable_cell(entry, palette) + '\n';
        writer.write(line);
    }
    return writer.flush();
}

nlohmann::ordered_json cluster_list_document(const std::vector<fleet::ClusterEntry>& entries) {
    using fleet::WorkloadCluster;
    auto items = Json::array();
    for (const auto& entry : entries) {
        Json health = nullptr;
        if (entry.info) {
            health = fleet::to_string(entry.info->health);
        }
        Json latency = nullptr;
        if (entry.latency) {
            latency = entry.latency->count();
        }
        items.push_back(Json{
            {"name", entry.name},
            {"context", string_or_null(entry.context)},
            {"contextSource", fleet::to_string(entry.source)},
            {"ready", string_or_null(cluster_field(entry, &WorkloadCluster::ready))},
            {"idle", string_or_null(cluster_field(entry, &WorkloadCluster::idle))},
            {"standby", string_or_null(cluster_field(entry, &WorkloadCluster::standby))},
            {"health", std::move(health)},
            {"kubernetesVersion", string_or_null(entry.kubernetes_version)},
            {"novaKubernetesVersion",
             string_or_null(cluster_field(entry, &WorkloadCluster::kubernetes_version))},
            {"serverVersion", string_or_null(entry.server_version)},
            {"region", string_or_null(cluster_field(entry, &WorkloadCluster::region))},
            {"zone", string_or_null(cluster_field(entry, &WorkloadCluster::zone))},
            {"state", fleet::to_string(entry.reachability)},
            {"latencyMicroseconds", std::move(latency)},
            {"error", string_or_null(entry.error)},
            {"missing", entry.missing},
        });
    }
    auto missing = Json::array();
    for (const auto& name : fleet::missing_clusters(entries)) {
        missing.push_back(name);
    }
    Json document{{"apiVersion", document_api_version}, {"kind", "ClusterList"}};
    document["complete"] = missing.empty();
    document["missingClusters"] = std::move(missing);
    document["items"] = std::move(items);
    return document;
}

} // namespace nova::render
