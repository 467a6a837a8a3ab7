// kubeconfig loading, merging and resolution: reference/kubernetes-client.md §1.1–§1.6.

#include "lib/core/error.hpp"
#include "lib/kube/config.hpp"
#include "tests/unit/kube_test_support.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <unistd.h>

using nova::core::Error;
using nova::core::ExitCode;
using namespace nova::kube;
using nova::kube::test::make_env;
using nova::kube::test::TempDir;
using namespace std::chrono_literals;

namespace {

const std::string data_dir = std::string(NOVA_TEST_DATA_DIR) + "/kubeconfig";

// The message of the core::Error that `action` throws (and its exit code is `code`).
std::string error_of(const std::function<void()>& action, ExitCode code = ExitCode::failure) {
    try {
        action();
    } catch (const Error& e) {
        CHECK(e.code() == code);
        return e.what();
    }
    FAIL("no error was thrown");
    return {};
}

KubeConfig load_file(const std::string& path, const Environment& env = make_env({})) {
    Overrides overrides;
    overrides.kubeconfig = path;
    return load_kubeconfig(overrides, env);
}

// A kubeconfig written into `dir`, loaded and resolved with `overrides`.
RestConfig resolve_yaml(const TempDir& dir, const std::string& yaml, Overrides overrides = {},
                        const Environment& env = make_env({})) {
    Overrides load;
    load.kubeconfig = dir.write("config.yaml", yaml);
    overrides.kubeconfig = load.kubeconfig;
    return resolve(load_kubeconfig(load, env), overrides, env);
}

std::string resolve_error(const TempDir& dir, const std::string& yaml, Overrides overrides = {},
                          const Environment& env = make_env({}),
                          ExitCode code = ExitCode::failure) {
    return error_of([&] { (void)resolve_yaml(dir, yaml, std::move(overrides), env); }, code);
}

// One https cluster "c" with a CA file, user "u" with a token, context "ctx" (current).
struct Fixture {
    TempDir dir;
    std::string ca =
        dir.write("ca.crt", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    std::string ca2 =
        dir.write("ca2.crt", "-----BEGIN CERTIFICATE-----\nCA2\n-----END CERTIFICATE-----\n");
    std::string cert = dir.write("client.crt", "CLIENT-CERT-PEM");
    std::string key = dir.write("client.key", "CLIENT-KEY-PEM");
    std::string token_file = dir.write("token", "  file-token \n");

    [[nodiscard]] std::string config(const std::string& cluster_extra = "",
                                     const std::string& user_extra = "    token: token-u\n",
                                     const std::string& context_extra = "") const {
        return "apiVersion: v1\nkind: Config\ncurrent-context: ctx\n"
               "clusters:\n- name: c\n  cluster:\n    server: https://c.example:6443\n" +
               cluster_extra +
               "- name: other\n  cluster:\n    server: https://other.example:8443/prefix\n"
               "users:\n- name: u\n  user:\n" +
               user_extra +
               "- name: u2\n  user:\n    token: token-u2\n"
               "contexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n" +
               context_extra + "- name: ctx2\n  context:\n    cluster: other\n    user: u2\n";
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// §1.1 Which files are read

TEST_CASE("a --kubeconfig that does not exist is a stat error naming the path", "[kube]") {
    TempDir dir;
    const std::string path = dir.file("nope.yaml");
    CHECK(error_of([&] { (void)load_file(path); }) ==
          "stat " + path + ": no such file or directory");
}

TEST_CASE("with --kubeconfig only that file is read: KUBECONFIG and ~/.kube/config are ignored",
          "[kube]") {
    TempDir dir;
    dir.write("home/.kube/config", "current-context: from-home\n");
    const auto env = make_env({{"KUBECONFIG", data_dir + "/merge-b.yaml"}}, dir.path() / "home");
    const KubeConfig config = load_file(data_dir + "/merge-a.yaml", env);
    CHECK(config.current_context.empty());
    CHECK(config.files == std::vector<std::string>{data_dir + "/merge-a.yaml"});
    CHECK(config.clusters.count("only-b") == 0);
}

TEST_CASE("KUBECONFIG: split on ':', duplicates and empty entries dropped, missing files and "
          "'~' skipped",
          "[kube]") {
    const std::string a = data_dir + "/merge-a.yaml";
    const std::string b = data_dir + "/merge-b.yaml";
    const auto env = make_env(
        {{"KUBECONFIG", "::" + a + "::/nonexistent/x.yaml:~/.kube/config:" + a + ":" + b + ":"}});
    const KubeConfig config = load_kubeconfig({}, env);
    CHECK(config.files == std::vector<std::string>{a, b});
    CHECK(config.clusters.count("only-a") == 1);
    CHECK(config.clusters.count("only-b") == 1);
}

TEST_CASE("KUBECONFIG with every file missing gives an empty config", "[kube]") {
    const auto env = make_env({{"KUBECONFIG", "/nonexistent/a:/nonexistent/b"}});
    const KubeConfig config = load_kubeconfig({}, env);
    CHECK(config.files.empty());
    CHECK(config.contexts.empty());
}

TEST_CASE("Without KUBECONFIG, $HOME/.kube/config is read, and missing means empty", "[kube]") {
    TempDir dir;
    SECTION("present") {
        dir.write("home/.kube/config", "current-context: from-home\n");
        const KubeConfig config = load_kubeconfig({}, make_env({}, dir.path() / "home"));
        CHECK(config.current_context == "from-home");
        CHECK(config.files ==
              std::vector<std::string>{(dir.path() / "home/.kube/config").string()});
    }
    SECTION("missing") {
        const KubeConfig config = load_kubeconfig({}, make_env({}, dir.path() / "home"));
        CHECK(config.files.empty());
    }
    SECTION("an empty KUBECONFIG counts as unset") {
        dir.write("home/.kube/config", "current-context: from-home\n");
        const KubeConfig config =
            load_kubeconfig({}, make_env({{"KUBECONFIG", ""}}, dir.path() / "home"));
        CHECK(config.current_context == "from-home");
    }
}

TEST_CASE("Lenient parsing: empty, comments only, JSON, no apiVersion/kind, unknown fields",
          "[kube]") {
    CHECK(load_file(data_dir + "/empty.yaml").contexts.empty());
    CHECK(load_file(data_dir + "/comments-only.yaml").contexts.empty());

    const KubeConfig json = load_file(data_dir + "/json.json");
    CHECK(json.current_context == "j");
    CHECK(json.clusters.at("j").insecure_skip_tls_verify);
    CHECK(json.users.at("j").token == "json-token");
    CHECK(json.contexts.at("j").namespace_name == "jns");

    const KubeConfig lenient = load_file(data_dir + "/lenient.yaml");
    CHECK(lenient.current_context == "ctx");
    CHECK(lenient.clusters.at("c").server == "https://lenient.example");
    CHECK(lenient.clusters.at("c").insecure_skip_tls_verify); // "yes" is YAML 1.1 true
    CHECK(lenient.users.at("u").token == "12345");
}

TEST_CASE("Unloadable files are errors naming the file", "[kube]") {
    SECTION("apiVersion other than v1") {
        const std::string path = data_dir + "/v2.yaml";
        CHECK(error_of([&] { (void)load_file(path); }) ==
              "error loading config file \"" + path +
                  "\": no kind \"Config\" is registered for version \"v2\"");
    }
    SECTION("bad YAML") {
        const std::string path = data_dir + "/bad-yaml.yaml";
        const std::string message = error_of([&] { (void)load_file(path); });
        CHECK_THAT(message,
                   Catch::StartsWith("error loading config file \"" + path + "\": yaml: line "));
    }
    SECTION("bad base64 in a *-data field, with Go's offset") {
        const std::string path = data_dir + "/bad-base64.yaml";
        CHECK(error_of([&] { (void)load_file(path); }) ==
              "error loading config file \"" + path + "\": illegal base64 data at input byte 3");
    }
    SECTION("a directory") {
        TempDir dir;
        std::filesystem::create_directories(dir.path() / "kc");
        const std::string path = dir.file("kc");
        CHECK(error_of([&] { (void)load_file(path); }) ==
              "error loading config file \"" + path + "\": read " + path + ": is a directory");
    }
    SECTION("a name twice in one file") {
        TempDir dir;
        const std::string path = dir.write(
            "kc.yaml", "users:\n- name: u\n  user: {token: secret-1}\n- name: u\n  user: {}\n");
        const std::string message = error_of([&] { (void)load_file(path); });
        CHECK(message ==
              "error loading config file \"" + path + "\": duplicate name \"u\" in users list");
        CHECK(message.find("secret-1") == std::string::npos);
    }
    SECTION("not a mapping") {
        TempDir dir;
        const std::string path = dir.write("kc.yaml", "- just\n- a list\n");
        CHECK_THAT(error_of([&] { (void)load_file(path); }),
                   Catch::StartsWith("error loading config file \"" + path + "\": "));
    }
    SECTION("nested without bound (it once overflowed the stack)") {
        TempDir dir;
        const std::size_t levels = 50'000;
        const std::string path = dir.write("kc.json", "{\"a\": " + std::string(levels, '[') +
                                                          std::string(levels, ']') + "}");
        CHECK(error_of([&] { (void)load_file(path); }) ==
              "error loading config file \"" + path + "\": yaml: line 1: nested too deeply");
    }
    SECTION("every broken file of KUBECONFIG is reported") {
        const std::string a = data_dir + "/v2.yaml";
        const std::string b = data_dir + "/bad-base64.yaml";
        const auto env = make_env({{"KUBECONFIG", a + ":" + b}});
        const std::string message = error_of([&] { (void)load_kubeconfig({}, env); });
        CHECK_THAT(message, Catch::StartsWith("[error loading config file \"" + a + "\""));
        CHECK_THAT(message, Catch::Contains(", error loading config file \"" + b + "\""));
    }
}

TEST_CASE("*-data fields are base64-decoded", "[kube]") {
    TempDir dir;
    const KubeConfig config = load_file(
        dir.write("kc.yaml", "clusters:\n- name: c\n  cluster:\n    certificate-authority-data: "
                             "Q0EtUEVN\nusers:\n- name: u\n  user:\n    client-certificate-data: "
                             "Q0VSVA==\n    client-key-data: |\n      S0VZ\n      LVBFTQ==\n"));
    CHECK(config.clusters.at("c").certificate_authority_data == "CA-PEM");
    CHECK(config.users.at("u").client_certificate_data == "CERT");
    CHECK(config.users.at("u").client_key_data == "KEY-PEM"); // newlines are skipped, as Go
}

// ---------------------------------------------------------------------------------------------
// §1.2 Merge rules

TEST_CASE("KUBECONFIG merge: the first file defining a name wins the whole entry", "[kube]") {
    const auto env =
        make_env({{"KUBECONFIG", data_dir + "/merge-a.yaml:" + data_dir + "/merge-b.yaml"}});
    const KubeConfig config = load_kubeconfig({}, env);
    const ClusterEntry& shared = config.clusters.at("shared");
    CHECK(shared.server == "https://a.example:6443");
    CHECK_FALSE(shared.insecure_skip_tls_verify); // b's fields are not merged in
    CHECK(shared.tls_server_name.empty());
    CHECK(shared.origin == data_dir + "/merge-a.yaml");
    CHECK(config.users.at("ua").token == "token-a");
    CHECK(config.users.at("ub").origin == data_dir + "/merge-b.yaml");
}

TEST_CASE("KUBECONFIG merge: current-context comes from the first file that sets it", "[kube]") {
    const std::string a = data_dir + "/merge-a.yaml";
    const std::string b = data_dir + "/merge-b.yaml";
    const std::string c = data_dir + "/merge-c.yaml";
    CHECK(load_kubeconfig({}, make_env({{"KUBECONFIG", a + ":" + b}})).current_context == "ctx-b");
    CHECK(load_kubeconfig({}, make_env({{"KUBECONFIG", c + ":" + a + ":" + b}})).current_context ==
          "ctx-a");
}

TEST_CASE("KUBECONFIG merge: a context may use a user defined in another file", "[kube]") {
    const auto env =
        make_env({{"KUBECONFIG", data_dir + "/merge-a.yaml:" + data_dir + "/merge-b.yaml"}});
    Overrides overrides;
    overrides.context = "ctx-a";
    const RestConfig rc = resolve(load_kubeconfig({}, env), overrides, env);
    CHECK(rc.server == "https://a.example:6443");
    CHECK(rc.token == "token-b");
    CHECK(rc.namespace_name == "ns-a");
    CHECK(rc.context == "ctx-a");
}

TEST_CASE("Relative paths resolve per entry against the defining file's directory", "[kube]") {
    const std::string dir = data_dir + "/relative/d2";
    const KubeConfig config = load_file(dir + "/kc.yaml");
    CHECK(config.clusters.at("rel").certificate_authority == data_dir + "/relative/d1/ca.crt");
    CHECK(config.clusters.at("rel").proxy_url == "socks5://proxy.local:1080"); // not a path
    const UserEntry& user = config.users.at("rel");
    CHECK(user.client_certificate == dir + "/client.crt");
    CHECK(user.client_key == "/etc/absolute/client.key");
    CHECK(user.token_file == dir + "/secrets/token");
    CHECK(config.users.at("exec-path").exec->command == dir + "/bin/plugin");
    CHECK(config.users.at("exec-name").exec->command == "aws"); // PATH lookup, untouched
}

TEST_CASE("A relative --kubeconfig resolves against the working directory", "[kube]") {
    TempDir dir;
    dir.write("sub/kc.yaml", "clusters:\n- name: c\n  cluster:\n    certificate-authority: ca\n");
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    KubeConfig config;
    try {
        config = load_file("sub/kc.yaml");
    } catch (...) {
        std::filesystem::current_path(cwd);
        throw;
    }
    std::filesystem::current_path(cwd);
    const auto real = std::filesystem::canonical(dir.path());
    const std::string resolved = config.clusters.at("c").certificate_authority;
    CHECK((resolved == (dir.path() / "sub/ca").string() || resolved == (real / "sub/ca").string()));
}

TEST_CASE("exec stanza: fields, v1beta1 default interactiveMode, v1 has none", "[kube]") {
    TempDir dir;
    const KubeConfig config = load_file(dir.write(
        "kc.yaml",
        "users:\n"
        "- name: beta\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: gke-gcloud-auth-plugin\n      provideClusterInfo: true\n"
        "      installHint: install it\n      args: [a, b]\n"
        "      env: [{name: K, value: V}]\n"
        "- name: v1\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
        "      command: p\n"
        "- name: never\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
        "      command: p\n      interactiveMode: Never\n"));
    const ExecConfig& beta = *config.users.at("beta").exec;
    CHECK(beta.command == "gke-gcloud-auth-plugin");
    CHECK(beta.args == std::vector<std::string>{"a", "b"});
    REQUIRE(beta.env.size() == 1);
    CHECK(beta.env[0].name == "K");
    CHECK(beta.env[0].value == "V");
    CHECK(beta.provide_cluster_info);
    CHECK(beta.install_hint == "install it");
    CHECK(beta.interactive_mode == InteractiveMode::if_available);
    CHECK(beta.interactive_mode_raw == "IfAvailable");
    CHECK(config.users.at("v1").exec->interactive_mode_raw.empty());
    CHECK(config.users.at("never").exec->interactive_mode == InteractiveMode::never);
}

TEST_CASE("Cluster exec extension, auth-provider and impersonation fields are read", "[kube]") {
    TempDir dir;
    const KubeConfig config = load_file(dir.write(
        "kc.yaml",
        "clusters:\n- name: c\n  cluster:\n    server: https://c\n    extensions:\n"
        "    - name: other\n      extension: {x: 1}\n"
        "    - name: client.authentication.k8s.io/exec\n"
        "      extension: {audience: nova-test, n: 3, on: true}\n"
        "users:\n- name: u\n  user:\n    as: alice\n    as-uid: '42'\n    as-groups: [g1, g2]\n"
        "    as-user-extra: {scopes: [s1, s2]}\n"
        "    auth-provider: {name: oidc, config: {id-token: abc, client-id: k}}\n"));
    CHECK(config.clusters.at("c").exec_extension ==
          nlohmann::json{{"audience", "nova-test"}, {"n", 3}, {"on", true}});
    const UserEntry& user = config.users.at("u");
    CHECK(user.as == "alice");
    CHECK(user.as_uid == "42");
    CHECK(user.as_groups == std::vector<std::string>{"g1", "g2"});
    CHECK(user.as_user_extra.at("scopes") == std::vector<std::string>{"s1", "s2"});
    REQUIRE(user.auth_provider);
    CHECK(user.auth_provider->name == "oidc");
    CHECK(user.auth_provider->config.at("id-token") == "abc");
}

// ---------------------------------------------------------------------------------------------
// §1.4 Resolution and flag precedence

TEST_CASE("Step 1: the context is --context, else current-context", "[kube]") {
    Fixture f;
    CHECK(resolve_yaml(f.dir, f.config()).server == "https://c.example:6443");
    Overrides overrides;
    overrides.context = "ctx2";
    const RestConfig rc = resolve_yaml(f.dir, f.config(), overrides);
    CHECK(rc.server == "https://other.example:8443/prefix");
    CHECK(rc.token == "token-u2");
    CHECK(rc.context == "ctx2");
}

TEST_CASE("Step 1: a missing context, as kubectl reports it", "[kube]") {
    Fixture f;
    Overrides overrides;
    overrides.context = "nope";
    CHECK(resolve_error(f.dir, f.config(), overrides) ==
          "invalid configuration: context was not found for specified context: nope");
    // With -n the namespace step is skipped, and ClientConfig() speaks first.
    overrides.namespace_name = "ns";
    CHECK(resolve_error(f.dir, f.config(), overrides) == "context \"nope\" does not exist");
    // A current-context naming a missing context.
    TempDir dir;
    CHECK(resolve_error(dir, "current-context: ghost\n") ==
          "invalid configuration: context was not found for specified context: ghost");
}

TEST_CASE("Step 1: no context at all gives the default, http://localhost:8080", "[kube]") {
    TempDir dir;
    const RestConfig rc = resolve_yaml(dir, "");
    CHECK(rc.server == "http://localhost:8080");
    CHECK(rc.namespace_name == "default");
    CHECK(rc.context.empty());
    CHECK_FALSE(rc.uses_tls());
}

TEST_CASE("Step 1: missing --user and --cluster", "[kube]") {
    Fixture f;
    Overrides overrides;
    overrides.user = "nouser";
    CHECK(resolve_error(f.dir, f.config(), overrides) == "auth info \"nouser\" does not exist");
    overrides = {};
    overrides.cluster = "nocluster";
    CHECK(resolve_error(f.dir, f.config(), overrides) ==
          "invalid configuration: no server found for cluster \"nocluster\"");
    overrides.namespace_name = "ns";
    CHECK(resolve_error(f.dir, f.config(), overrides) == "cluster \"nocluster\" does not exist");
}

TEST_CASE("Step 2: --cluster, --user and -n override the context's fields", "[kube]") {
    Fixture f;
    Overrides overrides;
    overrides.cluster = "other";
    CHECK(resolve_yaml(f.dir, f.config(), overrides).server == "https://other.example:8443/prefix");
    overrides = {};
    overrides.user = "u2";
    CHECK(resolve_yaml(f.dir, f.config(), overrides).token == "token-u2");
    overrides = {};
    overrides.namespace_name = "flag-ns";
    CHECK(resolve_yaml(f.dir, f.config("", "    token: t\n", "    namespace: ctx-ns\n"), overrides)
              .namespace_name == "flag-ns");
}

TEST_CASE("Step 3: cluster defaults are $KUBERNETES_MASTER or http://localhost:8080", "[kube]") {
    TempDir dir;
    const std::string yaml = "current-context: x\ncontexts:\n- name: x\n  context:\n"
                             "    cluster: missing\n    user: missing\n    namespace: nsx\n";
    const RestConfig rc = resolve_yaml(dir, yaml);
    CHECK(rc.server == "http://localhost:8080"); // a context's missing cluster is not an error
    CHECK(rc.namespace_name == "nsx");
    const auto env = make_env({{"KUBERNETES_MASTER", "https://master.example:6443"}});
    CHECK(resolve_yaml(dir, yaml, {}, env).server == "https://master.example:6443");
}

TEST_CASE("Step 3: cluster flags overlay the kubeconfig cluster", "[kube]") {
    Fixture f;
    const std::string yaml = f.config("    certificate-authority: " + f.ca + "\n");
    SECTION("kubeconfig values") {
        const RestConfig rc = resolve_yaml(f.dir, yaml);
        CHECK(rc.ca_pem == nova::kube::test::read_text(f.ca));
        CHECK_FALSE(rc.insecure);
        CHECK_FALSE(rc.disable_compression);
    }
    SECTION("--server") {
        Overrides overrides;
        overrides.server = "https://flag.example:1234";
        CHECK(resolve_yaml(f.dir, yaml, overrides).server == "https://flag.example:1234");
    }
    SECTION("--certificate-authority") {
        Overrides overrides;
        overrides.certificate_authority = f.ca2;
        CHECK(resolve_yaml(f.dir, yaml, overrides).ca_pem == nova::kube::test::read_text(f.ca2));
    }
    SECTION("--tls-server-name") {
        Overrides overrides;
        overrides.tls_server_name = "api.internal";
        CHECK(resolve_yaml(f.dir, yaml, overrides).tls_server_name == "api.internal");
    }
    SECTION("--disable-compression") {
        Overrides overrides;
        overrides.disable_compression = true;
        CHECK(resolve_yaml(f.dir, yaml, overrides).disable_compression);
    }
    SECTION("kubeconfig proxy-url and disable-compression") {
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("    proxy-url: http://proxy:3128\n    disable-compression: true\n"));
        CHECK(rc.proxy_url == "http://proxy:3128");
        CHECK(rc.disable_compression);
    }
}

TEST_CASE("Special rule 1: --insecure-skip-tls-verify or --certificate-authority replace CA "
          "file, CA data and insecure together",
          "[kube]") {
    Fixture f;
    SECTION("--insecure-skip-tls-verify clears a kubeconfig CA (data)") {
        Overrides overrides;
        overrides.insecure_skip_tls_verify = true;
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("    certificate-authority-data: Q0EtREFUQQ==\n"), overrides);
        CHECK(rc.insecure);
        CHECK(rc.ca_pem.empty());
    }
    SECTION("--insecure-skip-tls-verify clears a kubeconfig CA (file)") {
        Overrides overrides;
        overrides.insecure_skip_tls_verify = true;
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("    certificate-authority: " + f.ca + "\n"), overrides);
        CHECK(rc.insecure);
        CHECK(rc.ca_pem.empty());
    }
    SECTION("--certificate-authority clears CA data and insecure") {
        Overrides overrides;
        overrides.certificate_authority = f.ca2;
        const RestConfig rc = resolve_yaml(f.dir,
                                           f.config("    certificate-authority-data: Q0EtREFUQQ==\n"
                                                    "    insecure-skip-tls-verify: true\n"),
                                           overrides);
        CHECK_FALSE(rc.insecure);
        CHECK(rc.ca_pem == nova::kube::test::read_text(f.ca2));
    }
    SECTION("without the flags, CA data wins and CA plus insecure is refused") {
        CHECK(resolve_yaml(f.dir, f.config("    certificate-authority-data: Q0EtREFUQQ==\n"))
                  .ca_pem == "CA-DATA");
        CHECK(resolve_error(f.dir, f.config("    certificate-authority-data: Q0EtREFUQQ==\n"
                                            "    insecure-skip-tls-verify: true\n")) ==
              "specifying a root certificates file with the insecure flag is not allowed");
    }
}

TEST_CASE("Special rule 2: --server or --tls-server-name set tls-server-name to the flag",
          "[kube]") {
    Fixture f;
    const std::string yaml = f.config("    tls-server-name: kube.internal\n");
    CHECK(resolve_yaml(f.dir, yaml).tls_server_name == "kube.internal");
    Overrides overrides;
    overrides.server = "https://10.0.0.1:6443";
    CHECK(resolve_yaml(f.dir, yaml, overrides).tls_server_name.empty());
    overrides.tls_server_name = "flag.internal";
    CHECK(resolve_yaml(f.dir, yaml, overrides).tls_server_name == "flag.internal");
}

TEST_CASE("Step 4: user flags overlay the kubeconfig user", "[kube]") {
    Fixture f;
    SECTION("--token replaces token and tokenFile") {
        Overrides overrides;
        overrides.token = "flag-token";
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("", "    token: t\n    tokenFile: " + f.token_file + "\n"), overrides);
        CHECK(rc.token == "flag-token");
        CHECK(rc.token_file.empty());
    }
    SECTION("--client-certificate replaces client-certificate-data") {
        Overrides overrides;
        overrides.client_certificate = f.cert;
        const RestConfig rc = resolve_yaml(
            f.dir,
            f.config("",
                     "    client-certificate-data: RGF0YUNlcnQ=\n    client-key: " + f.key + "\n"),
            overrides);
        CHECK(rc.client_certificate_pem == "CLIENT-CERT-PEM");
        CHECK(rc.client_key_pem == "CLIENT-KEY-PEM");
    }
    SECTION("--client-key replaces client-key-data") {
        Overrides overrides;
        overrides.client_key = f.key;
        const RestConfig rc =
            resolve_yaml(f.dir,
                         f.config("", "    client-certificate: " + f.cert +
                                          "\n    client-key-data: RGF0YUtleQ==\n"),
                         overrides);
        CHECK(rc.client_key_pem == "CLIENT-KEY-PEM");
    }
    SECTION("kubeconfig client certificate data") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("", "    client-certificate-data: RGF0YUNlcnQ=\n"
                                             "    client-key-data: RGF0YUtleQ==\n"));
        CHECK(rc.client_certificate_pem == "DataCert");
        CHECK(rc.client_key_pem == "DataKey");
        CHECK(rc.token.empty());
    }
    SECTION("--as, --as-uid, --as-group (replacing the list)") {
        Overrides overrides;
        overrides.as = "bob";
        overrides.as_uid = "7";
        overrides.as_groups = {"x", "y"};
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("", "    token: t\n    as: alice\n    as-groups: [g1]\n"), overrides);
        CHECK(rc.impersonate.user == "bob");
        CHECK(rc.impersonate.uid == "7");
        CHECK(rc.impersonate.groups == std::vector<std::string>{"x", "y"});
    }
    SECTION("kubeconfig impersonation with user extras") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("", "    as: alice\n    as-groups: [g1]\n"
                                             "    as-user-extra: {scopes: [s1]}\n"));
        CHECK(rc.impersonate.user == "alice");
        CHECK(rc.impersonate.groups == std::vector<std::string>{"g1"});
        CHECK(rc.impersonate.extra.at("scopes") == std::vector<std::string>{"s1"});
    }
    SECTION("--username and --password") {
        Overrides overrides;
        overrides.username = "a";
        overrides.password = "b";
        const RestConfig rc = resolve_yaml(f.dir, f.config("", "    username: x\n"), overrides);
        CHECK(rc.username == "a");
        CHECK(rc.password == "b");
    }
}

