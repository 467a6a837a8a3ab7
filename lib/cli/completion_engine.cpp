#include "lib/cli/completion_engine.hpp"

#include "lib/core/names.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace nova::cli::completion {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// The first line of a help text, without control characters: one line of a reply.
std::string one_line(std::string_view text) {
    std::string line;
    for (char c : text.substr(0, text.find('\n'))) {
        line += std::iscntrl(static_cast<unsigned char>(c)) != 0 ? ' ' : c;
    }
    while (!line.empty() && line.back() == ' ') {
        line.pop_back();
    }
    return line;
}

// A value a shell can take as one word: no blanks, no control characters (names come from
// kubeconfig files and API servers, which we do not trust to be tidy).
bool is_word(std::string_view value) {
    return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0 ||
               std::iscntrl(static_cast<unsigned char>(c)) != 0;
    });
}

// One line of a reply: no control characters (a tab would start the description, a newline
// another candidate). Blanks are kept: the scripts quote what they insert.
bool is_line(std::string_view value) {
    return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return std::iscntrl(static_cast<unsigned char>(c)) != 0;
    });
}

// An image reference as a registry accepts it: [registry[:port]/]path[:tag][@digest], so
// letters, digits and . _ - / : @ only.
bool is_image(std::string_view value) {
    return !value.empty() && value.size() <= 4096 &&
           std::all_of(value.begin(), value.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                      std::string_view("._-/:@").find(c) != std::string_view::npos;
           });
}

// A boolean flag's "--flag=value" as the command reads it: CLI11's conversion, which takes
// kubectl's (pflag's) true/false/1/0/t/f in any case and also yes/no/on/off. nullopt when the
// command would reject it.
std::optional<bool> parse_bool(std::string_view text) {
    bool value = false;
    if (!CLI::detail::lexical_cast(std::string(text), value)) {
        return std::nullopt;
    }
    return value;
}

