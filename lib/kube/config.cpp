#include "lib/kube/config.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"
#include "lib/core/text.hpp"
#include "lib/core/yaml.hpp"
#include "lib/kube/file_read.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <pwd.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace nova::kube {
namespace {

using core::errno_text;
using core::trim;

using core::decode_base64;
using core::Error;
using core::quote;

// ---------------------------------------------------------------------------------------------
// Go-compatible wording

// Go's utilerrors.NewAggregate(...).Error(): one message alone, several as "[a, b]".
std::string aggregate(const std::vector<std::string>& errors) {
    if (errors.size() == 1) {
        return errors.front();
    }
    std::string out = "[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
        out += (i > 0 ? ", " : "") + errors[i];
    }
    return out + "]";
}

std::string read_file_or_throw(const std::string& path) {
    std::string content;
    if (auto error = read_file(path, content)) {
        throw Error(error->message);
    }
    return content;
}

// os.Open's check, used by client-go's validation: a directory opens fine.
std::optional<std::string> open_error(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return "open " + path + ": " + errno_text(err);
    }
    ::close(fd);
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Paths, as Go's path/filepath does them

// filepath.Clean: lexical, no trailing separator, "." for empty.
std::string clean_path(const std::string& path) {
    if (path.empty()) {
        return ".";
    }
    std::string out = std::filesystem::path(path).lexically_normal().string();
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    return out.empty() ? "." : out;
}

// filepath.Abs(filepath.Dir(file)): the directory relative paths of an entry resolve against.
std::string origin_directory(const std::string& file) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(std::filesystem::path(file), ec);
    if (ec) {
        absolute = std::filesystem::path(file);
    }
    return clean_path(absolute.parent_path().string());
}

// ResolvePaths: empty and absolute references stay as written, others join the base (cleaned).
void resolve_path(std::string& ref, const std::string& base) {
    if (ref.empty() || ref.front() == '/') {
        return;
    }
    ref = clean_path(base + "/" + ref);
}

// ---------------------------------------------------------------------------------------------
// Documents: YAML (1.1 scalars, as sigs.k8s.io/yaml) or JSON

[[noreturn]] void yaml_failure(const YAML::Exception& e) {
    // The mark is 0-based; Go's yaml reports 1-based lines. Never quote the document.
    if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) {
        // yaml-cpp calls it "bad file".
        throw Error(fmt::format("yaml: line {}: nested too deeply", e.mark.line + 1));
    }
    if (e.mark.is_null()) {
        throw Error("yaml: " + e.msg);
    }
    throw Error(fmt::format("yaml: line {}: {}", e.mark.line + 1, e.msg));
}

YAML::Node json_to_node(const nlohmann::json& value) {
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        YAML::Node node(YAML::NodeType::Map);
        for (const auto& [key, item] : value.items()) {
            node[key] = json_to_node(item);
        }
        return node;
    }
    case nlohmann::json::value_t::array: {
        YAML::Node node(YAML::NodeType::Sequence);
        for (const auto& item : value) {
            node.push_back(json_to_node(item));
        }
        return node;
    }
    case nlohmann::json::value_t::null:
        return YAML::Node(YAML::NodeType::Null);
    case nlohmann::json::value_t::string: {
        YAML::Node node(value.get<std::string>());
        node.SetTag("!"); // a quoted scalar: always a string
        return node;
    }
    default: {
        YAML::Node node(value.dump());
        node.SetTag("?");
        return node;
    }
    }
}

bool starts_like_json(std::string_view text) {
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            return c == '{' || c == '[';
        }
    }
    return false;
}

YAML::Node load_document(std::string_view text) {
    // JSON first when it looks like JSON: yaml-cpp trips on some valid JSON (tabs).
    if (starts_like_json(text)) {
        // Depth-limited: json_to_node recurses. Too deep or not JSON, it is read as YAML, whose
        // parser has a depth limit of its own.
        std::optional<nlohmann::json> json;
        try {
            json = core::parse_json(text);
        } catch (const Error&) {
        }
        if (json) {
            return json_to_node(*json);
        }
    }
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        yaml_failure(e);
    }
}

bool is_plain(const YAML::Node& node) {
    return node.Tag() == "?" || node.Tag().empty();
}

// YAML 1.1's booleans (yes, on, y...), as client-go reads a kubeconfig.
std::optional<bool> yaml11_bool(const std::string& s) {
    const nlohmann::json value = core::yaml_plain_scalar(s);
    return value.is_boolean() ? std::optional<bool>(value.get<bool>()) : std::nullopt;
}

// Deeper than any kubeconfig or credential: an alias inside the node it names ("a: &a {b: *a}")
// would otherwise be walked until the stack overflows.
constexpr int max_yaml_depth = 1000;

nlohmann::json node_to_json(const YAML::Node& node, int depth = 0) {
    if (depth > max_yaml_depth && (node.IsMap() || node.IsSequence())) {
        throw Error(fmt::format("yaml: line {}: nested deeper than {} levels (or an alias refers "
                                "to a node that contains it)",
                                node.Mark().line + 1, max_yaml_depth));
    }
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& item : node) {
            out[item.first.Scalar()] = node_to_json(item.second, depth + 1);
        }
        return out;
    }
    case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) {
            out.push_back(node_to_json(item, depth + 1));
        }
        return out;
    }
    case YAML::NodeType::Scalar:
        return is_plain(node) ? core::yaml_plain_scalar(node.Scalar())
                              : nlohmann::json(node.Scalar());
    default:
        return nullptr;
    }
}

// ---------------------------------------------------------------------------------------------
// Reading kubeconfig fields, leniently: unknown fields are ignored, null means empty.

class Reader {
public:
    static bool present(const YAML::Node& node) { return node && !node.IsNull(); }