TEST_CASE("Step 5: validation messages", "[kube]") {
    Fixture f;
    const std::string prefix = "invalid configuration: ";
    SECTION("token and basic auth") {
        CHECK(resolve_error(f.dir, f.config("", "    token: t\n    username: a\n    password: "
                                                "b\n")) ==
              prefix + "more than one authentication method found for u; found [token "
                       "basicAuth], only one is allowed");
        Overrides overrides;
        overrides.token = "t";
        overrides.username = "a";
        CHECK(resolve_error(f.dir, f.config("", "    as: x\n"), overrides) ==
              prefix + "more than one authentication method found for u; found [token "
                       "basicAuth], only one is allowed");
    }
    SECTION("a client certificate may go with a token") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("", "    token: t\n    client-certificate: " + f.cert +
                                                 "\n    client-key: " + f.key + "\n"));
        CHECK(rc.token == "t");
        CHECK(rc.client_certificate_pem == "CLIENT-CERT-PEM");
    }
    SECTION("--as-group without --as") {
        Overrides overrides;
        overrides.as_groups = {"g"};
        CHECK(resolve_error(f.dir, f.config(), overrides) ==
              prefix + "requesting uid, groups or user-extra for u without impersonating a user");
    }
    SECTION("client certificate without a key") {
        CHECK(resolve_error(f.dir, f.config("", "    client-certificate: " + f.cert + "\n")) ==
              prefix + "client-key-data or client-key must be specified for u to use the "
                       "clientCert authentication method.");
    }
    SECTION("client certificate file missing") {
        const std::string missing = f.dir.file("missing.crt");
        CHECK(resolve_error(f.dir, f.config("", "    client-certificate: " + missing +
                                                    "\n    client-key: " + f.key + "\n")) ==
              prefix + "unable to read client-cert " + missing + " for u due to open " + missing +
                  ": no such file or directory");
    }
    SECTION("certificate-authority file missing") {
        const std::string missing = f.dir.file("missing-ca.crt");
        CHECK(resolve_error(f.dir, f.config("    certificate-authority: " + missing + "\n")) ==
              prefix + "unable to read certificate-authority " + missing + " for c due to open " +
                  missing + ": no such file or directory");
    }
    SECTION("certificate-authority and -data both") {
        CHECK(resolve_error(f.dir, f.config("    certificate-authority: " + f.ca +
                                            "\n    certificate-authority-data: Q0E=\n")) ==
              prefix + "certificate-authority-data and certificate-authority are both specified "
                       "for c. certificate-authority-data will override.");
    }
    SECTION("proxy-url with an unsupported scheme") {
        CHECK(resolve_error(f.dir, f.config("    proxy-url: ftp://proxy\n")) ==
              prefix + "invalid 'proxy-url' \"ftp://proxy\" for cluster \"c\": unsupported "
                       "scheme \"ftp\", must be http, https, or socks5");
    }
    SECTION("several problems are listed together") {
        Overrides overrides;
        overrides.as_groups = {"g"};
        CHECK(resolve_error(f.dir, f.config("", "    token: t\n    username: a\n"), overrides) ==
              prefix + "[more than one authentication method found for u; found [token "
                       "basicAuth], only one is allowed, requesting uid, groups or user-extra "
                       "for u without impersonating a user]");
    }
    SECTION("only the selected user is validated") {
        TempDir dir;
        const std::string yaml =
            "current-context: ok\nclusters:\n- name: c\n  cluster: {server: https://c}\n"
            "users:\n- name: ok\n  user: {token: t}\n"
            "- name: broken\n  user: {token: a, username: b}\n"
            "contexts:\n- name: ok\n  context: {cluster: c, user: ok}\n";
        CHECK(resolve_yaml(dir, yaml).token == "t");
    }
}

