#include "lib/sim/environment.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/error.hpp"
#include "lib/core/yaml.hpp"
#include "lib/sim/store.hpp"

#include <httplib.h>
#include <openssl/crypto.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace nova::sim {

std::string workload_context(int index) {
    return "kind-workload-" + std::to_string(index);
}

// ---------------------------------------------------------------------------------------------
// Cluster objects

nlohmann::json cluster_object(int index, const std::string& name, core::TimePoint now) {
    // Two regions, alternating, so that region-based SchedulePolicies have something to split.
    const bool east = index % 2 == 1;
    const std::string region = east ? "us-east-1" : "us-west-2";
    const std::string zone = region + static_cast<char>('a' + ((index - 1) / 2) % 3);
    const std::string version = "1.25";
    const std::string timestamp = core::format_rfc3339(now);
    const auto condition = [&](const char* type, const char* status, const char* reason,
                               const char* message) {
        return nlohmann::json{{"type", type},
                              {"status", status},
                              {"reason", reason},
                              {"message", message},
                              {"lastHeartbeatTime", timestamp},
                              {"lastTransitionTime", timestamp},
                              {"observedGeneration", 1}};
    };
    return {
        {"apiVersion", "cluster.elotl.co/v1alpha1"},
        {"kind", "Cluster"},
        {"metadata",
         {{"name", name},
          {"labels",
           {{"kubernetes.io/metadata.name", name},
            {"nova.elotl.co/cluster.novacreated", "false"},
            {"nova.elotl.co/cluster.provider", "kind"},
            {"nova.elotl.co/cluster.version", version},
            {"nova.elotl.co/cluster.region", region},
            {"nova.elotl.co/cluster.zone", zone}}}}},
        {"spec",
         {{"name", name},
          {"kubernetesversion", version},
          {"kubernetescluster", "workload-" + std::to_string(index)},
          {"novacreated", false},
          {"provider", "kind"},
          {"region", region},
          {"zone", zone}}},
        {"status",
         {{"conditions",
           nlohmann::json::array(
               {condition("Ready", "True", "AgentReady", "nova-agent is connected"),
                condition("Idle", "True", "NoWorkloads", "no Nova-scheduled workloads run here"),
                condition("Standby", "False", "Active", "cluster is not in standby")})},
          {"lastUpdateTime", timestamp}}},
    };
}

std::vector<nlohmann::json> read_manifest_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw core::Error("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw core::Error("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    std::vector<nlohmann::json> documents;
    try {
        documents = core::parse_yaml_documents(text.str());
    } catch (const core::Error& e) {
        throw core::Error("cannot parse " + path.string() + ": " + e.what());
    }
    std::vector<nlohmann::json> objects;
    for (auto& document : documents) {
        if (!document.is_object()) {
            throw core::Error("cannot load " + path.string() +
                              ": a document is not a Kubernetes object");
        }
        const auto kind = document.find("kind");
        if (kind != document.end() && kind->is_string() &&
            kind->get<std::string>().ends_with("List") && document.contains("items") &&
            document["items"].is_array()) {
            for (auto& item : document["items"]) {
                objects.push_back(std::move(item));
            }
        } else {
            objects.push_back(std::move(document));
        }
    }
    return objects;
}

std::vector<std::filesystem::path> manifest_files(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
        if (!std::filesystem::exists(path, error)) {
            throw core::Error("cannot read " + path.string() + ": no such file or directory");
        }
        return {path};
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        const auto extension = entry.path().extension();
        if (entry.is_regular_file() &&
            (extension == ".yaml" || extension == ".yml" || extension == ".json")) {
            files.push_back(entry.path());
        }
    }
    if (error) {
        throw core::Error("cannot read " + path.string() + ": " + error.message());
    }
    if (files.empty()) {
        throw core::Error("cannot load " + path.string() +
                          ": the directory holds no .yaml, .yml or .json file");
    }
    std::sort(files.begin(), files.end());
    return files;
}