    static YAML::Node child(const YAML::Node& map, const char* key) {
        if (!map.IsMap()) {
            return YAML::Node(YAML::NodeType::Null);
        }
        const YAML::Node& const_map = map;
        YAML::Node value = const_map[key];
        return value ? value : YAML::Node(YAML::NodeType::Null);
    }

    static std::string field(const std::string& where, const char* key) {
        return where.empty() ? std::string(key) : where + "." + key;
    }

    static std::string string(const YAML::Node& map, const char* key, const std::string& where) {
        const YAML::Node value = child(map, key);
        if (!present(value)) {
            return {};
        }
        if (!value.IsScalar()) {
            throw Error(field(where, key) + ": expected a string");
        }
        return value.Scalar();
    }

    static bool boolean(const YAML::Node& map, const char* key, const std::string& where) {
        const YAML::Node value = child(map, key);
        if (!present(value)) {
            return false;
        }
        if (value.IsScalar()) {
            if (auto b = yaml11_bool(value.Scalar())) {
                return *b;
            }
        }
        throw Error(field(where, key) + ": expected true or false");
    }

    static std::vector<std::string> strings(const YAML::Node& map, const char* key,
                                            const std::string& where) {
        return strings_of(child(map, key), field(where, key));
    }

    static std::vector<std::string> strings_of(const YAML::Node& value, const std::string& where) {
        std::vector<std::string> out;
        if (!present(value)) {
            return out;
        }
        if (!value.IsSequence()) {
            throw Error(where + ": expected a list of strings");
        }
        for (const auto& item : value) {
            if (!item.IsScalar()) {
                throw Error(where + ": expected a list of strings");
            }
            out.push_back(item.Scalar());
        }
        return out;
    }

    static void expect_map(const YAML::Node& node, const std::string& where) {
        if (present(node) && !node.IsMap()) {
            throw Error(where + ": expected a mapping");
        }
    }
};

std::string base64_field(const YAML::Node& map, const char* key, const std::string& where) {
    // Go reports bad base64 without naming the field; the file is named by the caller.
    return decode_base64(Reader::string(map, key, where));
}

ClusterEntry read_cluster(const YAML::Node& node, const std::string& where) {
    Reader::expect_map(node, where);
    ClusterEntry cluster;
    cluster.server = Reader::string(node, "server", where);
    cluster.certificate_authority = Reader::string(node, "certificate-authority", where);
    cluster.certificate_authority_data = base64_field(node, "certificate-authority-data", where);
    cluster.insecure_skip_tls_verify = Reader::boolean(node, "insecure-skip-tls-verify", where);
    cluster.tls_server_name = Reader::string(node, "tls-server-name", where);
    cluster.proxy_url = Reader::string(node, "proxy-url", where);
    cluster.disable_compression = Reader::boolean(node, "disable-compression", where);
    const YAML::Node extensions = Reader::child(node, "extensions");
    if (Reader::present(extensions)) {
        if (!extensions.IsSequence()) {
            throw Error(where + ".extensions: expected a list");
        }
        for (const auto& extension : extensions) {
            if (Reader::string(extension, "name", where + ".extensions[]") ==
                "client.authentication.k8s.io/exec") {
                cluster.exec_extension = node_to_json(Reader::child(extension, "extension"));
            }
        }
    }
    return cluster;
}

InteractiveMode interactive_mode_of(const std::string& raw) {
    if (raw == "Never") {
        return InteractiveMode::never;
    }
    if (raw == "Always") {
        return InteractiveMode::always;
    }
    return InteractiveMode::if_available;
}

ExecConfig read_exec(const YAML::Node& node, const std::string& where) {
    Reader::expect_map(node, where);
    ExecConfig exec;
    exec.command = Reader::string(node, "command", where);
    exec.args = Reader::strings(node, "args", where);
    const YAML::Node env = Reader::child(node, "env");
    if (Reader::present(env)) {
        if (!env.IsSequence()) {
            throw Error(where + ".env: expected a list of {name, value}");
        }
        for (const auto& item : env) {
            Reader::expect_map(item, where + ".env[]");
            exec.env.push_back({Reader::string(item, "name", where + ".env[]"),
                                Reader::string(item, "value", where + ".env[]")});
        }
    }
    exec.api_version = Reader::string(node, "apiVersion", where);
    exec.install_hint = Reader::string(node, "installHint", where);
    exec.provide_cluster_info = Reader::boolean(node, "provideClusterInfo", where);
    exec.interactive_mode_raw = Reader::string(node, "interactiveMode", where);
    // SetDefaults_ExecConfig: only the older versions default; v1 must say it.
    if (exec.interactive_mode_raw.empty() &&
        (exec.api_version == "client.authentication.k8s.io/v1beta1" ||
         exec.api_version == "client.authentication.k8s.io/v1alpha1")) {
        exec.interactive_mode_raw = "IfAvailable";
    }
    exec.interactive_mode = interactive_mode_of(exec.interactive_mode_raw);
    return exec;
}

