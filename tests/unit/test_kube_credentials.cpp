// Credentials: static token, tokenFile, basic auth, client certificates and exec plugins
// (reference/kubernetes-client.md §1.4 steps 7–9, §2.2–§2.4).

#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/kube/credentials.hpp"
#include "tests/unit/kube_test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using nova::core::Error;
using namespace nova::kube;
using nova::kube::test::read_text;
using nova::kube::test::TempDir;
using namespace std::chrono_literals;

namespace {

const std::string v1 = "client.authentication.k8s.io/v1";
const std::string v1beta1 = "client.authentication.k8s.io/v1beta1";

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        CHECK(e.code() == nova::core::ExitCode::failure);
        return e.what();
    }
    FAIL("no error was thrown");
    return {};
}

// A test plugin in its own directory. Every run appends to "runs" and records its input;
// it answers with "response" (where @N@ becomes the run number), optionally after "delay"
// seconds, and exits with "exit" (0 by default).
struct Plugin {
    TempDir dir;
    std::string path;

    Plugin() {
        const std::string d = dir.path().string();
        path = dir.write("bin/plugin",
                         "#!/bin/sh\n"
                         "echo run >> '" +
                             d +
                             "/runs'\n"
                             "n=$(wc -l < '" +
                             d +
                             "/runs' | tr -d ' ')\n"
                             "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '" +
                             d +
                             "/info'\n"
                             "printf '%s\\n' \"$@\" > '" +
                             d +
                             "/args'\n"
                             "printf '%s|%s' \"$PLUGIN_VAR\" \"$NOVA_PARENT_ONLY\" > '" +
                             d +
                             "/env'\n"
                             "if [ -f '" +
                             d + "/read-stdin' ]; then head -c 16 > '" + d +
                             "/stdin'; fi\n"
                             "if [ -f '" +
                             d +
                             "/hang' ]; then exec sleep 30; fi\n"
                             "if [ -f '" +
                             d + "/hang-child' ]; then sleep 30 & echo $! > '" + d +
                             "/child'; wait; fi\n"
                             "if [ -f '" +
                             d + "/stderr' ]; then cat '" + d +
                             "/stderr' >&2; fi\n"
                             "if [ -f '" +
                             d + "/delay' ]; then sleep \"$(cat '" + d +
                             "/delay')\"; fi\n"
                             "sed \"s/@N@/$n/g\" '" +
                             d +
                             "/response'\n"
                             "if [ -f '" +
                             d + "/exit' ]; then exit \"$(cat '" + d + "/exit')\"; fi\n",
                         true);
        respond(token_response(v1beta1, "tok-@N@"));
    }

    void respond(const std::string& body) const { dir.write("response", body); }
    void set(const std::string& name, const std::string& content) const {
        dir.write(name, content);
    }
    [[nodiscard]] int runs() const {
        const std::string text = read_text(dir.file("runs"));
        return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    }
    [[nodiscard]] std::string info() const { return read_text(dir.file("info")); }

    static std::string token_response(const std::string& api_version, const std::string& token,
                                      const std::string& extra = "") {
        return "{\"apiVersion\":\"" + api_version +
               "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + token + "\"" + extra +
               "}}";
    }

