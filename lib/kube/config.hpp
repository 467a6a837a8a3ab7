#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::kube {

// ---------------------------------------------------------------------------------------------
// The kubeconfig as written (reference/kubernetes-client.md §1.3), after loading and merging.

struct ExecEnvVar {
    std::string name;
    std::string value;
};

enum class InteractiveMode { never, if_available, always };

// users[].user.exec
struct ExecConfig {
    std::string command; // already resolved against the kubeconfig's directory if it has a '/'
    std::vector<std::string> args;
    std::vector<ExecEnvVar> env;
    std::string api_version; // client.authentication.k8s.io/v1 or /v1beta1
    std::string install_hint;
    bool provide_cluster_info = false;
    InteractiveMode interactive_mode = InteractiveMode::if_available;
    // interactiveMode as written ("" if missing; v1beta1 defaults to "IfAvailable"), kept for
    // the validation of the user that is actually selected (reference §2.1).
    std::string interactive_mode_raw = "IfAvailable";
};

struct ClusterEntry {
    std::string server;
    std::string certificate_authority;      // path, absolute after loading
    std::string certificate_authority_data; // decoded PEM bytes
    bool insecure_skip_tls_verify = false;
    std::string tls_server_name;
    std::string proxy_url;
    bool disable_compression = false;
    // The raw "client.authentication.k8s.io/exec" extension, handed to exec plugins.
    nlohmann::json exec_extension;
    std::string origin; // the file that defined this entry
};

struct AuthProvider {
    std::string name;
    std::map<std::string, std::string> config;
};

struct UserEntry {
    std::string client_certificate;      // path, absolute after loading
    std::string client_key;              // path, absolute after loading
    std::string client_certificate_data; // decoded PEM bytes
    std::string client_key_data;         // decoded PEM bytes
    std::string token;
    std::string token_file; // path, absolute after loading
    std::string username;
    std::string password;
    std::string as;
    std::string as_uid;
    std::vector<std::string> as_groups;
    std::map<std::string, std::vector<std::string>> as_user_extra;
    std::optional<ExecConfig> exec;
    std::optional<AuthProvider> auth_provider;
    std::string origin;
};

struct ContextEntry {
    std::string cluster;
    std::string user;
    std::string namespace_name;
    std::string origin;
};

// The merged view of every kubeconfig file that was read.
struct KubeConfig {
    std::map<std::string, ClusterEntry> clusters;
    std::map<std::string, UserEntry> users;
    std::map<std::string, ContextEntry> contexts;
    std::string current_context;
    std::vector<std::string> files; // the files read, in precedence order
};

// ---------------------------------------------------------------------------------------------
// Where configuration comes from. Every outside input is injectable, so that the resolution
// rules are unit-testable with fixtures.

struct Environment {
    std::function<std::optional<std::string>(const std::string&)> getenv;
    std::filesystem::path home;
    // Root of in-cluster files: /var/run/secrets/kubernetes.io/serviceaccount in production.
    std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

    static Environment process(); // the real process environment
};

// kubectl's global flags (reference §1.4, §4.1). Empty / unset means "not given".
struct Overrides {
    std::string kubeconfig;
    std::string context;
    std::string cluster;
    std::string user;
    std::string namespace_name;
    std::string server;
    std::string token;
    std::string certificate_authority;
    std::string client_certificate;
    std::string client_key;
    bool insecure_skip_tls_verify = false;
    std::string tls_server_name;
    std::string as;
    std::vector<std::string> as_groups;
    std::string as_uid;
    std::string username;
    std::string password;
    bool disable_compression = false;
    std::string request_timeout; // "0", "7", "5s", "2m" (validated by resolve())
    int verbosity = 0;
};

// Reads and merges the kubeconfig files: --kubeconfig alone, else every KUBECONFIG entry, else
// ~/.kube/config (reference §1.1, §1.2). Relative paths are resolved against the file that holds
// them; *-data fields are base64-decoded. Throws core::Error naming the file on a missing
// --kubeconfig, an unreadable or unparsable file, or bad base64.
KubeConfig load_kubeconfig(const Overrides& overrides, const Environment& env);

// ---------------------------------------------------------------------------------------------
// A fully resolved connection: what the transport needs to talk to one API server.

struct Impersonation {
    std::string user;
    std::string uid;
    std::vector<std::string> groups;
    std::map<std::string, std::vector<std::string>> extra;
};

struct RestConfig {
    std::string context; // the context's name ("" for in-cluster or no context), for messages
    std::string server;  // scheme://host:port[/prefix]
    std::string ca_pem;  // CA bundle bytes ("" = system roots)
    bool insecure = false;
    std::string tls_server_name;
    std::string proxy_url;
    bool disable_compression = false;
    // Credentials (only used over https, reference §1.4 step 7).
    std::string client_certificate_pem;
    std::string client_key_pem;
    std::string token;
    std::string token_file;
    std::string username;
    std::string password;
    std::optional<ExecConfig> exec;
    std::string exec_user;              // the user entry's name, for messages about its exec plugin
    nlohmann::json exec_cluster_config; // the exec extension's config, for provideClusterInfo
    Impersonation impersonate;
    std::chrono::milliseconds request_timeout{0}; // 0 = none
    std::string namespace_name;                   // resolved default namespace (§1.6)
    int verbosity = 0;

    [[nodiscard]] bool uses_tls() const { return server.rfind("https://", 0) == 0; }
};

// Resolves the selected context with the flags applied, kubectl's way (reference §1.4–§1.6):
// context, cluster and user selection, the special override rules, validation, in-cluster
// fallback, and the namespace order. Throws core::Error with kubectl's messages.
RestConfig resolve(const KubeConfig& config, const Overrides& overrides, const Environment& env);

// Resolves another context of the same kubeconfig (a workload cluster): no connection flags
// apply, only request_timeout and verbosity carry over from `base`.
RestConfig resolve_context(const KubeConfig& config, const std::string& context,
                           const Overrides& base, const Environment& env);

// Parses --request-timeout: a bare integer is seconds, otherwise a Go duration.
std::chrono::milliseconds parse_request_timeout(const std::string& text);

// ---------------------------------------------------------------------------------------------
// Helpers shared with the credential code.

// Parses one JSON or YAML document the way client-go's decoders read it (YAML 1.1 scalars:
// yes/no/on/off are booleans, plain numbers are numbers). Throws core::Error with a
// "yaml: line N: ..." style reason that never quotes the document itself.
nlohmann::json parse_yaml_or_json(std::string_view text);

} // namespace nova::kube
