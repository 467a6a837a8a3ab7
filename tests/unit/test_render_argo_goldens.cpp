// Every get/list golden of argo's plugin, rebuilt from its fixtures through lib/rollouts and
// lib/render with colour off, compared byte for byte.

#include "argo_golden_support.hpp"
#include "lib/render/list_tables.hpp"
#include "lib/render/rollout_view.hpp"
#include "lib/render/tab_writer.hpp"
#include "lib/rollouts/list_rows.hpp"
#include "lib/rollouts/rollout_info.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace nova;

namespace {

bool has_word(const std::vector<std::string>& words, std::string_view word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::vector<nlohmann::json> of_kind(const std::vector<nlohmann::json>& objects,
                                    std::string_view kind, const std::string& namespace_name) {
    std::vector<nlohmann::json> selected;
    for (const auto& object : objects) {
        if (object["kind"] == kind &&
            (namespace_name.empty() || object["metadata"]["namespace"] == namespace_name)) {
            selected.push_back(object);
        }
    }
    return selected;
}

// What the scenario's command prints, as the command layer will put it together.
std::string run_scenario(const test::ArgoScenario& scenario, core::Clock::time_point now) {
    const auto objects = test::argo_scenario_objects(scenario, now);
    const auto& command = scenario.command;
    const render::Palette no_color(false);
    if (command.at(0) == "get") {
        const auto set = test::make_object_set(objects);
        if (command.at(1) == "rollout") {
            return render::render_rollout(rollouts::build_rollout_info(set, command.at(2)),
                                          no_color, now);
        }
        return render::render_experiment(rollouts::build_experiment_info(set, command.at(2)),
                                         no_color, now);
    }
    const bool all_namespaces = has_word(command, "--all-namespaces") || has_word(command, "-A");
    const auto namespace_name = all_namespaces ? std::string() : scenario.namespace_name;
    if (command.at(1) == "experiments") {
        std::vector<rollouts::ExperimentListEntry> entries;
        for (const auto& experiment : of_kind(objects, "Experiment", namespace_name)) {
            entries.push_back(rollouts::experiment_list_entry(experiment));
        }
        return render::render_experiment_table(entries, all_namespaces, now);
    }
    const render::RolloutTableColumns columns{all_namespaces, has_word(command, "--timestamps")};
    std::vector<rollouts::RolloutListRow> rows;
    rollouts::RolloutRowTracker tracker;
    for (const auto& rollout : of_kind(objects, "Rollout", namespace_name)) {
        rows.push_back(rollouts::rollout_list_row(rollout));
        tracker.remember(rows.back());
    }
    auto out = render::render_rollout_table(rows, columns, now);
    if (has_word(command, "--watch")) {
        // Watch events go through a second tabwriter, printed only when a row changed.
        render::TabWriter updates;
        for (const auto& event : test::load_argo_objects(scenario.events, now)) {
            const auto row = rollouts::rollout_list_row(event);
            if (tracker.changed(row)) {
                updates.write(render::rollout_table_row(row, columns, now));
            }
        }
        out += updates.flush();
    }
    return out;
}

} // namespace

TEST_CASE("every argo golden is reproduced byte for byte", "[render][golden]") {
    const auto scenarios = test::argo_scenarios();
    REQUIRE(scenarios.size() == 14);
    const auto now = test::argo_golden_now();
    for (const auto& scenario : scenarios) {
        SECTION(scenario.golden) {
            const auto output = run_scenario(scenario, now);
            CHECK(output == test::argo_expected_output(scenario));
            if (test::argo_has_exact_output(scenario)) {
                CHECK(test::strip_trailing_spaces(output) == test::argo_upstream_output(scenario));
            }
        }
    }
}

TEST_CASE("the goldens do not depend on the day they run", "[render][golden]") {
    const auto scenario = test::argo_scenario("get_test__TestGetBlueGreenRolloutScaleDownDelay");
    const auto later =
        test::argo_golden_now() + std::chrono::hours(24 * 400) + std::chrono::milliseconds(123);
    CHECK(run_scenario(scenario, later) == test::argo_expected_output(scenario));
}
