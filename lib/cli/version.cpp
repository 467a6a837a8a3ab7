// `version`: what was built, from what, with what (for bug reports and CI logs).
#include "lib/cli/command.hpp"
#include "lib/core/platform.hpp"
#include "version_info.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>

namespace nova::cli {
namespace {

// "v0.1.0", or "v0.1.0+<git describe>" when built from a checkout.
std::string version_string() {
    std::string version = std::string("v") + NOVA_VERSION;
    std::string describe = NOVA_GIT_DESCRIBE;
    if (!describe.empty()) {
        version += "+" + describe;
    }
    return version;
}

} // namespace

void add_version_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto* command = app.add_subcommand("version", "Print the version of kubectl-nova-rollouts");
    struct Options {
        bool short_form = false;
        std::string output;
    };
    auto options = std::make_shared<Options>();
    command->add_flag("--short", options->short_form, "Print just the version number");
    command->add_option("-o,--output", options->output, "Output format: json")
        ->check(CLI::IsMember({"json"}));

    commands.add(command, [&context, options]() {
        constexpr const char* binary = "kubectl-nova-rollouts";
        if (!options->output.empty()) {
            nlohmann::json document = {
                {"apiVersion", "nova-rollouts.elotl.co/v1alpha1"},
                {"kind", "Version"},
                {"version", version_string()},
                {"gitDescribe", NOVA_GIT_DESCRIBE},
                {"buildDate", NOVA_BUILD_DATE},
                {"compiler", NOVA_COMPILER},
                {"platform", core::platform()},
            };
            if (options->short_form) {
                document = {{"version", version_string()}};
            }
            context.out << document.dump(2) << '\n';
            return core::ExitCode::success;
        }
        context.out << binary << ": " << version_string() << '\n';
        if (!options->short_form) {
            context.out << "  BuildDate: " << NOVA_BUILD_DATE << '\n'
                        << "  Compiler: " << NOVA_COMPILER << '\n'
                        << "  Platform: " << core::platform() << '\n';
        }
        return core::ExitCode::success;
    });
}

} // namespace nova::cli