    [[nodiscard]] RestConfig config(const std::string& api_version = v1beta1,
                                    InteractiveMode mode = InteractiveMode::never) const {
        RestConfig rc;
        rc.server = "https://127.0.0.1:18443";
        ExecConfig exec;
        exec.command = path;
        exec.api_version = api_version;
        exec.interactive_mode = mode;
        rc.exec = exec;
        rc.exec_user = "exec-user";
        return rc;
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Static credentials

TEST_CASE("Static token, basic auth and client certificate pass through", "[kube]") {
    CredentialCache cache;
    RestConfig rc;
    rc.server = "https://x";
    rc.token = "tok";
    rc.username = "a";
    rc.password = "b";
    rc.client_certificate_pem = "CERT";
    rc.client_key_pem = "KEY";
    const Credentials c = cache.get(rc);
    CHECK(c.token == "tok");
    CHECK(c.username == "a");
    CHECK(c.password == "b");
    CHECK(c.client_certificate_pem == "CERT");
    CHECK(c.client_key_pem == "KEY");
    CHECK(c.generation == 0);
}

TEST_CASE("Nothing is handed out for plain http", "[kube]") {
    Plugin plugin;
    CredentialCache cache;
    RestConfig rc = plugin.config();
    rc.server = "http://127.0.0.1:8080";
    rc.token = "tok";
    rc.username = "a";
    rc.client_certificate_pem = "CERT";
    rc.client_key_pem = "KEY";
    const Credentials c = cache.get(rc);
    CHECK(c.token.empty());
    CHECK(c.username.empty());
    CHECK(c.client_certificate_pem.empty());
    CHECK(plugin.runs() == 0);
}

TEST_CASE("tokenFile: trimmed content wins over the inline token, re-read when it changes",
          "[kube]") {
    TempDir dir;
    const std::string file = dir.write("token", "  file-token-B \n");
    RestConfig rc;
    rc.server = "https://x";
    rc.token = "inline-A";
    rc.token_file = file;
    CredentialCache cache;
    CHECK(cache.get(rc).token == "file-token-B");

    std::this_thread::sleep_for(20ms); // a different mtime
    dir.write("token", "rotated-C\n");
    CHECK(cache.get(rc).token == "rotated-C");

    SECTION("a deleted file keeps the last token read, as client-go's cache does") {
        std::filesystem::remove(file);
        CHECK(cache.get(rc).token == "rotated-C");
    }
    SECTION("a new process (cache) with the file gone falls back to the inline token") {
        std::filesystem::remove(file);
        CredentialCache fresh;
        CHECK(fresh.get(rc).token == "inline-A");
    }
    SECTION("no inline token and no file: the open error") {
        std::filesystem::remove(file);
        CredentialCache fresh;
        rc.token.clear();
        CHECK(error_of([&] { (void)fresh.get(rc); }) ==
              "open " + file + ": no such file or directory");
    }
}

TEST_CASE("tokenFile: re-read after a 401", "[kube]") {
    TempDir dir;
    const std::string file = dir.write("token", "first");
    RestConfig rc;
    rc.server = "https://x";
    rc.token_file = file;
    CredentialCache cache;
    const Credentials used = cache.get(rc);
    CHECK(used.token == "first");
    // Same size, written within the same instant: only the 401 makes us look again.
    const int fd = ::open(file.c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    struct stat before {};
    ::fstat(fd, &before);
    REQUIRE(::pwrite(fd, "secnd", 5, 0) == 5);
    const std::array<timespec, 2> times{before.st_atim, before.st_mtim};
    ::futimens(fd, times.data());
    ::close(fd);
    CHECK(cache.get(rc).token == "first");
    cache.unauthorized(rc, used);
    CHECK(cache.get(rc).token == "secnd");
}

// ---------------------------------------------------------------------------------------------
// Exec plugins: input

TEST_CASE("Exec: KUBERNETES_EXEC_INFO without cluster info, exact bytes", "[kube]") {
    Plugin plugin;
    plugin.set("read-stdin", "");
    CredentialCache cache;
    CHECK(cache.get(plugin.config()).token == "tok-1");
    CHECK(plugin.info() == "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication."
                           "k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}");
    CHECK(read_text(plugin.dir.file("stdin")).empty()); // stdin is /dev/null when not interactive
}

TEST_CASE("Exec: KUBERNETES_EXEC_INFO with provideClusterInfo, exact bytes", "[kube]") {
    Plugin plugin;
    plugin.respond(Plugin::token_response(v1, "tok"));
    CredentialCache cache;
    RestConfig rc = plugin.config(v1);
    rc.exec->provide_cluster_info = true;
    rc.server = "https://127.0.0.1:18443/prefix";
    rc.ca_pem = "CA-PEM";
    rc.tls_server_name = "kube.local";
    rc.insecure = true;
    rc.proxy_url = "socks5://proxy:1080";
    rc.disable_compression = true;
    rc.exec_cluster_config = nlohmann::json{{"audience", "nova-test"}};
    CHECK(cache.get(rc).token == "tok");
    CHECK(plugin.info() ==
          "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
          "\"spec\":{\"cluster\":{\"server\":\"https://127.0.0.1:18443/prefix\","
          "\"tls-server-name\":\"kube.local\",\"insecure-skip-tls-verify\":true,"
          "\"certificate-authority-data\":\"Q0EtUEVN\",\"proxy-url\":\"socks5://proxy:1080\","
          "\"disable-compression\":true,\"config\":{\"audience\":\"nova-test\"}},"
          "\"interactive\":false}}");

    SECTION("minimal cluster: no CA, no extension") {
        Plugin second;
        second.respond(Plugin::token_response(v1, "tok"));
        RestConfig minimal = second.config(v1);
        minimal.exec->provide_cluster_info = true;
        CHECK(cache.get(minimal).token == "tok");
        CHECK(second.info() ==
              "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
              "\"spec\":{\"cluster\":{\"server\":\"https://127.0.0.1:18443\",\"config\":null},"
              "\"interactive\":false}}");
    }
}

TEST_CASE("Exec: interactive follows interactiveMode and the real stdin", "[kube]") {
    Plugin plugin;
    CredentialCache cache;
    const bool terminal = ::isatty(0) != 0;
    (void)cache.get(plugin.config(v1beta1, InteractiveMode::if_available));
    CHECK(nova::kube::parse_yaml_or_json(plugin.info())["spec"]["interactive"] == terminal);
    if (!terminal) {
        Plugin always;
        CHECK(error_of([&] { (void)cache.get(always.config(v1beta1, InteractiveMode::always)); }) ==
              "getting credentials: exec plugin cannot support interactive mode: standard "
              "input is not a terminal");
        CHECK(always.runs() == 0);
    }
}

TEST_CASE("Exec: args are passed as argv, env after the inherited environment", "[kube]") {
    Plugin plugin;
    ::setenv("PLUGIN_VAR", "from-parent", 1);
    ::setenv("NOVA_PARENT_ONLY", "inherited", 1);
    RestConfig rc = plugin.config();
    rc.exec->args = {"get-token", "two words", "--flag=x", "$HOME"};
    rc.exec->env = {{"PLUGIN_VAR", "first"}, {"PLUGIN_VAR", "from-kubeconfig"}};
    CredentialCache cache;
    (void)cache.get(rc);
    ::unsetenv("PLUGIN_VAR");
    ::unsetenv("NOVA_PARENT_ONLY");
    CHECK(read_text(plugin.dir.file("args")) == "get-token\ntwo words\n--flag=x\n$HOME\n");
    CHECK(read_text(plugin.dir.file("env")) == "from-kubeconfig|inherited");
}

// ---------------------------------------------------------------------------------------------
// Exec plugins: caching and refresh (§2.4)

TEST_CASE("Exec: one run for many concurrent callers, cached afterwards", "[kube]") {
    Plugin plugin;
    plugin.set("delay", "0.3");
    const RestConfig rc = plugin.config();
    CredentialCache cache;
    std::vector<std::thread> threads;
    std::vector<std::string> tokens(16);
    std::atomic<int> failures{0};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                tokens[i] = cache.get(rc).token;
            } catch (...) {
                ++failures;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(failures == 0);
    CHECK(plugin.runs() == 1);
    for (const auto& token : tokens) {
        CHECK(token == "tok-1");
    }
    CHECK(cache.get(rc).token == "tok-1");
    CHECK(plugin.runs() == 1);
}

TEST_CASE("Exec: a static token, basic auth or client certificate suppress the plugin", "[kube]") {
    Plugin plugin;
    CredentialCache cache;
    RestConfig rc = plugin.config();
    rc.token = "static";
    CHECK(cache.get(rc).token == "static");
    rc = plugin.config();
    rc.username = "u";
    CHECK(cache.get(rc).token.empty());
    rc = plugin.config();
    rc.client_certificate_pem = "C";
    rc.client_key_pem = "K";
    CHECK(cache.get(rc).client_certificate_pem == "C");
    CHECK(plugin.runs() == 0);
}

TEST_CASE("Exec: expirationTimestamp is honoured without leeway", "[kube]") {
    Plugin plugin;
    CredentialCache cache;
    const RestConfig rc = plugin.config();
    SECTION("in the past: every get() runs the plugin") {
        plugin.respond(Plugin::token_response(v1beta1, "tok-@N@",
                                              ",\"expirationTimestamp\":\"2000-01-01T00:00:00Z\""));
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(cache.get(rc).token == "tok-2");
        CHECK(cache.get(rc).token == "tok-3");
        CHECK(plugin.runs() == 3);
    }
    SECTION("in the future: reused until then") {
        const auto soon =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
            std::chrono::seconds(1);
        plugin.respond(Plugin::token_response(v1beta1, "tok-@N@",
                                              ",\"expirationTimestamp\":\"" +
                                                  nova::core::format_rfc3339(soon) + "\""));
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(plugin.runs() == 1);
        std::this_thread::sleep_until(soon + 50ms);
        CHECK(cache.get(rc).token == "tok-2");
    }
    SECTION("before the year 1678 (Go's zero time): expired, without overflow") {
        plugin.respond(Plugin::token_response(v1beta1, "tok-@N@",
                                              ",\"expirationTimestamp\":\"0001-01-01T00:00:00Z\""));
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(cache.get(rc).token == "tok-2");
        CHECK(plugin.runs() == 2);
    }
    SECTION("beyond the year 2262 (nanoseconds overflow): reused, never taken as past") {
        plugin.respond(Plugin::token_response(v1beta1, "tok-@N@",
                                              ",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\""));
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(cache.get(rc).token == "tok-1");
        CHECK(cache.get(rc).expiry.has_value());
        CHECK(plugin.runs() == 1);
    }
    SECTION("none: reused for the life of the process") {
        for (int i = 0; i < 5; ++i) {
            CHECK(cache.get(rc).token == "tok-1");
        }
        CHECK(plugin.runs() == 1);
    }
}

TEST_CASE("Exec: a 401 re-runs the plugin once per credential generation", "[kube]") {
    Plugin plugin;
    CredentialCache cache;
    const RestConfig rc = plugin.config();
    const Credentials first = cache.get(rc);
    CHECK(first.token == "tok-1");
    CHECK(first.generation > 0);
    // Many requests saw the 401 with the same credential.
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] { cache.unauthorized(rc, first); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const Credentials second = cache.get(rc);
    CHECK(second.token == "tok-2");
    CHECK(second.generation != first.generation);
    CHECK(plugin.runs() == 2);
    // A late 401 for the old credential changes nothing.
    cache.unauthorized(rc, first);
    CHECK(cache.get(rc).token == "tok-2");
    CHECK(plugin.runs() == 2);
    // A 401 for the new one does.
    cache.unauthorized(rc, second);
    CHECK(cache.get(rc).token == "tok-3");
    CHECK(plugin.runs() == 3);
}

TEST_CASE("Exec: a failed run is shared by the callers that waited for it", "[kube]") {
    Plugin plugin;
    plugin.set("delay", "0.3");
    plugin.set("exit", "1");
    const RestConfig rc = plugin.config();
    CredentialCache cache;
    std::vector<std::thread> threads;
    std::vector<std::string> errors(8);
    for (std::size_t i = 0; i < errors.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                (void)cache.get(rc);
            } catch (const Error& e) {
                errors[i] = e.what();
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(plugin.runs() == 1);
    for (const auto& error : errors) {
        CHECK(error ==
              "getting credentials: exec: executable " + plugin.path + " failed with exit code 1");
    }
    // The next caller tries again.
    std::filesystem::remove(plugin.dir.file("exit"));
    plugin.set("delay", "0");
    CHECK(cache.get(rc).token == "tok-2");
}

// ---------------------------------------------------------------------------------------------
// Exec plugins: output (§2.3)

TEST_CASE("Exec: output as YAML, and a client certificate with a token", "[kube]") {
    Plugin plugin;
    plugin.respond("apiVersion: client.authentication.k8s.io/v1beta1\nkind: ExecCredential\n"
                   "status:\n  token: yaml-@N@\n"
                   "  clientCertificateData: |\n    -----BEGIN CERTIFICATE-----\n    C\n"
                   "    -----END CERTIFICATE-----\n"
                   "  clientKeyData: |\n    -----BEGIN PRIVATE KEY-----\n    K\n"
                   "    -----END PRIVATE KEY-----\n");
    CredentialCache cache;
    const Credentials c = cache.get(plugin.config());
    CHECK(c.token == "yaml-1");
    CHECK(c.client_certificate_pem ==
          "-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n");
    CHECK(c.client_key_pem == "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n");
}

TEST_CASE("Exec: every output check has its message, and none prints the output", "[kube]") {
    Plugin plugin;
    const RestConfig rc = plugin.config(v1);
    const std::string label = " (exec plugin " + plugin.path + " of user \"exec-user\")";
    const auto error_for = [&](const std::string& response) {
        plugin.respond(response);
        CredentialCache cache;
        const std::string message = error_of([&] { (void)cache.get(rc); });
        CHECK(message.find("secret-token") == std::string::npos);
        return message;
    };
    CHECK(error_for(Plugin::token_response(v1beta1, "secret-token")) ==
          "getting credentials: exec plugin is configured to use API version "
          "client.authentication.k8s.io/v1, plugin returned version "
          "client.authentication.k8s.io/v1beta1" +
              label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 + "\",\"kind\":\"ExecCredential\"}") ==
          "getting credentials: exec plugin didn't return a status field" + label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 + "\",\"kind\":\"ExecCredential\",\"status\":{}}") ==
          "getting credentials: exec plugin didn't return a token or cert/key pair" + label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 +
                    "\",\"kind\":\"ExecCredential\",\"status\":{\"clientKeyData\":\"K\"}}") ==
          "getting credentials: exec plugin returned only certificate or key, not both" + label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 +
                    "\",\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":"
                    "\"Q0VSVA==\",\"clientKeyData\":\"S0VZ\"}}") ==
          "getting credentials: failed parsing client key/certificate: tls: failed to find any "
          "PEM data in certificate input" +
              label);
    CHECK_THAT(error_for("Token secret-token is here\nnot: [json"),
               Catch::StartsWith("getting credentials: decoding stdout: "));
    CHECK(error_for("") ==
          "getting credentials: decoding stdout: the plugin printed nothing" + label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 +
                    "\",\"kind\":\"Secret\",\"status\":{\"token\":"
                    "\"secret-token\"}}") ==
          "getting credentials: decoding stdout: no kind \"Secret\" is registered for version "
          "\"client.authentication.k8s.io/v1\"" +
              label);
    CHECK(error_for("{\"apiVersion\":\"" + v1 +
                    "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":42}}") ==
          "getting credentials: decoding stdout: status.token must be a string" + label);
    CHECK(error_for(Plugin::token_response(v1, "secret-token",
                                           ",\"expirationTimestamp\":\"tomorrow\"")) ==
          "getting credentials: decoding stdout: status.expirationTimestamp is not an RFC 3339 "
          "time" +
              label);
}

