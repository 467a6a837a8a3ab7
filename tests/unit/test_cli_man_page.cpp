#include "lib/cli/command.hpp"
#include "lib/cli/man_page.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>

namespace nova::cli {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const ManPage& page_named(const std::vector<ManPage>& pages, const std::string& name) {
    for (const auto& page : pages) {
        if (page.file_name == name) {
            return page;
        }
    }
    FAIL("no page " << name);
    throw std::logic_error("unreachable");
}

// A small command tree with the shapes the real one has: a group, a runnable command with
// positionals, options in groups, a footer, aliases and a hidden command.
struct SampleCli {
    CLI::App app{"Drive things", "kubectl-nova-rollouts"};
    CommandTable commands;
    std::string name;
    std::vector<std::string> names;
    std::string context;
    std::string color = "auto";
    bool watch = false;

    SampleCli() {
        app.footer("Use --help.");
        app.add_option("--context", context, "Use this kubeconfig context")->group("Kube flags");
        CLI::App* get = app.add_subcommand("get", "Get details about rollouts");
        CLI::App* rollout = get->add_subcommand("rollout", "Get details about a rollout");
        rollout->alias("ro");
        rollout->add_option("ROLLOUT_NAME", name, "The rollout")->required();
        rollout->add_flag("-w,--watch", watch, "Watch live updates");
        rollout->add_option("--color", color, "Colourize: auto, always or never")
            ->check(CLI::IsMember({"auto", "always", "never"}))
            ->default_str("auto");
        rollout->add_option("--cluster-context", names, "A workload cluster's context")
            ->type_name("NAME=CONTEXT");
        rollout->footer("Exit codes: 0 shown; 5 incomplete.");
        CLI::App* pause = app.add_subcommand("pause", "Pause a rollout");
        pause->add_option("ROLLOUT_NAME", names, "Rollouts to pause")->required();
        pause->add_flag("--dry-run", watch, "Send nothing");
        CLI::App* hidden = app.add_subcommand("__secret", "Not for people");
        hidden->group("");
        commands.add(rollout, [] { return core::ExitCode::success; });
        commands.add(pause, [] { return core::ExitCode::success; });
        commands.add(hidden, [] { return core::ExitCode::success; });
    }
};

TEST_CASE("roff_escape escapes what roff would interpret", "[cli][man_page]") {
    CHECK(roff_escape("plain text") == "plain text");
    CHECK(roff_escape("--watch") == "\\-\\-watch");
    CHECK(roff_escape("C:\\path") == "C:\\epath");
    CHECK(roff_escape(".SH not a macro") == "\\&.SH not a macro");
    CHECK(roff_escape("'quoted") == "\\&'quoted");
    CHECK(roff_escape("a \"b\"") == "a \\(dqb\\(dq");
    CHECK(roff_escape("two\nlines\tand tab") == "two lines and tab");
    CHECK(roff_escape("arrow \xE2\x86\x92 and \xC3\xA9") == "arrow \\[u2192] and \\[u00E9]");
    CHECK(roff_escape("broken \xE2\x86") == "broken \\[uFFFD]\\[uFFFD]");
    CHECK(roff_escape(std::string("bell\a")) == "bell");
}

TEST_CASE("roff_markup sets code in bold and placeholders in italics", "[cli][man_page]") {
    CHECK(roff_markup("run `get -w` now") == "run \\fBget \\-w\\fR now");
    CHECK(roff_markup("as <NAME=CONTEXT> pairs") == "as \\fINAME=CONTEXT\\fR pairs");
    CHECK(roff_markup("a < b and c > d") == "a < b and c > d");
    CHECK(roff_markup("an odd ` backtick") == "an odd \\(ga backtick");
    CHECK(roff_markup("`.hidden` first") == "\\fB\\&.hidden\\fR first");
    CHECK(roff_markup(".dot first") == "\\&.dot first");
}

TEST_CASE("page names follow kubectl's: the command path joined by dashes", "[cli][man_page]") {
    CHECK(man_page_name({}) == "kubectl-nova-rollouts");
    CHECK(man_page_name({"get", "rollout"}) == "kubectl-nova-rollouts-get-rollout");
    CHECK(man_page_name({"set", "image"}) == "kubectl-nova-rollouts-set-image");
}

TEST_CASE("describe_command reads the CLI11 tree as --help shows it", "[cli][man_page]") {
    SampleCli cli;
    const ManCommand root = describe_command(cli.app, cli.commands);
    CHECK(root.path.empty());
    CHECK_FALSE(root.runnable);
    REQUIRE(root.subcommands.size() == 2); // the hidden command is left out
    const ManCommand& get = root.subcommands[0];
    CHECK(get.path == std::vector<std::string>{"get"});
    CHECK_FALSE(get.runnable);
    CHECK(get.notes.empty()); // the footer CLI11 copied from the root
    REQUIRE(get.subcommands.size() == 1);
    const ManCommand& rollout = get.subcommands[0];
    CHECK(rollout.runnable);
    CHECK(rollout.aliases == std::vector<std::string>{"ro"});
    CHECK(rollout.notes == "Exit codes: 0 shown; 5 incomplete.");
    REQUIRE(rollout.positionals.size() == 1);
    CHECK(rollout.positionals[0].name == "ROLLOUT_NAME");
    CHECK(rollout.positionals[0].required);
    CHECK_FALSE(rollout.positionals[0].repeatable);
    REQUIRE(rollout.options.size() == 1);
    const auto& options = rollout.options[0].options;
    REQUIRE(options.size() == 4);
    CHECK(options[0].names == std::vector<std::string>{"-h", "--help"});
    CHECK(options[1].names == std::vector<std::string>{"-w", "--watch"});
    CHECK(options[1].value.empty());
    CHECK(options[2].value == "{auto,always,never}");
    CHECK(options[2].default_value == "auto");
    CHECK(options[3].value == "NAME=CONTEXT");
    // The root's flags are inherited, without its --help.
    REQUIRE(rollout.inherited.size() == 1);
    CHECK(rollout.inherited[0].title == "Kube flags");
    REQUIRE(rollout.inherited[0].options.size() == 1);
    CHECK(rollout.inherited[0].options[0].names == std::vector<std::string>{"--context"});
    CHECK(root.subcommands[1].positionals.at(0).repeatable);
}

TEST_CASE("render_man_pages writes one page per command and group", "[cli][man_page]") {
    SampleCli cli;
    const auto pages =
        render_man_pages(describe_command(cli.app, cli.commands), {"2026-11-26", "1.2.3"});
    std::vector<std::string> names;
    for (const auto& page : pages) {
        names.push_back(page.file_name);
    }
    CHECK(names == std::vector<std::string>{
                       "kubectl-nova-rollouts.1", "kubectl-nova-rollouts-get.1",
                       "kubectl-nova-rollouts-get-rollout.1", "kubectl-nova-rollouts-pause.1"});

    const std::string& rollout = page_named(pages, "kubectl-nova-rollouts-get-rollout.1").text;
    CHECK(rollout.rfind(".TH KUBECTL\\-NOVA\\-ROLLOUTS\\-GET\\-ROLLOUT 1 2026-11-26 "
                        "\"kubectl\\-nova\\-rollouts 1.2.3\" \"User Commands\"\n",
                        0) == 0);
    CHECK(contains(rollout, ".SH NAME\nkubectl\\-nova\\-rollouts\\-get\\-rollout \\- get details "
                            "about a rollout\n"));
    CHECK(contains(rollout, ".SH SYNOPSIS\n\\fBkubectl nova\\-rollouts get rollout\\fR "
                            "[\\fIoptions\\fR] \\fIROLLOUT_NAME\\fR\n"));
    CHECK(contains(rollout, "Exit codes: 0 shown; 5 incomplete."));
    CHECK(contains(rollout, "Also spelled \\fBget ro\\fR."));
    CHECK(contains(rollout, ".TP\n\\fB\\-w\\fR, \\fB\\-\\-watch\\fR\nWatch live updates.\n"));
    CHECK(contains(rollout, ".TP\n\\fB\\-\\-color\\fR \\fI{auto,always,never}\\fR\n"
                            "Colourize: auto, always or never. Default: \\fBauto\\fR.\n"));
    CHECK(contains(rollout, ".SH \"GLOBAL OPTIONS\""));
    CHECK(contains(rollout, ".SS \"Kube flags\"\n.TP\n\\fB\\-\\-context\\fR \\fITEXT\\fR\n"));
    // Sections that depend on the options the command has.
    CHECK(contains(rollout, ".SH \"WORKLOAD CLUSTERS\""));
    CHECK(contains(rollout, "\\fBNOVA_ROLLOUTS_CLUSTER_CONTEXTS\\fR\n"));
    CHECK(contains(rollout, "\\fBNO_COLOR\\fR\n"));
    CHECK(contains(rollout, ".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nSuccess.\n"));
    CHECK(contains(rollout, ".SH \"SEE ALSO\"\n.BR kubectl\\-nova\\-rollouts\\-get (1),\n"
                            ".BR kubectl (1)\n"));

    const std::string& pause = page_named(pages, "kubectl-nova-rollouts-pause.1").text;
    CHECK(contains(pause, "\\fIROLLOUT_NAME\\fR...\n"));
    CHECK(contains(pause, "\\fB\\-\\-dry\\-run\\fR prints each request")); // changing commands
    CHECK_FALSE(contains(pause, "WORKLOAD CLUSTERS"));
    CHECK_FALSE(contains(pause, "NO_COLOR"));
    CHECK(contains(pause, "\\fBKUBECONFIG\\fR\n"));

    const std::string& group = page_named(pages, "kubectl-nova-rollouts-get.1").text;
    CHECK(contains(group, ".SH COMMANDS\n.TP\n\\fBrollout\\fR \\fIROLLOUT_NAME\\fR\n"));
    CHECK(contains(group, "See \\fBkubectl\\-nova\\-rollouts\\-get\\-rollout\\fR(1)."));

    const std::string& root = page_named(pages, "kubectl-nova-rollouts.1").text;
    CHECK(contains(root, "kubectl\\-nova\\-rollouts, kubectl\\-nova_rollouts \\- drive things\n"));
    CHECK(contains(root, ".SH COMMANDS\n.TP\n\\fBget rollout\\fR \\fIROLLOUT_NAME\\fR\n"));
    CHECK(contains(root, ".SS \"Commands that change something\"\n\\fB\\-\\-dry\\-run\\fR"));
    CHECK(contains(root, "\\fBNO_COLOR\\fR\n")); // some command has --color
    CHECK(contains(root, ".SH EXAMPLES\n"));
    CHECK_FALSE(contains(root, "__secret"));
    CHECK_FALSE(contains(root, "Use \\-\\-help.")); // the footer of --help, not of the page
}

TEST_CASE("every line of a page is roff that mandoc accepts without style warnings",
          "[cli][man_page]") {
    SampleCli cli;
    for (const auto& page :
         render_man_pages(describe_command(cli.app, cli.commands), {"2026-11-26", "1.2.3"})) {
        std::istringstream lines(page.text);
        std::string previous;
        bool no_fill = false; // in .nf, a leading space indents a continued command line
        for (std::string line; std::getline(lines, line); previous = line) {
            INFO(page.file_name << ": " << line);
            REQUIRE_FALSE(line.empty()); // a blank line is a paragraph break in disguise
            no_fill = line == ".nf" || (no_fill && line != ".fi");
            if (line.front() != '.') {
                CHECK(line.size() <= 80);
                CHECK((no_fill || line.front() != ' '));
                CHECK(line.front() != '\'');
            }
            CHECK(line.back() != ' ');
            // A paragraph macro right after a heading is one mandoc skips.
            if (line == ".PP") {
                CHECK(previous.rfind(".SH", 0) != 0);
                CHECK(previous.rfind(".SS", 0) != 0);
            }
        }
    }
}

TEST_CASE("prose for a command that does not exist is found", "[cli][man_page]") {
    SampleCli cli;
    const auto unknown = prose_without_command(describe_command(cli.app, cli.commands));
    CHECK(std::find(unknown.begin(), unknown.end(), "set image") != unknown.end());
    CHECK(std::find(unknown.begin(), unknown.end(), "get rollout") == unknown.end());
    CHECK(std::find(unknown.begin(), unknown.end(), "") == unknown.end());
}

} // namespace
} // namespace nova::cli
