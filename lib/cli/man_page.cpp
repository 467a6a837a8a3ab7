// Man pages from the CLI11 command tree (see man_page.hpp). The pages follow kubectl's naming
// (kubectl-nova-rollouts-get-rollout.1) and man(7) as mandoc -Tlint checks it: text lines of at
// most 80 bytes, no paragraph macro right after a section heading, every special escaped.
#include "lib/cli/man_page.hpp"

#include "lib/cli/command.hpp"
#include "lib/cli/invocation.hpp"
#include "lib/cli/man_page_text.hpp"
#include "lib/core/error.hpp"
#include "lib/core/text.hpp"
#include "version_info.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

namespace nova::cli {
namespace {

constexpr std::string_view program_words = "kubectl nova-rollouts";
constexpr std::string_view page_prefix = "kubectl-nova-rollouts";
constexpr std::size_t max_line = 80;
// CLI11's name for the options of a command that were given no group.
constexpr std::string_view default_group = "Options";

bool is_placeholder_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '=' || c == ',' ||
           c == '.' || c == ':' || c == '-';
}

// The code point of the UTF-8 sequence at text[i], advancing i; U+FFFD for a broken sequence.
char32_t decode_utf8(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    char32_t code = length == 4 ? lead & 0x07U : length == 3 ? lead & 0x0FU : lead & 0x1FU;
    if (length == 0 || i + length > text.size()) {
        ++i;
        return 0xFFFD;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0U) != 0x80U) {
            ++i;
            return 0xFFFD;
        }
        code = (code << 6U) | (next & 0x3FU);
    }
    i += length;
    return code;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// "Get details about x" reads "get details about x" after the page name; "AnalysisRun" stays.
std::string lower_first(std::string text) {
    if (text.size() > 1 && std::islower(static_cast<unsigned char>(text[1])) != 0) {
        text.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
    }
    return text;
}

std::string sentence(std::string text) {
    if (!text.empty() && text.back() != '.') {
        text += '.';
    }
    return text;
}

std::vector<std::string_view> paragraphs(std::string_view text) {
    std::vector<std::string_view> result;
    while (!text.empty()) {
        const auto end = text.find("\n\n");
        result.push_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 2);
    }
    return result;
}

// Builds a page line by line; knows whether a paragraph macro would follow a heading.
class Roff {
public:
    void macro(std::string_view name, const std::vector<std::string>& arguments = {}) {
        m_text += '.';
        m_text += name;
        for (const auto& argument : arguments) {
            m_text += ' ';
            const bool quote = argument.find(' ') != std::string::npos || argument.empty();
            m_text += quote ? "\"" + argument + "\"" : argument;
        }
        m_text += '\n';
        m_section_start = name == "SH" || name == "SS" || name == "TP";
    }

    void section(std::string_view title) { macro("SH", {roff_escape(title)}); }

    // A new paragraph, unless one starts anyway (right after a heading or a .TP).
    void paragraph() {
        if (!m_section_start) {
            macro("PP");
        }
    }

    // Filled text (already escaped), wrapped at spaces into lines of at most 80 bytes.
    void text(const std::string& escaped) {
        std::string_view rest = escaped;
        while (!rest.empty()) {
            std::size_t cut = rest.size();
            if (rest.size() > max_line) {
                cut = rest.rfind(' ', max_line);
                if (cut == std::string_view::npos || cut == 0) {
                    cut = rest.find(' ');
                }
                if (cut == std::string_view::npos) {
                    cut = rest.size();
                }
            }
            // No space may end a line (mandoc's lint) or start one (roff breaks there).
            std::string_view piece = rest.substr(0, cut);
            while (!piece.empty() && piece.back() == ' ') {
                piece.remove_suffix(1);
            }
            line(piece);
            rest = rest.substr(cut);
            while (!rest.empty() && rest.front() == ' ') {
                rest.remove_prefix(1);
            }
        }
        m_section_start = false;
    }

    // A command line shown as is: longer ones continue on the next line after a backslash, as a
    // shell reads them.
    void code(const std::string& escaped) {
        std::string_view rest = escaped;
        while (rest.size() > max_line) {
            // Room for " \e" at the end of the line.
            std::size_t cut = rest.rfind(' ', max_line - 3);
            if (cut == std::string_view::npos || cut == 0) {
                break;
            }
            line(std::string(rest.substr(0, cut)) + " \\e");
            rest = rest.substr(cut + 1);
            m_continuation = "    ";
        }
        line(rest);
        m_continuation.clear();
        m_section_start = false;
    }

