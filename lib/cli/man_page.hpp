#pragma once

// Man pages generated from the CLI11 command definitions, so that they say what --help says.
// describe_command() reads the CLI11 tree into plain data; render_man_pages() turns that data
// into roff without touching CLI11, files or the clock (unit-tested); the hidden `__man`
// command writes the pages (scripts/generate-man keeps man/ up to date with it).

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nova::cli {

class CommandTable;
struct Context;

// One flag or option as --help lists it.
struct ManOption {
    std::vector<std::string> names; // "-w", "--watch"
    std::string value;              // "NAME=CONTEXT", empty for a flag
    std::string description;
    std::string default_value; // empty: none
    bool repeatable = false;
};

struct ManOptionGroup {
    std::string title; // empty for the command's own ungrouped options
    std::vector<ManOption> options;
};

struct ManPositional {
    std::string name;
    std::string description;
    bool required = false;
    bool repeatable = false;
};

// A command (or group of commands) and everything below it.
struct ManCommand {
    std::vector<std::string> path; // {"get", "rollout"}; empty for the program itself
    std::string summary;           // the one-line description of --help
    std::vector<std::string> aliases;
    std::vector<ManPositional> positionals;
    std::vector<ManOptionGroup> options;   // the command's own
    std::vector<ManOptionGroup> inherited; // its parents' (kubectl's global flags)
    std::string notes;                     // the footer of --help
    bool runnable = false;                 // false: a group, which only lists its commands
    std::vector<ManCommand> subcommands;
};

// What a page says beyond the command tree.
struct ManMeta {
    std::string date;    // YYYY-MM-DD
    std::string version; // "0.1.0"
};

struct ManPage {
    std::string file_name; // "kubectl-nova-rollouts-get-rollout.1"
    std::string text;
};

// Text for a roff text line or a quoted macro argument: backslashes, hyphens (as \-, which the
// formatters otherwise may turn into typographic dashes), a leading '.' or '\'', and characters
// beyond ASCII (as \[uXXXX]) are escaped; newlines become spaces.
std::string roff_escape(std::string_view text);

// roff_escape(), plus the markup of the descriptions: `code` in bold, <PLACEHOLDER> in italics.
std::string roff_markup(std::string_view text);

// "kubectl-nova-rollouts-get-rollout": the page of a command path.
std::string man_page_name(const std::vector<std::string>& path);

// Every page: the program's, then one per command and group, depth first.
std::vector<ManPage> render_man_pages(const ManCommand& root, const ManMeta& meta);

// The commands that lib/cli/man_page_text.cpp describes but `root` does not have ("set image"):
// `__man` refuses to write pages while there are any, so renamed commands keep their prose.
std::vector<std::string> prose_without_command(const ManCommand& root);

// Reads the CLI11 tree: commands with a run function in `commands` are runnable; hidden
// commands (no group, such as `__man`) and hidden options are left out.
ManCommand describe_command(const CLI::App& app, const CommandTable& commands);

// The hidden `__man DIR` command.
void add_man_command(CLI::App& app, CommandTable& commands, Context& context);

} // namespace nova::cli