void backdate(nlohmann::json& object, std::chrono::seconds age, core::Clock::time_point now) {
    const std::string when =
        core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(now) - age);
    object["metadata"]["creationTimestamp"] = when;
    if (object.value("kind", std::string()) != "AnalysisRun") {
        return;
    }
    auto status = object.find("status");
    if (status == object.end() || !status->is_object() || !status->contains("metricResults") ||
        !(*status)["metricResults"].is_array()) {
        return;
    }
    for (auto& result : (*status)["metricResults"]) {
        if (!result.is_object() || !result.contains("measurements") ||
            !result["measurements"].is_array()) {
            continue;
        }
        for (auto& measurement : result["measurements"]) {
            if (measurement.is_object()) {
                measurement["startedAt"] = when;
                measurement["finishedAt"] = when;
            }
        }
    }
}

void upgrade_legacy_api_version(nlohmann::json& object) {
    const auto kind = object.value("kind", std::string());
    const auto version = object.value("apiVersion", std::string());
    if ((kind == "ReplicaSet" || kind == "Deployment") &&
        (version == "extensions/v1beta1" || version == "apps/v1beta1" ||
         version == "apps/v1beta2")) {
        object["apiVersion"] = "apps/v1";
    }
}

namespace {

// 2025-06-02T10:20:30Z, optionally with fractional seconds: how the API writes times.
bool looks_like_timestamp(const std::string& text) {
    const auto digits = [&](std::size_t from, std::size_t count) {
        return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                           text.begin() + static_cast<std::ptrdiff_t>(from + count),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    };
    return text.size() >= 20 && text.back() == 'Z' && digits(0, 4) && text[4] == '-' &&
           digits(5, 2) && text[7] == '-' && digits(8, 2) && text[10] == 'T' && digits(11, 2) &&
           text[13] == ':' && digits(14, 2) && text[16] == ':' && digits(17, 2);
}

} // namespace

void shift_timestamps(nlohmann::json& object, std::chrono::seconds offset) {
    if (object.is_object() || object.is_array()) {
        for (auto& value : object) {
            shift_timestamps(value, offset);
        }
        return;
    }
    if (!object.is_string() || !looks_like_timestamp(object.get_ref<const std::string&>())) {
        return;
    }
    try {
        object = core::format_rfc3339(core::parse_rfc3339(object.get<std::string>()) + offset);
    } catch (const core::Error&) {
        // Looked like a time and is not one (month 13): leave it as written.
    }
}

std::chrono::seconds parse_age(std::string_view text) {
    std::chrono::seconds age{0};
    if (text.size() > 1 && text.back() == 'd' &&
        std::all_of(text.begin(), text.end() - 1,
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        int days = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size() - 1, days);
        if (error != std::errc() || days > 100000) {
            throw core::usage_error("age \"" + std::string(text) + "\" is too large");
        }
        age = std::chrono::hours(24 * days);
    } else {
        age = std::chrono::duration_cast<std::chrono::seconds>(core::parse_go_duration(text));
    }
    if (age.count() < 0) {
        throw core::usage_error("age \"" + std::string(text) + "\" is negative");
    }
    return age;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    const auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw core::Error("cannot " + what + " " + path.string() + ": " + reason);
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail("write");
    }
    // An earlier file of the same name may have had wider permissions; O_CREAT keeps them.
    if (::fchmod(fd, 0600) != 0) {
        ::close(fd);
        fail("write");
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ::close(fd);
            fail("write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        fail("write");
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        fail("rename into place");
    }
}

// ---------------------------------------------------------------------------------------------
// Environment

Environment::Environment(int workload_clusters)
    : m_client_cert(m_ca.issue_client(cert_user, cert_group)), m_basic_password(random_hex(16)),
      m_service_account_token(random_hex(32)), m_workload_clusters(workload_clusters) {
    std::vector<std::string> names{std::string(control_plane_context),
                                   std::string(hosting_context)};
    for (int i = 1; i <= workload_clusters; ++i) {
        names.push_back(workload_context(i));
    }
    for (auto& name : names) {
        Server server;
        server.context = name;
        server.api = std::make_unique<ApiServer>(name);
        server.endpoint = std::make_unique<HttpsEndpoint>(name, *server.api, m_ca, random_hex(32));
        server.endpoint->add_basic_user(std::string(basic_user), m_basic_password);
        m_servers.push_back(std::move(server));
    }
    m_servers.front().endpoint->add_token(m_service_account_token,
                                          std::string(service_account_user));
}