    [[nodiscard]] const std::string& str() const { return m_text; }

private:
    void line(std::string_view content) {
        std::string text = m_continuation + std::string(content);
        if (!text.empty() && (text.front() == '.' || text.front() == '\'')) {
            text.insert(0, "\\&");
        }
        m_text += text;
        m_text += '\n';
    }

    std::string m_text;
    std::string m_continuation;
    bool m_section_start = false;
};

std::string bold(std::string_view text) {
    return "\\fB" + roff_escape(text) + "\\fR";
}

std::string italic(std::string_view text) {
    return "\\fI" + roff_escape(text) + "\\fR";
}

std::string command_words(const std::vector<std::string>& path) {
    std::string words(program_words);
    for (const auto& word : path) {
        words += " " + word;
    }
    return words;
}

std::string path_key(const std::vector<std::string>& path) {
    return core::join(path, " ");
}

// Where a command stands in the tree, for the SEE ALSO and COMMANDS lists.
void collect_runnable(const ManCommand& command, std::vector<const ManCommand*>& out) {
    if (command.runnable) {
        out.push_back(&command);
    }
    for (const auto& sub : command.subcommands) {
        collect_runnable(sub, out);
    }
}

bool has_option(const std::vector<ManOptionGroup>& groups, std::string_view name) {
    for (const auto& group : groups) {
        for (const auto& option : group.options) {
            if (std::find(option.names.begin(), option.names.end(), name) != option.names.end()) {
                return true;
            }
        }
    }
    return false;
}

bool tree_has_option(const ManCommand& command, std::string_view name) {
    if (has_option(command.options, name)) {
        return true;
    }
    return std::any_of(command.subcommands.begin(), command.subcommands.end(),
                       [name](const ManCommand& sub) { return tree_has_option(sub, name); });
}

// "\fIROLLOUT_NAME\fR..." as in the usage line of --help.
std::string positional_usage(const ManPositional& positional) {
    std::string usage = italic(positional.name) + (positional.repeatable ? "..." : "");
    return positional.required ? usage : "[" + usage + "]";
}

// Commands such as `abort NAME...`, whose names are handled one after another.
bool takes_several_names(const ManCommand& command) {
    return std::any_of(command.positionals.begin(), command.positionals.end(),
                       [](const ManPositional& positional) {
                           return positional.repeatable &&
                                  positional.name.find("NAME") != std::string::npos;
                       });
}

// One synopsis line, in filled text: the command words in bold, then what follows them.
std::string synopsis_line(const ManCommand& command, const man_text::CommandProse* text) {
    std::string line = bold(command_words(command.path));
    if (text != nullptr && !text->synopsis.empty()) {
        return line + " " + roff_markup(text->synopsis);
    }
    if (!command.runnable) {
        return line + " " + italic("command") + " [" + italic("options") + "]";
    }
    line += " [" + italic("options") + "]";
    for (const auto& positional : command.positionals) {
        line += " " + positional_usage(positional);
    }
    return line;
}

void synopsis(Roff& roff, const std::vector<std::string>& lines) {
    bool first = true;
    for (const auto& line : lines) {
        if (!first) {
            roff.macro("br");
        }
        roff.text(line);
        first = false;
    }
}

std::string option_heading(const ManOption& option) {
    std::vector<std::string> names;
    names.reserve(option.names.size());
    for (const auto& name : option.names) {
        names.push_back(bold(name));
    }
    std::string heading = core::join(names, ", ");
    if (!option.value.empty()) {
        heading += " " + italic(option.value);
    }
    return heading;
}

void option_list(Roff& roff, const ManOptionGroup& group) {
    for (const auto& option : group.options) {
        roff.macro("TP");
        roff.text(option_heading(option));
        std::string description = roff_markup(sentence(option.description));
        if (!option.default_value.empty()) {
            description += " Default: " + bold(option.default_value) + ".";
        }
        roff.text(description);
    }
}

void option_groups(Roff& roff, const std::vector<ManOptionGroup>& groups) {
    for (const auto& group : groups) {
        if (!group.title.empty() && group.title != default_group) {
            roff.macro("SS", {roff_escape(group.title)});
        }
        option_list(roff, group);
    }
}

