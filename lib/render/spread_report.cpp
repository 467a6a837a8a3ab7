#include "lib/render/spread_report.hpp"

#include "lib/render/document.hpp"
#include "lib/render/tab_writer.hpp"
#include "lib/rollouts/icons.hpp"

#include <fmt/format.h>

#include <set>

namespace nova::render {

namespace {

namespace icons = rollouts::icons;
using Json = nlohmann::ordered_json;

std::string_view icon_of(fleet::RowResult result) {
    switch (result) {
    case fleet::RowResult::match:
        return icons::ok;
    case fleet::RowResult::mismatch:
        return icons::bad;
    case fleet::RowResult::unknown:
        break;
    }
    return icons::warning;
}

std::string count_or_dash(const std::optional<std::int64_t>& count) {
    return count ? std::to_string(*count) : std::string("-");
}

std::string plural(std::size_t count, std::string_view word) {
    return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

// The line above a table: what the object is and what decided its expectation.
std::string heading(const fleet::SpreadSubject& subject) {
    std::string line =
        fmt::format("{} {} ({}): {} {}", subject.kind, subject.name, subject.role, subject.replicas,
                    subject.kind == "Job" ? "in parallel" : "replicas");
    if (subject.policies.size() == 1) {
        line += " · SchedulePolicy " + subject.policies.front();
        if (subject.rule) {
            line += " · " + std::string(fleet::to_string(*subject.rule));
            if (!subject.topology_key.empty()) {
                line += " by " + subject.topology_key;
            }
        }
        if (subject.group) {
            line += fmt::format(" · group {}={}", subject.group_by,
                                subject.group->empty() ? "(none)" : *subject.group);
        }
    }
    return line;
}

std::size_t cluster_count(const fleet::SpreadReport& report) {
    std::set<std::string> clusters;
    for (const auto& subject : report.subjects) {
        for (const auto& row : subject.rows) {
            clusters.insert(row.cluster);
        }
    }
    return clusters.size();
}

} // namespace

std::string spread_verdict_line(const fleet::SpreadReport& report) {
    const auto objects = report.subjects.size();
    const std::string tolerance = report.tolerance ? " (within ±1 per cluster)" : "";
    switch (report.verdict) {
    case fleet::SpreadVerdict::as_expected:
        if (objects == 0) {
            return "spread as expected: nothing of rollout " + report.rollout + " should run";
        }
        return fmt::format("spread as expected{}: {} over {}", tolerance, plural(objects, "object"),
                           plural(cluster_count(report), "cluster"));
    case fleet::SpreadVerdict::mismatch: {
        std::size_t bad = 0;
        for (const auto& subject : report.subjects) {
            bad += subject.result == fleet::RowResult::mismatch ? 1 : 0;
        }
        return fmt::format("spread mismatch{}: {} of {} not placed as expected", tolerance, bad,
                           plural(objects, "object"));
    }
    case fleet::SpreadVerdict::incomplete:
        break;
    }
    std::string clusters;
    for (const auto& name : report.missing_clusters) {
        clusters += (clusters.empty() ? "" : ", ") + name;
    }
    return fmt::format("spread incomplete: {} could not be read; what was read is as expected{}",
                       clusters, tolerance);
}

std::string render_spread_report(const fleet::SpreadReport& report, const Palette& palette) {
    std::string out;
    for (const auto& warning : report.warnings) {
        out += palette.colorize(icons::warning) + " " + warning + "\n";
    }
    for (const auto& subject : report.subjects) {
        out += heading(subject) + "\n";
        if (!subject.rows.empty()) {
            TabWriter table;
            table.write("ROLE\tCLUSTER\tEXPECTED\tDESIRED\tREADY\tRESULT\n");
            for (const auto& row : subject.rows) {
                table.write(fmt::format(
                    "{}\t{}\t{}\t{}\t{}\t{} {}\n", subject.role, row.cluster, row.expected,
                    count_or_dash(row.desired), count_or_dash(row.ready),
                    palette.colorize(icon_of(row.result)), fleet::to_string(row.result)));
            }
            out += table.flush();
        }
        for (const auto& excluded : subject.excluded) {
            out += fmt::format("  excluded: {} is {} ({})\n", excluded.name,
                               fleet::to_string(excluded.reason), excluded.detail);
        }
        for (const auto& note : subject.notes) {
            out += "  note: " + note + "\n";
        }
        for (const auto& problem : subject.problems) {
            out += "  " + palette.colorize(icons::bad) + " " + problem + "\n";
        }
        for (const auto& row : subject.rows) {
            if (row.result != fleet::RowResult::match) {
                out += "  " + palette.colorize(icon_of(row.result)) + " " + row.reason + "\n";
            }
        }
        out += "\n";
    }
    const auto verdict = report.verdict == fleet::SpreadVerdict::as_expected ? icons::ok
                         : report.verdict == fleet::SpreadVerdict::mismatch  ? icons::bad
                                                                             : icons::warning;
    out += palette.colorize(verdict) + " " + spread_verdict_line(report) + "\n";
    return out;
}

Json spread_report_document(const fleet::SpreadReport& report) {
    Json objects = Json::array();
    for (const auto& subject : report.subjects) {
        Json clusters = Json::array();
        for (const auto& row : subject.rows) {
            clusters.push_back(Json{
                {"cluster", row.cluster},
                {"expected", row.expected},
                {"desired", row.desired ? Json(*row.desired) : Json(nullptr)},
                {"ready", row.ready ? Json(*row.ready) : Json(nullptr)},
                {"copy", row.copy},
                {"excluded",
                 row.excluded ? Json(std::string(fleet::to_string(*row.excluded))) : Json(nullptr)},
                {"result", fleet::to_string(row.result)},
                {"reason", row.reason.empty() ? Json(nullptr) : Json(row.reason)},
            });
        }
        Json excluded = Json::array();
        for (const auto& cluster : subject.excluded) {
            excluded.push_back(Json{{"cluster", cluster.name},
                                    {"reason", fleet::to_string(cluster.reason)},
                                    {"detail", cluster.detail}});
        }
        objects.push_back(Json{
            {"kind", subject.kind},
            {"name", subject.name},
            {"role", subject.role},
            {"replicas", subject.replicas},
            {"schedulePolicies", subject.policies},
            {"groupBy", subject.group
                            ? Json{{"labelKey", subject.group_by}, {"value", *subject.group}}
                            : Json(nullptr)},
            {"rule",
             subject.rule ? Json(std::string(fleet::to_string(*subject.rule))) : Json(nullptr)},
            {"topologyKey",
             subject.topology_key.empty() ? Json(nullptr) : Json(subject.topology_key)},
            {"unplaced", subject.unplaced},
            {"excluded", std::move(excluded)},
            {"problems", subject.problems},
            {"notes", subject.notes},
            {"result", fleet::to_string(subject.result)},
            {"clusters", std::move(clusters)},
        });
    }
    return Json{
        {"apiVersion", document_api_version},
        {"kind", "SpreadVerification"},
        {"metadata", {{"name", report.rollout}, {"namespace", report.namespace_name}}},
        {"tolerance", report.tolerance},
        {"verdict", fleet::to_string(report.verdict)},
        {"message", spread_verdict_line(report)},
        {"reasons", report.reasons},
        {"missingClusters", report.missing_clusters},
        {"warnings", report.warnings},
        {"objects", std::move(objects)},
    };
}

} // namespace nova::render