Environment::~Environment() {
    stop();
}

void Environment::start() {
    for (auto& server : m_servers) {
        server.endpoint->up();
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(core::Clock::now());
    ApiServer& control_plane = *m_servers.front().api;
    for (int i = 1; i <= m_workload_clusters; ++i) {
        control_plane.load(cluster_object(i, workload_context(i), now));
    }
}

void Environment::stop() {
    if (m_controllers) {
        m_controllers->stop();
    }
    for (auto& server : m_servers) {
        server.endpoint->down();
    }
}

Fleet Environment::fleet() const {
    Fleet fleet;
    fleet.control_plane = &m_servers.at(0).api->store();
    fleet.hosting = &m_servers.at(1).api->store();
    for (std::size_t i = 2; i < m_servers.size(); ++i) {
        fleet.workloads.emplace_back(m_servers[i].context, &m_servers[i].api->store());
    }
    return fleet;
}

void Environment::start_controllers(double time_scale,
                                    std::vector<std::unique_ptr<Controller>> controllers) {
    if (m_controllers) {
        m_controllers->stop();
    }
    m_controllers = std::make_unique<ControllerRunner>(fleet(), time_scale);
    for (auto& controller : controllers) {
        m_controllers->add(std::move(controller));
    }
    m_controllers->start();
}

std::vector<std::string> Environment::contexts() const {
    std::vector<std::string> names;
    for (const auto& server : m_servers) {
        names.push_back(server.context);
    }
    return names;
}

HttpsEndpoint& Environment::endpoint(std::string_view context) const {
    for (const auto& server : m_servers) {
        if (server.context == context) {
            return *server.endpoint;
        }
    }
    if (context == cert_context || context == basic_context) {
        return *m_servers.front().endpoint;
    }
    std::string known;
    for (const auto& server : m_servers) {
        known += (known.empty() ? "" : ", ") + server.context;
    }
    throw core::usage_error("unknown context \"" + std::string(context) + "\" (nova-sim serves " +
                            known + ")");
}

std::string Environment::kubeconfig() const {
    YAML::Emitter out;
    // yaml-cpp writes "1234" or "true" plain, which reads back as a number or a bool: quote what
    // a YAML reader would not take for a string (a token of only digits, say).
    const auto entry = [&out](const std::string& key, const std::string& value) {
        out << YAML::Key << key << YAML::Value;
        if (!core::yaml_plain_scalar(value).is_string()) {
            out << YAML::DoubleQuoted;
        }
        out << value;
    };
    const std::string ca_data = core::encode_base64(m_ca.cert_pem());
    out << YAML::BeginMap;
    entry("apiVersion", "v1");
    entry("kind", "Config");
    out << YAML::Key << "preferences" << YAML::Value << YAML::Flow << YAML::BeginMap
        << YAML::EndMap;
    entry("current-context", std::string(control_plane_context));

    out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq;
    for (const auto& server : m_servers) {
        out << YAML::BeginMap;
        entry("name", server.context);
        out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
        entry("server", "https://127.0.0.1:" + std::to_string(server.endpoint->port()));
        entry("certificate-authority-data", ca_data);
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;

    const auto context = [&](const std::string& name, const std::string& cluster,
                             const std::string& user) {
        out << YAML::BeginMap;
        entry("name", name);
        out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
        entry("cluster", cluster);
        entry("user", user);
        out << YAML::EndMap << YAML::EndMap;
    };
    out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq;
    for (const auto& server : m_servers) {
        context(server.context, server.context, server.context);
    }
    context(std::string(cert_context), std::string(control_plane_context), std::string(cert_user));
    context(std::string(basic_context), std::string(control_plane_context),
            std::string(basic_context));
    out << YAML::EndSeq;

    out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
    for (const auto& server : m_servers) {
        out << YAML::BeginMap;
        entry("name", server.context);
        out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
        entry("token", server.endpoint->token());
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::BeginMap;
    entry("name", std::string(cert_user));
    out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
    entry("client-certificate-data", core::encode_base64(m_client_cert.cert_pem));
    entry("client-key-data", core::encode_base64(m_client_cert.key_pem));
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::BeginMap;
    entry("name", std::string(basic_context));
    out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
    entry("username", std::string(basic_user));
    entry("password", m_basic_password);
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

void Environment::write_service_account(const std::filesystem::path& dir) const {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        throw core::Error("cannot create " + dir.string() + ": " + error.message());
    }
    // A pod's token file has no trailing newline; clients read it whole.
    write_file_atomically(dir / "token", m_service_account_token);
    write_file_atomically(dir / "ca.crt", m_ca.cert_pem());
    write_file_atomically(dir / "namespace", service_account_namespace);
}

nlohmann::ordered_json Environment::ports() const {
    nlohmann::ordered_json ports = nlohmann::ordered_json::object();
    for (const auto& server : m_servers) {
        ports[server.context] = server.endpoint->port();
    }
    return ports;
}

void Environment::set_watch_history(std::size_t events) {
    for (const auto& server : m_servers) {
        server.api->store().set_history_limit(events);
    }
}

namespace {

std::string format_latency(std::chrono::milliseconds latency) {
    return core::format_go_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
}

std::string server_url(const HttpsEndpoint& endpoint) {
    return "https://127.0.0.1:" + std::to_string(endpoint.port());
}

// The FAIL-NEXT cell: "0", or what is pending and for which requests: "2 403 PATCH */status".
std::string describe_failures(const FailureSpec& failure) {
    if (failure.count <= 0) {
        return "0";
    }
    std::string text = std::to_string(failure.count) + " " +
                       (failure.reset ? std::string("reset") : std::to_string(failure.status));
    if (!failure.method.empty()) {
        text += " " + failure.method;
    }
    if (!failure.path_suffix.empty()) {
        text += " *" + failure.path_suffix;
    }
    if (failure.after > 0) {
        text += " after " + std::to_string(failure.after);
    }
    return text;
}

// `ctl status -o json`: one object keyed by context, for tests that want a port or a state
// without parsing the table. Pending failures add failCode, and failMethod and failPathSuffix
// when they are filtered, failAfter when matching requests pass first.
std::string status_json(const std::vector<std::string>& contexts, const Environment& environment) {
    nlohmann::ordered_json servers = nlohmann::ordered_json::object();
    for (const auto& context : contexts) {
        const HttpsEndpoint& endpoint = environment.endpoint(context);
        const FailureSpec failure = endpoint.pending_failure();
        nlohmann::ordered_json server = {{"server", server_url(endpoint)},
                                         {"port", endpoint.port()},
                                         {"up", endpoint.is_up()},
                                         {"latency", format_latency(endpoint.latency())},
                                         {"failNext", failure.count}};
        if (failure.count > 0) {
            server["failCode"] = failure.reset ? nlohmann::ordered_json("reset")
                                               : nlohmann::ordered_json(failure.status);
            if (!failure.method.empty()) {
                server["failMethod"] = failure.method;
            }
            if (!failure.path_suffix.empty()) {
                server["failPathSuffix"] = failure.path_suffix;
            }
            if (failure.after > 0) {
                server["failAfter"] = failure.after;
            }
        }
        server["warnNext"] = endpoint.pending_warnings();
        servers[context] = std::move(server);
    }
    return servers.dump(2) + "\n";
}

std::string status_table(const std::vector<std::string>& contexts, const Environment& environment) {
    std::vector<std::vector<std::string>> rows{
        {"CONTEXT", "SERVER", "STATE", "LATENCY", "FAIL-NEXT", "WARN-NEXT"}};
    for (const auto& context : contexts) {
        const HttpsEndpoint& endpoint = environment.endpoint(context);
        rows.push_back({context, server_url(endpoint), endpoint.is_up() ? "up" : "down",
                        format_latency(endpoint.latency()),
                        describe_failures(endpoint.pending_failure()),
                        std::to_string(endpoint.pending_warnings())});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - row[i].size() + 3, ' ');
            }
        }
        out += line + "\n";
    }
    return out;
}

const nlohmann::json& field(const nlohmann::json& command, const char* name) {
    const auto it = command.find(name);
    if (it == command.end()) {
        throw core::usage_error(std::string("the command has no ") + name);
    }
    return *it;
}

} // namespace