void prose_paragraphs(Roff& roff, std::string_view text, bool indented) {
    bool first = true;
    for (const auto& paragraph : paragraphs(text)) {
        if (!first) {
            if (indented) {
                roff.macro("IP");
            } else {
                roff.paragraph();
            }
        }
        // A single newline is a line of its own (the help footers are laid out in lines).
        std::string_view rest = paragraph;
        for (bool first_line = true; !rest.empty(); first_line = false) {
            const auto end = rest.find('\n');
            if (!first_line) {
                roff.macro("br");
            }
            roff.text(roff_markup(rest.substr(0, end)));
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        }
        first = false;
    }
}

void entry_list(Roff& roff, const std::vector<man_text::Entry>& entries, bool file_names) {
    for (const auto& entry : entries) {
        roff.macro("TP");
        roff.text(file_names ? italic(entry.term) : bold(entry.term));
        roff.text(roff_markup(entry.text));
    }
}

class PageWriter {
public:
    explicit PageWriter(const ManMeta& meta) : m_meta(meta) {
        for (const auto& prose : man_text::commands()) {
            m_prose.emplace(std::string(prose.path), &prose);
        }
    }

    void write_all(const ManCommand& command, std::vector<ManPage>& pages) const {
        pages.push_back({man_page_name(command.path) + ".1", page(command)});
        for (const auto& sub : command.subcommands) {
            write_all(sub, pages);
        }
    }

private:
    [[nodiscard]] const man_text::CommandProse* prose(const ManCommand& command) const {
        const auto found = m_prose.find(path_key(command.path));
        return found == m_prose.end() ? nullptr : found->second;
    }

    [[nodiscard]] std::string page(const ManCommand& command) const {
        const bool root = command.path.empty();
        const std::string name = man_page_name(command.path);
        const man_text::CommandProse* text = prose(command);
        Roff roff;
        roff.macro("TH",
                   {roff_escape(upper(name)), "1", m_meta.date,
                    roff_escape(std::string(page_prefix) + " " + m_meta.version), "User Commands"});
        // Names, options and URLs read better unbroken and with a ragged right margin.
        roff.macro("nh");
        roff.macro("ad", {"l"});

        roff.section("NAME");
        const std::string names =
            root ? roff_escape(name) + ", " + roff_escape("kubectl-nova_rollouts")
                 : roff_escape(name);
        roff.text(names + " \\- " + roff_escape(lower_first(command.summary)));

        roff.section("SYNOPSIS");
        synopsis(roff, synopsis_lines(command));

        roff.section("DESCRIPTION");
        description(roff, command, text);

        if (!command.subcommands.empty()) {
            roff.section("COMMANDS");
            commands(roff, command);
        }

        roff.section("OPTIONS");
        if (root) {
            roff.text(roff_markup(man_text::global_flags_intro));
        }
        for (const auto& positional : command.positionals) {
            roff.macro("TP");
            roff.text(italic(positional.name) + (positional.repeatable ? "..." : ""));
            roff.text(roff_markup(sentence(positional.description)));
        }
        option_groups(roff, command.options);
        if (!command.inherited.empty()) {
            roff.section("GLOBAL OPTIONS");
            roff.text(roff_markup(man_text::global_flags_intro));
            option_groups(roff, command.inherited);
        }

        const bool clusters = root ? tree_has_option(command, "--cluster-context")
                                   : has_option(command.options, "--cluster-context");
        const bool colour =
            root ? tree_has_option(command, "--color") : has_option(command.options, "--color");
        if (clusters) {
            roff.section("WORKLOAD CLUSTERS");
            prose_paragraphs(roff, man_text::workload_clusters, false);
        }

        roff.section("EXIT STATUS");
        entry_list(roff, man_text::exit_status(), false);

        roff.section("ENVIRONMENT");
        std::vector<man_text::Entry> variables{man_text::kubeconfig_variable};
        if (clusters) {
            variables.push_back(man_text::cluster_contexts_variable);
        }
        if (colour) {
            variables.push_back(man_text::no_color_variable);
        }
        entry_list(roff, variables, false);

        roff.section("FILES");
        std::vector<man_text::Entry> files{man_text::kubeconfig_file};
        if (clusters) {
            files.push_back(man_text::config_file);
        }
        entry_list(roff, files, true);

        if (text != nullptr && !text->examples.empty()) {
            roff.section("EXAMPLES");
            examples(roff, text->examples);
        }

        roff.section("SEE ALSO");
        see_also(roff, command);
        return roff.str();
    }