TEST_CASE("Exec: a missing binary gets the install hint, control characters escaped", "[kube]") {
    Plugin plugin;
    RestConfig rc = plugin.config();
    rc.exec->command = "nova-test-no-such-credential-plugin";
    rc.exec->install_hint = "Install it with \x1b[1mbrew install it\x1b[0m\ttoday\nthanks";
    CredentialCache cache;
    const std::string first_line =
        "getting credentials: exec: executable nova-test-no-such-credential-plugin not found";
    const std::string message = error_of([&] { (void)cache.get(rc); });
    CHECK_THAT(message, Catch::StartsWith(first_line + "\n\nIt looks like you are trying to use "
                                                       "a client-go credential plugin that is "
                                                       "not installed.\n"));
    CHECK_THAT(message, Catch::EndsWith("\n\nInstall it with U+001B[1mbrew install "
                                        "itU+001B[0m\ttoday\nthanks"));
    SECTION("the long help at most 10 times an hour") {
        for (int i = 0; i < 9; ++i) {
            CHECK(error_of([&] { (void)cache.get(rc); }).size() > first_line.size());
        }
        CHECK(error_of([&] { (void)cache.get(rc); }) == first_line);
    }
    SECTION("a path that does not exist") {
        rc.exec->command = plugin.dir.file("bin/missing");
        CHECK_THAT(error_of([&] { (void)cache.get(rc); }),
                   Catch::StartsWith("getting credentials: exec: executable " +
                                     plugin.dir.file("bin/missing") + " not found\n\n"));
    }
}