std::string Environment::control(const nlohmann::json& command) {
    std::lock_guard lock(m_control_mutex);
    if (!command.is_object()) {
        throw core::usage_error("the command is not a JSON object");
    }
    const std::string verb = field(command, "verb").get<std::string>();
    if (verb == "status") {
        if (command.value("output", std::string()) == "json") {
            return status_json(contexts(), *this);
        }
        std::string table = status_table(contexts(), *this);
        if (const int failing = m_settings.failing_jobs.load(); failing > 0) {
            table += "analysis: the next " + std::to_string(failing) + " Job" +
                     (failing == 1 ? "" : "s") + " fail\n";
        }
        return table;
    }
    if (verb == "analysis") {
        // `analysis fail-next N`: the cluster controller fails the pods of the next N Jobs.
        const int count = field(command, "count").get<int>();
        if (count < 0) {
            throw core::usage_error("analysis fail-next wants a count of 0 or more");
        }
        m_settings.failing_jobs.store(count);
        const std::string note =
            m_controllers ? "" : " (nova-sim runs without --controllers: no Job runs)";
        if (count == 0) {
            return "analysis: Jobs succeed" + note + "\n";
        }
        return "analysis: the next " + std::to_string(count) + " Job" + (count == 1 ? "" : "s") +
               " fail" + note + "\n";
    }
    if (verb == "pause" || verb == "resume") {
        const std::string controller = field(command, "controller").get<std::string>();
        if (controller != "nova" && controller != "cluster" && controller != "argo-rollouts") {
            throw core::usage_error("no controller \"" + controller +
                                    "\" (nova, cluster or argo-rollouts)");
        }
        m_settings.set_paused(controller, verb == "pause");
        return controller + (verb == "pause" ? ": paused\n" : ": running\n");
    }
    const std::string context = field(command, "context").get<std::string>();
    if (verb == "pull-fail") {
        (void)endpoint(context); // an unknown context is an error
        const std::string image = command.value("image", std::string());
        m_settings.set_pull_fails(context, image);
        return context + (image.empty() ? ": every image pulls\n"
                                        : ": image " + image + " cannot be pulled\n");
    }
    HttpsEndpoint& target = endpoint(context);
    if (verb == "latency") {
        const auto latency =
            std::chrono::milliseconds(field(command, "milliseconds").get<std::int64_t>());
        target.set_latency(latency);
        return context + ": latency " + format_latency(target.latency()) + "\n";
    }
    if (verb == "fail") {
        FailureSpec spec;
        spec.count = field(command, "count").get<int>();
        const nlohmann::json& code = field(command, "code");
        if (code.is_string()) {
            if (code != "reset") {
                throw core::usage_error("unknown failure \"" + code.get<std::string>() + "\"");
            }
            spec.reset = true;
        } else {
            spec.status = code.get<int>();
        }
        const std::string body = command.value("body", std::string("status"));
        std::string described;
        if (body == "text") {
            spec.body = FailureBody::text;
            described = ", text/plain body";
        } else if (body == "html") {
            spec.body = FailureBody::html;
            described = ", HTML body";
        } else if (body != "status") {
            throw core::usage_error("unknown failure body \"" + body + "\"");
        }
        if (command.contains("retryAfter")) {
            spec.retry_after = command["retryAfter"].get<int>();
        }
        spec.method = command.value("method", std::string());
        spec.path_suffix = command.value("pathSuffix", std::string());
        spec.after = command.value("after", 0);
        target.fail_next(spec);
        if (spec.count == 0) {
            return context + ": no more injected failures\n";
        }
        const FailureSpec set = target.pending_failure(); // the method in upper case
        const std::string requests =
            "the next " + std::to_string(set.count) + (set.method.empty() ? "" : " " + set.method) +
            " requests" +
            (set.path_suffix.empty() ? "" : " to paths ending in " + set.path_suffix) +
            (set.after > 0 ? " after the next " + std::to_string(set.after) : "");
        if (spec.reset) {
            return context + ": " + requests + " get their connection reset\n";
        }
        if (spec.retry_after) {
            described += ", Retry-After: " + std::to_string(*spec.retry_after);
        }
        return context + ": " + requests + " fail with " + std::to_string(spec.status) + described +
               "\n";
    }
    if (verb == "warn") {
        const int count = field(command, "count").get<int>();
        const std::string text = command.value("text", std::string());
        if (count > 0 && text.empty()) {
            throw core::usage_error("warn needs the TEXT of the warning");
        }
        target.warn_next(count, text);
        if (count == 0) {
            return context + ": no more warnings\n";
        }
        return context + ": the next " + std::to_string(count) + " responses carry a warning\n";
    }
    if (verb == "add-token") {
        const std::string user = command.value("user", std::string(default_added_token_user));
        target.add_token(field(command, "token").get<std::string>(), user);
        return context + ": token added for user " + user + "\n";
    }
    if (verb == "revoke-token") {
        target.revoke_token(field(command, "token").get<std::string>());
        return context + ": token revoked\n";
    }
    if (verb == "compact") {
        const std::string version = target.api().store().compact();
        return context + ": event history compacted at resourceVersion " + version + "\n";
    }
    if (verb == "drop-watches") {
        target.drop_watches();
        return context + ": watches dropped\n";
    }
    if (verb == "down") {
        target.down();
        return context + ": down\n";
    }
    if (verb == "up") {
        target.up();
        return context + ": up on https://127.0.0.1:" + std::to_string(target.port()) + "\n";
    }
    if (verb == "requests") {
        std::string out;
        for (const auto& request : target.requests()) {
            out += to_json(request).dump() + "\n";
        }
        if (command.value("clear", false)) {
            target.clear_requests();
        }
        return out;
    }
    throw core::usage_error("unknown command \"" + verb + "\"");
}

