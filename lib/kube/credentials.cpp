#include "lib/kube/credentials.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/file_read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ; // NOLINT: POSIX

namespace nova::kube {
namespace {

using core::errno_text;
using core::trim;

using core::Error;
using core::quote;
using Clock = std::chrono::system_clock;
using Steady = std::chrono::steady_clock;

// client-go re-reads a token file about once a minute; we also notice a changed mtime.
constexpr auto token_file_period = std::chrono::minutes(1);
// Plugin output beyond this is not a credential; stop before it eats the memory budget.
constexpr std::size_t max_plugin_output = 16U << 20U;

// ---------------------------------------------------------------------------------------------
// Exec plugin input and output (reference §2.2, §2.3)

const char* interactive_mode_name(InteractiveMode mode) {
    switch (mode) {
    case InteractiveMode::never:
        return "Never";
    case InteractiveMode::always:
        return "Always";
    case InteractiveMode::if_available:
        break;
    }
    return "IfAvailable";
}

// spec.cluster, with client-go's keys and omissions (rest.ConfigToExecCluster).
nlohmann::ordered_json exec_cluster(const RestConfig& config) {
    nlohmann::ordered_json cluster = nlohmann::ordered_json::object();
    cluster["server"] = config.server;
    if (!config.tls_server_name.empty()) {
        cluster["tls-server-name"] = config.tls_server_name;
    }
    if (config.insecure) {
        cluster["insecure-skip-tls-verify"] = true;
    }
    if (!config.ca_pem.empty()) {
        cluster["certificate-authority-data"] = core::encode_base64(config.ca_pem);
    }
    if (!config.proxy_url.empty()) {
        cluster["proxy-url"] = config.proxy_url;
    }
    if (config.disable_compression) {
        cluster["disable-compression"] = true;
    }
    // A RawExtension without content is written as null, not left out.
    cluster["config"] = config.exec_cluster_config.is_discarded()
                            ? nlohmann::ordered_json(nullptr)
                            : nlohmann::ordered_json::parse(config.exec_cluster_config.dump());
    return cluster;
}

std::string exec_info(const RestConfig& config, bool interactive) {
    nlohmann::ordered_json info = nlohmann::ordered_json::object();
    info["kind"] = "ExecCredential";
    info["apiVersion"] = config.exec->api_version;
    nlohmann::ordered_json spec = nlohmann::ordered_json::object();
    if (config.exec->provide_cluster_info) {
        spec["cluster"] = exec_cluster(config);
    }
    spec["interactive"] = interactive;
    info["spec"] = std::move(spec);
    return info.dump();
}

// One authenticator per exec config and cluster, as client-go's cache key.
std::string exec_key(const RestConfig& config) {
    const ExecConfig& exec = *config.exec;
    nlohmann::ordered_json key = nlohmann::ordered_json::object();
    key["command"] = exec.command;
    key["args"] = exec.args;
    nlohmann::ordered_json env = nlohmann::ordered_json::array();
    for (const auto& var : exec.env) {
        env.push_back({var.name, var.value});
    }
    key["env"] = std::move(env);
    key["apiVersion"] = exec.api_version;
    key["installHint"] = exec.install_hint;
    key["provideClusterInfo"] = exec.provide_cluster_info;
    key["interactiveMode"] = interactive_mode_name(exec.interactive_mode);
    key["cluster"] = exec_cluster(config);
    return key.dump();
}

struct PluginNotFound {
    std::string message;
};

struct PluginOutput {
    Credentials credentials;
    std::optional<Clock::time_point> expiry;
};

std::string plugin_label(const RestConfig& config) {
    return fmt::format(" (exec plugin {} of user {})", config.exec->command,
                       quote(config.exec_user));
}

// The ExecCredential on stdout, with client-go's checks and messages. The output itself is
// never quoted: it holds the secret.
PluginOutput parse_plugin_output(const RestConfig& config, const std::string& stdout_text) {
    const std::string label = plugin_label(config);
    const auto decoding = [&](const std::string& why) {
        return Error("getting credentials: decoding stdout: " + why + label);
    };
    if (trim(stdout_text).empty()) {
        throw decoding("the plugin printed nothing");
    }
    nlohmann::json doc;
    try {
        doc = parse_yaml_or_json(stdout_text);
    } catch (const Error& e) {
        throw decoding(e.what());
    }
    if (!doc.is_object()) {
        throw decoding("expected an ExecCredential object");
    }
    const auto string_at = [&](const nlohmann::json& object, const char* key,
                               const std::string& where) -> std::string {
        if (!object.contains(key) || object[key].is_null()) {
            return {};
        }
        if (!object[key].is_string()) {
            throw decoding(where + " must be a string");
        }
        return object[key].get<std::string>();
    };
    const std::string api_version = string_at(doc, "apiVersion", "apiVersion");
    const std::string kind = string_at(doc, "kind", "kind");
    if (kind.empty()) {
        throw decoding("Object 'Kind' is missing");
    }
    if (api_version.empty()) {
        throw decoding("Object 'apiVersion' is missing");
    }
    if (kind != "ExecCredential" || (api_version != "client.authentication.k8s.io/v1" &&
                                     api_version != "client.authentication.k8s.io/v1beta1")) {
        throw decoding(fmt::format("no kind {} is registered for version {}", quote(kind),
                                   quote(api_version)));
    }
    const std::string prefix = "getting credentials: ";
    if (api_version != config.exec->api_version) {
        throw Error(prefix +
                    fmt::format("exec plugin is configured to use API version {}, plugin "
                                "returned version {}",
                                config.exec->api_version, api_version) +
                    label);
    }
    if (!doc.contains("status") || doc["status"].is_null()) {
        throw Error(prefix + "exec plugin didn't return a status field" + label);
    }
    const nlohmann::json& status = doc["status"];
    if (!status.is_object()) {
        throw decoding("status must be an object");
    }
    PluginOutput out;
    out.credentials.token = string_at(status, "token", "status.token");
    out.credentials.client_certificate_pem =
        string_at(status, "clientCertificateData", "status.clientCertificateData");
    out.credentials.client_key_pem = string_at(status, "clientKeyData", "status.clientKeyData");
    const std::string expiration =
        string_at(status, "expirationTimestamp", "status.expirationTimestamp");
    if (!expiration.empty()) {
        try {
            const core::TimePoint parsed = core::parse_rfc3339(expiration);
            // Past what the clock holds in nanoseconds (the year 2262) would wrap to the
            // past: such a credential simply never expires.
            const auto latest = std::chrono::floor<std::chrono::seconds>(Clock::time_point::max());
            // Before 1678 (Go's zero time, say) would wrap the other way: long expired.
            const auto earliest = std::chrono::ceil<std::chrono::seconds>(Clock::time_point::min());
            out.expiry = parsed >= latest     ? Clock::time_point::max()
                         : parsed <= earliest ? Clock::time_point::min()
                                              : Clock::time_point(parsed);
        } catch (const Error&) {
            throw decoding("status.expirationTimestamp is not an RFC 3339 time");
        }
    }
    const Credentials& c = out.credentials;
    if (c.token.empty() && c.client_certificate_pem.empty() && c.client_key_pem.empty()) {
        throw Error(prefix + "exec plugin didn't return a token or cert/key pair" + label);
    }
    if (c.client_certificate_pem.empty() != c.client_key_pem.empty()) {
        throw Error(prefix + "exec plugin returned only certificate or key, not both" + label);
    }
    // PEM text, not base64: catch the common mistake here rather than deep in TLS.
    if (!c.client_certificate_pem.empty()) {
        const char* which = c.client_certificate_pem.find("-----BEGIN") == std::string::npos
                                ? "certificate"
                            : c.client_key_pem.find("-----BEGIN") == std::string::npos ? "key"
                                                                                       : nullptr;
        if (which != nullptr) {
            throw Error(prefix +
                        fmt::format("failed parsing client key/certificate: tls: failed to find "
                                    "any PEM data in {} input",
                                    which) +
                        label);
        }
    }
    return out;
}

// The environment of the plugin: ours, then the exec env, then KUBERNETES_EXEC_INFO; a later
// entry replaces an earlier one of the same name (Go keeps the last duplicate).
std::vector<std::string> plugin_environment(const ExecConfig& exec, const std::string& info) {
    std::vector<std::string> env;
    const auto set = [&env](const std::string& name, const std::string& value) {
        const std::string prefix = name + "=";
        std::erase_if(env, [&](const std::string& entry) { return entry.rfind(prefix, 0) == 0; });
        env.push_back(prefix + value);
    };
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        env.emplace_back(*entry);
    }
    for (const auto& var : exec.env) {
        set(var.name, var.value);
    }
    set("KUBERNETES_EXEC_INFO", info);
    return env;
}

class SpawnGuard {
public:
    SpawnGuard() {
        posix_spawn_file_actions_init(&m_actions);
        posix_spawnattr_init(&m_attributes);
    }
    ~SpawnGuard() {
        posix_spawn_file_actions_destroy(&m_actions);
        posix_spawnattr_destroy(&m_attributes);
    }
    SpawnGuard(const SpawnGuard&) = delete;
    SpawnGuard& operator=(const SpawnGuard&) = delete;
    posix_spawn_file_actions_t* actions() { return &m_actions; }
    posix_spawnattr_t* attributes() { return &m_attributes; }

private:
    posix_spawn_file_actions_t m_actions{};
    posix_spawnattr_t m_attributes{};
};

class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return m_fd; }
    void reset() {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

private:
    int m_fd;
};