TEST_CASE("Step 5 and §2.1: exec stanza validation", "[kube]") {
    Fixture f;
    const std::string prefix = "invalid configuration: ";
    const auto exec_user = [](const std::string& body) {
        return "    exec:\n" + body;
    };
    SECTION("v1 without interactiveMode") {
        CHECK(resolve_error(f.dir, f.config("", exec_user("      apiVersion: "
                                                          "client.authentication.k8s.io/v1\n"
                                                          "      command: p\n"))) ==
              prefix + "interactiveMode must be specified for u to use exec authentication "
                       "plugin");
    }
    SECTION("invalid interactiveMode") {
        CHECK(resolve_error(f.dir, f.config("", exec_user("      apiVersion: "
                                                          "client.authentication.k8s.io/v1\n"
                                                          "      command: p\n"
                                                          "      interactiveMode: Sometimes\n"))) ==
              prefix + "invalid interactiveMode for u: \"Sometimes\"");
    }
    SECTION("command and apiVersion missing, env without a name") {
        CHECK(
            resolve_error(f.dir, f.config("", exec_user("      env: [{name: '', value: x}]\n"))) ==
            prefix + "[command must be specified for u to use exec authentication plugin, "
                     "apiVersion must be specified for u to use exec authentication plugin, "
                     "env variable name must be specified for u to use exec authentication "
                     "plugin, interactiveMode must be specified for u to use exec "
                     "authentication plugin]");
    }
    SECTION("exec together with auth-provider") {
        CHECK(
            resolve_error(f.dir, f.config("", "    auth-provider: {name: oidc}\n" +
                                                  exec_user("      apiVersion: "
                                                            "client.authentication.k8s.io/v1beta1\n"
                                                            "      command: p\n"))) ==
            prefix + "authProvider cannot be provided in combination with an exec plugin for u");
    }
    SECTION("apiVersion v1alpha1 was removed") {
        CHECK(resolve_error(f.dir, f.config("", exec_user("      apiVersion: "
                                                          "client.authentication.k8s.io/v1alpha1\n"
                                                          "      command: p\n"))) ==
              "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\"");
    }
    SECTION("a valid stanza reaches the RestConfig with the cluster's exec extension") {
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("    extensions:\n    - name: client.authentication.k8s.io/exec\n"
                            "      extension: {audience: nova}\n",
                            exec_user("      apiVersion: client.authentication.k8s.io/v1\n"
                                      "      command: p\n      interactiveMode: Never\n")));
        REQUIRE(rc.exec);
        CHECK(rc.exec->command == "p");
        CHECK(rc.exec_user == "u");
        CHECK(rc.exec_cluster_config == nlohmann::json{{"audience", "nova"}});
    }
}