// ---------------------------------------------------------------------------------------------
// ControlServer

ControlServer::ControlServer(Environment& environment)
    : m_environment(environment), m_secret(random_hex(32)) {}

ControlServer::~ControlServer() {
    stop();
}

void ControlServer::start() {
    m_server = std::make_unique<httplib::Server>();
    m_server->set_tcp_nodelay(true);
    m_server->Post("/ctl", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string expected = "Bearer " + m_secret;
        const std::string given = req.get_header_value("Authorization");
        if (given.size() != expected.size() ||
            CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
            res.status = 401;
            res.set_content(nlohmann::json{{"error", "wrong control secret"}}.dump(),
                            "application/json");
            return;
        }
        try {
            const std::string output = m_environment.control(nlohmann::json::parse(req.body));
            res.set_content(nlohmann::json{{"output", output}}.dump(), "application/json");
        } catch (const core::Error& e) {
            res.status = e.code() == core::ExitCode::usage ? 400 : 500;
            res.set_content(nlohmann::json{{"error", e.what()}}.dump(), "application/json");
        } catch (const std::exception& e) {
            res.status = 400;
            res.set_content(
                nlohmann::json{{"error", std::string("bad command: ") + e.what()}}.dump(),
                "application/json");
        }
    });
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw core::Error(
            std::string("cannot listen on 127.0.0.1 for nova-sim's control endpoint: ") +
            std::strerror(errno));
    }
    m_thread = std::make_unique<std::thread>([this] { m_server->listen_after_bind(); });
    for (int i = 0; i < 2000 && !m_server->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void ControlServer::stop() {
    if (m_thread) {
        m_server->stop();
        m_thread->join();
        m_thread.reset();
    }
}

} // namespace nova::sim