// Runs the plugin and returns its stdout. stderr is the user's; stdin only when interactive.
std::string run_plugin(const RestConfig& config, bool interactive,
                       std::chrono::milliseconds timeout) {
    const ExecConfig& exec = *config.exec;
    const std::string& command = exec.command;
    const std::string info = exec_info(config, interactive);
    std::vector<std::string> env = plugin_environment(exec, info);

    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(command.c_str())); // NOLINT: POSIX wants char*
    for (const auto& arg : exec.args) {
        argv.push_back(const_cast<char*>(arg.c_str())); // NOLINT
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    std::array<int, 2> pipe_fds{};
    if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
        throw Error("getting credentials: exec: pipe: " + errno_text(errno));
    }
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);

    SpawnGuard spawn;
    if (!interactive) {
        posix_spawn_file_actions_addopen(spawn.actions(), 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(spawn.actions(), write_end.get(), 1);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Sockets of other threads must not leak into the plugin.
    posix_spawn_file_actions_addclosefrom_np(spawn.actions(), 3);
#endif
    // The plugin starts with default signal handling and nothing blocked, whatever we set.
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) {
        sigaddset(&defaults, sig);
    }
    posix_spawnattr_setsigmask(spawn.attributes(), &none);
    posix_spawnattr_setsigdefault(spawn.attributes(), &defaults);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (!interactive) {
        // Its own process group, so that a plugin stopped on timeout goes with its children
        // (a shell script's helpers would otherwise keep the pipe open). An interactive plugin
        // stays in ours: it must remain in the terminal's foreground group to read input.
        posix_spawnattr_setpgroup(spawn.attributes(), 0);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(spawn.attributes(), flags);

    pid_t pid = -1;
    const int spawn_error = posix_spawnp(&pid, command.c_str(), spawn.actions(), spawn.attributes(),
                                         argv.data(), envp.data());
    if (spawn_error == ENOENT ||
        (spawn_error == EACCES && command.find('/') == std::string::npos)) {
        throw PluginNotFound{"exec: executable " + command + " not found"};
    }
    if (spawn_error != 0) {
        throw Error(fmt::format("getting credentials: exec: fork/exec {}: {}", command,
                                errno_text(spawn_error)));
    }
    write_end.reset();
    ::fcntl(read_end.get(), F_SETFL, ::fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);

    const auto deadline = Steady::now() + timeout;
    std::optional<Steady::time_point> exited_at;
    int status = 0;
    bool reaped = false;
    bool eof = false;
    std::string output;
    const auto stop = [&](const std::string& why) {
        if (!reaped) {
            ::kill(interactive ? pid : -pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
        throw Error("getting credentials: exec: executable " + command + " " + why);
    };
    while (!eof) {
        const auto now = Steady::now();
        if (now >= deadline) {
            stop(fmt::format("did not finish within {} and was stopped",
                             core::format_go_duration(timeout)));
        }
        // A grandchild may keep stdout open after the plugin has exited: stop reading soon.
        if (exited_at && now - *exited_at > std::chrono::seconds(1)) {
            break;
        }
        const auto wait =
            std::min<Steady::duration>(deadline - now, std::chrono::milliseconds(100));
        pollfd fd{read_end.get(), POLLIN, 0};
        const int ready = ::poll(
            &fd, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count()));
        if (ready > 0) {
            std::array<char, 65536> buffer{};
            for (;;) {
                const ssize_t n = ::read(read_end.get(), buffer.data(), buffer.size());
                if (n > 0) {
                    output.append(buffer.data(), static_cast<std::size_t>(n));
                    if (output.size() > max_plugin_output) {
                        stop("wrote more than 16 MiB on stdout and was stopped");
                    }
                    continue;
                }
                if (n == 0) {
                    eof = true;
                } else if (errno == EINTR) {
                    continue;
                }
                break;
            }
        }
        if (!reaped) {
            const pid_t done = ::waitpid(pid, &status, WNOHANG);
            if (done == pid) {
                reaped = true;
                exited_at = Steady::now();
            }
        }
    }
    while (!reaped) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            reaped = true;
            break;
        }
        if (Steady::now() >= deadline) {
            stop(fmt::format("did not finish within {} and was stopped",
                             core::format_go_duration(timeout)));
        }
        ::usleep(5000);
    }
    const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1; // -1: killed by a signal
    if (exit_code != 0) {
        throw Error(fmt::format("getting credentials: exec: executable {} failed with exit code {}",
                                command, exit_code));
    }
    return output;
}

