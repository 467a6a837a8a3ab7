#include "lib/rollouts/job_outcome.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using nova::rollouts::job_condition_outcome;

namespace {

json job_with(const json& conditions) {
    return {{"kind", "Job"}, {"status", {{"conditions", conditions}}}};
}

} // namespace

TEST_CASE("job_condition_outcome reads a true Complete or Failed condition") {
    CHECK(job_condition_outcome(job_with({{{"type", "Complete"}, {"status", "True"}}})) ==
          "Successful");
    CHECK(job_condition_outcome(job_with({{{"type", "Failed"}, {"status", "True"}}})) == "Failed");
    // Another true condition first does not hide the outcome.
    CHECK(job_condition_outcome(job_with({{{"type", "Suspended"}, {"status", "True"}},
                                          {{"type", "Failed"}, {"status", "True"}}})) == "Failed");
}

TEST_CASE("job_condition_outcome is unknown while no outcome condition is true") {
    CHECK_FALSE(job_condition_outcome(json{{"kind", "Job"}}).has_value());
    CHECK_FALSE(job_condition_outcome(job_with(json::array())).has_value());
    CHECK_FALSE(
        job_condition_outcome(job_with({{{"type", "Complete"}, {"status", "False"}}})).has_value());
    CHECK_FALSE(job_condition_outcome(json{{"status", {{"conditions", "bogus"}}}}).has_value());
}