TEST_CASE("Step 6: --request-timeout", "[kube]") {
    CHECK(parse_request_timeout("") == 0ms);
    CHECK(parse_request_timeout("0") == 0ms);
    CHECK(parse_request_timeout("7") == 7s);
    CHECK(parse_request_timeout("+7") == 7s);
    CHECK(parse_request_timeout("5s") == 5s);
    CHECK(parse_request_timeout("2m") == 2min);
    CHECK(parse_request_timeout("1h30m") == 90min);
    CHECK(parse_request_timeout("1.5s") == 1500ms);
    CHECK(parse_request_timeout("300us") == 1ms); // never rounds down to "no timeout"
    CHECK(parse_request_timeout("-5s") == 0ms);
    // Huge values are capped at ten years, so that a deadline never overflows the clock.
    CHECK(parse_request_timeout("2562047h") == std::chrono::hours(24 * 365 * 10));
    CHECK(parse_request_timeout("9223372036") == std::chrono::hours(24 * 365 * 10));
    const std::string message =
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
        "followed by a corresponding time unit (e.g. 1s | 2m | 3h)";
    for (const char* bad : {"abc", "5x", "-5", "1.5", "s", "99999999999999"}) {
        INFO(bad);
        CHECK(error_of([&] { (void)parse_request_timeout(bad); }, ExitCode::usage) == message);
    }
    Fixture f;
    Overrides overrides;
    overrides.request_timeout = "5s";
    CHECK(resolve_yaml(f.dir, f.config(), overrides).request_timeout == 5s);
    overrides.request_timeout = "soon";
    CHECK(resolve_error(f.dir, f.config(), overrides, make_env({}), ExitCode::usage) == message);
}

