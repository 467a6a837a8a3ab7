#pragma once

#include "lib/core/duration.hpp"
#include "lib/sim/certs.hpp"
#include "lib/sim/controllers.hpp"
#include "lib/sim/https_endpoint.hpp"
#include "lib/sim/rest.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace nova::sim {

// The kubeconfig context names nova-sim serves (the tutorial's, so its commands work unchanged).
inline constexpr std::string_view control_plane_context = "nova";
inline constexpr std::string_view hosting_context = "kind-cp";
inline constexpr std::string_view cert_context = "nova-cert"; // the control plane, by certificate
inline constexpr std::string_view cert_user = "cert-admin";
inline constexpr std::string_view cert_group = "system:masters";
// The control plane by HTTP basic credentials: context and kubeconfig user `nova-basic`, whose
// username is `basic-user` (every server accepts it; only this context uses it).
inline constexpr std::string_view basic_context = "nova-basic";
inline constexpr std::string_view basic_user = "basic-user";
// The control plane's user behind DIR/serviceaccount/token (the in-cluster credentials).
inline constexpr std::string_view service_account_user = "system:serviceaccount:default:nova";
inline constexpr std::string_view service_account_namespace = "default";
// The user of tokens added with `nova-sim ctl add-token` when no --user is given.
inline constexpr std::string_view default_added_token_user = "exec-user";
std::string workload_context(int index); // 1-based: "kind-workload-1"

// The Cluster object (cluster.elotl.co/v1alpha1) Nova's agent keeps for workload cluster `index`
// (1-based) named `name`: spec, labels and Ready/Idle/Standby conditions of a fresh, healthy
// cluster (reference/nova-and-peers.md §1.2).
nlohmann::json cluster_object(int index, const std::string& name, core::TimePoint now);

// The objects of a manifest file: its documents, with List items expanded.
// Throws core::Error naming the file when it cannot be read or parsed.
std::vector<nlohmann::json> read_manifest_file(const std::filesystem::path& path);

// The manifest files `--load CONTEXT=PATH` reads: PATH itself, or every *.yaml, *.yml and *.json
// file directly in the directory PATH, in file-name order. Throws core::Error naming PATH when it
// does not exist or a directory holds no manifest.
std::vector<std::filesystem::path> manifest_files(const std::filesystem::path& path);

// Makes a loaded object `age` old at `now` (`run --load-created-ago`), so that golden tests see
// the same AGE whenever they run: metadata.creationTimestamp becomes now - age, to the second,
// and so do startedAt and finishedAt of an AnalysisRun's measurements, as argo-rollouts' own
// plugin tests set them.
void backdate(nlohmann::json& object, std::chrono::seconds age, core::Clock::time_point now);

// Old fixtures (argo-rollouts' among them) write ReplicaSets and Deployments as
// extensions/v1beta1 or apps/v1beta1/v1beta2, which no API server serves any more: --load
// stores them as apps/v1. Other objects are left alone.
void upgrade_legacy_api_version(nlohmann::json& object);

// Moves every RFC 3339 timestamp in `object` (any string field that is one: creationTimestamp,
// condition and measurement times, annotations) by `offset` (`run --load-now`): fixtures written
// for a fixed instant then show the same ages whenever they are loaded.
void shift_timestamps(nlohmann::json& object, std::chrono::seconds offset);

// A --load-created-ago value: a Go duration ("90m", "168h") or whole days ("7d").
// Throws core::Error (usage) for anything else or a negative age.
std::chrono::seconds parse_age(std::string_view text);

// Writes `content` to a temporary file beside `path`, mode 0600, and renames it into place, so a
// reader sees the old file or the whole new one, never half of it.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The set of simulated API servers of one nova-sim run: the Nova control plane, the hosting
// cluster and N workload clusters, each an ApiServer behind its own HttpsEndpoint, all signed by
// one CA. Also executes the fault-control commands of `nova-sim ctl`.
class Environment {
public:
    // Generates the CA, certificates and tokens and creates the servers; nothing listens yet.
    explicit Environment(int workload_clusters);
    ~Environment();
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

    // Starts every server and creates the control plane's Cluster objects.
    void start();
    // Stops every server (ends connections and watches).
    void stop();

    [[nodiscard]] std::vector<std::string> contexts() const;
    // Throws core::Error (usage) naming the known contexts when `context` is not one of them.
    [[nodiscard]] HttpsEndpoint& endpoint(std::string_view context) const;

    // The kubeconfig for every server: one token user per server, the certificate user, the
    // basic-auth user, contexts named as the servers plus `nova-cert` and `nova-basic`; current
    // context `nova`.
    [[nodiscard]] std::string kubeconfig() const;

    // What a pod's service-account volume holds, for clients' in-cluster configuration:
    // DIR/{token,ca.crt,namespace}, all mode 0600; the token is the control plane's, for
    // service_account_user. Creates `dir`. Throws core::Error when a file cannot be written.
    void write_service_account(const std::filesystem::path& dir) const;

    // {"nova": PORT, "kind-cp": PORT, ...}: every server's port, in serving order.
    [[nodiscard]] nlohmann::ordered_json ports() const;

    // How many change events every server keeps for watches (`run --watch-history`): a watch
    // from a version further back gets 410 Expired.
    void set_watch_history(std::size_t events);

    // Every server's store by the part it plays, for the simulated controllers.
    [[nodiscard]] Fleet fleet() const;
    // The controllers' knobs (`run` flags set them before start_controllers; ctl flips them).
    [[nodiscard]] SimSettings& settings() { return m_settings; }
    // Runs `controllers` on their own thread until stop() (`run --controllers`).
    void start_controllers(double time_scale, std::vector<std::unique_ptr<Controller>> controllers);

    // Runs one `nova-sim ctl` command: {"verb": ..., "context": ..., ...}. Returns what ctl
    // prints. Throws core::Error for bad commands. Never echoes a token it was given.
    std::string control(const nlohmann::json& command);

private:
    struct Server {
        std::string context;
        std::unique_ptr<ApiServer> api;
        std::unique_ptr<HttpsEndpoint> endpoint; // declared after api: destroyed before it
    };

    CertificateAuthority m_ca;
    CertifiedKey m_client_cert;
    std::string m_basic_password;
    std::string m_service_account_token;
    std::vector<Server> m_servers; // control plane, hosting cluster, workload clusters
    int m_workload_clusters;
    std::mutex m_control_mutex; // one fault command at a time
    SimSettings m_settings;
    std::unique_ptr<ControllerRunner> m_controllers; // after the servers: stopped first
};

// The plain-HTTP control endpoint `nova-sim ctl` talks to: 127.0.0.1 on an ephemeral port, every
// request carrying a random secret. Both are written to DIR/control.json.
class ControlServer {
public:
    explicit ControlServer(Environment& environment);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    void start();
    void stop();
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] const std::string& secret() const { return m_secret; }

private:
    Environment& m_environment;
    std::string m_secret;
    std::unique_ptr<httplib::Server> m_server;
    std::unique_ptr<std::thread> m_thread;
    int m_port = 0;
};

} // namespace nova::sim
