#include "lib/sim/https_endpoint.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/error.hpp"
#include "lib/sim/rest.hpp"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <functional>
#include <sys/socket.h>
#include <thread>
#include <utility>

namespace nova::sim {

namespace {

// Every open connection holds a worker for its whole life (keep-alive and watch streams alike),
// so a fixed pool either starves or costs thousands of idle threads across 50 servers. This pool
// starts threads only when no worker is free, up to a bound, and keeps them for reuse.
class GrowingPool final : public httplib::TaskQueue {
public:
    explicit GrowingPool(std::size_t max_threads) : m_max_threads(max_threads) {}
    ~GrowingPool() override { shutdown(); }
    GrowingPool(const GrowingPool&) = delete;
    GrowingPool& operator=(const GrowingPool&) = delete;

    void enqueue(std::function<void()> fn) override {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(fn));
        if (m_jobs.size() > m_idle && m_threads.size() < m_max_threads) {
            try {
                m_threads.emplace_back([this] { work(); });
                return;
            } catch (const std::system_error&) {
                // Out of threads: the job waits for a busy worker instead.
            }
        }
        m_wake.notify_one();
    }

    // Runs the queued jobs to the end, then joins every worker.
    void shutdown() override {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        for (auto& thread : m_threads) {
            if (thread.joinable()) {
                thread.join();
            }
        }
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                ++m_idle;
                m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
                --m_idle;
                if (m_jobs.empty()) {
                    return;
                }
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }

    const std::size_t m_max_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    std::size_t m_idle = 0;
    bool m_stopping = false;
};

constexpr std::size_t max_workers = 256;
constexpr std::size_t max_logged_requests = 2000;
constexpr std::size_t max_logged_body = 64 * 1024;

nlohmann::json status_body(int code, const std::string& reason, const std::string& message) {
    return {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
            {"status", "Failure"}, {"message", message}, {"reason", reason},
            {"code", code}};
}

// "application/json; charset=utf-8" -> "application/json"
std::string media_type(const std::string& content_type) {
    std::string type = content_type.substr(0, content_type.find(';'));
    const auto first = type.find_first_not_of(" \t");
    const auto last = type.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : type.substr(first, last - first + 1);
}

// cpp-httplib gzip/brotli-compresses a chunked body whose Content-Type is exactly one of a few
// types, and its compressor holds data back until the stream ends: a watch would deliver nothing.
// A parameter keeps the type the same for clients but takes it off that list.
std::string stream_content_type(const std::string& content_type) {
    if (content_type.find(';') != std::string::npos) {
        return content_type;
    }
    return content_type + "; charset=utf-8";
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Go's canonical header form (impersonate-extra-scopes -> Impersonate-Extra-Scopes), so the log
// does not depend on how a client spells a case-insensitive name.
std::string canonical_header_name(std::string_view name) {
    std::string out(name);
    bool upper = true;
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        c = static_cast<char>(upper ? std::toupper(byte) : std::tolower(byte));
        upper = c == '-';
    }
    return out;
}

bool has_control_characters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

// What a credential must be to travel in an Authorization header unchanged.
void check_credential(std::string_view what, std::string_view value) {
    const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte > 0x20 && byte < 0x7f;
    });
    if (value.empty() || !printable) {
        throw core::usage_error(std::string(what) +
                                " must be non-empty printable ASCII without spaces");
    }
}

void check_user_name(std::string_view user) {
    if (user.empty() || has_control_characters(user)) {
        throw core::usage_error("a user name must be non-empty, without control characters");
    }
}

