#include "lib/cli/invocation.hpp"

#include <cstdlib>

namespace nova::cli {
namespace {

std::string_view basename_of(std::string_view path) {
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// True when the environment says that kubectl started this process.
bool run_by_kubectl(const EnvLookup& env) {
    if (env("KUBECTL_PATH") || env("KUBECTL_PLUGINS_CALLER")) {
        return true;
    }
    auto underscore = env("_");
    if (!underscore) {
        return false;
    }
    auto caller = basename_of(*underscore);
    // "kubectl", "kubectl.1.33", but not a plugin file ("kubectl-x") run directly.
    return caller == "kubectl" || caller.starts_with("kubectl.");
}

// "kubectl-nova_rollouts" -> "nova-rollouts"; "kubectl-nova-rollouts" -> "nova rollouts".
std::string plugin_words(std::string_view file_name) {
    std::string words;
    for (char c : file_name) {
        words += c == '-' ? ' ' : c == '_' ? '-' : c;
    }
    return words;
}

} // namespace

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value =
            std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe): read once at start
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

std::string program_name(std::string_view argv0, const EnvLookup& env) {
    auto file_name = basename_of(argv0);
    if (file_name.empty()) {
        return "kubectl-nova-rollouts";
    }
    // kubectl's completion shim name: kubectl_complete-nova_rollouts.
    constexpr std::string_view complete_prefix = "kubectl_complete-";
    if (file_name.starts_with(complete_prefix)) {
        return "kubectl " + plugin_words(file_name.substr(complete_prefix.size()));
    }
    constexpr std::string_view plugin_prefix = "kubectl-";
    if (file_name.starts_with(plugin_prefix) && run_by_kubectl(env)) {
        return "kubectl " + plugin_words(file_name.substr(plugin_prefix.size()));
    }
    return std::string(file_name);
}

} // namespace nova::cli
