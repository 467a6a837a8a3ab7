#include "lib/core/base64.hpp"
#include "lib/core/error.hpp"
#include "lib/core/yaml.hpp"
#include "lib/sim/environment.hpp"
#include "lib/sim/store.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

using nlohmann::json;
using namespace nova::sim;

TEST_CASE("Cluster objects look like Nova's", "[sim][clusters]") {
    const nova::core::TimePoint now{std::chrono::seconds(1714557600)}; // 2024-05-01T10:00:00Z
    const json east = cluster_object(1, "kind-workload-1", now);
    const json west = cluster_object(2, "kind-workload-2", now);

    CHECK(east["apiVersion"] == "cluster.elotl.co/v1alpha1");
    CHECK(east["kind"] == "Cluster");
    CHECK(east["metadata"]["name"] == "kind-workload-1");
    CHECK_FALSE(east["metadata"].contains("namespace"));
    CHECK(east["spec"]["name"] == "kind-workload-1");
    CHECK(east["spec"]["kubernetescluster"] == "workload-1");
    const json& labels = east["metadata"]["labels"];
    CHECK(labels["kubernetes.io/metadata.name"] == "kind-workload-1");
    CHECK(labels["nova.elotl.co/cluster.region"] == "us-east-1");
    CHECK(labels["nova.elotl.co/cluster.zone"] == "us-east-1a");
    CHECK(west["metadata"]["labels"]["nova.elotl.co/cluster.region"] == "us-west-2");
    for (const auto& [key, value] : labels.items()) {
        CHECK(value.is_string()); // label values are strings, "false" and "1.25" included
    }

    std::map<std::string, std::string> conditions;
    for (const auto& condition : east["status"]["conditions"]) {
        conditions[condition["type"]] = condition["status"];
        CHECK(condition["lastTransitionTime"] == "2024-05-01T10:00:00Z");
    }
    CHECK(conditions == std::map<std::string, std::string>{
                            {"Ready", "True"}, {"Idle", "True"}, {"Standby", "False"}});
}

TEST_CASE("workload contexts are named as in the tutorial", "[sim][clusters]") {
    CHECK(workload_context(1) == "kind-workload-1");
    CHECK(workload_context(12) == "kind-workload-12");
}