struct TokenFileState {
    std::string token; // the last good read, trimmed
    bool has_token = false;
    Steady::time_point read_at{};
    timespec mtime{};
    bool stale = false;
};

struct ExecState {
    bool running = false;
    bool valid = false;
    Credentials credentials;
    std::optional<Clock::time_point> expiry;
    unsigned generation = 0;
    std::uint64_t finished_runs = 0;
    bool last_run_failed = false;
    std::string last_error;
    // The long "not installed" help is shown at most 10 times an hour, as client-go does.
    Steady::time_point hint_window{};
    int hints_shown = 0;
};

bool has_static_auth(const RestConfig& config) {
    // UpdateTransportConfig's test: any token, basic auth or client certificate wins over exec.
    return !config.token.empty() || !config.token_file.empty() || !config.username.empty() ||
           (!config.client_certificate_pem.empty() && !config.client_key_pem.empty());
}

} // namespace

struct CredentialCache::Impl {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, TokenFileState> token_files;
    std::map<std::string, ExecState> exec_states; // nodes are stable while unlocked
    std::chrono::milliseconds exec_timeout{std::chrono::seconds(180)};

    std::string file_token(const RestConfig& config);
    Credentials exec_credentials(const RestConfig& config,
                                 std::optional<std::chrono::milliseconds> budget);
};