// CLI11's IsMember appends ":{a,b,c}" to the option's type name.
std::vector<std::string> choices_of(const CLI::Option& option) {
    const std::string type = option.get_type_name();
    std::vector<std::string> choices;
    const auto open = type.find(":{");
    const auto close = type.find('}', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) {
        return choices;
    }
    const std::string list = type.substr(open + 2, close - open - 2);
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos) {
            comma = list.size();
        }
        if (comma > start) {
            choices.push_back(list.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return choices;
}

// The value of flag --`name` of command `command`, by the names lib/cli gives its flags.
ValueKind flag_kind(const std::string& command, const std::string& name) {
    if (name == "context") {
        return ValueKind::contexts;
    }
    if (name == "workload-contexts") {
        return ValueKind::context_list;
    }
    if (name == "cluster") {
        return ValueKind::kube_clusters;
    }
    if (name == "user") {
        return ValueKind::kube_users;
    }
    if (name == "namespace") {
        return ValueKind::namespaces;
    }
    if (name == "cluster-context") {
        return ValueKind::cluster_contexts;
    }
    if (name == "kubeconfig" || name == "certificate-authority" || name == "client-certificate" ||
        name == "client-key") {
        return ValueKind::files;
    }
    if (name == "filename" || name == "from-file") {
        return ValueKind::manifests;
    }
    if (name == "name" && command == "rollouts") { // list rollouts --name
        return ValueKind::rollouts;
    }
    if (name == "from" && command == "analysisrun") { // create analysisrun --from
        return ValueKind::analysis_templates;
    }
    return ValueKind::none;
}

Flag flag_of(const CLI::App& command, const CLI::Option& option) {
    Flag flag;
    flag.long_names = option.get_lnames();
    flag.short_names = option.get_snames();
    flag.description = one_line(option.get_description());
    flag.takes_value = option.get_items_expected_max() > 0; // flags expect 0
    flag.repeatable = option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
                      (flag.takes_value && option.get_items_expected_max() > 1);
    flag.required = option.get_required();
    flag.choices = choices_of(option);
    if (flag.takes_value) {
        flag.kind = !flag.choices.empty() ? ValueKind::choices
                    : flag.long_names.empty()
                        ? ValueKind::none
                        : flag_kind(command.get_name(), flag.long_names.front());
    }
    return flag;
}

Command command_of(const CLI::App& app) {
    Command command;
    command.name = app.get_name();
    command.aliases = app.get_aliases();
    command.description = one_line(app.get_description());
    for (const CLI::Option* option : app.get_options()) {
        if (option->get_group().empty()) {
            continue; // hidden
        }
        if (option->get_positional() && !option->nonpositional()) {
            Positional positional;
            positional.name = option->get_name();
            positional.repeatable = option->get_items_expected_max() > 1;
            positional.choices = choices_of(*option);
            positional.kind =
                !positional.choices.empty() ? ValueKind::choices : positional_kind(positional.name);
            command.positionals.push_back(std::move(positional));
        } else {
            command.flags.push_back(flag_of(app, *option));
        }
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        // Option groups are nameless subcommands; hidden commands have no group.
        if (sub->get_name().empty() || sub->get_group().empty()) {
            continue;
        }
        command.subcommands.push_back(command_of(*sub));
    }
    return command;
}

// Where the walk over the typed words ended up.
struct Walk {
    std::vector<const Command*> path;     // root first
    std::vector<std::string> positionals; // of the last command
    std::vector<const Flag*> used;        // flags given
    std::map<std::string, std::string> kube_flags;
    const Flag* pending = nullptr; // the last word was a flag that wants a value
    std::size_t pending_depth = 0; // where that flag was defined (0: the root)
    bool dash_dash = false;        // "--" was given: the rest are positionals
    bool help = false;             // -h or --help was given
};

// The flags a command takes: its own, then its ancestors' (which fall through to it).
std::vector<std::pair<const Flag*, std::size_t>> flags_of(const Walk& walk) {
    std::vector<std::pair<const Flag*, std::size_t>> flags;
    for (std::size_t depth = walk.path.size(); depth-- > 0;) {
        for (const Flag& flag : walk.path[depth]->flags) {
            flags.emplace_back(&flag, depth);
        }
    }
    return flags;
}

std::optional<std::pair<const Flag*, std::size_t>> find_long(const Walk& walk,
                                                             const std::string& name) {
    for (const auto& entry : flags_of(walk)) {
        if (contains(entry.first->long_names, name)) {
            return entry;
        }
    }
    return std::nullopt;
}

std::optional<std::pair<const Flag*, std::size_t>> find_short(const Walk& walk, char name) {
    for (const auto& entry : flags_of(walk)) {
        if (contains(entry.first->short_names, std::string(1, name))) {
            return entry;
        }
    }
    return std::nullopt;
}

const Command* find_subcommand(const Command& command, const std::string& word) {
    for (const Command& sub : command.subcommands) {
        if (sub.name == word || contains(sub.aliases, word)) {
            return &sub;
        }
    }
    return nullptr;
}

// `value`: what followed "--flag=" of a flag that takes none (a boolean); nullopt without '='.
void note_flag(Walk& walk, const Flag* flag, std::size_t depth,
               std::optional<std::string_view> value = std::nullopt) {
    walk.used.push_back(flag);
    if (contains(flag->long_names, "help")) {
        walk.help = true;
    }
    if (depth == 0 && !flag->takes_value && !flag->long_names.empty()) {
        // --insecure-skip-tls-verify=false verifies; a value the command would reject does not
        // turn a security switch on either.
        const bool on = !value || parse_bool(*value).value_or(false);
        walk.kube_flags[flag->long_names.front()] = on ? "true" : "false";
    }
}

// kubectl's global flags are the root's; their values say which server to ask for names.
void note_value(Walk& walk, const Flag* flag, std::size_t depth, const std::string& value) {
    if (depth == 0 && !flag->long_names.empty()) {
        walk.kube_flags[flag->long_names.front()] = value;
    }
}

// Reads the typed words (all but the one under the cursor) the way CLI11 parses them.
Walk walk_words(const Command& root, const std::vector<std::string>& words) {
    Walk walk;
    walk.path.push_back(&root);
    for (const std::string& word : words) {
        if (walk.pending != nullptr) {
            note_value(walk, walk.pending, walk.pending_depth, word);
            walk.pending = nullptr;
            continue;
        }
        if (!walk.dash_dash && word == "--") {
            walk.dash_dash = true;
            continue;
        }
        if (!walk.dash_dash && word.starts_with("--")) {
            const auto equals = word.find('=');
            const auto found = find_long(walk, word.substr(2, equals - 2));
            if (!found) {
                continue; // unknown: taken as a flag without a value
            }
            note_flag(walk, found->first, found->second,
                      equals == std::string::npos ? std::nullopt
                                                  : std::optional<std::string_view>(
                                                        std::string_view(word).substr(equals + 1)));
            if (found->first->takes_value) {
                if (equals == std::string::npos) {
                    walk.pending = found->first;
                    walk.pending_depth = found->second;
                } else {
                    note_value(walk, found->first, found->second, word.substr(equals + 1));
                }
            }
            continue;
        }
        if (!walk.dash_dash && word.size() > 1 && word.front() == '-') {
            // -w, -wA, -n ns, -nns, -n=ns
            for (std::size_t i = 1; i < word.size(); ++i) {
                const auto found = find_short(walk, word[i]);
                if (!found) {
                    break;
                }
                note_flag(walk, found->first, found->second);
                if (found->first->takes_value) {
                    std::string rest = word.substr(i + 1);
                    if (rest.starts_with('=')) {
                        rest.erase(0, 1);
                    }
                    if (rest.empty()) {
                        walk.pending = found->first;
                        walk.pending_depth = found->second;
                    } else {
                        note_value(walk, found->first, found->second, rest);
                    }
                    break;
                }
            }
            continue;
        }
        const Command& current = *walk.path.back();
        if (walk.positionals.empty() && !walk.dash_dash) {
            if (const Command* sub = find_subcommand(current, word)) {
                walk.path.push_back(sub);
                continue;
            }
        }
        walk.positionals.push_back(word);
    }
    return walk;
}

void add_candidate(std::vector<Candidate>& candidates, const std::string& value,
                   const std::string& prefix, const std::string& description = {}) {
    // Every command has its own --help, and so has the root: offered once.
    const bool listed = std::any_of(candidates.begin(), candidates.end(),
                                    [&](const Candidate& other) { return other.value == value; });
    if (!listed && value.starts_with(prefix) && is_word(value)) {
        candidates.push_back({value, description});
    }
}

// Plans the value of `flag` (or a positional of that kind), `typed` so far.
void plan_value(Plan& plan, ValueKind kind, const std::vector<std::string>& choices,
                const std::string& typed) {
    plan.match = typed;
    switch (kind) {
    case ValueKind::none:
        plan.directive = directive_no_file;
        return;
    case ValueKind::choices:
        for (const std::string& choice : choices) {
            add_candidate(plan.candidates, choice, typed);
        }
        plan.directive = directive_no_file;
        return;
    case ValueKind::files:
        plan.directive = directive_default;
        return;
    case ValueKind::manifests:
        plan.candidates = {{"yaml", ""}, {"yml", ""}, {"json", ""}};
        plan.directive = directive_filter_file_ext;
        return;
    case ValueKind::context_list: {
        const auto comma = typed.rfind(',');
        if (comma != std::string::npos) {
            plan.insert = typed.substr(0, comma + 1);
            plan.match = typed.substr(comma + 1);
            // Contexts already in the list are not offered again.
            std::string_view listed(plan.insert);
            while (!listed.empty()) {
                const auto next = listed.find(',');
                plan.exclude.emplace_back(listed.substr(0, next));
                listed.remove_prefix(next == std::string_view::npos ? listed.size() : next + 1);
            }
        }
        plan.dynamic = ValueKind::contexts;
        return;
    }
    case ValueKind::cluster_contexts: {
        const auto equals = typed.find('=');
        if (equals == std::string::npos) {
            plan.dynamic = ValueKind::cluster_contexts;
            plan.append = "=";
            plan.directive = directive_no_file | directive_no_space;
        } else {
            plan.dynamic = ValueKind::contexts;
            plan.insert = typed.substr(0, equals + 1);
            plan.match = typed.substr(equals + 1);
        }
        return;
    }
    case ValueKind::containers: {
        const auto equals = typed.find('=');
        if (equals == std::string::npos) {
            plan.dynamic = ValueKind::containers;
            plan.append = "=";
            plan.directive = directive_no_file | directive_no_space;
        } else {
            plan.dynamic = ValueKind::container_images;
            plan.container = typed.substr(0, equals);
            plan.insert = typed.substr(0, equals + 1);
            plan.match = typed.substr(equals + 1);
        }
        return;
    }
    default:
        plan.dynamic = kind;
        return;
    }
}

void plan_flags(Plan& plan, const Walk& walk, const std::string& typed) {
    const auto flags = flags_of(walk);
    // Required flags not yet given come alone, as cobra offers them.
    bool required_missing = false;
    for (const auto& [flag, depth] : flags) {
        if (flag->required &&
            std::find(walk.used.begin(), walk.used.end(), flag) == walk.used.end()) {
            required_missing = true;
        }
    }
    for (const auto& [flag, depth] : flags) {
        const bool used = std::find(walk.used.begin(), walk.used.end(), flag) != walk.used.end();
        if ((used && !flag->repeatable) || (required_missing && !flag->required)) {
            continue;
        }
        for (const std::string& name : flag->long_names) {
            add_candidate(plan.candidates, "--" + name, typed, flag->description);
        }
        for (const std::string& name : flag->short_names) {
            add_candidate(plan.candidates, "-" + name, typed, flag->description);
        }
    }
    plan.directive = directive_no_file;
}

void plan_argument(Plan& plan, const Walk& walk, const std::string& typed) {
    const Command& command = *walk.path.back();
    if (walk.positionals.empty() && !command.subcommands.empty()) {
        for (const Command& sub : command.subcommands) {
            add_candidate(plan.candidates, sub.name, typed, sub.description);
        }
        // An alias is offered only when no name fits what was typed ("ar" of analysisrun).
        if (plan.candidates.empty() && !typed.empty()) {
            for (const Command& sub : command.subcommands) {
                for (const std::string& alias : sub.aliases) {
                    add_candidate(plan.candidates, alias, typed, sub.description);
                }
            }
        }
        plan.directive = directive_no_file;
        return;
    }
    const std::size_t index = walk.positionals.size();
    const Positional* positional = nullptr;
    if (index < command.positionals.size()) {
        positional = &command.positionals[index];
    } else if (!command.positionals.empty() && command.positionals.back().repeatable) {
        positional = &command.positionals.back();
    }
    if (positional == nullptr) {
        plan.directive = directive_no_file;
        return;
    }
    // The rollout named before (set image ROLLOUT CONTAINER=IMAGE).
    for (std::size_t i = 0; i < command.positionals.size() && i < walk.positionals.size(); ++i) {
        if (command.positionals[i].kind == ValueKind::rollouts) {
            plan.rollout = walk.positionals[i];
            break;
        }
    }
    // Names already given to the same argument are not offered again.
    for (std::size_t i = 0; i < walk.positionals.size(); ++i) {
        const std::size_t at = std::min(i, command.positionals.size() - 1);
        if (&command.positionals[at] == positional) {
            const std::string& given = walk.positionals[i];
            plan.exclude.push_back(positional->kind == ValueKind::containers
                                       ? given.substr(0, given.find('='))
                                       : given);
        }
    }
    plan_value(plan, positional->kind, positional->choices, typed);
}

} // namespace

