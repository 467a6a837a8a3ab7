#include "argo_golden_support.hpp"
#include "lib/render/list_tables.hpp"

#include <catch2/catch.hpp>

using namespace nova;

namespace {

const auto now = test::argo_golden_now();

rollouts::RolloutListRow canary_row() {
    return rollouts::rollout_list_row(
        test::load_argo_objects({"argo-list/can-guestbook.yaml"}, now).at(0));
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("list rollouts with --all-namespaces --timestamps", "[render]") {
    const auto out = render::render_rollout_table({canary_row()}, {true, true}, now);
    // The assertions of upstream's TestListNamespaceAndTimestamp.
    CHECK(contains(out, "TIMESTAMP             NAMESPACE  NAME           STRATEGY   STATUS        "
                        "STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE"));
    CHECK(contains(out, "test       can-guestbook  Canary     Progressing   1/3   10          1/4  "
                        "  5        3           2"));
    CHECK(contains(out, "\n2025-06-02T10:20:30Z  test       can-guestbook"));
}

TEST_CASE("list rollouts: an empty list is the header alone", "[render]") {
    CHECK(render::render_rollout_table({}, {}, now) ==
          "NAME  STRATEGY  STATUS  STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n");
}

TEST_CASE("list rollouts: row text", "[render]") {
    CHECK(render::rollout_table_row(canary_row(), {}, now) ==
          "can-guestbook\tCanary   \tProgressing \t1/3 \t10        \t1/4  \t5      \t3         "
          "\t2        \n");
    CHECK(render::rollout_table_header({true, false}).starts_with("NAMESPACE\tNAME\t"));
}

TEST_CASE("list experiments: duration and remaining", "[render]") {
    const auto at = [](std::chrono::seconds offset) {
        return std::chrono::floor<std::chrono::seconds>(now) + offset;
    };
    using std::chrono::hours;
    using std::chrono::seconds;
    rollouts::ExperimentListEntry running{
        "ns", "run", "Running", hours(3), at(-hours(1)), at(-hours(24 * 7)), false};
    auto done = running;
    done.name = "done";
    done.phase = "Successful";
    done.completed = true;
    auto expired = running;
    expired.name = "expired";
    expired.available_at = at(-hours(4));
    auto waiting = running;
    waiting.name = "waiting";
    waiting.available_at.reset();
    auto endless = running;
    endless.name = "endless";
    endless.duration.reset();

    CHECK(render::render_experiment_table({running, done, expired, waiting, endless}, false, now) ==
          "NAME        STATUS      DURATION  REMAINING  AGE\n"
          "run         Running     3h        119m       7d \n"
          "done        Successful  3h        -          7d \n"
          "expired     Running     3h        -          7d \n"
          "waiting     Running     3h        -          7d \n"
          "endless     Running     -         -          7d \n");
    // At a whole second the remainder is exactly 2h.
    CHECK(contains(
        render::render_experiment_table({running}, false, std::chrono::floor<seconds>(now)),
        "120m"));
}
