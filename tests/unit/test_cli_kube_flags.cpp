// kubectl's global flags, before and after the subcommand (reference §1.4, §4.1).

#include "lib/cli/kube_flags.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using nova::kube::Overrides;

namespace {

// Parses `args` with a root app that has "get rollout NAME" and the kube flags.
Overrides parse(std::vector<std::string> args, bool flags_first = true) {
    CLI::App app("test", "kubectl-nova-rollouts");
    Overrides overrides;
    std::string name;
    if (flags_first) {
        nova::cli::add_kube_flags(app, overrides);
    }
    auto* get = app.add_subcommand("get");
    get->add_subcommand("rollout")->add_option("name", name);
    if (!flags_first) {
        nova::cli::add_kube_flags(app, overrides); // subcommands added before are switched over
    }
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    CHECK(name == "demo");
    return overrides;
}

} // namespace

TEST_CASE("kube flags are accepted before and after the subcommand", "[kube]") {
    for (const bool flags_first : {true, false}) {
        INFO("flags registered first: " << flags_first);
        const Overrides before =
            parse({"-n", "ns1", "--context", "c", "get", "rollout", "demo"}, flags_first);
        CHECK(before.namespace_name == "ns1");
        CHECK(before.context == "c");
        const Overrides after = parse(
            {"get", "rollout", "demo", "-n", "ns2", "--kubeconfig", "/k", "-v", "6"}, flags_first);
        CHECK(after.namespace_name == "ns2");
        CHECK(after.kubeconfig == "/k");
        CHECK(after.verbosity == 6);
        const Overrides middle = parse({"get", "--user", "u", "rollout", "demo"}, flags_first);
        CHECK(middle.user == "u");
    }
}

TEST_CASE("kube flags take pflag's value spellings", "[kube]") {
    CHECK(parse({"get", "rollout", "demo", "-n=ns"}).namespace_name == "ns");
    CHECK(parse({"get", "rollout", "demo", "-nns"}).namespace_name == "ns");
    CHECK(parse({"get", "rollout", "demo", "--namespace=ns"}).namespace_name == "ns");
    CHECK(parse({"get", "rollout", "demo", "-v=8"}).verbosity == 8);
    CHECK(parse({"get", "rollout", "demo", "--v=7"}).verbosity == 7);
    CHECK(parse({"get", "rollout", "demo", "-s=https://x"}).server == "https://x");
    CHECK(parse({"get", "rollout", "demo", "--insecure-skip-tls-verify"}).insecure_skip_tls_verify);
    CHECK_FALSE(parse({"get", "rollout", "demo", "--insecure-skip-tls-verify=false"})
                    .insecure_skip_tls_verify);
    CHECK(parse({"--disable-compression", "get", "rollout", "demo"}).disable_compression);
}

TEST_CASE("every kube flag lands in Overrides", "[kube]") {
    const Overrides o = parse({"get",       "rollout",
                               "demo",      "--cluster",
                               "cl",        "--user",
                               "us",        "--server",
                               "https://s", "--token",
                               "t",         "--certificate-authority",
                               "ca",        "--client-certificate",
                               "cc",        "--client-key",
                               "ck",        "--tls-server-name",
                               "tn",        "--as",
                               "a",         "--as-group",
                               "g1",        "--as-group",
                               "g2",        "--as-uid",
                               "7",         "--username",
                               "un",        "--password",
                               "pw",        "--request-timeout",
                               "5s"});
    CHECK(o.cluster == "cl");
    CHECK(o.user == "us");
    CHECK(o.server == "https://s");
    CHECK(o.token == "t");
    CHECK(o.certificate_authority == "ca");
    CHECK(o.client_certificate == "cc");
    CHECK(o.client_key == "ck");
    CHECK(o.tls_server_name == "tn");
    CHECK(o.as == "a");
    CHECK(o.as_groups == std::vector<std::string>{"g1", "g2"});
    CHECK(o.as_uid == "7");
    CHECK(o.username == "un");
    CHECK(o.password == "pw");
    CHECK(o.request_timeout == "5s");
    CHECK(parse({"get", "rollout", "demo"}).request_timeout == "0");
}

TEST_CASE("flag --as-group takes one value per occurrence", "[kube]") {
    const Overrides o = parse({"get", "rollout", "--as-group", "g", "demo"});
    CHECK(o.as_groups == std::vector<std::string>{"g"});
}
