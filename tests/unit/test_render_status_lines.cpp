#include "lib/render/status_lines.hpp"

#include <catch2/catch.hpp>

using namespace nova;

namespace {

rollouts::RolloutInfo info(std::string status, std::string message) {
    rollouts::RolloutInfo result;
    result.status = std::move(status);
    result.message = std::move(message);
    return result;
}

} // namespace

TEST_CASE("watch status lines", "[render]") {
    CHECK(render::status_line(info("Healthy", "")) == "Healthy");
    CHECK(render::status_line(info("Paused", "BlueGreenPause")) == "Paused - BlueGreenPause");
    CHECK(render::status_line(info("Degraded", "RolloutAborted: x")) ==
          "Degraded - RolloutAborted: x");
}

TEST_CASE("one-shot status lines (watch=false)", "[render]") {
    CHECK(render::status_line_once(info("Healthy", "")) == "Healthy");
    CHECK(render::status_line_once(info("Degraded", "InvalidSpec: x")) == "Degraded");
    CHECK(render::status_line_once(info("Paused", "BlueGreenPause")) == "Paused - BlueGreenPause");
    CHECK(render::status_line_once(info("Paused", "")) == "Paused - ");
}

TEST_CASE("a status line is printed only when it changes", "[render]") {
    render::StatusLinePrinter printer;
    CHECK(printer.next(info("Progressing", "more replicas need to be updated")) ==
          "Progressing - more replicas need to be updated");
    CHECK_FALSE(printer.next(info("Progressing", "more replicas need to be updated")));
    CHECK(printer.next(info("Paused", "CanaryPauseStep")) == "Paused - CanaryPauseStep");
    CHECK(printer.next(info("Progressing", "more replicas need to be updated")));
    CHECK(printer.next(info("Healthy", "")) == "Healthy");
    CHECK_FALSE(printer.next(info("Healthy", "")));
}
