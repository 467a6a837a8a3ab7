#include "lib/cli/invocation.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

namespace nova::cli {
namespace {

EnvLookup env_of(std::map<std::string, std::string> variables) {
    return
        [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
            auto found = variables.find(name);
            if (found == variables.end()) {
                return std::nullopt;
            }
            return found->second;
        };
}

TEST_CASE("a binary run directly is named by its file name", "[cli][invocation]") {
    CHECK(program_name("/usr/local/bin/kubectl-nova_rollouts",
                       env_of({{"_", "/usr/local/bin/kubectl-nova_rollouts"}})) ==
          "kubectl-nova_rollouts");
    CHECK(program_name("./kubectl-nova-rollouts", env_of({})) == "kubectl-nova-rollouts");
    CHECK(program_name("nova-tool", env_of({{"_", "/usr/bin/kubectl"}})) == "nova-tool");
}

TEST_CASE("under kubectl the plugin is named as the user typed it", "[cli][invocation]") {
    auto kubectl = env_of({{"_", "/usr/bin/kubectl"}});
    // '_' in the file name stands for a typed '-'; '-' separates words.
    CHECK(program_name("/home/u/.krew/bin/kubectl-nova_rollouts", kubectl) ==
          "kubectl nova-rollouts");
    CHECK(program_name("/usr/local/bin/kubectl-nova-rollouts", kubectl) == "kubectl nova rollouts");
    CHECK(program_name("/opt/bin/kubectl-nova_rollouts", env_of({{"_", "/opt/kubectl.1.33"}})) ==
          "kubectl nova-rollouts");
}

TEST_CASE("newer and older kubectl announce themselves in the environment", "[cli][invocation]") {
    CHECK(program_name("/bin/kubectl-nova_rollouts", env_of({{"KUBECTL_PATH", "/bin/kubectl"}})) ==
          "kubectl nova-rollouts");
    CHECK(program_name("/bin/kubectl-nova_rollouts",
                       env_of({{"KUBECTL_PLUGINS_CALLER", "/bin/kubectl"}})) ==
          "kubectl nova-rollouts");
}

TEST_CASE("the completion shim is always kubectl's", "[cli][invocation]") {
    CHECK(program_name("/usr/bin/kubectl_complete-nova_rollouts", env_of({})) ==
          "kubectl nova-rollouts");
}

TEST_CASE("an empty argv[0] falls back to the project's name", "[cli][invocation]") {
    CHECK(program_name("", env_of({})) == "kubectl-nova-rollouts");
}

} // namespace
} // namespace nova::cli
