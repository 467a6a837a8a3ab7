#pragma once

#include "lib/cli/command.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace nova::cli {

// `completion bash|zsh|fish|kubectl-shim`: prints a completion script (lib/cli/completion.cpp).
void add_completion_command(CLI::App& app, CommandTable& commands, Context& context);

// The hidden `__complete` and `__completeNoDesc` commands of cobra's protocol (reference §5), and
// the same when run as `kubectl_complete-nova_rollouts` (kubectl's plugin completion, §4.2):
// answers and returns the exit code, or nullopt when `argv` asks for something else. Call it
// once every command is on `app`: completion walks the real command tree.
std::optional<int> run_completion_request(const CLI::App& app, int argc, char** argv,
                                          Context& context);

// The completion script of `shell` (bash, zsh, fish, or kubectl-shim), "" for another name.
std::string completion_script(const std::string& shell);

} // namespace nova::cli
