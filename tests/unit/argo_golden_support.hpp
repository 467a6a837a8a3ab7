#pragma once

// The argo-rollouts plugin goldens as test scenarios: tests/data/argo-golden-scenarios.tsv says,
// for each golden, which objects to load, how upstream's tests change them and which command
// prints it. This header loads a scenario the way upstream's loader does, for the unit golden
// tests; an integration test of the binary reads the same table.

#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/rollouts/object_set.hpp"
#include "lib/sim/environment.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace nova::test {

inline std::filesystem::path test_data_dir() {
    return NOVA_TEST_DATA_DIR;
}

inline std::filesystem::path argo_golden_dir() {
    return test_data_dir() / "argo-fixtures" / "golden";
}

struct ArgoScenario {
    std::string golden;
    std::string namespace_name;
    std::vector<std::string> command;   // words after the program name
    std::vector<std::string> objects;   // files or folders under tests/data
    std::vector<std::string> mutations; // "KIND NAME JSON-POINTER VALUE"
    std::vector<std::string> events;    // files under tests/data, in order
};

inline std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

inline std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> result;
    std::istringstream in{std::string(text)};
    for (std::string word; in >> word;) {
        result.push_back(word);
    }
    return result;
}

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw core::Error("cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<ArgoScenario> argo_scenarios() {
    std::vector<ArgoScenario> scenarios;
    std::istringstream table(read_text(test_data_dir() / "argo-golden-scenarios.tsv"));
    for (std::string line; std::getline(table, line);) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const auto columns = split(line, '\t');
        if (columns.size() < 5) {
            throw core::Error("bad scenario line: " + line);
        }
        ArgoScenario scenario;
        scenario.golden = columns[0];
        scenario.namespace_name = columns[1];
        scenario.command = words(columns[2]);
        scenario.objects = split(columns[3], ',');
        if (columns[4] != "-") {
            scenario.mutations = split(columns[4], ';');
        }
        if (columns.size() > 5 && !columns[5].empty()) {
            scenario.events = split(columns[5], ',');
        }
        scenarios.push_back(std::move(scenario));
    }
    return scenarios;
}

inline ArgoScenario argo_scenario(std::string_view golden) {
    for (auto& scenario : argo_scenarios()) {
        if (scenario.golden == golden) {
            return scenario;
        }
    }
    throw core::Error("no scenario " + std::string(golden));
}

// The byte-exact expected output: <golden>.exact.txt if there is one, else <golden>.txt.
inline std::string argo_expected_output(const ArgoScenario& scenario) {
    const auto exact = argo_golden_dir() / (scenario.golden + ".exact.txt");
    return read_text(
        std::filesystem::exists(exact) ? exact : argo_golden_dir() / (scenario.golden + ".txt"));
}

// Whether the golden is a reconstruction with argo's trailing padding (the get goldens), next
// to upstream's text without it.
inline bool argo_has_exact_output(const ArgoScenario& scenario) {
    return std::filesystem::exists(argo_golden_dir() / (scenario.golden + ".exact.txt"));
}

// Upstream's text: for get goldens, without trailing spaces (upstream compares them stripped).
inline std::string argo_upstream_output(const ArgoScenario& scenario) {
    return read_text(argo_golden_dir() / (scenario.golden + ".txt"));
}

inline std::string strip_trailing_spaces(std::string_view text) {
    std::string out;
    for (const auto& line : split(text, '\n')) {
        const auto end = line.find_last_not_of(' ');
        out += end == std::string::npos ? std::string() : line.substr(0, end + 1);
        out += '\n';
    }
    out.pop_back(); // split() gave one more part than there are newlines
    return out;
}

// A fixed "now" for the goldens, deliberately not a whole second (see the table's notes).
inline core::Clock::time_point argo_golden_now() {
    return core::parse_rfc3339("2025-06-02T10:20:30Z") + std::chrono::milliseconds(500);
}

