#pragma once

// The prose of the man pages that --help has no room for: what each command does in detail,
// and examples taken from the tutorial. The markup is roff_markup()'s: `code` is bold,
// <PLACEHOLDER> italic, and a blank line ("\n\n") starts a new paragraph.

#include <string_view>
#include <vector>

namespace nova::cli::man_text {

struct Example {
    std::string_view what;    // one sentence saying what the command does
    std::string_view command; // "kubectl nova-rollouts ..."
};

struct CommandProse {
    std::string_view path; // "get rollout"; "" for the program itself
    std::string_view description;
    std::vector<Example> examples;
    // What follows the command words in the SYNOPSIS, when the arguments alone would not say
    // it (an option the command cannot run without); "" builds it from the arguments.
    std::string_view synopsis = {};
};

// One entry per command that has more to say than its --help line.
const std::vector<CommandProse>& commands();

// Paragraphs shared by every command that has the option concerned.
extern const std::string_view changing_commands;  // commands with --dry-run
extern const std::string_view several_names;      // ... that take several names
extern const std::string_view workload_clusters;  // commands with --cluster-context
extern const std::string_view global_flags_intro; // before kubectl's global flags

struct Entry {
    std::string_view term;
    std::string_view text;
};

// EXIT STATUS (DESIGN.md §5), ENVIRONMENT and FILES.
const std::vector<Entry>& exit_status();
extern const Entry kubeconfig_variable;
extern const Entry cluster_contexts_variable;
extern const Entry no_color_variable;
extern const Entry kubeconfig_file;
extern const Entry config_file;

} // namespace nova::cli::man_text