UserEntry read_user(const YAML::Node& node, const std::string& where) {
    Reader::expect_map(node, where);
    UserEntry user;
    user.client_certificate = Reader::string(node, "client-certificate", where);
    user.client_key = Reader::string(node, "client-key", where);
    user.client_certificate_data = base64_field(node, "client-certificate-data", where);
    user.client_key_data = base64_field(node, "client-key-data", where);
    user.token = Reader::string(node, "token", where);
    user.token_file = Reader::string(node, "tokenFile", where);
    user.username = Reader::string(node, "username", where);
    user.password = Reader::string(node, "password", where);
    user.as = Reader::string(node, "as", where);
    user.as_uid = Reader::string(node, "as-uid", where);
    user.as_groups = Reader::strings(node, "as-groups", where);
    const YAML::Node extra = Reader::child(node, "as-user-extra");
    if (Reader::present(extra)) {
        if (!extra.IsMap()) {
            throw Error(where + ".as-user-extra: expected a mapping of lists");
        }
        for (const auto& item : extra) {
            user.as_user_extra[item.first.Scalar()] =
                Reader::strings_of(item.second, where + ".as-user-extra." + item.first.Scalar());
        }
    }
    const YAML::Node provider = Reader::child(node, "auth-provider");
    if (Reader::present(provider)) {
        Reader::expect_map(provider, where + ".auth-provider");
        AuthProvider auth;
        auth.name = Reader::string(provider, "name", where + ".auth-provider");
        const YAML::Node config = Reader::child(provider, "config");
        Reader::expect_map(config, where + ".auth-provider.config");
        if (Reader::present(config)) {
            for (const auto& item : config) {
                if (item.second.IsScalar()) {
                    auth.config[item.first.Scalar()] = item.second.Scalar();
                } else if (!item.second.IsNull()) {
                    throw Error(where + ".auth-provider.config." + item.first.Scalar() +
                                ": expected a string");
                }
            }
        }
        user.auth_provider = std::move(auth);
    }
    const YAML::Node exec = Reader::child(node, "exec");
    if (Reader::present(exec)) {
        user.exec = read_exec(exec, where + ".exec");
    }
    return user;
}

ContextEntry read_context(const YAML::Node& node, const std::string& where) {
    Reader::expect_map(node, where);
    ContextEntry context;
    context.cluster = Reader::string(node, "cluster", where);
    context.user = Reader::string(node, "user", where);
    context.namespace_name = Reader::string(node, "namespace", where);
    return context;
}

// One named list (clusters, users, contexts) of one file. A name twice in one file is an error,
// as in client-go's conversion (which would also print the whole list: we do not).
template <typename Entry, typename ReadEntry>
void read_named_list(const YAML::Node& root, const char* list, const char* item_key,
                     std::map<std::string, Entry>& out, ReadEntry read_entry) {
    const YAML::Node items = Reader::child(root, list);
    if (!Reader::present(items)) {
        return;
    }
    if (!items.IsSequence()) {
        throw Error(fmt::format("{}: expected a list", list));
    }
    std::size_t index = 0;
    for (const auto& item : items) {
        const std::string where = fmt::format("{}[{}]", list, index++);
        Reader::expect_map(item, where);
        const std::string name = Reader::string(item, "name", where);
        Entry entry = read_entry(Reader::child(item, item_key), where + "." + item_key);
        if (!out.emplace(name, std::move(entry)).second) {
            throw Error(fmt::format("duplicate name {} in {} list", quote(name), list));
        }
    }
}

KubeConfig parse_file(const std::string& content) {
    KubeConfig config;
    if (content.empty()) {
        return config;
    }
    const YAML::Node root = load_document(content);
    if (!Reader::present(root)) {
        return config; // only whitespace or comments
    }
    if (!root.IsMap()) {
        throw Error("the document is not a kubeconfig: expected a mapping at the top level");
    }
    std::string api_version = Reader::string(root, "apiVersion", "");
    std::string kind = Reader::string(root, "kind", "");
    // Missing apiVersion/kind default to v1/Config; anything else is not registered.
    if (api_version.empty()) {
        api_version = "v1";
    }
    if (kind.empty()) {
        kind = "Config";
    }
    if (api_version != "v1" || kind != "Config") {
        throw Error(fmt::format("no kind {} is registered for version {}", quote(kind),
                                quote(api_version)));
    }
    read_named_list(root, "clusters", "cluster", config.clusters, read_cluster);
    read_named_list(root, "users", "user", config.users, read_user);
    read_named_list(root, "contexts", "context", config.contexts, read_context);
    config.current_context = Reader::string(root, "current-context", "");
    return config;
}

// Relative file references of every entry against the directory of the file that defined it.
void resolve_file_references(KubeConfig& config, const std::string& file) {
    const std::string base = origin_directory(file);
    for (auto& [name, cluster] : config.clusters) {
        cluster.origin = file;
        resolve_path(cluster.certificate_authority, base);
    }
    for (auto& [name, user] : config.users) {
        user.origin = file;
        resolve_path(user.client_certificate, base);
        resolve_path(user.client_key, base);
        resolve_path(user.token_file, base);
        if (user.exec) {
            // Only commands with a separator are paths; others go through a PATH lookup.
            if (user.exec->command.find('/') != std::string::npos) {
                resolve_path(user.exec->command, base);
                user.exec->command = clean_path(user.exec->command);
            }
        }
    }
    for (auto& [name, context] : config.contexts) {
        context.origin = file;
    }
}

// The files to read, in precedence order, and whether the first one must exist.
std::vector<std::string> kubeconfig_files(const Overrides& overrides, const Environment& env) {
    if (!overrides.kubeconfig.empty()) {
        return {overrides.kubeconfig};
    }
    const auto list = env.getenv ? env.getenv("KUBECONFIG") : std::nullopt;
    if (list && !list->empty()) {
        std::vector<std::string> files;
        std::size_t start = 0;
        for (;;) {
            const std::size_t colon = list->find(':', start);
            std::string entry =
                list->substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (!entry.empty() && std::find(files.begin(), files.end(), entry) == files.end()) {
                files.push_back(std::move(entry));
            }
            if (colon == std::string::npos) {
                break;
            }
            start = colon + 1;
        }
        return files;
    }
    const std::string home = env.home.string();
    return {(home.empty() ? std::string(".kube") : clean_path(home + "/.kube")) + "/config"};
}

// ---------------------------------------------------------------------------------------------
// Resolution (client_config.go, merged_client_builder.go)

std::string default_server(const Environment& env) {
    auto master = env.getenv ? env.getenv("KUBERNETES_MASTER") : std::nullopt;
    return master && !master->empty() ? *master : "http://localhost:8080";
}

std::optional<std::string> getenv_nonempty(const Environment& env, const std::string& name) {
    auto value = env.getenv ? env.getenv(name) : std::nullopt;
    if (value && value->empty()) {
        return std::nullopt;
    }
    return value;
}

