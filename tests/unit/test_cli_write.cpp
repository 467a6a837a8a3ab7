// The pure half of lib/cli/write: addressing, what --dry-run prints, what a 403 says.
#include "lib/cli/write.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace nova::cli;
using nova::kube::Method;

TEST_CASE("object references build the API paths", "[cli][write]") {
    const auto rollout = ObjectRef::argo("rollouts", "prod", "demo");
    CHECK(rollout.path() == "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/demo");
    CHECK(rollout.status().path() ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/demo/status");
    CHECK(rollout.group() == "argoproj.io");
    CHECK(rollout.status().rbac_resource() == "rollouts/status");

    CHECK(ObjectRef::apps("deployments", "prod", "web").path() ==
          "/apis/apps/v1/namespaces/prod/deployments/web");
    CHECK(ObjectRef::apps("deployments", "prod", "web").group() == "apps");
    CHECK(ObjectRef::core("podtemplates", "prod", "t").path() ==
          "/api/v1/namespaces/prod/podtemplates/t");
    CHECK(ObjectRef::core("podtemplates", "prod", "t").group().empty());
    // A collection, and a cluster-scoped one.
    CHECK(ObjectRef::argo("analysisruns", "prod", "").path() ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/analysisruns");
    CHECK(ObjectRef::argo("clusteranalysistemplates", "", "").path() ==
          "/apis/argoproj.io/v1alpha1/clusteranalysistemplates");
    // A subresource of a collection makes no path of its own.
    CHECK(ObjectRef::argo("rollouts", "prod", "").status().path() ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts");
}

TEST_CASE("RBAC verbs follow the method and the target", "[cli][write]") {
    const auto one = ObjectRef::argo("rollouts", "prod", "demo");
    const auto all = ObjectRef::argo("rollouts", "prod", "");
    CHECK(rbac_verb(Method::get, one) == "get");
    CHECK(rbac_verb(Method::get, all) == "list");
    CHECK(rbac_verb(Method::post, all) == "create");
    CHECK(rbac_verb(Method::put, one) == "update");
    CHECK(rbac_verb(Method::patch, one) == "patch");
    CHECK(rbac_verb(Method::del, one) == "delete");
}

TEST_CASE("a 403 names the verb, the resource, the namespace and what to ask for", "[cli][write]") {
    const std::string server =
        "rollouts.argoproj.io \"demo\" is forbidden: User \"ci\" cannot patch resource "
        "\"rollouts/status\" in API group \"argoproj.io\" in the namespace \"prod\"";
    CHECK(forbidden_message(Method::patch, ObjectRef::argo("rollouts", "prod", "demo").status(),
                            server) ==
          "forbidden: you may not patch rollouts/status \"demo\" in namespace \"prod\"; ask an "
          "admin for \"patch\" on \"rollouts/status\" in API group \"argoproj.io\" in namespace "
          "\"prod\" (server: " +
              server + ")");
    // Cluster-scoped, a collection, and a server that said nothing useful.
    CHECK(
        forbidden_message(Method::post, ObjectRef::argo("clusteranalysistemplates", "", ""), "") ==
        "forbidden: you may not create clusteranalysistemplates cluster-wide; ask an admin for "
        "\"create\" on \"clusteranalysistemplates\" in API group \"argoproj.io\" cluster-wide");
    CHECK(forbidden_message(Method::get, ObjectRef::apps("replicasets", "prod", ""), "") ==
          "forbidden: you may not list replicasets in namespace \"prod\"; ask an admin for "
          "\"list\" on \"replicasets\" in API group \"apps\" in namespace \"prod\"");
}

TEST_CASE("server text stays on the line of the messages built around it", "[cli][write]") {
    // A Status message may hold line breaks (and escape sequences): never a second line.
    const std::string server = "denied by policy:\n  rule 1\r\n\x1b[31mred";
    const auto one_line = [](const std::string& message) {
        return message.find_first_of("\n\r\x1b") == std::string::npos;
    };
    const std::string forbidden =
        forbidden_message(Method::patch, ObjectRef::argo("rollouts", "prod", "demo"), server);
    CHECK(one_line(forbidden));
    CHECK(forbidden.ends_with("(server: denied by policy:   rule 1  U+001B[31mred)"));
    const std::string discovery =
        discovery_forbidden_message("/apis/argoproj.io/v1alpha1", "rollouts/status", server);
    CHECK(one_line(discovery));
    CHECK(discovery.ends_with("(server: denied by policy:   rule 1  U+001B[31mred)"));
    CHECK(not_created_message("rollout.argoproj.io/demo", "from server (Invalid): " + server,
                              "; nothing was created") ==
          "rollout.argoproj.io/demo not created: from server (Invalid): denied by policy:   rule "
          "1  U+001B[31mred; nothing was created");
    CHECK(not_created_message("rollout.argoproj.io/demo", "refused") ==
          "rollout.argoproj.io/demo not created: refused");
}

TEST_CASE("a server dry run is the write itself, its query kept, with dryRun=All", "[cli][write]") {
    const Write create{Method::post, ObjectRef::argo("rollouts", "prod", ""),
                       std::string(json_type), "{}", "fieldValidation=Strict"};
    const auto request = server_dry_run_request(create, nullptr);
    CHECK(request.method == Method::post);
    CHECK(request.path ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts?fieldValidation=Strict&dryRun=All");
    CHECK(request.body == "{}");
    CHECK(request.content_type == json_type);
    CHECK(write_request(create, nullptr).path ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts?fieldValidation=Strict");
    const Write patch{Method::patch, ObjectRef::argo("rollouts", "prod", "demo").status(),
                      std::string(merge_patch_type), "{}"};
    CHECK(server_dry_run_request(patch, nullptr).path ==
          "/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/demo/status?dryRun=All");
}

TEST_CASE("a dry run prints the request line, its content type and its body", "[cli][write]") {
    const Write abort{Method::patch, ObjectRef::argo("rollouts", "prod", "demo").status(),
                      std::string(merge_patch_type), R"({"status":{"abort":true}})"};
    CHECK(describe_write(abort, "https://10.0.0.1:6443") ==
          "PATCH https://10.0.0.1:6443/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/demo/"
          "status\nContent-Type: application/merge-patch+json\n\n{\"status\":{\"abort\":true}}\n");
    // A body that ends with a newline gets no second one; no content type means JSON.
    const Write create{Method::post, ObjectRef::argo("rollouts", "prod", ""), "", "{}\n"};
    CHECK(describe_write(create, "https://h") ==
          "POST https://h/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts\nContent-Type: "
          "application/json\n\n{}\n");
}

TEST_CASE("names on the command line are checked before anything is sent", "[cli][write]") {
    CHECK_NOTHROW(check_name_arguments("rollout", {"demo", "web.v2", "a-1"}));
    const auto message = [](const std::vector<std::string>& names) -> std::string {
        try {
            check_name_arguments("rollout", names);
        } catch (const nova::core::Error& error) {
            CHECK(error.code() == nova::core::ExitCode::usage);
            return error.what();
        }
        return "";
    };
    CHECK(message({""}) == "invalid rollout name \"\": must not be empty");
    CHECK(message({"demo/status"}) == "invalid rollout name \"demo/status\": may not contain '/'");
    CHECK(message({"."}) == "invalid rollout name \".\": may not be '.'");
    CHECK(message({"demo%2f"}) == "invalid rollout name \"demo%2f\": may not contain '%'");
    CHECK_THAT(message({"demo?dryRun=All"}),
               Catch::StartsWith("invalid rollout name \"demo?dryRun=All\": must consist of"));
    CHECK_THAT(message({"demo#x"}), Catch::StartsWith("invalid rollout name \"demo#x\""));
    // The bad one is found whatever its place: all are checked before the first request.
    CHECK(message({"good", "also-good", ""}) == "invalid rollout name \"\": must not be empty");
}

TEST_CASE("list replies: items get their kind, an unusable reply is a clear error",
          "[cli][write]") {
    const auto items = list_items(nlohmann::json::parse(
        R"({"kind": "ReplicaSetList", "items": [{"metadata": {}}, {"kind": "Other"}]})"));
    REQUIRE(items.size() == 2);
    CHECK(items[0]["kind"] == "ReplicaSet");
    CHECK(items[1]["kind"] == "Other");
    CHECK(list_items(nlohmann::json::parse(R"({"kind": 3, "items": null})")).empty());
    CHECK(list_items(nlohmann::json::parse(R"({"kind": "RolloutList"})")).empty());
    CHECK(list_items(nlohmann::json::parse(R"({"kind": 3, "items": [{}]})"))[0] ==
          nlohmann::json::object());

    CHECK_THROWS_WITH(list_items(nlohmann::json::array()),
                      "invalid reply from the server: a list must be an object, not array");
    CHECK_THROWS_WITH(list_items(nlohmann::json()),
                      "invalid reply from the server: a list must be an object, not null");
    CHECK_THROWS_WITH(list_items(nlohmann::json::parse(R"({"items": "x"})")),
                      "invalid reply from the server: the items of a list must be an array, not "
                      "string");
}

TEST_CASE("discovery replies: whether a subresource is served", "[cli][write]") {
    const auto reply = nlohmann::json::parse(
        R"({"kind": "APIResourceList", "resources": [{"name": 1}, "x", {"name": "rollouts"},
            {"name": "rollouts/status"}]})");
    CHECK(discovery_lists(reply, "rollouts/status"));
    CHECK_FALSE(discovery_lists(reply, "experiments/status"));
    CHECK_FALSE(discovery_lists(nlohmann::json::parse(R"({"resources": [{"name": 1}]})"), "1"));
    CHECK_FALSE(discovery_lists(nlohmann::json::parse(R"({"resources": null})"), "rollouts"));
    CHECK_FALSE(discovery_lists(nlohmann::json::object(), "rollouts"));

    // An empty 200 body decodes to null.
    CHECK_THROWS_WITH(discovery_lists(nlohmann::json(), "rollouts/status"),
                      "invalid reply from the server: the API discovery document must be an "
                      "object, not null");
    CHECK_THROWS_WITH(discovery_lists(nlohmann::json::array(), "rollouts/status"),
                      Catch::StartsWith("invalid reply from the server: "));
    CHECK_THROWS_WITH(
        discovery_lists(nlohmann::json::parse(R"({"resources": {"name": "x"}})"), "x"),
        "invalid reply from the server: the resources of the API discovery document must be an "
        "array, not object");
}

TEST_CASE("a 403 on discovery says it is the API's resource list, not an object", "[cli][write]") {
    const std::string server =
        "forbidden: User \"ci\" cannot get path \"/apis/argoproj.io/v1alpha1\"";
    const std::string message =
        discovery_forbidden_message("/apis/argoproj.io/v1alpha1", "rollouts/status", server);
    CHECK(message ==
          "forbidden: you may not read the resource list of API \"argoproj.io/v1alpha1\" (GET "
          "/apis/argoproj.io/v1alpha1), which tells whether \"rollouts/status\" is served; ask an "
          "admin for \"get\" on the non-resource URL \"/apis/argoproj.io/v1alpha1\" (the "
          "system:discovery role grants it) (server: " +
              server + ")");
    // Nothing of the object message it replaces: no empty resource, no "list", no double space.
    CHECK(message.find("  ") == std::string::npos);
    CHECK(message.find("\"\"") == std::string::npos);
    CHECK(message.find("may not list") == std::string::npos);
    CHECK(discovery_forbidden_message("/api/v1", "pods/status", "") ==
          "forbidden: you may not read the resource list of API \"v1\" (GET /api/v1), which "
          "tells whether \"pods/status\" is served; ask an admin for \"get\" on the non-resource "
          "URL \"/api/v1\" (the system:discovery role grants it)");
}

namespace {

// Parses `args` (after the program name) for a command that has the write flags.
WriteFlags parse_write_flags(std::vector<std::string> args) {
    CLI::App app("test", "test");
    WriteFlags flags;
    add_write_flags(app, flags);
    std::reverse(args.begin(), args.end()); // CLI11 takes a vector in reverse order
    app.parse(args);
    return flags;
}

} // namespace

TEST_CASE("the dry-run flag takes no value: kubectl's --dry-run=client is a clear usage error",
          "[cli][write]") {
    CHECK(parse_write_flags({"--dry-run"}).dry_run);
    CHECK_FALSE(parse_write_flags({}).dry_run);
    for (const std::string value : {"client", "server", "none", "yes"}) {
        INFO(value);
        CHECK_THROWS_WITH(parse_write_flags({"--dry-run=" + value}),
                          "--dry-run takes no value (got \"" + value +
                              "\"): it prints the requests and sends nothing");
    }
    CHECK(dry_run_value_problem("true").empty());
    CHECK_FALSE(dry_run_value_problem("client").empty());
}

TEST_CASE("a command's help notes keep the closing line of every help", "[cli][write]") {
    CLI::App app("test", "prog");
    app.footer("Use \"prog <command> --help\" for more information about a command.\n");
    CLI::App* command = app.add_subcommand("promote", "Promote");
    set_help_notes(*command, "Some notes.");
    CHECK(command->get_footer() ==
          "Some notes.\n\nUse \"prog <command> --help\" for more information about a command.\n");
}
