#include "lib/core/names.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace nova::core {
namespace {

TEST_CASE("DNS-1123 subdomains: the names of rollouts and the objects they use", "[core][names]") {
    for (const char* name : {"demo", "rollout-demo", "a", "0", "web.v2", "a-b.c-d.e", "9lives"}) {
        INFO(name);
        CHECK_FALSE(subdomain_problem(name));
    }
    CHECK_FALSE(subdomain_problem(std::string(253, 'a')));
    CHECK(subdomain_problem(std::string(254, 'a')) == "must be no more than 253 characters");
}

TEST_CASE("names that would change the URL they are pasted into are refused", "[core][names]") {
    CHECK(subdomain_problem("") == "must not be empty");
    CHECK(subdomain_problem(".") == "may not be '.'");
    CHECK(subdomain_problem("..") == "may not be '..'");
    CHECK(subdomain_problem("demo/status") == "may not contain '/'");
    CHECK(subdomain_problem("demo%2Fstatus") == "may not contain '%'");
    const std::string charset = "must consist of lower case alphanumeric characters, '-' or '.', "
                                "and must start and end with an alphanumeric character";
    for (const char* name : {"demo?dryRun=All", "demo#x", "Demo", "-demo", "demo-", "demo.",
                             ".demo", "a..b", "a.-b", "de mo", "demo\n", "démo", "a_b"}) {
        INFO(name);
        CHECK(subdomain_problem(name) == charset);
    }
}

TEST_CASE("DNS-1123 labels: namespaces", "[core][names]") {
    for (const char* name : {"default", "team-a", "a", "kube-system", "0x"}) {
        INFO(name);
        CHECK_FALSE(label_problem(name));
    }
    CHECK_FALSE(label_problem(std::string(63, 'n')));
    CHECK(label_problem(std::string(64, 'n')) == "must be no more than 63 characters");
    CHECK(label_problem("") == "must not be empty");
    CHECK(label_problem("..") == "may not be '..'");
    CHECK(label_problem("a/b") == "may not contain '/'");
    const std::string charset = "must consist of lower case alphanumeric characters or '-', and "
                                "must start and end with an alphanumeric character";
    for (const char* name : {"team.a", "Team", "-a", "a-", "a?b"}) {
        INFO(name);
        CHECK(label_problem(name) == charset);
    }
}

TEST_CASE("the message names what the name was for, quoted on one line", "[core][names]") {
    CHECK(invalid_name_message("rollout name", "demo/status", "may not contain '/'") ==
          "invalid rollout name \"demo/status\": may not contain '/'");
    CHECK(invalid_name_message("namespace", "a\nb", "x") == "invalid namespace \"a\\nb\": x");
}

} // namespace
} // namespace nova::core

TEST_CASE("generateName: a subdomain prefix, its trailing dash allowed", "[core][names]") {
    using nova::core::generate_name_problem;
    CHECK_FALSE(generate_name_problem("web-"));
    CHECK_FALSE(generate_name_problem("web"));
    CHECK_FALSE(generate_name_problem("web.v2-"));
    CHECK(generate_name_problem("") == "must not be empty");
    CHECK(generate_name_problem("Web-").value_or("").starts_with("must consist of lower case"));
    CHECK(generate_name_problem("web--x/").value_or("") == "may not contain '/'");
    CHECK(generate_name_problem("web.-").value_or("").starts_with("must consist of"));
    CHECK(generate_name_problem("."));
    CHECK_FALSE(generate_name_problem(std::string(247, 'a') + "-"));
}

TEST_CASE("generateName: the API server's rule at its edges", "[core][names]") {
    using nova::core::generate_name_problem;
    // Up to 253 characters: the server cuts the prefix to 58 for the name it generates.
    CHECK_FALSE(generate_name_problem(std::string(249, 'a')));
    CHECK_FALSE(generate_name_problem(std::string(253, 'a')));
    CHECK(generate_name_problem(std::string(254, 'a')) == "must be no more than 253 characters");
    // A trailing dash is masked with the character before it: 254 characters still pass.
    CHECK_FALSE(generate_name_problem(std::string(253, 'a') + "-"));
    CHECK(generate_name_problem(std::string(254, 'a') + "-") ==
          "must be no more than 253 characters");
    // The prefix itself must be a subdomain: a trailing '.' is refused.
    CHECK(generate_name_problem("abc.").value_or("").starts_with("must consist of"));
    CHECK(generate_name_problem("."));
    // "a.-" masks to "aa", but the generated name "a.-xxxxx" has a label starting with '-'.
    CHECK(generate_name_problem("a.-").value_or("").starts_with("must consist of"));
    CHECK_FALSE(generate_name_problem("a.b-"));
    CHECK_FALSE(generate_name_problem("a-"));
    // The cut at 58 characters can end in '.' or '-': the generated name is still valid.
    CHECK_FALSE(generate_name_problem(std::string(57, 'a') + ".bbb"));
    CHECK_FALSE(generate_name_problem(std::string(57, 'a') + "-bbb"));
    CHECK(generate_name_problem("abc%").value_or("") == "may not contain '%'");
}