bool acceptable(ValueKind kind, std::string_view value) {
    switch (kind) {
    case ValueKind::namespaces: // namespaces and containers are DNS-1123 labels
    case ValueKind::containers:
        return !core::label_problem(value);
    case ValueKind::rollouts: // the rest of the API's names are DNS-1123 subdomains
    case ValueKind::experiments:
    case ValueKind::analysis_runs:
    case ValueKind::analysis_templates:
    case ValueKind::cluster_contexts:
        return !core::subdomain_problem(value);
    case ValueKind::container_images:
        return is_image(value);
    default: // kubeconfig names: the user's own, any text on one line (the scripts quote it)
        return is_line(value);
    }
}

bool plain_word(std::string_view value) {
    return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
               std::string_view("._-/:@=,+%").find(c) != std::string_view::npos;
    });
}

bool needs_api(ValueKind kind) {
    switch (kind) {
    case ValueKind::namespaces:
    case ValueKind::rollouts:
    case ValueKind::experiments:
    case ValueKind::analysis_runs:
    case ValueKind::analysis_templates:
    case ValueKind::containers:
    case ValueKind::container_images:
    case ValueKind::cluster_contexts:
        return true;
    default:
        return false;
    }
}

ValueKind positional_kind(const std::string& name) {
    if (name == "ROLLOUT_NAME") {
        return ValueKind::rollouts;
    }
    if (name == "EXPERIMENT_NAME") {
        return ValueKind::experiments;
    }
    if (name == "ANALYSISRUN_NAME") {
        return ValueKind::analysis_runs;
    }
    if (name == "CONTAINER=IMAGE") {
        return ValueKind::containers;
    }
    return ValueKind::none;
}