TEST_CASE("Step 7: server URL rules", "[kube]") {
    Fixture f;
    const auto server_of = [&](const std::string& server) {
        Overrides overrides;
        overrides.server = server;
        return resolve_yaml(f.dir, f.config(), overrides);
    };
    CHECK(server_of("https://a.example:6443").server == "https://a.example:6443");
    CHECK(server_of("https://a.example:6443/").server == "https://a.example:6443");
    CHECK(server_of("https://a.example/k8s/clusters/c-1/").server ==
          "https://a.example/k8s/clusters/c-1");
    CHECK(server_of("https://a.example/prefix?x=1#frag").server == "https://a.example/prefix");
    CHECK(server_of("HTTPS://a.example").server == "https://a.example");
    CHECK(server_of("https://[::1]:6443").server == "https://[::1]:6443");
    CHECK(server_of("https://user:secret@a.example").server == "https://a.example");
    SECTION("a server without a scheme is http, and gets no credentials") {
        const RestConfig rc = server_of("10.0.0.1:6443");
        CHECK(rc.server == "http://10.0.0.1:6443");
        CHECK(rc.token.empty());
        CHECK(server_of("localhost:8080").server == "http://localhost:8080");
    }
    SECTION("a scheme-less server with a path is refused") {
        Overrides overrides;
        overrides.server = "a.example:6443/prefix";
        CHECK(resolve_error(f.dir, f.config(), overrides) ==
              "host must be a URL or a host:port pair: \"a.example:6443/prefix\"");
    }
    SECTION("other schemes are refused") {
        Overrides overrides;
        overrides.server = "ftp://a.example";
        CHECK_THAT(resolve_error(f.dir, f.config(), overrides),
                   Catch::Contains("unsupported protocol scheme \"ftp\""));
        overrides.server = "ftp://alice:pa55word@a.example/x";
        const std::string message = resolve_error(f.dir, f.config(), overrides);
        CHECK_THAT(message, Catch::Contains("\"ftp://***@a.example/x\""));
        CHECK(message.find("pa55word") == std::string::npos);
    }
}