bool in_cluster_possible(const Environment& env) {
    if (!getenv_nonempty(env, "KUBERNETES_SERVICE_HOST") ||
        !getenv_nonempty(env, "KUBERNETES_SERVICE_PORT")) {
        return false;
    }
    struct stat info {};
    const std::string token = (env.service_account_dir / "token").string();
    return ::stat(token.c_str(), &info) == 0 && !S_ISDIR(info.st_mode);
}

// The context, user and cluster that the flags select, merged with the flags (getContext,
// getAuthInfo, getCluster).
struct Selection {
    std::string context_name;
    bool context_required = false; // named by --context
    bool context_exists = false;
    ContextEntry context;

    std::string user_name;
    bool user_required = false; // named by --user
    bool user_exists = false;
    UserEntry user;

    std::string cluster_name;
    bool cluster_required = false; // named by --cluster
    bool cluster_exists = false;
    ClusterEntry cluster;
};

Selection select(const KubeConfig& config, const Overrides& ov, const Environment& env) {
    Selection s;
    s.context_required = !ov.context.empty();
    s.context_name = s.context_required ? ov.context : config.current_context;
    if (auto it = config.contexts.find(s.context_name); it != config.contexts.end()) {
        s.context_exists = true;
        s.context = it->second;
    }
    if (!ov.cluster.empty()) {
        s.context.cluster = ov.cluster;
    }
    if (!ov.user.empty()) {
        s.context.user = ov.user;
    }
    if (!ov.namespace_name.empty()) {
        s.context.namespace_name = ov.namespace_name;
    }

    s.user_required = !ov.user.empty();
    s.user_name = s.context.user;
    if (auto it = config.users.find(s.user_name); it != config.users.end()) {
        s.user_exists = true;
        s.user = it->second;
    }
    UserEntry& u = s.user;
    if (!ov.token.empty()) {
        u.token = ov.token;
        u.token_file.clear(); // kubectl: --token replaces a kubeconfig tokenFile
    }
    if (!ov.client_certificate.empty()) {
        u.client_certificate = ov.client_certificate;
        u.client_certificate_data.clear();
    }
    if (!ov.client_key.empty()) {
        u.client_key = ov.client_key;
        u.client_key_data.clear();
    }
    if (!ov.as.empty()) {
        u.as = ov.as;
    }
    if (!ov.as_uid.empty()) {
        u.as_uid = ov.as_uid;
    }
    if (!ov.as_groups.empty()) {
        u.as_groups = ov.as_groups;
    }
    if (!ov.username.empty()) {
        u.username = ov.username;
    }
    if (!ov.password.empty()) {
        u.password = ov.password;
    }

    s.cluster_required = !ov.cluster.empty();
    s.cluster_name = s.context.cluster;
    ClusterEntry& c = s.cluster;
    c.server = default_server(env);
    if (auto it = config.clusters.find(s.cluster_name); it != config.clusters.end()) {
        s.cluster_exists = true;
        // Overlay the non-empty fields on the defaults (client-go's merge).
        const ClusterEntry& named = it->second;
        if (!named.server.empty()) {
            c.server = named.server;
        }
        c.certificate_authority = named.certificate_authority;
        c.certificate_authority_data = named.certificate_authority_data;
        c.insecure_skip_tls_verify = named.insecure_skip_tls_verify;
        c.tls_server_name = named.tls_server_name;
        c.proxy_url = named.proxy_url;
        c.disable_compression = named.disable_compression;
        c.exec_extension = named.exec_extension;
        c.origin = named.origin;
    }
    if (!ov.server.empty()) {
        c.server = ov.server;
    }
    if (!ov.certificate_authority.empty()) {
        c.certificate_authority = ov.certificate_authority;
    }
    if (ov.insecure_skip_tls_verify) {
        c.insecure_skip_tls_verify = true;
    }
    if (!ov.tls_server_name.empty()) {
        c.tls_server_name = ov.tls_server_name;
    }
    if (ov.disable_compression) {
        c.disable_compression = true;
    }
    // Special rule 1: --insecure-skip-tls-verify or --certificate-authority replace all three.
    if (ov.insecure_skip_tls_verify || !ov.certificate_authority.empty()) {
        c.insecure_skip_tls_verify = ov.insecure_skip_tls_verify;
        c.certificate_authority = ov.certificate_authority;
        c.certificate_authority_data.clear();
    }
    // Special rule 2: --server or --tls-server-name make the flag's tls-server-name the value.
    if (!ov.server.empty() || !ov.tls_server_name.empty()) {
        c.tls_server_name = ov.tls_server_name;
    }
    return s;
}

// parseProxyURL of client-go.
std::optional<std::string> proxy_url_error(const std::string& proxy) {
    std::string scheme;
    const auto colon = proxy.find(':');
    if (colon != std::string::npos && colon > 0 &&
        std::isalpha(static_cast<unsigned char>(proxy.front())) != 0) {
        scheme = proxy.substr(0, colon);
        const bool valid = std::all_of(scheme.begin(), scheme.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '+' || ch == '-' ||
                   ch == '.';
        });
        if (!valid) {
            scheme.clear();
        }
        std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    }
    if (scheme == "http" || scheme == "https" || scheme == "socks5") {
        return std::nullopt;
    }
    return fmt::format("unsupported scheme {}, must be http, https, or socks5", quote(scheme));
}