Command command_tree(const CLI::App& app) {
    return command_of(app);
}

Plan plan(const Command& root, const std::vector<std::string>& words) {
    Plan plan;
    const std::string typed = words.empty() ? std::string() : words.back();
    const std::vector<std::string> before =
        words.empty() ? words : std::vector<std::string>(words.begin(), words.end() - 1);
    const Walk walk = walk_words(root, before);
    plan.kube_flags = walk.kube_flags;
    if (walk.help) {
        return plan; // the command will only print help
    }
    if (walk.pending != nullptr) {
        plan_value(plan, walk.pending->kind, walk.pending->choices, typed);
        return plan;
    }
    if (!walk.dash_dash && typed.starts_with('-')) {
        const auto equals = typed.find('=');
        if (typed.starts_with("--") && equals != std::string::npos) {
            // --flag=value: the value alone is completed (the shell scripts put it back).
            const auto found = find_long(walk, typed.substr(2, equals - 2));
            if (found && found->first->takes_value) {
                plan_value(plan, found->first->kind, found->first->choices,
                           typed.substr(equals + 1));
            }
            return plan;
        }
        plan_flags(plan, walk, typed);
        return plan;
    }
    plan_argument(plan, walk, typed);
    return plan;
}

std::string reply(const Plan& plan, const std::vector<Candidate>& values, bool descriptions) {
    std::string text;
    int directive = plan.directive;
    const auto add = [&](const Candidate& candidate) {
        text += candidate.value;
        const std::string description = one_line(candidate.description);
        if (descriptions && !description.empty()) {
            text += '\t' + description;
        }
        text += '\n';
    };
    for (const Candidate& candidate : plan.candidates) {
        add(candidate);
    }
    std::vector<Candidate> dynamic;
    for (const Candidate& value : values) {
        if (value.value.starts_with(plan.match) && acceptable(plan.dynamic, value.value) &&
            !contains(plan.exclude, value.value)) {
            dynamic.push_back({plan.insert + value.value + plan.append, value.description});
        }
    }
    std::sort(dynamic.begin(), dynamic.end(),
              [](const Candidate& a, const Candidate& b) { return a.value < b.value; });
    dynamic.erase(
        std::unique(dynamic.begin(), dynamic.end(),
                    [](const Candidate& a, const Candidate& b) { return a.value == b.value; }),
        dynamic.end());
    for (const Candidate& candidate : dynamic) {
        add(candidate);
    }
    if (plan.dynamic != ValueKind::none) {
        directive |= directive_no_file;
    }
    text += ':' + std::to_string(directive) + '\n';
    return text;
}

std::string empty_reply() {
    return ":" + std::to_string(directive_no_file) + "\n";
}

} // namespace nova::cli::completion
