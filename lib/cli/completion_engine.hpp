#pragma once

// The pure half of shell completion (reference/kubernetes-client.md §5): given the command tree
// and the words typed so far, what to offer and which values must be read from the kubeconfig
// or the API. No I/O here: lib/cli/complete.cpp fetches the values a Plan asks for and hands
// them to reply().
//
// The tree is read from the real CLI11 App (command_tree), so completion offers exactly what
// --help documents: subcommands, aliases, flags, and what each flag's value or positional
// argument is (a rollout's name, a context, one of json|yaml, ...).

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nova::cli::completion {

// cobra's ShellCompDirective bits, OR-able (reference §5.2).
enum Directive : int {
    directive_default = 0,
    directive_error = 1,
    directive_no_space = 2,
    directive_no_file = 4,
    directive_filter_file_ext = 8,
    directive_filter_dirs = 16,
    directive_keep_order = 32,
};

// What a flag's value or a positional argument is, for completion.
enum class ValueKind {
    none,               // free text: nothing to offer, and no file names either
    choices,            // one of a fixed set (CLI11's IsMember)
    files,              // any file (the shell completes it)
    manifests,          // a JSON or YAML file
    contexts,           // kubeconfig contexts
    context_list,       // kubeconfig contexts, comma-separated (--workload-contexts a,b)
    kube_clusters,      // kubeconfig clusters (--cluster)
    kube_users,         // kubeconfig users (--user)
    namespaces,         // from the API
    rollouts,           // from the API, in the namespace
    experiments,        // from the API, in the namespace
    analysis_runs,      // from the API, in the namespace
    analysis_templates, // from the API, in the namespace
    containers,         // a rollout's containers: NAME= (set image)
    container_images,   // the current image of one container (after NAME=)
    cluster_contexts,   // --cluster-context NAME=CONTEXT: Nova's clusters, then contexts
};

// True for the kinds whose values come from the API (one round of requests).
bool needs_api(ValueKind kind);

// Whether `value`, read from the API or the kubeconfig, may be offered as a value of `kind`.
// A name from the API must be a valid Kubernetes name of its kind (an image, a valid image
// reference): a hostile server must not get `$(...)` or `;` onto the command line. A name from
// the kubeconfig may hold blanks and shell characters (the scripts quote what they insert) but
// no control characters.
bool acceptable(ValueKind kind, std::string_view value);

// Whether `value` can go onto a command line as it is: letters, digits and . _ - / : @ = , + %
// only. kubectl's completion scripts (cobra's) insert candidates unquoted and pass them through
// `compgen -W`, which expands them; values for those scripts are held to this.
bool plain_word(std::string_view value);

struct Flag {
    std::vector<std::string> long_names;  // without "--"
    std::vector<std::string> short_names; // without "-"
    std::string description;
    bool takes_value = false;
    bool repeatable = false; // may be given more than once
    bool required = false;
    ValueKind kind = ValueKind::none;
    std::vector<std::string> choices;
};

struct Positional {
    std::string name; // ROLLOUT_NAME, CONTAINER=IMAGE, ...
    bool repeatable = false;
    ValueKind kind = ValueKind::none;
    std::vector<std::string> choices;
};

struct Command {
    std::string name;
    std::vector<std::string> aliases;
    std::string description;
    std::vector<Flag> flags; // its own; a command also takes its ancestors' (fallthrough)
    std::vector<Positional> positionals;
    std::vector<Command> subcommands;
};

// The visible command tree of `app`: hidden commands and flags (CLI11 group "") left out.
// Value kinds follow the names used throughout lib/cli (ROLLOUT_NAME, --context, -f, ...).
Command command_tree(const CLI::App& app);

// The value kind of a positional argument called `name`, none if it is not one we know.
ValueKind positional_kind(const std::string& name);

struct Candidate {
    std::string value;
    std::string description; // may be empty
};

// What the words ask for.
struct Plan {
    std::vector<Candidate> candidates; // static candidates, already filtered by the prefix
    ValueKind dynamic = ValueKind::none;
    std::string match;  // what a dynamic value must start with
    std::string insert; // put before each dynamic value ("ws1=" of --cluster-context ws1=c)
    std::string append; // put after each dynamic value ("=" after a container's name)
    std::vector<std::string> exclude; // values already given (abort a b <TAB> offers no a or b)
    std::string rollout;              // containers, container_images: the rollout named
    std::string container;            // container_images: the container named
    // kubectl's global flags typed on the line, by their first long name ("namespace" ->
    // "ns"); boolean flags as "true" or "false" (--insecure-skip-tls-verify=false). The fetch uses
    // them to reach the right API server.
    std::map<std::string, std::string> kube_flags;
    int directive = directive_no_file;
};

// Plans the completion of `words`: the arguments after the program name, the last one being
// the word under the cursor ("" after a space).
Plan plan(const Command& root, const std::vector<std::string>& words);

// The reply of __complete: one candidate a line ("value\tdescription" when `descriptions`),
// then ":<directive>". `values` are the dynamic values the plan asked for (filtered here).
std::string reply(const Plan& plan, const std::vector<Candidate>& values, bool descriptions);

// The reply when nothing can be offered: no candidates, file completion off.
std::string empty_reply();

} // namespace nova::cli::completion