TEST_CASE("Step 7: no credentials over plain http", "[kube]") {
    Fixture f;
    const std::string yaml =
        "current-context: ctx\nclusters:\n- name: c\n  cluster:\n    server: http://plain:8080\n"
        "users:\n- name: u\n  user:\n    token: secret\n    as: alice\n"
        "- name: cert\n  user:\n    client-certificate: " +
        f.cert + "\n    client-key: " + f.key +
        "\n- name: basic\n  user:\n    username: a\n    password: b\n"
        "- name: exec\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1, "
        "command: p}\n"
        "- name: gcp\n  user:\n    auth-provider: {name: gcp}\n"
        "contexts:\n- name: ctx\n  context: {cluster: c, user: u}\n";
    for (const char* user : {"u", "cert", "basic", "exec", "gcp"}) {
        INFO(user);
        Overrides overrides;
        overrides.user = user;
        const RestConfig rc = resolve_yaml(f.dir, yaml, overrides);
        CHECK(rc.server == "http://plain:8080");
        CHECK(rc.token.empty());
        CHECK(rc.token_file.empty());
        CHECK(rc.client_certificate_pem.empty());
        CHECK(rc.client_key_pem.empty());
        CHECK(rc.username.empty());
        CHECK(rc.password.empty());
        CHECK_FALSE(rc.exec);
    }
    Overrides overrides;
    overrides.token = "flag-token";
    const RestConfig rc = resolve_yaml(f.dir, yaml, overrides);
    CHECK(rc.token.empty());
    CHECK(rc.impersonate.user == "alice"); // impersonation headers are still sent
}

TEST_CASE("Step 8: token and tokenFile at resolution", "[kube]") {
    Fixture f;
    SECTION("both: the inline token is kept as the fallback, the file is remembered") {
        const RestConfig rc = resolve_yaml(
            f.dir, f.config("", "    token: inline-A\n    tokenFile: " + f.token_file + "\n"));
        CHECK(rc.token == "inline-A");
        CHECK(rc.token_file == f.token_file);
    }
    SECTION("tokenFile alone is read now, trimmed") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("", "    tokenFile: " + f.token_file + "\n"));
        CHECK(rc.token == "file-token");
        CHECK(rc.token_file == f.token_file);
    }
    SECTION("tokenFile alone, missing") {
        const std::string missing = f.dir.file("no-token");
        CHECK(resolve_error(f.dir, f.config("", "    tokenFile: " + missing + "\n")) ==
              "open " + missing + ": no such file or directory");
    }
    SECTION("a relative tokenFile resolves against the kubeconfig's directory") {
        const RestConfig rc = resolve_yaml(f.dir, f.config("", "    tokenFile: token\n"));
        CHECK(rc.token == "file-token");
    }
}

