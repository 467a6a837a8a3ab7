#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nova::cli {

// Reads one environment variable; injectable so that naming is testable without a process.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup process_env();

// The program's name as the user typed it, for help and messages (DESIGN.md §2):
// "kubectl nova-rollouts" when kubectl ran us as its plugin, otherwise the binary's own name.
//
// kubectl (up to 1.36) execs a plugin with argv[0] set to its absolute path and passes the
// environment unchanged; the calling shell's `_` variable then still names kubectl, which is the
// practical hint. Newer kubectl sets KUBECTL_PATH, very old ones KUBECTL_PLUGINS_CALLER.
// The plugin words follow kubectl's file-name mapping: in "kubectl-nova_rollouts", '-' separates
// words and '_' stands for a typed '-'.
std::string program_name(std::string_view argv0, const EnvLookup& env);

} // namespace nova::cli