TEST_CASE("Exec: a non-zero exit names the plugin and the code", "[kube]") {
    Plugin plugin;
    plugin.set("exit", "3");
    CredentialCache cache;
    CHECK(error_of([&] { (void)cache.get(plugin.config()); }) ==
          "getting credentials: exec: executable " + plugin.path + " failed with exit code 3");
}

TEST_CASE("Exec: the plugin's stderr goes to ours", "[kube]") {
    Plugin plugin;
    plugin.set("stderr", "plugin says hi on stderr\n");
    const std::string captured = plugin.dir.file("captured-stderr");
    const int saved = ::dup(2);
    const int file = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(saved >= 0);
    REQUIRE(file >= 0);
    ::dup2(file, 2);
    ::close(file);
    CredentialCache cache;
    std::string token;
    try {
        token = cache.get(plugin.config()).token;
    } catch (...) {
        ::dup2(saved, 2);
        ::close(saved);
        throw;
    }
    ::dup2(saved, 2);
    ::close(saved);
    CHECK(token == "tok-1");
    CHECK(read_text(captured) == "plugin says hi on stderr\n");
}

TEST_CASE("Exec: a hung plugin is stopped after the timeout", "[kube]") {
    Plugin plugin;
    plugin.set("hang", "");
    CredentialCache cache;
    cache.set_exec_timeout(300ms);
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] { (void)cache.get(plugin.config()); }) ==
          "getting credentials: exec: executable " + plugin.path +
              " did not finish within 300ms and was stopped");
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("Exec: a budget shorter than the exec timeout stops the plugin sooner", "[kube]") {
    Plugin plugin;
    plugin.set("hang", "");
    CredentialCache cache;
    CHECK(error_of([&] { (void)cache.get(plugin.config(), 250ms); }) ==
          "getting credentials: exec: executable " + plugin.path +
              " did not finish within 250ms and was stopped");
    // A longer budget does not extend the exec timeout.
    cache.set_exec_timeout(200ms);
    CHECK(error_of([&] { (void)cache.get(plugin.config(), 10s); }) ==
          "getting credentials: exec: executable " + plugin.path +
              " did not finish within 200ms and was stopped");
}

TEST_CASE("Exec: a stopped plugin takes its children with it", "[kube]") {
    Plugin plugin;
    plugin.set("hang-child", "");
    CredentialCache cache;
    cache.set_exec_timeout(500ms);
    CHECK_THAT(error_of([&] { (void)cache.get(plugin.config()); }), Catch::Contains("was stopped"));
    const pid_t child = std::stoi(read_text(plugin.dir.file("child")));
    // SIGKILL went to the plugin's whole process group; init reaps the orphan.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (::kill(child, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    CHECK(::kill(child, 0) != 0);
}