std::vector<std::string> validate_user(const std::string& name, const UserEntry& u) {
    std::vector<std::string> errors;
    std::vector<std::string> methods;
    if (!u.token.empty()) {
        methods.emplace_back("token");
    }
    if (!u.username.empty() || !u.password.empty()) {
        methods.emplace_back("basicAuth");
    }
    if (!u.client_certificate.empty() || !u.client_certificate_data.empty()) {
        if (!u.client_certificate.empty() && !u.client_certificate_data.empty()) {
            errors.push_back(fmt::format("client-cert-data and client-cert are both specified for "
                                         "{}. client-cert-data will override.",
                                         name));
        }
        if (!u.client_key.empty() && !u.client_key_data.empty()) {
            errors.push_back(fmt::format("client-key-data and client-key are both specified for "
                                         "{}; client-key-data will override",
                                         name));
        }
        if (u.client_key.empty() && u.client_key_data.empty()) {
            errors.push_back(fmt::format("client-key-data or client-key must be specified for {} "
                                         "to use the clientCert authentication method.",
                                         name));
        }
        if (!u.client_certificate.empty()) {
            if (auto error = open_error(u.client_certificate)) {
                errors.push_back(fmt::format("unable to read client-cert {} for {} due to {}",
                                             u.client_certificate, name, *error));
            }
        }
        if (!u.client_key.empty()) {
            if (auto error = open_error(u.client_key)) {
                errors.push_back(fmt::format("unable to read client-key {} for {} due to {}",
                                             u.client_key, name, *error));
            }
        }
    }
    if (u.exec) {
        if (u.auth_provider) {
            errors.push_back(fmt::format(
                "authProvider cannot be provided in combination with an exec plugin for {}", name));
        }
        if (u.exec->command.empty()) {
            errors.push_back(fmt::format(
                "command must be specified for {} to use exec authentication plugin", name));
        }
        if (u.exec->api_version.empty()) {
            errors.push_back(fmt::format(
                "apiVersion must be specified for {} to use exec authentication plugin", name));
        }
        for (const auto& var : u.exec->env) {
            if (var.name.empty()) {
                errors.push_back(fmt::format("env variable name must be specified for {} to use "
                                             "exec authentication plugin",
                                             name));
            }
        }
        const std::string& mode = u.exec->interactive_mode_raw;
        if (mode.empty()) {
            errors.push_back(fmt::format(
                "interactiveMode must be specified for {} to use exec authentication plugin",
                name));
        } else if (mode != "Never" && mode != "IfAvailable" && mode != "Always") {
            errors.push_back(fmt::format("invalid interactiveMode for {}: {}", name, quote(mode)));
        }
    }
    if (methods.size() > 1) {
        std::string found;
        for (const auto& method : methods) {
            found += (found.empty() ? "" : " ") + method;
        }
        errors.push_back(fmt::format(
            "more than one authentication method found for {}; found [{}], only one is allowed",
            name, found));
    }
    if ((!u.as_uid.empty() || !u.as_groups.empty() || !u.as_user_extra.empty()) && u.as.empty()) {
        errors.push_back(fmt::format(
            "requesting uid, groups or user-extra for {} without impersonating a user", name));
    }
    return errors;
}

std::vector<std::string> validate_cluster(const std::string& name, const ClusterEntry& c) {
    std::vector<std::string> errors;
    if (c.server.empty()) {
        errors.push_back(name.empty() ? std::string("default cluster has no server defined")
                                      : fmt::format("no server found for cluster {}", quote(name)));
    }
    if (!c.proxy_url.empty()) {
        if (auto error = proxy_url_error(c.proxy_url)) {
            errors.push_back(fmt::format("invalid 'proxy-url' {} for cluster {}: {}",
                                         quote(c.proxy_url), quote(name), *error));
        }
    }
    if (!c.certificate_authority.empty() && !c.certificate_authority_data.empty()) {
        errors.push_back(fmt::format("certificate-authority-data and certificate-authority are "
                                     "both specified for {}. certificate-authority-data will "
                                     "override.",
                                     name));
    }
    if (!c.certificate_authority.empty()) {
        if (auto error = open_error(c.certificate_authority)) {
            errors.push_back(fmt::format("unable to read certificate-authority {} for {} due to {}",
                                         c.certificate_authority, name, *error));
        }
    }
    return errors;
}

// ConfirmUsable: the selected context must exist, and its user and cluster must validate.
void confirm_usable(const Selection& s) {
    std::vector<std::string> errors;
    if (!s.context_name.empty() && !s.context_exists) {
        errors.push_back("context was not found for specified context: " + s.context_name);
    }
    // A --user that does not exist validates as an empty user (getAuthInfo's error result).
    const UserEntry no_user;
    auto user_errors =
        validate_user(s.user_name, s.user_required && !s.user_exists ? no_user : s.user);
    errors.insert(errors.end(), user_errors.begin(), user_errors.end());
    // A --cluster that does not exist validates as an empty cluster: "no server found".
    const ClusterEntry empty;
    auto cluster_errors = validate_cluster(
        s.cluster_name, s.cluster_required && !s.cluster_exists ? empty : s.cluster);
    errors.insert(errors.end(), cluster_errors.begin(), cluster_errors.end());
    if (!errors.empty()) {
        throw Error("invalid configuration: " + aggregate(errors));
    }
}

// The server URL the transport uses (rest.DefaultServerURL within kubectl's flow).
struct ServerUrl {
    std::string url;
    bool tls = false; // the scheme was written as https: credentials may be sent
};

// The server as messages show it: a "user:password@" part is never printed.
std::string displayed_server(const std::string& server) {
    const auto authority = server.find("://");
    const auto start = authority == std::string::npos ? 0 : authority + 3;
    const auto end = server.find_first_of("/?#", start);
    const auto at = server.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at == std::string::npos || at < start) {
        return quote(server);
    }
    return quote(server.substr(0, start) + "***@" + server.substr(at + 1));
}

