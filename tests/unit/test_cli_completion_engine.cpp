// The pure half of shell completion: the command tree read from the real CLI11 app, the plan of
// what to complete for the words typed, and the reply in cobra's __complete format.

#include "lib/cli/command.hpp"
#include "lib/cli/completion.hpp"
#include "lib/cli/completion_engine.hpp"
#include "lib/cli/kube_flags.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace nova::cli;
using completion::Candidate;
using completion::Command;
using completion::Plan;
using completion::ValueKind;

namespace {

// The app as lib/cli/app.cpp builds it, commands and global flags alike.
struct RealApp {
    std::ostringstream out;
    std::ostringstream err;
    Context context{"kubectl-nova-rollouts", out, err, {}};
    CLI::App app{"test", "kubectl-nova-rollouts"};
    CommandTable commands;
    Command tree;

    RealApp() {
        add_commands(app, commands, context);
        tree = completion::command_tree(app);
    }
};

const Command& real_tree() {
    static const RealApp real;
    return real.tree;
}

Plan plan_of(const std::vector<std::string>& words) {
    return completion::plan(real_tree(), words);
}

std::vector<std::string> values(const Plan& plan) {
    std::vector<std::string> list;
    for (const Candidate& candidate : plan.candidates) {
        list.push_back(candidate.value);
    }
    std::sort(list.begin(), list.end());
    return list;
}

bool offers(const Plan& plan, const std::string& value) {
    const auto list = values(plan);
    return std::find(list.begin(), list.end(), value) != list.end();
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("completion offers the root's commands, with their help as description", "[cli]") {
    const Plan plan = plan_of({""});
    CHECK(offers(plan, "promote"));
    CHECK(offers(plan, "get"));
    CHECK(offers(plan, "completion"));
    CHECK(plan.directive == completion::directive_no_file);
    CHECK(plan.dynamic == ValueKind::none);
    for (const Candidate& candidate : plan.candidates) {
        CHECK(candidate.value.rfind("__", 0) != 0); // the hidden __complete is no command
        if (candidate.value == "promote") {
            CHECK(candidate.description == "Promote a rollout");
        }
    }
    CHECK(values(plan_of({"pro"})) == Strings{"promote"});
    CHECK(values(plan_of({"re"})) == Strings{"restart", "resume", "retry"});
    CHECK(values(plan_of({"nothing-like-it"})).empty());
}

TEST_CASE("completion walks subcommands by name and alias", "[cli]") {
    CHECK(values(plan_of({"get", ""})) == Strings{"experiment", "rollout"});
    CHECK(values(plan_of({"terminate", "a"})) == Strings{"analysisrun"});
    // An alias is offered only when no name fits.
    CHECK(values(plan_of({"get", "rollouts"})) == Strings{"rollouts"});
    CHECK(values(plan_of({"get", "ro"})) == Strings{"rollout"});
    CHECK(plan_of({"get", "ro", ""}).dynamic == ValueKind::rollouts);
    CHECK(plan_of({"get", "rollouts", "de"}).dynamic == ValueKind::rollouts);
    CHECK(plan_of({"get", "rollouts", "de"}).match == "de");
    CHECK(plan_of({"get", "exp", ""}).dynamic == ValueKind::experiments);
    CHECK(plan_of({"retry", "experiment", ""}).dynamic == ValueKind::experiments);
    CHECK(plan_of({"terminate", "ar", ""}).dynamic == ValueKind::analysis_runs);
    CHECK(plan_of({"terminate", "exp", ""}).dynamic == ValueKind::experiments);
    CHECK(plan_of({"list", "ro", "--name", ""}).dynamic == ValueKind::rollouts);
    CHECK(plan_of({"create", "ar", "--from", ""}).dynamic == ValueKind::analysis_templates);
    CHECK(values(plan_of({"completion", ""})) == Strings{"bash", "fish", "kubectl-shim", "zsh"});
}

TEST_CASE("completion offers a rollout's name to every command that takes one", "[cli]") {
    for (const Strings& words :
         {Strings{"promote", ""}, Strings{"abort", ""}, Strings{"pause", ""}, Strings{"resume", ""},
          Strings{"restart", ""}, Strings{"status", ""}, Strings{"undo", ""},
          Strings{"retry", "rollout", ""}, Strings{"set", "image", ""},
          Strings{"get", "rollout", ""}, Strings{"verify-spread", ""}}) {
        INFO(words.front());
        const Plan plan = plan_of(words);
        CHECK(plan.dynamic == ValueKind::rollouts);
        CHECK(plan.directive == completion::directive_no_file);
    }
    // Commands that take one name take no second.
    CHECK(plan_of({"promote", "demo", ""}).dynamic == ValueKind::none);
    CHECK(plan_of({"promote", "demo", ""}).candidates.empty());
    // Those that take several do not offer a name twice.
    const Plan abort = plan_of({"abort", "a", "b", ""});
    CHECK(abort.dynamic == ValueKind::rollouts);
    CHECK(abort.exclude == Strings{"a", "b"});
    // Nothing to complete: no file names either.
    CHECK(plan_of({"version", ""}).candidates.empty());
    CHECK(plan_of({"version", ""}).directive == completion::directive_no_file);
}

TEST_CASE("every argument of the real commands has a known completion", "[cli]") {
    const std::function<void(const Command&, const std::string&)> check =
        [&](const Command& command, const std::string& path) {
            for (const completion::Positional& positional : command.positionals) {
                INFO(path << " " << positional.name);
                CHECK(positional.kind != ValueKind::none);
            }
            for (const Command& sub : command.subcommands) {
                check(sub, path + " " + sub.name);
            }
        };
    check(real_tree(), "kubectl-nova-rollouts");
}

TEST_CASE("completion of set image offers containers, then their current image", "[cli]") {
    const Plan names = plan_of({"set", "image", "demo", ""});
    CHECK(names.dynamic == ValueKind::containers);
    CHECK(names.rollout == "demo");
    CHECK(names.append == "=");
    CHECK((names.directive & completion::directive_no_space) != 0);
    const Plan image = plan_of({"set", "image", "demo", "app=argo"});
    CHECK(image.dynamic == ValueKind::container_images);
    CHECK(image.container == "app");
    CHECK(image.insert == "app=");
    CHECK(image.match == "argo");
    const Plan second = plan_of({"set", "image", "-n", "ns", "demo", "app=x:1", ""});
    CHECK(second.dynamic == ValueKind::containers);
    CHECK(second.rollout == "demo");
    CHECK(second.exclude == Strings{"app"});
}

TEST_CASE("completion offers flags of the command and its parents, hidden ones left out", "[cli]") {
    const Plan plan = plan_of({"promote", "-"});
    CHECK(offers(plan, "--full"));
    CHECK(offers(plan, "-n"));
    CHECK(offers(plan, "--namespace"));
    CHECK(offers(plan, "--context"));
    CHECK(offers(plan, "--help"));
    CHECK(!offers(plan, "--skip-current-step"));
    CHECK(!offers(plan, "-c"));
    CHECK(values(plan_of({"promote", "--fu"})) == Strings{"--full"});
    for (const Candidate& candidate : plan_of({"promote", "--fu"}).candidates) {
        CHECK(candidate.description ==
              "Perform a full promotion, skipping analysis, pauses, and steps");
    }
    // Given once, not offered again; repeatable ones are.
    CHECK(values(plan_of({"promote", "--full", "--fu"})).empty());
    CHECK(values(plan_of({"create", "-f", "a.yaml", "--filen"})) == Strings{"--filename"});
    CHECK(values(plan_of({"status", "--namespace", "x", "--namesp"})).empty());
    // After --, words are arguments.
    const Plan after = plan_of({"promote", "--", "-"});
    CHECK(after.candidates.empty());
    CHECK(after.dynamic == ValueKind::rollouts);
    // With --help the command only prints help.
    const Plan help = plan_of({"promote", "--help", ""});
    CHECK(help.candidates.empty());
    CHECK(help.dynamic == ValueKind::none);
    CHECK(plan_of({"promote", "-h", "-"}).candidates.empty());
}

TEST_CASE("completion of flag values", "[cli]") {
    CHECK(plan_of({"promote", "-n", ""}).dynamic == ValueKind::namespaces);
    CHECK(plan_of({"-n", ""}).dynamic == ValueKind::namespaces);
    const Plan equals = plan_of({"promote", "--namespace=de"});
    CHECK(equals.dynamic == ValueKind::namespaces);
    CHECK(equals.match == "de");
    CHECK(equals.insert.empty()); // the bare value: the scripts put "--namespace=" back
    CHECK(plan_of({"get", "rollout", "--context", ""}).dynamic == ValueKind::contexts);
    CHECK(plan_of({"--cluster", ""}).dynamic == ValueKind::kube_clusters);
    CHECK(plan_of({"--user", ""}).dynamic == ValueKind::kube_users);
    CHECK(values(plan_of({"status", "x", "-o", ""})) == Strings{"json", "yaml"});
    CHECK(values(plan_of({"get", "rollout", "x", "--color=al"})) == Strings{"always"});
    CHECK(values(plan_of({"version", "-o", ""})) == Strings{"json"});
    // Free text: nothing, and no file names.
    for (const Strings& words :
         {Strings{"status", "x", "--timeout", ""}, Strings{"clusters", "--probe-timeout", ""},
          Strings{"clusters", "--probe-timeout=1"}}) {
        INFO(words.at(words.size() - 2));
        const Plan free_text = plan_of(words);
        CHECK(free_text.candidates.empty());
        CHECK(free_text.dynamic == ValueKind::none);
        CHECK(free_text.directive == completion::directive_no_file);
    }
    CHECK(offers(plan_of({"clusters", "--"}), "--probe-timeout"));
    // Files: the shell's own completion, manifests by extension.
    CHECK(plan_of({"--kubeconfig", ""}).directive == completion::directive_default);
    const Plan manifests = plan_of({"create", "-f", ""});
    CHECK(manifests.directive == completion::directive_filter_file_ext);
    CHECK(values(manifests) == Strings{"json", "yaml", "yml"});
}

TEST_CASE("completion of --cluster-context and --workload-contexts", "[cli]") {
    const Plan name = plan_of({"get", "rollout", "demo", "--cluster-context", "w"});
    CHECK(name.dynamic == ValueKind::cluster_contexts);
    CHECK(name.match == "w");
    CHECK(name.append == "=");
    CHECK((name.directive & completion::directive_no_space) != 0);
    const Plan context = plan_of({"get", "rollout", "demo", "--cluster-context", "ws1=c"});
    CHECK(context.dynamic == ValueKind::contexts);
    CHECK(context.insert == "ws1=");
    CHECK(context.match == "c");
    const Plan list = plan_of({"get", "rollout", "demo", "--workload-contexts=a,b,c"});
    CHECK(list.dynamic == ValueKind::contexts);
    CHECK(list.insert == "a,b,");
    CHECK(list.match == "c");
    CHECK(list.exclude == Strings{"a", "b"});
}

TEST_CASE("completion keeps kubectl's flags typed anywhere on the line", "[cli]") {
    const Plan plan = plan_of({"--context", "c1", "promote", "-nns1", "--kubeconfig=/k", "-v", "6",
                               "--insecure-skip-tls-verify", ""});
    CHECK(plan.kube_flags.at("context") == "c1");
    CHECK(plan.kube_flags.at("namespace") == "ns1");
    CHECK(plan.kube_flags.at("kubeconfig") == "/k");
    CHECK(plan.kube_flags.at("insecure-skip-tls-verify") == "true");
    CHECK(plan.dynamic == ValueKind::rollouts);
    CHECK(plan_of({"promote", "-n=ns2", ""}).kube_flags.at("namespace") == "ns2");
    // A boolean's --flag=value as the command reads it: =false keeps TLS verification on.
    const auto skip_tls = [](const std::string& word) {
        return plan_of({word, "promote", ""}).kube_flags.at("insecure-skip-tls-verify");
    };
    CHECK(skip_tls("--insecure-skip-tls-verify") == "true");
    for (const char* yes : {"true", "True", "TRUE", "t", "1"}) {
        INFO(yes);
        CHECK(skip_tls(std::string("--insecure-skip-tls-verify=") + yes) == "true");
    }
    for (const char* no : {"false", "False", "FALSE", "f", "0"}) {
        INFO(no);
        CHECK(skip_tls(std::string("--insecure-skip-tls-verify=") + no) == "false");
    }
    // A value the command would reject turns nothing on.
    CHECK(skip_tls("--insecure-skip-tls-verify=maybe") == "false");
    CHECK(skip_tls("--insecure-skip-tls-verify=") == "false");
    CHECK(plan_of({"--disable-compression=false", "promote", ""})
              .kube_flags.at("disable-compression") == "false");
    // A command's own flags are not kubectl's.
    CHECK(plan_of({"status", "-t", "5m", "x", ""}).kube_flags.count("timeout") == 0);
}

TEST_CASE("completion reply: candidates, then the directive", "[cli]") {
    Plan plan;
    plan.candidates = {{"--full", "Promote fully\nsecond line"}, {"--help", ""}};
    CHECK(completion::reply(plan, {}, true) == "--full\tPromote fully\n--help\n:4\n");
    CHECK(completion::reply(plan, {}, false) == "--full\n--help\n:4\n");

    Plan names;
    names.dynamic = ValueKind::rollouts;
    names.match = "de";
    names.exclude = {"demo-2"};
    const std::vector<Candidate> listed = {{"other", ""},     {"demo-3", ""}, {"demo", ""},
                                           {"demo-2", ""},    {"demo", ""},   {"de mo", ""},
                                           {"de\x1b[31m", ""}};
    CHECK(completion::reply(names, listed, true) == "demo\ndemo-3\n:4\n");

    Plan containers;
    containers.dynamic = ValueKind::containers;
    containers.append = "=";
    containers.directive = completion::directive_no_file | completion::directive_no_space;
    CHECK(completion::reply(containers, {{"app", "image a:1"}, {"sidecar", "image s:2"}}, true) ==
          "app=\timage a:1\nsidecar=\timage s:2\n:6\n");

    Plan contexts;
    contexts.dynamic = ValueKind::contexts;
    contexts.insert = "ws1=";
    CHECK(completion::reply(contexts, {{"nova", ""}, {"ws1", ""}}, false) ==
          "ws1=nova\nws1=ws1\n:4\n");

    CHECK(completion::empty_reply() == ":4\n");
}

TEST_CASE("completion offers only valid Kubernetes names from the API", "[cli]") {
    // A hostile or broken server's names never reach the command line: what the shell would
    // run (`...`, $(...), ;) is not a name of any kind.
    const std::vector<Candidate> hostile = {
        {"demo", ""}, {"b`id`", ""},  {"c;ls", ""},   {"$(touch x)", ""},
        {"Demo", ""}, {"a b", ""},    {"web.v2", ""}, {"-rf", ""},
        {"x|y", ""},  {"../etc", ""}, {"ok-2", ""},   {std::string(254, 'a'), ""},
    };
    const auto offered = [&](ValueKind kind) {
        Plan plan;
        plan.dynamic = kind;
        return completion::reply(plan, hostile, false);
    };
    for (ValueKind kind : {ValueKind::rollouts, ValueKind::experiments, ValueKind::analysis_runs,
                           ValueKind::analysis_templates, ValueKind::cluster_contexts}) {
        CHECK(offered(kind) == "demo\nok-2\nweb.v2\n:4\n");
    }
    // Namespaces and containers are labels: no dots either.
    CHECK(offered(ValueKind::namespaces) == "demo\nok-2\n:4\n");
    CHECK(offered(ValueKind::containers) == "demo\nok-2\n:4\n");
    // An image is offered only as an image reference.
    Plan images;
    images.dynamic = ValueKind::container_images;
    images.insert = "app=";
    CHECK(completion::reply(images,
                            {{"registry:5000/team/app:v1.2@sha256:abc", ""},
                             {"busybox:1.36;reboot", ""},
                             {"$(id)", ""},
                             {"a b", ""}},
                            false) == "app=registry:5000/team/app:v1.2@sha256:abc\n:4\n");
    CHECK(completion::acceptable(ValueKind::rollouts, "demo"));
    CHECK(!completion::acceptable(ValueKind::rollouts, "b`id`"));
    CHECK(!completion::acceptable(ValueKind::namespaces, "a.b"));
}

TEST_CASE("completion offers kubeconfig names as they are, the scripts quote them", "[cli]") {
    Plan contexts;
    contexts.dynamic = ValueKind::contexts;
    CHECK(completion::reply(contexts,
                            {{"b`id`", ""},
                             {"c;ls", ""},
                             {"my context", ""},
                             {"arn:aws:eks:eu-west-1:1:cluster/nova", ""},
                             {"tab\there", ""},
                             {"line\nbreak", ""}},
                            false) ==
          "arn:aws:eks:eu-west-1:1:cluster/nova\nb`id`\nc;ls\nmy context\n:4\n");
}

TEST_CASE("names for kubectl's completion scripts, which do not quote, need no quoting", "[cli]") {
    for (const char* plain : {"demo", "arn:aws:eks:eu-west-1:1:cluster/nova", "ws1=kind-ws1",
                              "user@example.com", "a,b", "nginx:1.25", "x+y%z"}) {
        INFO(plain);
        CHECK(completion::plain_word(plain));
    }
    for (const char* needs_quoting :
         {"", "b`id`", "c;ls", "$(id)", "my context", "a|b", "a&b", "a>b", "~root", "a*", "a?b",
          "{a,b}", "a'b", "a\"b", "a\\b", "!x"}) {
        INFO(needs_quoting);
        CHECK(!completion::plain_word(needs_quoting));
    }
}

TEST_CASE("completion scripts exist for every shell the command accepts", "[cli]") {
    for (const char* shell : {"bash", "zsh", "fish", "kubectl-shim"}) {
        INFO(shell);
        const std::string script = completion_script(shell);
        CHECK(script.find("__complete") != std::string::npos);
        CHECK(script.back() == '\n');
    }
    CHECK(completion_script("tcsh").empty());
}
