#include "lib/render/list_tables.hpp"

#include "lib/render/rollout_view.hpp"
#include "lib/render/tab_writer.hpp"
#include "lib/render/text_width.hpp"

#include <fmt/format.h>

namespace nova::render {

namespace {

std::string padded(std::string_view text, std::size_t width) {
    return pad_right(text, width);
}

std::string padded(std::int64_t number, std::size_t width) {
    return pad_right(std::to_string(number), width);
}

std::string utc_timestamp(core::Clock::time_point now) {
    return core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(now));
}

} // namespace

std::string rollout_table_header(RolloutTableColumns columns) {
    std::string header = "NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\t"
                         "AVAILABLE\n";
    if (columns.all_namespaces) {
        header = "NAMESPACE\t" + header;
    }
    if (columns.timestamps) {
        header = "TIMESTAMP\t" + header;
    }
    return header;
}

std::string rollout_table_row(const rollouts::RolloutListRow& row, RolloutTableColumns columns,
                              core::Clock::time_point now) {
    std::string line;
    if (columns.timestamps) {
        line += padded(utc_timestamp(now), 20) + '\t';
    }
    if (columns.all_namespaces) {
        line += padded(row.namespace_name, 9) + '\t';
    }
    line += padded(row.name, 10) + '\t' + padded(row.strategy, 9) + '\t' + padded(row.status, 12) +
            '\t' + padded(row.step, 4) + '\t' + padded(row.set_weight, 10) + '\t' +
            padded(row.ready, 5) + '\t' + padded(row.desired, 7) + '\t' +
            padded(row.up_to_date, 10) + '\t' + padded(row.available, 9) + '\n';
    return line;
}

std::string render_rollout_table(const std::vector<rollouts::RolloutListRow>& rows,
                                 RolloutTableColumns columns, core::Clock::time_point now) {
    TabWriter writer;
    writer.write(rollout_table_header(columns));
    for (const auto& row : rows) {
        writer.write(rollout_table_row(row, columns, now));
    }
    return writer.flush();
}

std::string render_experiment_table(const std::vector<rollouts::ExperimentListEntry>& entries,
                                    bool all_namespaces, core::Clock::time_point now) {
    TabWriter writer;
    writer.write(all_namespaces ? "NAMESPACE\tNAME\tSTATUS\tDURATION\tREMAINING\tAGE\n"
                                : "NAME\tSTATUS\tDURATION\tREMAINING\tAGE\n");
    for (const auto& entry : entries) {
        std::string duration = "-";
        std::string remaining = "-";
        if (entry.duration) {
            duration = core::human_duration(
                std::chrono::duration_cast<std::chrono::seconds>(*entry.duration));
            if (!entry.completed && entry.available_at) {
                const auto left = *entry.available_at + *entry.duration - now;
                if (left > left.zero()) {
                    remaining = core::human_duration(
                        std::chrono::duration_cast<std::chrono::seconds>(left));
                }
            }
        }
        std::string line;
        if (all_namespaces) {
            line += padded(entry.namespace_name, 9) + '\t';
        }
        line += padded(entry.name, 10) + '\t' + padded(entry.phase, 6) + '\t' +
                padded(duration, 8) + '\t' + padded(remaining, 9) + '\t' +
                padded(age_at(entry.created, now), 3) + '\n';
        writer.write(line);
    }
    return writer.flush();
}

} // namespace nova::render