ServerUrl process_server(const std::string& server) {
    // A scheme: letters, then letters, digits, '+', '-', '.', then "://" and a host.
    std::size_t i = 0;
    if (!server.empty() && std::isalpha(static_cast<unsigned char>(server.front())) != 0) {
        while (i < server.size() && (std::isalnum(static_cast<unsigned char>(server[i])) != 0 ||
                                     server[i] == '+' || server[i] == '-' || server[i] == '.')) {
            ++i;
        }
    }
    std::string scheme;
    std::string rest;
    if (i > 0 && server.compare(i, 3, "://") == 0 && i + 3 < server.size() &&
        server[i + 3] != '/' && server[i + 3] != '?' && server[i + 3] != '#') {
        scheme = server.substr(0, i);
        std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        rest = server.substr(i + 3);
    } else {
        // No scheme (host:port): http, because kubectl decides before the CA is merged in
        // (reference §1.4 step 7). A path is not allowed here.
        rest = server;
        if (const auto end = rest.find_first_of("/?#");
            end != std::string::npos && rest[end] == '/') {
            const std::string path = rest.substr(end, rest.find_first_of("?#", end) - end);
            if (path != "/") {
                throw Error(fmt::format("host must be a URL or a host:port pair: {}",
                                        displayed_server(server)));
            }
        }
        scheme = "http";
    }
    // Split authority and path; drop the query and the fragment.
    const auto path_start = rest.find_first_of("/?#");
    std::string authority = rest.substr(0, path_start);
    std::string path;
    if (path_start != std::string::npos && rest[path_start] == '/') {
        path = rest.substr(path_start, rest.find_first_of("?#", path_start) - path_start);
    }
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
        authority.erase(0, at + 1); // user info is never used for credentials
    }
    if (authority.empty()) {
        throw Error(
            fmt::format("host must be a URL or a host:port pair: {}", displayed_server(server)));
    }
    if (scheme != "http" && scheme != "https") {
        throw Error(fmt::format("unsupported protocol scheme {} in server {}", quote(scheme),
                                displayed_server(server)));
    }
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    return {scheme + "://" + authority + path, scheme == "https"};
}

