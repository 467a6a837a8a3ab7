#include "lib/rollouts/job_outcome.hpp"

#include "lib/rollouts/json_fields.hpp"

namespace nova::rollouts {

std::optional<std::string> job_condition_outcome(const nlohmann::json& job) {
    for (const auto& condition : fields::array_at(job, {"status", "conditions"})) {
        if (fields::string_at(condition, {"status"}) != "True") {
            continue;
        }
        const auto type = fields::string_at(condition, {"type"});
        if (type == "Complete") {
            return "Successful";
        }
        if (type == "Failed") {
            return "Failed";
        }
    }
    return std::nullopt;
}

} // namespace nova::rollouts