namespace {

// The value of `key` in the kubeconfig entry (cluster, context or user) named `name`.
std::string kubeconfig_value(const json& config, const std::string& list, const std::string& name,
                             const std::string& kind, const std::string& key) {
    for (const auto& entry : config.at(list)) {
        if (entry.at("name") == name) {
            return entry.at(kind).value(key, std::string());
        }
    }
    return {};
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::filesystem::perms permissions(const std::filesystem::path& path) {
    return std::filesystem::status(path).permissions() & std::filesystem::perms::all;
}

} // namespace

TEST_CASE("the kubeconfig has a basic-auth context for the control plane", "[sim][environment]") {
    Environment environment(1);
    const auto documents = nova::core::parse_yaml_documents(environment.kubeconfig());
    REQUIRE(documents.size() == 1);
    const json& config = documents[0];

    CHECK(kubeconfig_value(config, "contexts", "nova-basic", "context", "cluster") == "nova");
    CHECK(kubeconfig_value(config, "contexts", "nova-basic", "context", "user") == "nova-basic");
    CHECK(kubeconfig_value(config, "users", "nova-basic", "user", "username") == "basic-user");
    const std::string password =
        kubeconfig_value(config, "users", "nova-basic", "user", "password");
    CHECK(password.size() == 32);
    // nova-basic is a name for the control plane wherever a context is expected.
    CHECK(&environment.endpoint("nova-basic") == &environment.endpoint("nova"));
    // A fresh password each run.
    CHECK(kubeconfig_value(nova::core::parse_yaml_documents(Environment(0).kubeconfig())[0],
                           "users", "nova-basic", "user", "password") != password);
}

TEST_CASE("the service-account directory holds a token, the CA and the namespace",
          "[sim][environment]") {
    Environment environment(0);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("nova-sim-sa-test-" + random_hex(8)) / "serviceaccount";
    environment.write_service_account(dir);

    const std::string token = read_file(dir / "token");
    CHECK(token.size() == 64);
    CHECK(token.find('\n') == std::string::npos);
    CHECK(read_file(dir / "namespace") == "default");
    const std::string ca = read_file(dir / "ca.crt");
    CHECK(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    const auto config = nova::core::parse_yaml_documents(environment.kubeconfig())[0];
    CHECK(nova::core::encode_base64(ca) ==
          kubeconfig_value(config, "clusters", "nova", "cluster", "certificate-authority-data"));
    const auto owner_only =
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    CHECK(permissions(dir / "token") == owner_only);
    // The token is the control plane's: the other servers refuse it.
    CHECK(environment.control({{"verb", "revoke-token"}, {"context", "nova"}, {"token", token}}) ==
          "nova: token revoked\n");
    CHECK_THROWS(
        environment.control({{"verb", "revoke-token"}, {"context", "kind-cp"}, {"token", token}}));

    std::filesystem::remove_all(dir.parent_path());
}

TEST_CASE("ports and status -o json name every server", "[sim][environment]") {
    Environment environment(2);
    const auto ports = environment.ports();
    CHECK(ports.size() == 4);
    CHECK(ports.begin().key() == "nova");
    CHECK(ports.contains("kind-workload-2"));

    const json status = json::parse(environment.control({{"verb", "status"}, {"output", "json"}}));
    CHECK(status.size() == 4);
    CHECK(status["kind-cp"]["up"] == false); // not started
    CHECK(status["kind-cp"]["failNext"] == 0);
    CHECK(status["kind-cp"].contains("port"));
    CHECK(status["kind-cp"].contains("server"));
}

TEST_CASE("ctl verbs for tokens, failures and warnings", "[sim][environment]") {
    Environment environment(0);
    const auto control = [&](json command) {
        command["context"] = "nova";
        return environment.control(command);
    };

    SECTION("add-token and revoke-token never echo the token") {
        const std::string token = "exec-" + random_hex(8);
        const std::string added = control({{"verb", "add-token"}, {"token", token}});
        CHECK(added == "nova: token added for user exec-user\n");
        CHECK(control({{"verb", "add-token"}, {"token", token}, {"user", "alice"}}) ==
              "nova: token added for user alice\n");
        CHECK(control({{"verb", "revoke-token"}, {"token", token}}) == "nova: token revoked\n");
        try {
            control({{"verb", "revoke-token"}, {"token", token}});
            FAIL("revoking twice succeeded");
        } catch (const nova::core::Error& e) {
            CHECK(std::string(e.what()).find(token) == std::string::npos);
            CHECK(e.code() == nova::core::ExitCode::failure);
        }
        for (const std::string bad : {"", "has space", "line\nbreak"}) {
            try {
                control({{"verb", "add-token"}, {"token", bad}});
                FAIL("accepted a bad token");
            } catch (const nova::core::Error& e) {
                CHECK(e.code() == nova::core::ExitCode::usage);
                if (!bad.empty()) {
                    CHECK(std::string(e.what()).find(bad) == std::string::npos);
                }
            }
        }
        CHECK_THROWS(control({{"verb", "add-token"}, {"token", "t"}, {"user", ""}}));
    }

    SECTION("fail takes 401 and 502, text and HTML bodies, Retry-After") {
        CHECK(control({{"verb", "fail"}, {"count", 2}, {"code", 401}}) ==
              "nova: the next 2 requests fail with 401\n");
        CHECK(control({{"verb", "fail"}, {"count", 1}, {"code", 500}, {"body", "text"}}) ==
              "nova: the next 1 requests fail with 500, text/plain body\n");
        CHECK(control({{"verb", "fail"},
                       {"count", 3},
                       {"code", 502},
                       {"body", "html"},
                       {"retryAfter", 2}}) ==
              "nova: the next 3 requests fail with 502, HTML body, Retry-After: 2\n");
        CHECK(environment.endpoint("nova").pending_failures() == 3);
        CHECK(control({{"verb", "fail"}, {"count", 0}, {"code", 500}}) ==
              "nova: no more injected failures\n");
        CHECK(environment.endpoint("nova").pending_failures() == 0);
        CHECK_THROWS(control({{"verb", "fail"}, {"count", 1}, {"code", 404}}));
        CHECK_THROWS(control({{"verb", "fail"}, {"count", 1}, {"code", 500}, {"body", "xml"}}));
        CHECK_THROWS(control({{"verb", "fail"}, {"count", 1}, {"code", 503}, {"retryAfter", -1}}));
    }

    SECTION("fail takes 403 and 409, only for one method and path suffix") {
        CHECK(control({{"verb", "fail"},
                       {"count", 2},
                       {"code", 403},
                       {"method", "patch"},
                       {"pathSuffix", "/status"}}) ==
              "nova: the next 2 PATCH requests to paths ending in /status fail with 403\n");
        const auto pending = environment.endpoint("nova").pending_failure();
        CHECK(pending.count == 2);
        CHECK(pending.method == "PATCH"); // kept in upper case
        CHECK(pending.path_suffix == "/status");
        const json status =
            json::parse(environment.control({{"verb", "status"}, {"output", "json"}}));
        CHECK(status["nova"]["failNext"] == 2);
        CHECK(status["nova"]["failCode"] == 403);
        CHECK(status["nova"]["failMethod"] == "PATCH");
        CHECK(status["nova"]["failPathSuffix"] == "/status");
        const std::string table = environment.control({{"verb", "status"}});
        CHECK(table.find("2 403 PATCH */status") != std::string::npos);

        CHECK(control({{"verb", "fail"}, {"count", 1}, {"code", 409}, {"method", "PUT"}}) ==
              "nova: the next 1 PUT requests fail with 409\n");
        CHECK(control({{"verb", "fail"}, {"count", 1}, {"code", "reset"}, {"pathSuffix", "/x"}}) ==
              "nova: the next 1 requests to paths ending in /x get their connection reset\n");
        const json reset =
            json::parse(environment.control({{"verb", "status"}, {"output", "json"}}));
        CHECK(reset["nova"]["failCode"] == "reset");
        CHECK_FALSE(reset["nova"].contains("failMethod"));
        try {
            control({{"verb", "fail"}, {"count", 1}, {"code", 403}, {"method", "FETCH"}});
            FAIL("accepted method FETCH");
        } catch (const nova::core::Error& e) {
            CHECK(e.code() == nova::core::ExitCode::usage);
        }
        CHECK_THROWS(
            control({{"verb", "fail"}, {"count", 1}, {"code", 403}, {"pathSuffix", "a\n"}}));
    }

    SECTION("fail --after lets matching requests pass first") {
        CHECK(control({{"verb", "fail"},
                       {"count", 1},
                       {"code", 403},
                       {"method", "PATCH"},
                       {"pathSuffix", "/rollouts/demo"},
                       {"after", 1}}) == "nova: the next 1 PATCH requests to paths ending in "
                                         "/rollouts/demo after 1 that pass fail with 403\n");
        HttpsEndpoint& nova = environment.endpoint("nova");
        const json status =
            json::parse(environment.control({{"verb", "status"}, {"output", "json"}}));
        CHECK(status["nova"]["failAfter"] == 1);
        CHECK(
            environment.control({{"verb", "status"}}).find("1 403 PATCH */rollouts/demo after 1") !=
            std::string::npos);
        // Others pass and count for nothing; the first match passes; the second fails.
        const std::string path = "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo";
        CHECK_FALSE(nova.take_failure("PATCH", path + "/status"));
        CHECK_FALSE(nova.take_failure("GET", path));
        CHECK_FALSE(nova.take_failure("PATCH", path));
        CHECK(nova.take_failure("PATCH", path));
        CHECK_FALSE(nova.take_failure("PATCH", path));
        CHECK_THROWS(control({{"verb", "fail"}, {"count", 1}, {"code", 403}, {"after", -1}}));
    }

    SECTION("fail with a reset connection takes neither a body nor Retry-After") {
        CHECK(control({{"verb", "fail"}, {"count", 2}, {"code", "reset"}}) ==
              "nova: the next 2 requests get their connection reset\n");
        CHECK(environment.endpoint("nova").pending_failures() == 2);
        CHECK_THROWS(control({{"verb", "fail"}, {"count", 1}, {"code", "explode"}}));
        CHECK_THROWS(
            control({{"verb", "fail"}, {"count", 1}, {"code", "reset"}, {"body", "html"}}));
        CHECK_THROWS(
            control({{"verb", "fail"}, {"count", 1}, {"code", "reset"}, {"retryAfter", 1}}));
    }

    SECTION("compact, and the history limit of every server") {
        CHECK(control({{"verb", "compact"}}) ==
              "nova: event history compacted at resourceVersion " +
                  environment.endpoint("nova").api().store().resource_version() + "\n");
        // --watch-history 1: a watch two changes back is already too old, on every server.
        environment.set_watch_history(1);
        Store& store = environment.endpoint("kind-cp").api().store();
        WatchOptions options;
        options.resource_version = store.resource_version();
        for (const char* name : {"a", "b"}) {
            (void)store.create(GroupResource{"", "configmaps"},
                               {{"apiVersion", "v1"},
                                {"kind", "ConfigMap"},
                                {"metadata", {{"name", name}, {"namespace", "default"}}}});
        }
        auto watcher = store.watch(GroupResource{"", "configmaps"}, options);
        auto event = watcher->next(std::chrono::steady_clock::now() + std::chrono::seconds(1));
        REQUIRE(event);
        CHECK(event->type == "ERROR");
        CHECK(event->object["code"] == 410);
    }

    SECTION("warn") {
        CHECK(control({{"verb", "warn"}, {"count", 2}, {"text", "mind the \"gap\""}}) ==
              "nova: the next 2 responses carry a warning\n");
        CHECK(environment.endpoint("nova").pending_warnings() == 2);
        CHECK(control({{"verb", "warn"}, {"count", 0}}) == "nova: no more warnings\n");
        CHECK(environment.endpoint("nova").pending_warnings() == 0);
        CHECK_THROWS(control({{"verb", "warn"}, {"count", 1}}));
        CHECK_THROWS(control({{"verb", "warn"}, {"count", 1}, {"text", "two\nlines"}}));
    }
}

TEST_CASE("a recorded request's JSON line names the auth scheme, never the secret",
          "[sim][environment]") {
    RecordedRequest request;
    request.method = "GET";
    request.target = "/api/v1/namespaces";
    request.user = "admin";
    request.status = 200;
    request.auth = "bearer";
    request.user_agent = "kubectl/v1.30.0";
    request.accept = "application/json";
    request.accept_encoding = "gzip";
    request.impersonate["Impersonate-Group"] = {"g1", "g2"};
    request.impersonate["Impersonate-User"] = {"jane"};
    CHECK(to_json(request).dump() ==
          R"({"method":"GET","path":"/api/v1/namespaces","code":200,"user":"admin",)"
          R"("auth":"bearer","impersonate":{"Impersonate-Group":["g1","g2"],)"
          R"("Impersonate-User":["jane"]},"userAgent":"kubectl/v1.30.0",)"
          R"("accept":"application/json","acceptEncoding":"gzip","contentType":"","body":""})");
    CHECK(to_json(RecordedRequest{})["auth"] == "none");
    CHECK(to_json(RecordedRequest{})["impersonate"] == nlohmann::ordered_json::object());
}

TEST_CASE("run --load takes a file or every manifest of a directory in name order", "[sim][load]") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("nova-sim-load-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(dir);
    for (const char* name : {"b.yaml", "a.yml", "c.json", "notes.txt"}) {
        std::ofstream(dir / name) << "{}\n";
    }
    const auto files = nova::sim::manifest_files(dir);
    REQUIRE(files.size() == 3);
    CHECK(files[0].filename() == "a.yml");
    CHECK(files[1].filename() == "b.yaml");
    CHECK(files[2].filename() == "c.json");
    CHECK(nova::sim::manifest_files(dir / "b.yaml") ==
          std::vector<std::filesystem::path>{dir / "b.yaml"});
    CHECK_THROWS_WITH(nova::sim::manifest_files(dir / "missing"), Catch::Contains("no such file"));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    CHECK_THROWS_WITH(nova::sim::manifest_files(dir), Catch::Contains("holds no .yaml"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("run --load-created-ago backdates objects and analysis measurements", "[sim][load]") {
    const auto now =
        nova::core::parse_rfc3339("2025-06-02T10:20:30Z") + std::chrono::milliseconds(700);
    nlohmann::json pod = {{"kind", "Pod"}, {"metadata", {{"name", "p"}}}};
    nova::sim::backdate(pod, nova::sim::parse_age("7d"), now);
    CHECK(pod["metadata"]["creationTimestamp"] == "2025-05-26T10:20:30Z");

    nlohmann::json run = {
        {"kind", "AnalysisRun"},
        {"metadata", {{"name", "r"}, {"creationTimestamp", "2019-01-01T00:00:00Z"}}},
        {"status",
         {{"metricResults",
           {{{"name", "a"}, {"measurements", {{{"phase", "Successful"}}}}},
            {{"name", "b"}, {"measurements", {{{"startedAt", "2019-01-01T00:00:00Z"}}}}}}}}}};
    nova::sim::backdate(run, nova::sim::parse_age("90m"), now);
    CHECK(run["metadata"]["creationTimestamp"] == "2025-06-02T08:50:30Z");
    CHECK(run["status"]["metricResults"][0]["measurements"][0]["startedAt"] ==
          "2025-06-02T08:50:30Z");
    CHECK(run["status"]["metricResults"][1]["measurements"][0]["finishedAt"] ==
          "2025-06-02T08:50:30Z");

    CHECK(nova::sim::parse_age("168h") == std::chrono::hours(168));
    CHECK_THROWS(nova::sim::parse_age("-1h"));
    CHECK_THROWS(nova::sim::parse_age("7 days"));
    CHECK_THROWS(nova::sim::parse_age("d"));
}

TEST_CASE("run --load stores legacy ReplicaSets and Deployments as apps/v1", "[sim][load]") {
    json replica_set = {{"apiVersion", "extensions/v1beta1"}, {"kind", "ReplicaSet"}};
    nova::sim::upgrade_legacy_api_version(replica_set);
    CHECK(replica_set["apiVersion"] == "apps/v1");
    json deployment = {{"apiVersion", "apps/v1beta2"}, {"kind", "Deployment"}};
    nova::sim::upgrade_legacy_api_version(deployment);
    CHECK(deployment["apiVersion"] == "apps/v1");
    json ingress = {{"apiVersion", "extensions/v1beta1"}, {"kind", "Ingress"}};
    nova::sim::upgrade_legacy_api_version(ingress);
    CHECK(ingress["apiVersion"] == "extensions/v1beta1");
}

TEST_CASE("run --load-now moves every timestamp of an object", "[sim][load]") {
    json pod = {{"metadata",
                 {{"name", "p"},
                  {"creationTimestamp", "2025-06-02T10:05:40Z"},
                  {"annotations", {{"scale-down-deadline", "2025-06-02T11:00:00Z"}}}}},
                {"status",
                 {{"phase", "Running"},
                  {"conditions", {{{"lastTransitionTime", "2025-06-02T10:05:41.5Z"}}}}}}};
    nova::sim::shift_timestamps(pod, std::chrono::hours(1));
    CHECK(pod["metadata"]["creationTimestamp"] == "2025-06-02T11:05:40Z");
    CHECK(pod["metadata"]["annotations"]["scale-down-deadline"] == "2025-06-02T12:00:00Z");
    CHECK(pod["status"]["conditions"][0]["lastTransitionTime"] == "2025-06-02T11:05:41Z");
    CHECK(pod["status"]["phase"] == "Running");
    CHECK(pod["metadata"]["name"] == "p");
}