// IsValidPathSegmentName (what rest.Request checks) and then the DNS-1123 label rule every
// namespace name follows, so that a typo fails before any request.
void validate_namespace(const std::string& ns) {
    std::vector<std::string> problems;
    if (ns == "." || ns == "..") {
        problems.push_back("may not be '" + ns + "'");
    } else {
        if (ns.find('/') != std::string::npos) {
            problems.emplace_back("may not contain '/'");
        }
        if (ns.find('%') != std::string::npos) {
            problems.emplace_back("may not contain '%'");
        }
    }
    if (problems.empty()) {
        const bool label_chars = std::all_of(ns.begin(), ns.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (ns.size() > 63) {
            problems.emplace_back("must be no more than 63 characters");
        }
        if (ns.empty() || !label_chars || ns.front() == '-' || ns.back() == '-') {
            problems.emplace_back(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                "or '-', and must start and end with an alphanumeric character (e.g. 'my-name' "
                "or '123-abc')");
        }
    }
    if (!problems.empty()) {
        std::string joined;
        for (const auto& problem : problems) {
            joined += (joined.empty() ? "" : " ") + problem;
        }
        throw Error(fmt::format("invalid namespace {}: [{}]", quote(ns), joined));
    }
}

// §1.6: the namespace, resolved before anything else as kubectl does.
std::string resolve_namespace(const KubeConfig& config, const Overrides& ov, const Selection& s,
                              const Environment& env) {
    if (!ov.namespace_name.empty()) {
        return ov.namespace_name;
    }
    confirm_usable(s);
    std::string ns = s.context.namespace_name.empty() ? "default" : s.context.namespace_name;
    if (!in_cluster_possible(env)) {
        return ns;
    }
    if (ns != "default") {
        return ns;
    }
    // An explicit "namespace: default" in the selected context is kept.
    if (auto it = config.contexts.find(s.context_name);
        it != config.contexts.end() && !it->second.namespace_name.empty()) {
        return ns;
    }
    if (auto pod_namespace = getenv_nonempty(env, "POD_NAMESPACE")) {
        return *pod_namespace;
    }
    std::string content;
    if (!read_file((env.service_account_dir / "namespace").string(), content)) {
        if (std::string trimmed(trim(content)); !trimmed.empty()) {
            return trimmed;
        }
    }
    return "default";
}

std::string join_host_port(const std::string& host, const std::string& port) {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
}

bool looks_like_pem_certificate(const std::string& text) {
    return text.find("-----BEGIN CERTIFICATE-----") != std::string::npos;
}

// rest.InClusterConfig plus the only three flags that apply to it.
RestConfig in_cluster_config(const Overrides& ov, const Environment& env, std::string ns) {
    RestConfig rc;
    const auto host = getenv_nonempty(env, "KUBERNETES_SERVICE_HOST");
    const auto port = getenv_nonempty(env, "KUBERNETES_SERVICE_PORT");
    rc.server = "https://" + join_host_port(host.value_or(""), port.value_or(""));
    rc.token_file = (env.service_account_dir / "token").string();
    rc.token = std::string(trim(read_file_or_throw(rc.token_file)));
    std::string ca;
    // An unreadable or empty CA is only logged by client-go: the system roots are used then.
    if (!read_file((env.service_account_dir / "ca.crt").string(), ca) &&
        looks_like_pem_certificate(ca)) {
        rc.ca_pem = std::move(ca);
    }
    if (!ov.server.empty()) {
        rc.server = process_server(ov.server).url;
    }
    if (!ov.token.empty()) {
        rc.token = ov.token;
        rc.token_file.clear();
    }
    if (!ov.certificate_authority.empty()) {
        rc.ca_pem = read_file_or_throw(ov.certificate_authority);
    }
    if (!rc.uses_tls()) {
        rc.token.clear();
        rc.token_file.clear();
    }
    rc.namespace_name = std::move(ns);
    rc.verbosity = ov.verbosity;
    return rc;
}

// Does the resolved configuration equal kubectl's default one (only the default server)?
// Then in-cluster configuration takes over when it is possible (§1.5).
bool is_default_config(const RestConfig& rc, const Environment& env) {
    ServerUrl default_url;
    try {
        default_url = process_server(default_server(env));
    } catch (const Error&) {
        return false;
    }
    return rc.server == default_url.url && rc.ca_pem.empty() && !rc.insecure &&
           rc.tls_server_name.empty() && rc.proxy_url.empty() && !rc.disable_compression &&
           rc.client_certificate_pem.empty() && rc.client_key_pem.empty() && rc.token.empty() &&
           rc.token_file.empty() && rc.username.empty() && rc.password.empty() && !rc.exec &&
           rc.impersonate.user.empty() && rc.impersonate.uid.empty() &&
           rc.impersonate.groups.empty() && rc.impersonate.extra.empty() &&
           rc.request_timeout.count() == 0;
}

// The "exp" claim of a JWT, if it is one we can read (otherwise the server judges it).
std::optional<double> jwt_expiry(const std::string& jwt) {
    const auto first = jwt.find('.');
    const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
    if (second == std::string::npos) {
        return std::nullopt;
    }
    const auto payload = core::decode_base64url(jwt.substr(first + 1, second - first - 1));
    if (!payload) {
        return std::nullopt;
    }
    try {
        const auto claims = nlohmann::json::parse(*payload);
        if (claims.is_object() && claims.contains("exp") && claims["exp"].is_number()) {
            return claims["exp"].get<double>();
        }
    } catch (const std::exception&) {
        // not base64 or not JSON
    }
    return std::nullopt;
}

// The legacy auth-provider: oidc's id-token is sent as is; the others were removed.
void apply_auth_provider(const std::string& user_name, const AuthProvider& provider,
                         RestConfig& rc) {
    if (provider.name == "gcp") {
        throw Error("The gcp auth plugin has been removed.\nPlease use the "
                    "\"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin instead.\n"
                    "See https://cloud.google.com/blog/products/containers-kubernetes/"
                    "kubectl-auth-changes-in-gke for further details");
    }
    if (provider.name == "azure") {
        throw Error("The azure auth plugin has been removed.\nPlease use the "
                    "https://github.com/Azure/kubelogin kubectl/client-go credential plugin "
                    "instead.\nSee https://kubernetes.io/docs/reference/access-authn-authz/"
                    "authentication/#client-go-credential-plugins for further details");
    }
    if (provider.name != "oidc") {
        throw Error(fmt::format("no Auth Provider found for name {} (user {}): auth-provider "
                                "plugins are not supported, use an exec credential plugin",
                                quote(provider.name), quote(user_name)));
    }
    if (!rc.token.empty() || !rc.token_file.empty() || !rc.username.empty()) {
        return; // a token or basic auth is sent instead, as client-go's round trippers do
    }
    const auto id_token = provider.config.find("id-token");
    if (id_token == provider.config.end() || id_token->second.empty()) {
        throw Error(fmt::format(
            "the oidc auth-provider of user {} has no id-token, and refreshing it is not "
            "supported: use an exec credential plugin such as kubelogin "
            "(https://github.com/int128/kubelogin)",
            quote(user_name)));
    }
    // A JWT whose "exp" has passed cannot work, and we cannot refresh it: say so now.
    const std::string& jwt = id_token->second;
    if (auto exp = jwt_expiry(jwt)) {
        const auto now =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        if (*exp < now) {
            throw Error(fmt::format(
                "the oidc id-token of user {} has expired, and refreshing it is not supported: "
                "use an exec credential plugin such as kubelogin "
                "(https://github.com/int128/kubelogin)",
                quote(user_name)));
        }
    }
    rc.token = jwt;
}

RestConfig resolve_impl(const KubeConfig& config, const Overrides& ov, const Environment& env) {
    const Selection s = select(config, ov, env);

    // kubectl asks for the namespace first, so its errors come first (§1.4 step 1).
    std::string ns = resolve_namespace(config, ov, s, env);

    // ClientConfig(): named things that were asked for must exist.
    if (s.user_required && !s.user_exists) {
        throw Error(fmt::format("auth info {} does not exist", quote(s.user_name)));
    }
    if (s.context_required && !s.context_exists) {
        throw Error(fmt::format("context {} does not exist", quote(s.context_name)));
    }
    if (s.cluster_required && !s.cluster_exists) {
        throw Error(fmt::format("cluster {} does not exist", quote(s.cluster_name)));
    }
    confirm_usable(s);

    const ClusterEntry& c = s.cluster;
    const UserEntry& u = s.user;
    RestConfig rc;
    rc.context = s.context_exists ? s.context_name : std::string();
    rc.proxy_url = c.proxy_url;
    rc.disable_compression = c.disable_compression;
    if (!ov.request_timeout.empty()) {
        rc.request_timeout = parse_request_timeout(ov.request_timeout);
    }
    const ServerUrl url = process_server(c.server);
    rc.server = url.url;
    if (!u.as.empty()) {
        rc.impersonate = Impersonation{u.as, u.as_uid, u.as_groups, u.as_user_extra};
    }
    rc.verbosity = ov.verbosity;
    rc.namespace_name = ns;

    // Credentials and server identity only for https (§1.4 step 7): nothing downstream can
    // send them over plain http, because they are not there.
    if (url.tls) {
        rc.insecure = c.insecure_skip_tls_verify;
        rc.tls_server_name = c.tls_server_name;
        if (!c.certificate_authority_data.empty()) {
            rc.ca_pem = c.certificate_authority_data;
        } else if (!c.certificate_authority.empty()) {
            rc.ca_pem = read_file_or_throw(c.certificate_authority);
        }
        if (rc.insecure &&
            (!c.certificate_authority_data.empty() || !c.certificate_authority.empty())) {
            throw Error("specifying a root certificates file with the insecure flag is not "
                        "allowed");
        }
        if (!u.token.empty()) {
            rc.token = u.token;
            rc.token_file = u.token_file;
        } else if (!u.token_file.empty()) {
            rc.token = std::string(trim(read_file_or_throw(u.token_file)));
            rc.token_file = u.token_file;
        }
        if (!u.client_certificate.empty() || !u.client_certificate_data.empty()) {
            rc.client_certificate_pem = !u.client_certificate_data.empty()
                                            ? u.client_certificate_data
                                            : read_file_or_throw(u.client_certificate);
            rc.client_key_pem = !u.client_key_data.empty() ? u.client_key_data
                                : !u.client_key.empty()    ? read_file_or_throw(u.client_key)
                                                           : std::string();
        }
        if (!u.username.empty() || !u.password.empty()) {
            rc.username = u.username;
            rc.password = u.password;
        }
        if (u.auth_provider) {
            apply_auth_provider(s.user_name, *u.auth_provider, rc);
        }
        if (u.exec) {
            if (u.exec->api_version != "client.authentication.k8s.io/v1" &&
                u.exec->api_version != "client.authentication.k8s.io/v1beta1") {
                throw Error(
                    fmt::format("exec plugin: invalid apiVersion {}", quote(u.exec->api_version)));
            }
            rc.exec = u.exec;
            rc.exec_user = s.user_name;
            rc.exec_cluster_config = c.exec_extension;
        }
    }
    return rc;
}

} // namespace