std::string CredentialCache::Impl::file_token(const RestConfig& config) {
    const std::string& path = config.token_file;
    std::lock_guard lock(mutex);
    TokenFileState& state = token_files[path];
    const auto now = Steady::now();
    struct stat info {};
    const bool stat_ok = ::stat(path.c_str(), &info) == 0;
    const bool mtime_changed = stat_ok && (info.st_mtim.tv_sec != state.mtime.tv_sec ||
                                           info.st_mtim.tv_nsec != state.mtime.tv_nsec);
    std::optional<std::string> error;
    if (!state.has_token || state.stale || mtime_changed ||
        now - state.read_at >= token_file_period) {
        std::string content;
        if (auto failure = read_file(path, content)) {
            error = std::move(failure->message);
        }
        state.read_at = now;
        state.stale = false;
        if (!error) {
            std::string token(trim(content));
            if (!token.empty()) {
                state.token = std::move(token);
                state.has_token = true;
                if (stat_ok) {
                    state.mtime = info.st_mtim;
                }
            }
        }
    }
    // The file wins whenever it could be read; the inline token is the fallback.
    if (state.has_token) {
        return state.token;
    }
    if (config.token.empty() && error) {
        throw Error(*error);
    }
    return config.token;
}

Credentials
CredentialCache::Impl::exec_credentials(const RestConfig& config,
                                        std::optional<std::chrono::milliseconds> budget) {
    const std::string key = exec_key(config);
    std::unique_lock lock(mutex);
    ExecState& state = exec_states[key];
    const std::uint64_t runs_before = state.finished_runs;
    bool waited = false;
    while (state.running) {
        waited = true;
        changed.wait(lock);
    }
    if (waited && state.finished_runs != runs_before) {
        // We waited for someone else's run: share its outcome, whatever it was.
        if (state.last_run_failed) {
            throw Error(state.last_error);
        }
        if (state.valid) {
            return state.credentials;
        }
    }
    const bool expired = state.expiry && Clock::now() > *state.expiry;
    if (state.valid && !expired) {
        return state.credentials;
    }
    state.running = true;
    const auto timeout = budget ? std::min(exec_timeout, *budget) : exec_timeout;
    lock.unlock();

    std::optional<PluginOutput> output;
    std::string error;
    bool not_found = false;
    try {
        // Decided before every run: the terminal may have gone away in the meantime.
        bool interactive = false;
        switch (config.exec->interactive_mode) {
        case InteractiveMode::never:
            break;
        case InteractiveMode::if_available:
            interactive = ::isatty(0) != 0;
            break;
        case InteractiveMode::always:
            if (::isatty(0) == 0) {
                throw Error("getting credentials: exec plugin cannot support interactive mode: "
                            "standard input is not a terminal");
            }
            interactive = true;
            break;
        }
        output = parse_plugin_output(config, run_plugin(config, interactive, timeout));
    } catch (const PluginNotFound& e) {
        error = e.message;
        not_found = true;
    } catch (const Error& e) {
        error = e.what();
    } catch (const std::exception& e) {
        error = std::string("getting credentials: exec: ") + e.what();
    }

    lock.lock();
    state.running = false;
    ++state.finished_runs;
    if (not_found) {
        std::string message = "getting credentials: " + error;
        const auto now = Steady::now();
        if (now - state.hint_window >= std::chrono::hours(1)) {
            state.hint_window = now;
            state.hints_shown = 0;
        }
        if (state.hints_shown < 10) {
            ++state.hints_shown;
            message += "\n\nIt looks like you are trying to use a client-go credential plugin "
                       "that is not installed.\n\nTo learn more about credential plugins, see "
                       "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
                       "#client-go-credential-plugins";
            if (!config.exec->install_hint.empty()) {
                message += "\n\n" + core::printable(config.exec->install_hint);
            }
        }
        error = std::move(message);
    }
    if (!output) {
        state.last_run_failed = true;
        state.last_error = error;
        changed.notify_all();
        throw Error(error);
    }
    state.last_run_failed = false;
    state.last_error.clear();
    state.credentials = std::move(output->credentials);
    state.credentials.generation = ++state.generation;
    state.credentials.expiry = output->expiry;
    state.expiry = output->expiry;
    state.valid = true;
    changed.notify_all();
    return state.credentials;
}