const char* reason_phrase(int status) {
    switch (status) {
    case 401:
        return "Unauthorized";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

} // namespace

nlohmann::ordered_json to_json(const RecordedRequest& request) {
    nlohmann::ordered_json impersonate = nlohmann::ordered_json::object();
    for (const auto& [header, values] : request.impersonate) {
        impersonate[header] = values;
    }
    return {{"method", request.method},
            {"path", request.target},
            {"code", request.status},
            {"user", request.user},
            {"auth", request.auth},
            {"impersonate", std::move(impersonate)},
            {"userAgent", request.user_agent},
            {"accept", request.accept},
            {"acceptEncoding", request.accept_encoding},
            {"contentType", request.content_type},
            {"body", request.body}};
}

struct HttpsEndpoint::Listener {
    std::unique_ptr<httplib::SSLServer> server;
    std::thread thread;
};

HttpsEndpoint::HttpsEndpoint(std::string name, ApiServer& api, const CertificateAuthority& ca,
                             std::string token)
    : m_name(std::move(name)), m_api(api), m_token(std::move(token)),
      m_ca_cert(parse_cert_pem(ca.cert_pem())) {
    const CertifiedKey server_key = ca.issue_server(m_name);
    m_cert = parse_cert_pem(server_key.cert_pem);
    m_key = parse_key_pem(server_key.key_pem);
    add_token(m_token, "admin");
}

HttpsEndpoint::~HttpsEndpoint() {
    down();
    std::lock_guard lock(m_state_mutex);
    for (auto& listener : m_retired) {
        if (listener->thread.joinable()) {
            listener->thread.join();
        }
    }
}

bool HttpsEndpoint::setup_tls(SSL_CTX& ctx) const {
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    // Without a session id context OpenSSL refuses to resume sessions once peer verification is
    // on, and long-lived clients (libcurl) resume.
    static constexpr unsigned char session_context[] = "nova-sim";
    if (SSL_CTX_set_session_id_context(&ctx, session_context, sizeof session_context - 1) != 1 ||
        SSL_CTX_use_certificate(&ctx, m_cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(&ctx, m_key.get()) != 1 || SSL_CTX_check_private_key(&ctx) != 1 ||
        X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), m_ca_cert.get()) != 1) {
        return false;
    }
    // Ask for a client certificate signed by the CA, but accept connections without one (those
    // authenticate by bearer token), as kube-apiserver does.
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    X509_NAME* ca_name = X509_NAME_dup(X509_get_subject_name(m_ca_cert.get()));
    if (names == nullptr || ca_name == nullptr || sk_X509_NAME_push(names, ca_name) <= 0) {
        X509_NAME_free(ca_name);
        sk_X509_NAME_free(names);
        return false;
    }
    SSL_CTX_set_client_CA_list(&ctx, names);
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    return true;
}

