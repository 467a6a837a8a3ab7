// verify-spread's table and document: goldens of a report with every kind of row (a match, a
// copy changed by hand, a pod that cannot pull its image, an excluded standby cluster, a
// cluster that could not be read) and of an object no policy selects.
#include "lib/render/document.hpp"
#include "lib/render/spread_report.hpp"
#include "multicluster_support.hpp"

#include <catch2/catch.hpp>

using namespace nova;
using fleet::RowResult;

namespace {

fleet::SpreadReport sample_report() {
    fleet::SpreadReport report;
    report.rollout = "rollout-demo";
    report.namespace_name = "default";

    fleet::SpreadSubject stable;
    stable.kind = "ReplicaSet";
    stable.name = "rollout-demo-687d76d795";
    stable.role = "stable";
    stable.replicas = 8;
    stable.policies = {"rollouts-demo-policy"};
    stable.group = "placeholder";
    stable.group_by = "role";
    stable.rule = fleet::SplitRule::divide;
    stable.topology_key = "kubernetes.io/metadata.name";
    stable.excluded = {{"kind-workload-3", fleet::Exclusion::standby, "Ready=False, Standby=True"}};
    stable.rows = {
        {"kind-workload-1", 4, 5, 5, true, std::nullopt, RowResult::mismatch,
         "kind-workload-1 runs 5 of the expected 4: its copy asks for 5", false},
        {"kind-workload-2", 4, 4, 4, true, std::nullopt, RowResult::match, "", false},
        {"kind-workload-3", 0, std::nullopt, std::nullopt, false, fleet::Exclusion::standby,
         RowResult::unknown, "kind-workload-3 could not be read: connection refused", false},
    };
    stable.result = RowResult::mismatch;

    fleet::SpreadSubject canary = stable;
    canary.name = "rollout-demo-845ffbfc68";
    canary.role = "canary";
    canary.replicas = 2;
    canary.excluded.clear();
    canary.rows = {
        {"kind-workload-1", 1, 1, 1, true, std::nullopt, RowResult::match, "", false},
        {"kind-workload-2", 1, 1, 0, true, std::nullopt, RowResult::mismatch,
         "kind-workload-2 runs 0 of the expected 1: pod rollout-demo-845ffbfc68-x7k2p is Pending "
         "(ImagePullBackOff)",
         false},
    };

    fleet::SpreadSubject job;
    job.kind = "Job";
    job.name = "b0c3e1a2-http-benchmark-1";
    job.role = "analysis";
    job.replicas = 2;
    job.policies = {"a", "b"};
    job.problems = {"SchedulePolicies a, b all select Job b0c3e1a2-http-benchmark-1; Nova does "
                    "not place an object several policies select as either of them would: make "
                    "exactly one match"};
    job.result = RowResult::mismatch;

    report.subjects = {stable, canary, job};
    report.verdict = fleet::SpreadVerdict::mismatch;
    for (const auto& subject : report.subjects) {
        for (const auto& problem : subject.problems) {
            report.reasons.push_back(problem);
        }
        for (const auto& row : subject.rows) {
            if (row.result == RowResult::mismatch) {
                report.reasons.push_back(row.reason);
            }
        }
    }
    return report;
}

} // namespace

TEST_CASE("verify-spread's report renders as its goldens") {
    const auto report = sample_report();
    test::check_golden("verify-spread/report-mismatch.txt",
                       render::render_spread_report(report, render::Palette(false)));
    test::check_golden("verify-spread/report-mismatch.color.txt",
                       render::render_spread_report(report, render::Palette(true)));
    test::check_golden("verify-spread/report-mismatch.json",
                       render::to_json_text(render::spread_report_document(report)));
}

TEST_CASE("verify-spread's verdict lines") {
    fleet::SpreadReport report;
    report.rollout = "r";
    CHECK(render::spread_verdict_line(report) ==
          "spread as expected: nothing of rollout r should run");
    report = sample_report();
    CHECK(render::spread_verdict_line(report) ==
          "spread mismatch: 3 of 3 objects not placed as expected");
    report.tolerance = true;
    CHECK(render::spread_verdict_line(report) ==
          "spread mismatch (within ±1 per cluster): 3 of 3 objects not placed as expected");
    report.tolerance = false;
    report.verdict = fleet::SpreadVerdict::incomplete;
    report.missing_clusters = {"kind-workload-2", "kind-workload-3"};
    CHECK(render::spread_verdict_line(report) ==
          "spread incomplete: kind-workload-2, kind-workload-3 could not be read; what was read is "
          "as expected");
    report.verdict = fleet::SpreadVerdict::as_expected;
    CHECK(render::spread_verdict_line(report) == "spread as expected: 3 objects over 3 clusters");
}