CredentialCache::CredentialCache() : m_impl(std::make_unique<Impl>()) {}

CredentialCache::~CredentialCache() = default;

void CredentialCache::set_exec_timeout(std::chrono::milliseconds timeout) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->exec_timeout = timeout;
}

Credentials CredentialCache::get(const RestConfig& config,
                                 std::optional<std::chrono::milliseconds> exec_budget) {
    Credentials out;
    if (!config.uses_tls()) {
        return out; // client-go sends nothing over plain http
    }
    out.client_certificate_pem = config.client_certificate_pem;
    out.client_key_pem = config.client_key_pem;
    out.username = config.username;
    out.password = config.password;
    out.token = config.token_file.empty() ? config.token : m_impl->file_token(config);
    if (config.exec && !has_static_auth(config)) {
        Credentials exec = m_impl->exec_credentials(config, exec_budget);
        out.token = std::move(exec.token);
        out.client_certificate_pem = std::move(exec.client_certificate_pem);
        out.client_key_pem = std::move(exec.client_key_pem);
        out.generation = exec.generation;
        out.expiry = exec.expiry;
    }
    return out;
}

void CredentialCache::unauthorized(const RestConfig& config, const Credentials& used) {
    if (!config.uses_tls()) {
        return;
    }
    std::lock_guard lock(m_impl->mutex);
    if (!config.token_file.empty()) {
        // The file may have been rotated since the last read: read it again next time.
        if (auto it = m_impl->token_files.find(config.token_file);
            it != m_impl->token_files.end()) {
            it->second.stale = true;
        }
    }
    if (config.exec && !has_static_auth(config)) {
        auto it = m_impl->exec_states.find(exec_key(config));
        // Once per generation: later 401s for the same credential change nothing.
        if (it != m_impl->exec_states.end() && it->second.valid &&
            it->second.generation == used.generation) {
            it->second.valid = false;
        }
    }
}

} // namespace nova::kube