TEST_CASE("auth-provider: oidc id-token, and the removed providers", "[kube]") {
    Fixture f;
    const auto provider = [](const std::string& body) {
        return "    auth-provider:\n" + body;
    };
    SECTION("oidc's id-token is the bearer token") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config("", provider("      name: oidc\n      config:\n"
                                                      "        id-token: the-id-token\n"
                                                      "        refresh-token: r\n")));
        CHECK(rc.token == "the-id-token");
    }
    SECTION("a token from the flags wins over oidc") {
        Overrides overrides;
        overrides.token = "flag";
        CHECK(resolve_yaml(
                  f.dir, f.config("", provider("      name: oidc\n      config: {id-token: x}\n")),
                  overrides)
                  .token == "flag");
    }
    SECTION("oidc without an id-token") {
        const std::string message =
            resolve_error(f.dir, f.config("", provider("      name: oidc\n      config:\n"
                                                       "        refresh-token: r\n")));
        CHECK_THAT(message, Catch::Contains("no id-token"));
        CHECK_THAT(message, Catch::Contains("refreshing it is not supported"));
        CHECK_THAT(message, Catch::Contains("kubelogin"));
    }
    SECTION("oidc with an expired JWT") {
        // {"alg":"none"} . {"exp":1000000000} . signature
        const std::string jwt = "eyJhbGciOiJub25lIn0.eyJleHAiOjEwMDAwMDAwMDB9.c2ln";
        const std::string message = resolve_error(
            f.dir,
            f.config("", provider("      name: oidc\n      config: {id-token: " + jwt + "}\n")));
        CHECK_THAT(message, Catch::Contains("has expired"));
        CHECK(message.find(jwt) == std::string::npos);
    }
    SECTION("gcp") {
        CHECK(resolve_error(f.dir, f.config("", provider("      name: gcp\n"))) ==
              "The gcp auth plugin has been removed.\nPlease use the \"gke-gcloud-auth-plugin\" "
              "kubectl/client-go credential plugin instead.\nSee "
              "https://cloud.google.com/blog/products/containers-kubernetes/"
              "kubectl-auth-changes-in-gke for further details");
    }
    SECTION("azure") {
        const std::string message =
            resolve_error(f.dir, f.config("", provider("      name: azure\n")));
        CHECK_THAT(message, Catch::StartsWith("The azure auth plugin has been removed.\n"));
        CHECK_THAT(message, Catch::Contains("https://github.com/Azure/kubelogin"));
    }
    SECTION("anything else") {
        CHECK_THAT(resolve_error(f.dir, f.config("", provider("      name: keystone\n"))),
                   Catch::StartsWith("no Auth Provider found for name \"keystone\""));
    }
}

// ---------------------------------------------------------------------------------------------
// §1.5 In-cluster configuration