    [[nodiscard]] std::vector<std::string> synopsis_lines(const ManCommand& command) const {
        if (command.path.empty()) {
            return {bold(program_words) + " " + italic("command") + " [" + italic("options") + "]",
                    bold(page_prefix) + " " + italic("command") + " [" + italic("options") + "]"};
        }
        std::vector<std::string> lines;
        if (command.runnable) {
            lines.push_back(synopsis_line(command, prose(command)));
        }
        std::vector<const ManCommand*> below;
        for (const auto& sub : command.subcommands) {
            collect_runnable(sub, below);
        }
        for (const ManCommand* sub : below) {
            lines.push_back(synopsis_line(*sub, prose(*sub)));
        }
        return lines;
    }

    void description(Roff& roff, const ManCommand& command,
                     const man_text::CommandProse* text) const {
        if (text != nullptr) {
            prose_paragraphs(roff, text->description, false);
        } else {
            roff.text(roff_markup(sentence(command.summary)));
        }
        if (!command.notes.empty()) {
            roff.paragraph();
            prose_paragraphs(roff, command.notes, false);
        }
        if (has_option(command.options, "--dry-run")) {
            roff.paragraph();
            prose_paragraphs(roff, man_text::changing_commands, false);
            if (takes_several_names(command)) {
                roff.paragraph();
                prose_paragraphs(roff, man_text::several_names, false);
            }
        } else if (command.path.empty() && tree_has_option(command, "--dry-run")) {
            roff.macro("SS", {roff_escape("Commands that change something")});
            prose_paragraphs(roff, man_text::changing_commands, false);
            roff.paragraph();
            prose_paragraphs(roff, man_text::several_names, false);
        }
        if (!command.aliases.empty()) {
            std::vector<std::string> spelled;
            for (const auto& alias : command.aliases) {
                auto path = command.path;
                path.back() = alias;
                spelled.push_back(bold(path_key(path)));
            }
            roff.paragraph();
            roff.text("Also spelled " + core::join(spelled, ", ") + ".");
        }
    }

    // The program's page describes every command in full (it is the one page many people
    // read); a group's page lists its commands with their --help line.
    void commands(Roff& roff, const ManCommand& command) const {
        std::vector<const ManCommand*> listed;
        if (command.path.empty()) {
            for (const auto& sub : command.subcommands) {
                collect_runnable(sub, listed);
            }
        } else {
            for (const auto& sub : command.subcommands) {
                listed.push_back(&sub);
            }
        }
        for (const ManCommand* sub : listed) {
            std::vector<std::string> relative(sub->path.begin() +
                                                  static_cast<std::ptrdiff_t>(command.path.size()),
                                              sub->path.end());
            std::string heading = bold(core::join(relative, " "));
            for (const auto& positional : sub->positionals) {
                heading += " " + positional_usage(positional);
            }
            roff.macro("TP");
            roff.text(heading);
            const man_text::CommandProse* text = prose(*sub);
            if (command.path.empty() && text != nullptr) {
                prose_paragraphs(roff, text->description, true);
            } else {
                roff.text(roff_markup(sentence(sub->summary)));
            }
            roff.text("See " + bold(man_page_name(sub->path)) + "(1).");
        }
    }

    static void examples(Roff& roff, const std::vector<man_text::Example>& examples) {
        bool first = true;
        for (const auto& example : examples) {
            if (!example.what.empty()) {
                if (!first) {
                    roff.paragraph();
                }
                roff.text(roff_markup(example.what));
            }
            roff.macro("RS", {"4"});
            roff.macro("nf");
            roff.code(roff_escape(example.command));
            roff.macro("fi");
            roff.macro("RE");
            first = false;
        }
    }

    void see_also(Roff& roff, const ManCommand& command) const {
        std::vector<std::string> pages;
        if (!command.path.empty()) {
            pages.push_back(man_page_name({command.path.begin(), command.path.end() - 1}));
        }
        for (const auto& sub : command.subcommands) {
            pages.push_back(man_page_name(sub.path));
        }
        pages.emplace_back("kubectl");
        for (std::size_t i = 0; i < pages.size(); ++i) {
            roff.macro("BR", {roff_escape(pages[i]), i + 1 < pages.size() ? "(1)," : "(1)"});
        }
    }