inline std::string relative_time(std::string_view value, core::Clock::time_point now) {
    const auto offset = core::parse_go_duration(value.substr(3)); // after "now"
    return core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(now + offset));
}

inline bool is_model_kind(const nlohmann::json& object) {
    static const std::vector<std::string> kinds{"Rollout",    "ReplicaSet",  "Pod",
                                                "Experiment", "AnalysisRun", "Deployment"};
    const auto kind = object.value("kind", std::string());
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// The objects of files and folders under tests/data, in order (a folder's files by name), with
// upstream's loader rules applied for a command run at `now`.
inline std::vector<nlohmann::json> load_argo_objects(const std::vector<std::string>& paths,
                                                     core::Clock::time_point now) {
    const auto a_week_ago = core::format_rfc3339(
        std::chrono::floor<std::chrono::seconds>(now - std::chrono::hours(24 * 7)));
    std::vector<std::filesystem::path> files;
    for (const auto& relative : paths) {
        const auto path = test_data_dir() / relative;
        if (std::filesystem::is_directory(path)) {
            std::vector<std::filesystem::path> folder;
            for (const auto& entry : std::filesystem::directory_iterator(path)) {
                folder.push_back(entry.path());
            }
            std::sort(folder.begin(), folder.end());
            files.insert(files.end(), folder.begin(), folder.end());
        } else {
            files.push_back(path);
        }
    }
    std::vector<nlohmann::json> objects;
    for (const auto& file : files) {
        for (auto& object : sim::read_manifest_file(file)) {
            if (!is_model_kind(object)) {
                continue;
            }
            object["metadata"]["creationTimestamp"] = a_week_ago;
            if (object["kind"] == "AnalysisRun") {
                for (auto& measurement : object["status"]["metricResults"][0]["measurements"]) {
                    measurement["startedAt"] = a_week_ago;
                    measurement["finishedAt"] = a_week_ago;
                }
            }
            objects.push_back(std::move(object));
        }
    }
    return objects;
}

inline void apply_mutation(std::vector<nlohmann::json>& objects, const std::string& mutation,
                           core::Clock::time_point now) {
    const auto parts = words(mutation);
    if (parts.size() != 4) {
        throw core::Error("bad mutation: " + mutation);
    }
    const std::string& kind = parts[0];
    const std::string& name = parts[1];
    const std::string& pointer = parts[2];
    const std::string& value = parts[3];
    for (auto& object : objects) {
        if (object.value("kind", std::string()) != kind || object["metadata"]["name"] != name) {
            continue;
        }
        const nlohmann::json::json_pointer target(pointer);
        if (value == "delete") {
            object[target.parent_pointer()].erase(target.back());
        } else if (value.starts_with("now+") || value.starts_with("now-")) {
            object[target] = relative_time(value, now);
        } else {
            object[target] = value;
        }
        return;
    }
    throw core::Error("mutation of a missing object: " + mutation);
}

// The scenario's objects as its command sees them when run at `now`.
inline std::vector<nlohmann::json> argo_scenario_objects(const ArgoScenario& scenario,
                                                         core::Clock::time_point now) {
    auto objects = load_argo_objects(scenario.objects, now);
    for (const auto& mutation : scenario.mutations) {
        apply_mutation(objects, mutation, now);
    }
    return objects;
}

inline rollouts::ObjectSet make_object_set(const std::vector<nlohmann::json>& objects) {
    rollouts::ObjectSet set;
    for (const auto& object : objects) {
        set.add(object);
    }
    return set;
}

// One fixture folder of argo-fixtures/info/testdata as an ObjectSet, loaded for `now`.
inline rollouts::ObjectSet argo_fixture(std::string_view folder, core::Clock::time_point now) {
    return make_object_set(
        load_argo_objects({"argo-fixtures/info/testdata/" + std::string(folder)}, now));
}

} // namespace nova::test