namespace {

struct InCluster {
    TempDir dir;
    std::filesystem::path sa = dir.path() / "serviceaccount";
    InCluster() {
        dir.write("serviceaccount/token", "sa-token-xyz\n");
        dir.write("serviceaccount/ca.crt",
                  "-----BEGIN CERTIFICATE-----\nSA-CA\n-----END CERTIFICATE-----\n");
        dir.write("serviceaccount/namespace", " in-ns \n");
    }
    [[nodiscard]] Environment env(std::map<std::string, std::string> extra = {}) const {
        extra.emplace("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        extra.emplace("KUBERNETES_SERVICE_PORT", "443");
        return make_env(std::move(extra), dir.path() / "home", sa);
    }
};

} // namespace

TEST_CASE("In-cluster: used when possible and the kubeconfig gives only the default", "[kube]") {
    InCluster ic;
    const RestConfig rc = resolve_yaml(ic.dir, "", {}, ic.env());
    CHECK(rc.server == "https://10.96.0.1:443");
    CHECK(rc.token == "sa-token-xyz");
    CHECK(rc.token_file == (ic.sa / "token").string());
    CHECK(rc.ca_pem == nova::kube::test::read_text((ic.sa / "ca.crt").string()));
    CHECK(rc.namespace_name == "in-ns");
    CHECK(rc.context.empty());
}

TEST_CASE("In-cluster: IPv6 host gets brackets, and an unusable CA means system roots", "[kube]") {
    InCluster ic;
    ic.dir.write("serviceaccount/ca.crt", "garbage");
    const RestConfig rc =
        resolve_yaml(ic.dir, "", {}, ic.env({{"KUBERNETES_SERVICE_HOST", "fd00::1"}}));
    CHECK(rc.server == "https://[fd00::1]:443");
    CHECK(rc.ca_pem.empty());
}

TEST_CASE("In-cluster: a kubeconfig with a current-context wins", "[kube]") {
    InCluster ic;
    Fixture f;
    const RestConfig rc = resolve_yaml(f.dir, f.config(), {}, ic.env());
    CHECK(rc.server == "https://c.example:6443");
    CHECK(rc.token == "token-u");
}

TEST_CASE("In-cluster: a kubeconfig without a current-context falls back to in-cluster", "[kube]") {
    InCluster ic;
    TempDir dir;
    const RestConfig rc =
        resolve_yaml(dir, "clusters:\n- name: c\n  cluster: {server: https://c}\n", {}, ic.env());
    CHECK(rc.server == "https://10.96.0.1:443");
}

TEST_CASE("In-cluster: --server or --request-timeout make the config non-default", "[kube]") {
    InCluster ic;
    Overrides overrides;
    overrides.server = "https://elsewhere:6443";
    CHECK(resolve_yaml(ic.dir, "", overrides, ic.env()).server == "https://elsewhere:6443");
    overrides = {};
    overrides.request_timeout = "5s";
    CHECK(resolve_yaml(ic.dir, "", overrides, ic.env()).server == "http://localhost:8080");
}

TEST_CASE("In-cluster: --token and --certificate-authority apply to it", "[kube]") {
    InCluster ic;
    const std::string ca = ic.dir.write("flag-ca.crt", "FLAG-CA");
    Overrides overrides;
    overrides.token = "flag-token";
    overrides.certificate_authority = ca;
    const RestConfig rc = resolve_yaml(ic.dir, "", overrides, ic.env());
    CHECK(rc.server == "https://10.96.0.1:443");
    CHECK(rc.token == "flag-token");
    CHECK(rc.token_file.empty());
    CHECK(rc.ca_pem == "FLAG-CA");
}

TEST_CASE("In-cluster is not possible without both variables and a token file", "[kube]") {
    InCluster ic;
    SECTION("no host") {
        const auto env = make_env({{"KUBERNETES_SERVICE_PORT", "443"}}, "/x", ic.sa);
        CHECK(resolve_yaml(ic.dir, "", {}, env).server == "http://localhost:8080");
    }
    SECTION("empty port") {
        CHECK(resolve_yaml(ic.dir, "", {}, ic.env({{"KUBERNETES_SERVICE_PORT", ""}})).server ==
              "http://localhost:8080");
    }
    SECTION("token is a directory") {
        std::filesystem::remove(ic.sa / "token");
        std::filesystem::create_directories(ic.sa / "token");
        CHECK(resolve_yaml(ic.dir, "", {}, ic.env()).server == "http://localhost:8080");
    }
    SECTION("no token file") {
        std::filesystem::remove(ic.sa / "token");
        CHECK(resolve_yaml(ic.dir, "", {}, ic.env()).server == "http://localhost:8080");
    }
}

// ---------------------------------------------------------------------------------------------
// §1.6 Namespace order

TEST_CASE("Namespace 1: -n is final, and validated", "[kube]") {
    Fixture f;
    InCluster ic;
    Overrides overrides;
    overrides.namespace_name = "flag-ns";
    CHECK(resolve_yaml(f.dir, f.config("", "    token: t\n", "    namespace: ctx-ns\n"), overrides,
                       ic.env({{"POD_NAMESPACE", "pod-ns"}}))
              .namespace_name == "flag-ns");
    overrides.namespace_name = "ns/bar";
    CHECK(resolve_error(f.dir, f.config(), overrides) ==
          "invalid namespace \"ns/bar\": [may not contain '/']");
    overrides.namespace_name = "..";
    CHECK(resolve_error(f.dir, f.config(), overrides) ==
          "invalid namespace \"..\": [may not be '..']");
    overrides.namespace_name = "Bad_NS";
    CHECK_THAT(resolve_error(f.dir, f.config(), overrides),
               Catch::StartsWith("invalid namespace \"Bad_NS\": [a lowercase RFC 1123 label"));
}

TEST_CASE("Namespace 2-4: the context's namespace, else default (no in-cluster)", "[kube]") {
    Fixture f;
    CHECK(resolve_yaml(f.dir, f.config("", "    token: t\n", "    namespace: ctx-ns\n"))
              .namespace_name == "ctx-ns");
    CHECK(resolve_yaml(f.dir, f.config()).namespace_name == "default");
    // POD_NAMESPACE means nothing when in-cluster is not possible.
    CHECK(resolve_yaml(f.dir, f.config(), {}, make_env({{"POD_NAMESPACE", "p"}})).namespace_name ==
          "default");
}

TEST_CASE("Namespace 5: with in-cluster possible", "[kube]") {
    InCluster ic;
    Fixture f;
    SECTION("a non-default context namespace is kept") {
        CHECK(resolve_yaml(f.dir, f.config("", "    token: t\n", "    namespace: ctx-ns\n"), {},
                           ic.env({{"POD_NAMESPACE", "pod-ns"}}))
                  .namespace_name == "ctx-ns");
    }
    SECTION("an explicit namespace: default is kept") {
        CHECK(resolve_yaml(f.dir, f.config("", "    token: t\n", "    namespace: default\n"), {},
                           ic.env({{"POD_NAMESPACE", "pod-ns"}}))
                  .namespace_name == "default");
    }
    SECTION("otherwise POD_NAMESPACE, even with a kubeconfig in use") {
        const RestConfig rc =
            resolve_yaml(f.dir, f.config(), {}, ic.env({{"POD_NAMESPACE", "pod-ns"}}));
        CHECK(rc.namespace_name == "pod-ns");
        CHECK(rc.token == "token-u"); // the kubeconfig still provides the connection
    }
    SECTION("otherwise the service-account namespace file, trimmed") {
        CHECK(resolve_yaml(f.dir, f.config(), {}, ic.env()).namespace_name == "in-ns");
    }
    SECTION("an empty POD_NAMESPACE and an empty namespace file mean default") {
        ic.dir.write("serviceaccount/namespace", "  \n");
        CHECK(resolve_yaml(f.dir, f.config(), {}, ic.env({{"POD_NAMESPACE", ""}})).namespace_name ==
              "default");
    }
    SECTION("no namespace file means default") {
        std::filesystem::remove(ic.sa / "namespace");
        CHECK(resolve_yaml(f.dir, f.config(), {}, ic.env()).namespace_name == "default");
    }
}

// ---------------------------------------------------------------------------------------------

TEST_CASE("resolve_context: another context, only timeout and verbosity carry over", "[kube]") {
    Fixture f;
    Overrides base;
    base.kubeconfig = f.dir.write("config.yaml", f.config());
    base.server = "https://flag.example";
    base.token = "flag-token";
    base.namespace_name = "flag-ns";
    base.request_timeout = "9s";
    base.verbosity = 6;
    const KubeConfig config = load_kubeconfig(base, make_env({}));
    const RestConfig rc = resolve_context(config, "ctx2", base, make_env({}));
    CHECK(rc.server == "https://other.example:8443/prefix");
    CHECK(rc.token == "token-u2");
    CHECK(rc.namespace_name == "default");
    CHECK(rc.request_timeout == 9s);
    CHECK(rc.verbosity == 6);
    CHECK(rc.context == "ctx2");
    CHECK(error_of([&] { (void)resolve_context(config, "nope", base, make_env({})); }) ==
          "invalid configuration: context was not found for specified context: nope");
}

TEST_CASE("Messages never contain secrets", "[kube]") {
    Fixture f;
    Overrides overrides;
    overrides.as_groups = {"g"};
    const std::string message = resolve_error(
        f.dir, f.config("", "    token: super-secret-token\n    password: hunter2\n"), overrides);
    CHECK(message.find("super-secret-token") == std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("parse_yaml_or_json: YAML 1.1 scalars, JSON, and errors without content", "[kube]") {
    CHECK(parse_yaml_or_json("a: yes\nb: '12'\nc: 12\nd: 1.5\ne: ~\nf: text\n") ==
          nlohmann::json{
              {"a", true}, {"b", "12"}, {"c", 12}, {"d", 1.5}, {"e", nullptr}, {"f", "text"}});
    CHECK(parse_yaml_or_json("{\"x\":\t[1, \"2\"]}") == nlohmann::json{{"x", {1, "2"}}});
    const std::string message = error_of([] { (void)parse_yaml_or_json("token: [secret\n"); });
    CHECK_THAT(message, Catch::StartsWith("yaml: line "));
    CHECK(message.find("secret") == std::string::npos);
    // An alias inside the node it names is a cycle: an error, not a stack overflow.
    const std::string cycle =
        error_of([] { (void)parse_yaml_or_json("status: &a\n  token: x\n  more: *a\n"); });
    CHECK_THAT(cycle, Catch::StartsWith("yaml: line "));
    CHECK_THAT(cycle, Catch::EndsWith(": nested deeper than 1000 levels (or an alias refers to a "
                                      "node that contains it)"));
}