    const ManMeta& m_meta;
    std::map<std::string, const man_text::CommandProse*> m_prose;
};

ManOption describe_option(const CLI::Option& option) {
    ManOption result;
    for (const auto& name : option.get_snames()) {
        result.names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
        result.names.push_back("--" + name);
    }
    if (option.get_type_size() != 0) {
        // "TEXT:{json,yaml}" names the choices; "INT:NONNEGATIVE" is an INT.
        std::string type = option.get_type_name();
        const auto colon = type.find(':');
        if (colon != std::string::npos) {
            const std::string check = type.substr(colon + 1);
            type = !check.empty() && check.front() == '{' ? check : type.substr(0, colon);
        }
        result.value = type;
        result.default_value = option.get_default_str();
    }
    result.description = option.get_description();
    return result;
}

void add_to_group(std::vector<ManOptionGroup>& groups, const std::string& title, ManOption option) {
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&title](const ManOptionGroup& g) { return g.title == title; });
    if (group == groups.end()) {
        groups.push_back({title, {}});
        group = groups.end() - 1;
    }
    group->options.push_back(std::move(option));
}

ManCommand describe_tree(const CLI::App& app, const CommandTable& commands,
                         std::vector<std::string> path, const std::string& root_footer,
                         std::vector<ManOptionGroup> inherited) {
    ManCommand command;
    command.path = std::move(path);
    command.summary = app.get_description();
    command.aliases = app.get_aliases();
    command.runnable = commands.find(&app) != nullptr;
    // CLI11 hands a command its parent's footer; only a footer of its own says something.
    const std::string footer = app.get_footer();
    if (!command.path.empty() && footer != root_footer) {
        command.notes = footer;
        // Notes set with set_help_notes() end with the root's closing line: not a note.
        if (!root_footer.empty() && command.notes.ends_with(root_footer)) {
            command.notes.resize(command.notes.size() - root_footer.size());
            while (!command.notes.empty() && command.notes.back() == '\n') {
                command.notes.pop_back();
            }
        }
    }
    command.inherited = inherited;

    std::vector<ManOptionGroup> passed_down = std::move(inherited);
    for (const CLI::Option* option : app.get_options()) {
        if (option->get_group().empty()) {
            continue; // hidden
        }
        if (option->get_positional() && !option->nonpositional()) {
            ManPositional positional;
            positional.name = option->get_name(true, false);
            positional.description = option->get_description();
            positional.required = option->get_required();
            positional.repeatable = option->get_items_expected_max() > 1;
            command.positionals.push_back(std::move(positional));
            continue;
        }
        ManOption described = describe_option(*option);
        const bool help = option == app.get_help_ptr() || option == app.get_help_all_ptr();
        if (!help) {
            add_to_group(passed_down, option->get_group(), described);
        }
        add_to_group(command.options, option->get_group(), std::move(described));
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_name().empty() || sub->get_group().empty()) {
            continue; // option groups and hidden commands such as __man
        }
        auto sub_path = command.path;
        sub_path.push_back(sub->get_name());
        command.subcommands.push_back(
            describe_tree(*sub, commands, std::move(sub_path), root_footer, passed_down));
    }
    return command;
}

// SOURCE_DATE_EPOCH (reproducible builds) or today, as YYYY-MM-DD in UTC.
std::string default_date(const EnvLookup& env) {
    std::time_t seconds = std::time(nullptr);
    if (const auto epoch = env("SOURCE_DATE_EPOCH"); epoch && !epoch->empty()) {
        try {
            seconds = static_cast<std::time_t>(std::stoll(*epoch));
        } catch (const std::exception&) {
            throw core::Error("SOURCE_DATE_EPOCH is not a number of seconds: " +
                              core::quote(*epoch));
        }
    }
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
    return buffer;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        throw core::Error("cannot write " + core::quote(path.string()));
    }
}

} // namespace

