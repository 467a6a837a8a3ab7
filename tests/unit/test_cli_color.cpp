#include "lib/cli/color.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace nova;
using cli::ColorMode;

namespace {

cli::EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

} // namespace

TEST_CASE("colour by default only on a terminal", "[cli][color]") {
    const auto plain = env_of({{"TERM", "xterm-256color"}});
    CHECK(cli::use_color(ColorMode::automatic, false, true, plain));
    CHECK_FALSE(cli::use_color(ColorMode::automatic, false, false, plain));
    // No TERM at all is not "dumb".
    CHECK(cli::use_color(ColorMode::automatic, false, true, env_of({})));
}

TEST_CASE("NO_COLOR and TERM=dumb turn automatic colour off", "[cli][color]") {
    CHECK_FALSE(cli::use_color(ColorMode::automatic, false, true, env_of({{"NO_COLOR", "1"}})));
    // no-color.org: only a non-empty value counts.
    CHECK(cli::use_color(ColorMode::automatic, false, true, env_of({{"NO_COLOR", ""}})));
    CHECK_FALSE(cli::use_color(ColorMode::automatic, false, true, env_of({{"TERM", "dumb"}})));
}

TEST_CASE("flags --color and --no-color override the environment", "[cli][color]") {
    const auto hostile = env_of({{"NO_COLOR", "1"}, {"TERM", "dumb"}});
    CHECK(cli::use_color(ColorMode::always, false, false, hostile));
    CHECK_FALSE(cli::use_color(ColorMode::never, false, true, env_of({})));
    // argo's --no-color wins over everything.
    CHECK_FALSE(cli::use_color(ColorMode::always, true, true, env_of({})));
    CHECK_FALSE(cli::use_color(ColorMode::automatic, true, true, env_of({})));
}

TEST_CASE("flag --color values", "[cli][color]") {
    CHECK(cli::parse_color_mode("auto") == ColorMode::automatic);
    CHECK(cli::parse_color_mode("always") == ColorMode::always);
    CHECK(cli::parse_color_mode("never") == ColorMode::never);
    CHECK_THROWS_AS(cli::parse_color_mode("yes"), core::Error);
    try {
        cli::parse_color_mode("yes");
    } catch (const core::Error& error) {
        CHECK(error.code() == core::ExitCode::usage);
    }
}