// ---------------------------------------------------------------------------------------------

Environment Environment::process() {
    Environment env;
    env.getenv = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
    };
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        env.home = home;
    } else {
        // No $HOME (some CI runners): the password database, as os/user would.
        std::array<char, 4096> buffer{};
        passwd entry{};
        passwd* result = nullptr;
        if (getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &result) == 0 &&
            result != nullptr && result->pw_dir != nullptr) {
            env.home = result->pw_dir;
        }
    }
    return env;
}

KubeConfig load_kubeconfig(const Overrides& overrides, const Environment& env) {
    const std::vector<std::string> files = kubeconfig_files(overrides, env);
    if (!overrides.kubeconfig.empty()) {
        struct stat info {};
        if (::stat(overrides.kubeconfig.c_str(), &info) != 0 && errno == ENOENT) {
            throw Error("stat " + overrides.kubeconfig + ": " + errno_text(ENOENT));
        }
    }
    KubeConfig merged;
    std::vector<std::string> errors;
    for (const auto& file : files) {
        std::string content;
        if (auto error = read_file(file, content)) {
            if (error->error == ENOENT) {
                continue; // a missing KUBECONFIG entry is skipped silently
            }
            errors.push_back(
                fmt::format("error loading config file \"{}\": {}", file, error->message));
            continue;
        }
        KubeConfig one;
        try {
            one = parse_file(content);
        } catch (const Error& e) {
            errors.push_back(fmt::format("error loading config file \"{}\": {}", file, e.what()));
            continue;
        }
        resolve_file_references(one, file);
        // The first file that defines a name wins the whole entry.
        merged.clusters.insert(one.clusters.begin(), one.clusters.end());
        merged.users.insert(one.users.begin(), one.users.end());
        merged.contexts.insert(one.contexts.begin(), one.contexts.end());
        if (merged.current_context.empty()) {
            merged.current_context = one.current_context;
        }
        merged.files.push_back(file);
    }
    if (!errors.empty()) {
        throw Error(aggregate(errors));
    }
    return merged;
}

RestConfig resolve(const KubeConfig& config, const Overrides& overrides, const Environment& env) {
    RestConfig rc = resolve_impl(config, overrides, env);
    if (is_default_config(rc, env) && in_cluster_possible(env)) {
        rc = in_cluster_config(overrides, env, rc.namespace_name);
    }
    // rest.Request checks the namespace of every request; do it once, here.
    validate_namespace(rc.namespace_name);
    return rc;
}

RestConfig resolve_context(const KubeConfig& config, const std::string& context,
                           const Overrides& base, const Environment& env) {
    Overrides overrides;
    overrides.context = context;
    overrides.request_timeout = base.request_timeout;
    overrides.verbosity = base.verbosity;
    return resolve(config, overrides, env);
}

std::chrono::milliseconds parse_request_timeout(const std::string& text) {
    using std::chrono::milliseconds;
    // Longer than anyone waits, short enough that "now + timeout" never overflows a clock.
    constexpr milliseconds longest_request_timeout = std::chrono::hours(24 * 365 * 10);
    if (text.empty()) {
        return milliseconds(0);
    }
    const auto invalid = [] {
        return core::usage_error(
            "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
            "followed by a corresponding time unit (e.g. 1s | 2m | 3h)");
    };
    // strconv.ParseInt first: a bare non-negative integer is seconds.
    {
        std::string_view digits = text;
        if (digits.front() == '+' || digits.front() == '-') {
            digits.remove_prefix(1);
        }
        const bool all_digits =
            !digits.empty() &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (all_digits) {
            if (text.front() == '-') {
                if (digits.find_first_not_of('0') == std::string_view::npos) {
                    return milliseconds(0); // "-0"
                }
                throw invalid();
            }
            errno = 0;
            const unsigned long long seconds =
                std::strtoull(std::string(digits).c_str(), nullptr, 10);
            // Past ~292 years a Go Duration overflows; nobody means that.
            if (errno != 0 || seconds > 9'223'372'036ULL) {
                throw invalid();
            }
            return std::min(std::chrono::duration_cast<milliseconds>(
                                std::chrono::seconds(static_cast<long long>(seconds))),
                            longest_request_timeout);
        }
    }
    std::chrono::nanoseconds duration{};
    try {
        duration = core::parse_go_duration(text);
    } catch (const Error&) {
        throw invalid();
    }
    if (duration.count() <= 0) {
        return milliseconds(0); // Go's http.Client treats a negative timeout as none
    }
    // Round up so that a sub-millisecond timeout does not become "no timeout".
    return std::min(std::chrono::ceil<milliseconds>(duration), longest_request_timeout);
}

nlohmann::json parse_yaml_or_json(std::string_view text) {
    return node_to_json(load_document(text));
}

} // namespace nova::kube