std::string roff_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "\\[u%04X]",
                          static_cast<unsigned>(decode_utf8(text, i)));
            out += buffer;
            continue;
        }
        switch (c) {
        case '\\':
            out += "\\e";
            break;
        case '-':
            out += "\\-";
            break;
        case '"':
            out += "\\(dq";
            break;
        case '`':
            out += "\\(ga";
            break;
        case '\n':
        case '\t':
        case '\r':
            out += ' ';
            break;
        default:
            if (c >= 0x20 && c != 0x7F) {
                out += static_cast<char>(c);
            }
            break;
        }
        ++i;
    }
    if (!out.empty() && (out.front() == '.' || out.front() == '\'')) {
        out.insert(0, "\\&");
    }
    return out;
}

std::string roff_markup(std::string_view text) {
    std::string out;
    std::size_t plain = 0; // start of the text not yet copied
    const auto flush = [&](std::size_t end) {
        out += roff_escape(text.substr(plain, end - plain));
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '`') {
            const auto close = text.find('`', i + 1);
            if (close == std::string_view::npos || close == i + 1) {
                continue;
            }
            flush(i);
            out += bold(text.substr(i + 1, close - i - 1));
            i = close;
            plain = close + 1;
        } else if (text[i] == '<') {
            const auto close = text.find('>', i + 1);
            if (close == std::string_view::npos || close == i + 1 ||
                !std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i + 1),
                             text.begin() + static_cast<std::ptrdiff_t>(close),
                             is_placeholder_char)) {
                continue;
            }
            flush(i);
            out += italic(text.substr(i + 1, close - i - 1));
            i = close;
            plain = close + 1;
        }
    }
    flush(text.size());
    if (!out.empty() && (out.front() == '.' || out.front() == '\'')) {
        out.insert(0, "\\&");
    }
    return out;
}

std::string man_page_name(const std::vector<std::string>& path) {
    std::string name(page_prefix);
    for (const auto& word : path) {
        name += "-" + word;
    }
    return name;
}

std::vector<std::string> prose_without_command(const ManCommand& root) {
    std::set<std::string> known;
    std::vector<const ManCommand*> stack{&root};
    while (!stack.empty()) {
        const ManCommand* command = stack.back();
        stack.pop_back();
        known.insert(path_key(command->path));
        for (const auto& sub : command->subcommands) {
            stack.push_back(&sub);
        }
    }
    std::vector<std::string> unknown;
    for (const auto& prose : man_text::commands()) {
        if (known.count(std::string(prose.path)) == 0) {
            unknown.emplace_back(prose.path);
        }
    }
    return unknown;
}

std::vector<ManPage> render_man_pages(const ManCommand& root, const ManMeta& meta) {
    const PageWriter writer(meta);
    std::vector<ManPage> pages;
    writer.write_all(root, pages);
    return pages;
}

ManCommand describe_command(const CLI::App& app, const CommandTable& commands) {
    return describe_tree(app, commands, {}, app.get_footer(), {});
}

void add_man_command(CLI::App& app, CommandTable& commands, Context& context) {
    struct Options {
        std::string dir;
        std::string date;
    };
    auto options = std::make_shared<Options>();
    CLI::App* command = app.add_subcommand("__man", "Write the man pages into a directory");
    command->group(""); // hidden: for scripts/generate-man and the tests
    command->add_option("DIR", options->dir, "The directory (created if missing)")->required();
    command->add_option("--date", options->date,
                        "The date of the pages, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, or "
                        "today)");
    commands.add(command, [&app, &commands, &context, options]() {
        static const std::regex date_format(R"(\d{4}-\d{2}-\d{2})");
        std::string date = options->date;
        if (date.empty()) {
            date = default_date(process_env());
        } else if (!std::regex_match(date, date_format)) {
            throw core::usage_error("--date wants YYYY-MM-DD, not " + core::quote(date));
        }
        const ManCommand root = describe_command(app, commands);
        if (const auto unknown = prose_without_command(root); !unknown.empty()) {
            throw core::Error("lib/cli/man_page_text.cpp describes " +
                              core::quote(unknown.front()) + ", which is not a command");
        }
        const auto pages = render_man_pages(root, {date, NOVA_VERSION});
        const std::filesystem::path dir(options->dir);
        std::error_code error;
        std::filesystem::create_directories(dir, error);
        if (error) {
            throw core::Error("cannot create " + core::quote(options->dir) + ": " +
                              error.message());
        }
        for (const auto& page : pages) {
            write_file(dir / page.file_name, page.text);
            context.out << page.file_name << '\n';
        }
        return core::ExitCode::success;
    });
}

} // namespace nova::cli
