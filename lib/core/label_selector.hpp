#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nova::core {

using Labels = std::map<std::string, std::string>;

// One requirement of a label selector, as Kubernetes defines them.
struct LabelRequirement {
    enum class Op { equals, not_equals, in, not_in, exists, does_not_exist };
    std::string key;
    Op op = Op::exists;
    std::vector<std::string> values; // sorted, unique; one value for equals/not_equals

    bool operator==(const LabelRequirement&) const = default;
};

// A parsed label selector: all requirements must hold (logical AND).
// An empty selector matches everything.
class LabelSelector {
public:
    LabelSelector() = default;
    explicit LabelSelector(std::vector<LabelRequirement> requirements);

    // Parses the string form used by `-l` and `?labelSelector=`:
    //   a=b, a==b, c!=d, e in (x,y), f notin (z), g, !h
    // Throws core::Error naming the offending token and its position on bad input.
    static LabelSelector parse(std::string_view text);

    // Builds a selector from a metav1.LabelSelector object ({matchLabels, matchExpressions}).
    // A null or empty object matches everything. Throws core::Error for unknown operators,
    // values given with Exists/DoesNotExist, or no values with In/NotIn.
    static LabelSelector from_json(const nlohmann::json& selector);

    [[nodiscard]] bool matches(const Labels& labels) const;
    // Convenience: matches the labels of a JSON object's metadata.labels (missing = none).
    [[nodiscard]] bool matches_object(const nlohmann::json& object) const;

    [[nodiscard]] bool empty() const { return m_requirements.empty(); }
    [[nodiscard]] const std::vector<LabelRequirement>& requirements() const {
        return m_requirements;
    }

    // The canonical string form, as apimachinery prints it: requirements sorted by key,
    // "a=b", "c!=d", "e in (x,y)", "f notin (z)", "g", "!h", joined by ",".
    [[nodiscard]] std::string to_string() const;

private:
    std::vector<LabelRequirement> m_requirements;
};

// Reads metadata.labels of a JSON object into Labels (non-string values are ignored).
Labels labels_of(const nlohmann::json& object);

} // namespace nova::core