void HttpsEndpoint::up() {
    // Writing to a connection the client has closed raises SIGPIPE (OpenSSL writes with plain
    // write()), which would end the whole process; a server wants the EPIPE error instead.
    std::signal(SIGPIPE, SIG_IGN);
    std::lock_guard lock(m_state_mutex);
    if (m_listener) {
        return;
    }
    const std::uint64_t generation = m_generation.load();
    auto server =
        std::make_unique<httplib::SSLServer>([this](SSL_CTX& ctx) { return setup_tls(ctx); });
    if (!server->is_valid()) {
        throw core::Error("cannot set up TLS for the " + m_name + " API server");
    }
    // Nagle plus delayed ACKs stall every keep-alive request by ~40 ms (DESIGN.md §9).
    server->set_tcp_nodelay(true);
    server->set_keep_alive_max_count(100000);
    server->new_task_queue = [] {
        return new GrowingPool(max_workers);
    };
    const auto handler = [this, generation](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, generation);
    };
    server->Get(".*", handler);
    server->Post(".*", handler);
    server->Put(".*", handler);
    server->Patch(".*", handler);
    server->Delete(".*", handler);

    const int port = m_port.load();
    if (port == 0) {
        const int bound = server->bind_to_any_port("127.0.0.1");
        if (bound <= 0) {
            throw core::Error("cannot listen on 127.0.0.1 for the " + m_name +
                              " API server: " + std::strerror(errno));
        }
        m_port = bound;
    } else if (!server->bind_to_port("127.0.0.1", port)) {
        throw core::Error("cannot listen on 127.0.0.1:" + std::to_string(port) + " again for the " +
                          m_name + " API server: " + std::strerror(errno));
    }

    auto listener = std::make_unique<Listener>();
    listener->server = std::move(server);
    listener->thread =
        std::thread([server_ptr = listener->server.get()] { server_ptr->listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; wait for it so down() always takes effect.
    for (int i = 0; i < 2000 && !listener->server->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    m_listener = std::move(listener);
}

void HttpsEndpoint::down() {
    {
        std::lock_guard lock(m_state_mutex);
        if (!m_listener) {
            return;
        }
        ++m_generation;
        m_listener->server->stop();
        m_retired.push_back(std::move(m_listener));
    }
    // A watch blocks inside the engine until an event; make the engine end them all, and repeat
    // for one that was starting just now.
    for (int i = 0; i < 500; ++i) {
        m_api.drop_watches();
        if (m_active_streams.load() == 0) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool HttpsEndpoint::is_up() const {
    std::lock_guard lock(m_state_mutex);
    return m_listener != nullptr;
}

void HttpsEndpoint::set_latency(std::chrono::milliseconds latency) {
    m_latency_ms = std::max<std::int64_t>(0, latency.count());
}

std::chrono::milliseconds HttpsEndpoint::latency() const {
    return std::chrono::milliseconds(m_latency_ms.load());
}

void HttpsEndpoint::add_token(const std::string& token, const std::string& user) {
    check_credential("a token", token);
    check_user_name(user);
    std::lock_guard lock(m_auth_mutex);
    m_tokens[token] = user;
}

void HttpsEndpoint::revoke_token(const std::string& token) {
    std::lock_guard lock(m_auth_mutex);
    if (m_tokens.erase(token) == 0) {
        throw core::Error("the " + m_name + " API server does not accept that token");
    }
}

void HttpsEndpoint::add_basic_user(const std::string& user, const std::string& password) {
    check_credential("a basic-auth user name", user);
    check_credential("a password", password);
    if (user.find(':') != std::string::npos) {
        throw core::usage_error("a basic-auth user name cannot contain ':'");
    }
    std::lock_guard lock(m_auth_mutex);
    m_basic_users[user] = password;
}

void HttpsEndpoint::fail_next(const FailureSpec& spec) {
    if (spec.count < 0) {
        throw core::usage_error("the number of requests to fail must not be negative");
    }
    if (spec.after < 0) {
        throw core::usage_error("the number of requests to let through must not be negative");
    }
    if (spec.reset && (spec.body != FailureBody::status || spec.retry_after)) {
        throw core::usage_error("a reset connection carries no body and no Retry-After");
    }
    const std::vector<int> allowed{401, 403, 409, 429, 500, 502, 503};
    if (!spec.reset && std::find(allowed.begin(), allowed.end(), spec.status) == allowed.end()) {
        throw core::usage_error("cannot fail requests with " + std::to_string(spec.status) +
                                ": use 401, 403, 409, 429, 500, 502 or 503");
    }
    if (spec.retry_after && *spec.retry_after < 0) {
        throw core::usage_error("Retry-After must not be negative");
    }
    FailureSpec setting = spec;
    std::transform(setting.method.begin(), setting.method.end(), setting.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::vector<std::string> methods{"", "GET", "POST", "PUT", "PATCH", "DELETE"};
    if (std::find(methods.begin(), methods.end(), setting.method) == methods.end()) {
        throw core::usage_error("cannot fail only " + spec.method +
                                " requests: use GET, POST, PUT, PATCH or DELETE");
    }
    if (has_control_characters(setting.path_suffix)) {
        throw core::usage_error("a path suffix cannot contain control characters");
    }
    std::lock_guard lock(m_fault_mutex);
    m_failure = setting;
}

int HttpsEndpoint::pending_failures() const {
    std::lock_guard lock(m_fault_mutex);
    return m_failure.count;
}

FailureSpec HttpsEndpoint::pending_failure() const {
    std::lock_guard lock(m_fault_mutex);
    return m_failure;
}

std::optional<FailureSpec> HttpsEndpoint::take_failure(const std::string& method,
                                                       const std::string& path) {
    std::lock_guard lock(m_fault_mutex);
    if (m_failure.count <= 0) {
        return std::nullopt;
    }
    // A request the filters let through neither fails nor uses up a failure.
    if ((!m_failure.method.empty() && method != m_failure.method) ||
        !path.ends_with(m_failure.path_suffix)) {
        return std::nullopt;
    }
    if (m_failure.after > 0) {
        --m_failure.after;
        return std::nullopt;
    }
    --m_failure.count;
    return m_failure;
}

void HttpsEndpoint::warn_next(int count, const std::string& text) {
    if (count < 0) {
        throw core::usage_error("the number of warnings must not be negative");
    }
    if (has_control_characters(text)) {
        throw core::usage_error("a warning cannot contain control characters");
    }
    // RFC 7234 warn-text is a quoted-string: escape what would end or break it.
    std::string quoted;
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    std::lock_guard lock(m_fault_mutex);
    m_warn_count = count;
    m_warning = "299 - \"" + quoted + "\"";
}

int HttpsEndpoint::pending_warnings() const {
    std::lock_guard lock(m_fault_mutex);
    return m_warn_count;
}

std::optional<std::string> HttpsEndpoint::take_warning() {
    std::lock_guard lock(m_fault_mutex);
    if (m_warn_count <= 0) {
        return std::nullopt;
    }
    --m_warn_count;
    return m_warning;
}

void HttpsEndpoint::drop_watches() {
    m_api.drop_watches();
}

std::vector<RecordedRequest> HttpsEndpoint::requests() const {
    std::lock_guard lock(m_log_mutex);
    return {m_log.begin(), m_log.end()};
}

void HttpsEndpoint::clear_requests() {
    std::lock_guard lock(m_log_mutex);
    m_log.clear();
}

void HttpsEndpoint::record(RecordedRequest request) {
    if (request.body.size() > max_logged_body) {
        request.body.resize(max_logged_body);
        request.body += "...(truncated)";
    }
    std::lock_guard lock(m_log_mutex);
    if (m_log.size() >= max_logged_requests) {
        m_log.pop_front();
    }
    m_log.push_back(std::move(request));
}

std::string HttpsEndpoint::authenticate(const httplib::Request& req, RecordedRequest& entry) const {
    // Client certificate first, then the Authorization header, as kube-apiserver orders them.
    // OpenSSL has already rejected certificates the CA did not sign.
    if (req.ssl != nullptr) {
        const X509* peer = SSL_get0_peer_certificate(req.ssl);
        if (peer != nullptr && SSL_get_verify_result(req.ssl) == X509_V_OK) {
            std::string user = common_name(peer);
            if (!user.empty()) {
                entry.auth = "cert";
                return user;
            }
        }
    }
    const std::string authorization = req.get_header_value("Authorization");
    if (authorization.empty()) {
        return {};
    }
    // Schemes are case-insensitive (RFC 9110); the credentials follow one or more spaces.
    const auto space = authorization.find(' ');
    const std::string scheme = lowercase(authorization.substr(0, space));
    std::string_view credentials;
    if (space != std::string::npos) {
        credentials = std::string_view(authorization).substr(space);
        credentials.remove_prefix(std::min(credentials.find_first_not_of(' '), credentials.size()));
    }
    std::lock_guard lock(m_auth_mutex);
    if (scheme == "bearer") {
        entry.auth = "bearer";
        // Compare with every token, so the time taken does not tell which one came close.
        std::string user;
        for (const auto& [token, name] : m_tokens) {
            if (constant_time_equal(credentials, token)) {
                user = name;
            }
        }
        return user;
    }
    if (scheme == "basic") {
        entry.auth = "basic";
        std::optional<std::string> decoded;
        try {
            decoded = core::decode_base64(credentials);
        } catch (const core::Error&) {
            return {}; // not base64: not a user we know
        }
        const auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) {
            return {};
        }
        const std::string user = decoded->substr(0, colon);
        const auto known = m_basic_users.find(user);
        if (known != m_basic_users.end() &&
            constant_time_equal(std::string_view(*decoded).substr(colon + 1), known->second)) {
            return user;
        }
        return {};
    }
    entry.auth = "other";
    return {};
}

void HttpsEndpoint::handle(const httplib::Request& req, httplib::Response& res,
                           std::uint64_t generation) {
    // Latency is slept in slices, so that down() and shutdown need not wait it out.
    const auto is_down = [&] {
        return generation != m_generation.load();
    };
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(m_latency_ms.load());
    while (!is_down() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            deadline - std::chrono::steady_clock::now(), std::chrono::milliseconds(20)));
    }
    // A kept-alive connection of a listener that is down: end it as a dead server would.
    if (is_down()) {
        if (req.ssl != nullptr) {
            ::shutdown(SSL_get_fd(req.ssl), SHUT_RDWR);
        }
        res.status = 503;
        return;
    }

    RecordedRequest entry;
    entry.method = req.method;
    entry.target = req.target;
    entry.content_type = media_type(req.get_header_value("Content-Type"));
    entry.body = req.body;
    entry.user_agent = req.get_header_value("User-Agent");
    entry.accept = req.get_header_value("Accept");
    entry.accept_encoding = req.get_header_value("Accept-Encoding");
    for (const auto& [header, value] : req.headers) {
        if (lowercase(header).starts_with("impersonate-")) {
            entry.impersonate[canonical_header_name(header)].push_back(value);
        }
    }
    if (auto warning = take_warning()) {
        res.set_header("Warning", *warning);
    }
    const auto respond = [&](int code, const std::string& body, const char* content_type) {
        res.status = code;
        res.set_content(body, content_type);
        entry.status = code;
        record(std::move(entry));
    };
    const auto respond_status = [&](int code, const std::string& reason,
                                    const std::string& message) {
        respond(code, status_body(code, reason, message).dump(), "application/json");
    };

    entry.user = authenticate(req, entry);
    if (entry.user.empty()) {
        respond_status(401, "Unauthorized", "Unauthorized");
        return;
    }

    Request request;
    request.method = req.method;
    request.path = req.path;
    request.query.insert(req.params.begin(), req.params.end());
    request.content_type = entry.content_type;
    request.accept = req.get_header_value("Accept");
    request.body = req.body;
    request.user = entry.user;

    if (const auto failure = take_failure(request.method, request.path)) {
        if (failure->reset) {
            // As a crashing server or a middlebox does: the request was read, no response comes.
            // Linger 0 makes the final close a TCP RST.
            if (req.ssl != nullptr) {
                const int fd = SSL_get_fd(req.ssl);
                const linger hard{1, 0};
                ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
                ::shutdown(fd, SHUT_RDWR);
            }
            res.status = 500; // never sent
            entry.status = 0;
            record(std::move(entry));
            return;
        }
        const int code = failure->status;
        if (failure->retry_after) {
            res.set_header("Retry-After", std::to_string(*failure->retry_after));
        } else if (code == 429) {
            res.set_header("Retry-After", "1");
        }
        if (failure->body == FailureBody::text) {
            respond(code, "upstream exploded", "text/plain; charset=utf-8");
            return;
        }
        if (failure->body == FailureBody::html) {
            const std::string title = std::to_string(code) + " " + reason_phrase(code);
            respond(code,
                    "<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title +
                        "</h1>\n<p>The proxy in front of this API server gave up.</p>\n"
                        "</body>\n</html>\n",
                    "text/html");
            return;
        }
        const auto respond_error = [&](const ApiError& error) {
            respond(error.code, error.to_status().dump(), "application/json");
        };
        switch (code) {
        case 401:
            respond_status(401, "Unauthorized", "Unauthorized");
            return;
        case 403:
            // What the authorizer would say had it denied this user this request.
            respond_error(forbidden(request_info(request), entry.user));
            return;
        case 409: {
            // As an update based on a stale resourceVersion is refused.
            const RequestInfo info = request_info(request);
            respond_error(stale_conflict(info.group_resource(), info.name));
            return;
        }
        case 429:
            respond_status(429, "TooManyRequests", "Too many requests, please try again later.");
            return;
        case 502:
            respond_status(502, "InternalError",
                           "Internal error occurred: bad gateway, injected by nova-sim's fault "
                           "switch");
            return;
        case 503:
            respond_status(503, "ServiceUnavailable",
                           "the server is currently unable to handle the request");
            return;
        default:
            respond_status(500, "InternalError",
                           "Internal error occurred: injected by nova-sim's fault switch");
            return;
        }
    }

    Response response;
    try {
        response = m_api.handle(request);
    } catch (const std::exception& e) {
        respond_status(500, "InternalError", std::string("Internal error occurred: ") + e.what());
        return;
    }

    res.status = response.status;
    for (const auto& [header, value] : response.headers) {
        res.set_header(header, value);
    }
    if (response.stream) {
        // The provider must be copyable; the stream runs once, on this connection's thread.
        auto stream =
            std::make_shared<std::function<void(const StreamWriter&)>>(std::move(response.stream));
        res.set_chunked_content_provider(
            stream_content_type(response.content_type),
            [this, stream, generation](std::size_t /*offset*/, httplib::DataSink& sink) {
                ++m_active_streams;
                try {
                    (*stream)([&](std::string_view chunk) {
                        if (generation != m_generation.load() || !sink.is_writable()) {
                            return false;
                        }
                        return chunk.empty() || sink.write(chunk.data(), chunk.size());
                    });
                } catch (...) {
                    // The stream's end is all the client can be told at this point.
                }
                --m_active_streams;
                sink.done();
                return true;
            });
    } else if (response.content_type.empty()) {
        res.body = std::move(response.body);
    } else {
        res.set_content(response.body, response.content_type);
    }
    entry.status = response.status;
    record(std::move(entry));
}

} // namespace nova::sim
