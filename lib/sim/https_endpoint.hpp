#pragma once

#include "lib/sim/certs.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace httplib {
class SSLServer;
struct Request;
struct Response;
} // namespace httplib

namespace nova::sim {

class ApiServer;

// One request as it reached an endpoint, kept for tests that check what a client sent. Secrets
// (tokens, passwords) are never kept, only which scheme carried them.
struct RecordedRequest {
    std::string method;
    std::string target; // path and query, as sent
    std::string content_type;
    std::string body;
    std::string user; // "" when authentication failed
    int status = 0;   // 0: the connection was reset instead (fail ... reset)
    // "cert", "bearer", "basic", "other" (an Authorization scheme nova-sim does not know) or
    // "none": what the client offered, whether or not it was accepted.
    std::string auth = "none";
    std::string user_agent;
    std::string accept;
    std::string accept_encoding;
    // Every Impersonate-* header, its name in canonical form (Impersonate-Extra-Scopes), each
    // header line one value, in the order sent.
    std::map<std::string, std::vector<std::string>> impersonate;
};

// Its JSON line for `nova-sim ctl requests`, fields in a reading order.
nlohmann::ordered_json to_json(const RecordedRequest& request);

// What an injected failure sends as its body.
enum class FailureBody {
    status, // a Kubernetes Status object, as kube-apiserver sends
    text,   // text/plain "upstream exploded", as a broken aggregated server might
    html,   // an HTML error page, as a reverse proxy sends
};

// One `fail` switch setting: the next `count` requests (of those the filters let through) fail
// with `status`, or get their connection closed without any response (`reset`).
struct FailureSpec {
    int count = 0;
    // 401, 403, 409, 429, 500, 502 or 503; unused with reset. 403 and 409 carry the Status
    // kube-apiserver would send for the failed request (its verb, resource, name, user).
    int status = 0;
    bool reset = false;
    // Filters, both must match: only requests with this method (GET, POST, PUT, PATCH, DELETE;
    // "" any) whose path, without the query, ends with `path_suffix` ("" any) fail and count.
    std::string method;
    std::string path_suffix;
    // Matching requests let through before the failures start (the second POST, not the first).
    int after = 0;
    FailureBody body = FailureBody::status;
    // Retry-After seconds; nullopt: only 429 carries one (1 s).
    std::optional<int> retry_after;
};

// One simulated API server on the network: HTTPS on 127.0.0.1 with its own certificate, in
// front of an ApiServer. It authenticates client certificates, bearer tokens (its own plus any
// added at run time) and basic credentials, and carries the fault switches (latency, failing
// requests, Warning headers, dropped watches, down/up) and the request log.
// Thread-safe: every member may be called while requests are being served.
class HttpsEndpoint {
public:
    // `name` names the server in messages. Issues the server certificate; does not listen yet.
    // `token` is the server's own bearer token, for user "admin".
    HttpsEndpoint(std::string name, ApiServer& api, const CertificateAuthority& ca,
                  std::string token);
    ~HttpsEndpoint();
    HttpsEndpoint(const HttpsEndpoint&) = delete;
    HttpsEndpoint& operator=(const HttpsEndpoint&) = delete;

    // Starts listening: on an ephemeral port the first time, on that same port after down().
    // Returns once connections are accepted. Throws core::Error when the port cannot be bound.
    void up();
    // Stops listening and ends every connection and watch: clients get "connection refused".
    void down();
    [[nodiscard]] bool is_up() const;

    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] int port() const { return m_port.load(); }
    [[nodiscard]] const std::string& token() const { return m_token; }
    [[nodiscard]] ApiServer& api() const { return m_api; }

    // Credentials. Bearer tokens map to user names; replacing a token's user is allowed.
    // Throws core::Error (usage) for a token that cannot travel in a header (empty, spaces,
    // control characters) or an empty user.
    void add_token(const std::string& token, const std::string& user);
    // Throws core::Error when the server does not accept `token` (the message omits it).
    void revoke_token(const std::string& token);
    // Accepts HTTP basic credentials `user`:`password`. Same checks as add_token.
    void add_basic_user(const std::string& user, const std::string& password);

    // Fault switches.
    void set_latency(std::chrono::milliseconds latency);
    [[nodiscard]] std::chrono::milliseconds latency() const;
    // The next `spec.count` authenticated requests that match its filters fail as `spec` says;
    // count 0 clears. The method may come in any case; it is kept in upper case. Throws
    // core::Error (usage) for another status or method, a negative count or Retry-After, or a
    // reset with a body or Retry-After.
    void fail_next(const FailureSpec& spec);
    [[nodiscard]] int pending_failures() const;
    // The setting in force, its count what is left of it (0: none pending).
    [[nodiscard]] FailureSpec pending_failure() const;
    // The next `count` responses, whatever their status, carry `Warning: 299 - "text"`; count 0
    // clears. Throws core::Error (usage) for text with control characters.
    void warn_next(int count, const std::string& text);
    [[nodiscard]] int pending_warnings() const;
    void drop_watches();

    // The most recent requests, oldest first (bounded: older ones are forgotten).
    [[nodiscard]] std::vector<RecordedRequest> requests() const;
    void clear_requests();

    // Takes one pending failure, if any applies to a request of `method` for `path` (the
    // path without its query). Public for the tests of the filters.
    std::optional<FailureSpec> take_failure(const std::string& method, const std::string& path);

private:
    struct Listener; // one listening server and its accept thread; replaced on every up()

    void handle(const httplib::Request& req, httplib::Response& res, std::uint64_t generation);
    void record(RecordedRequest request);
    // The user `req` authenticates as ("" for none); sets `entry.auth`.
    std::string authenticate(const httplib::Request& req, RecordedRequest& entry) const;
    // Takes one pending Warning header value, if any.
    std::optional<std::string> take_warning();
    bool setup_tls(SSL_CTX& ctx) const;

    std::string m_name;
    ApiServer& m_api;
    const std::string m_token;
    X509Ptr m_ca_cert;
    X509Ptr m_cert;
    PkeyPtr m_key;

    mutable std::mutex m_state_mutex; // guards the listeners and the transitions between them
    std::unique_ptr<Listener> m_listener;
    std::vector<std::unique_ptr<Listener>> m_retired; // stopped, still draining connections
    std::atomic<int> m_port{0};
    // Bumped by down(): requests and streams of an older listener see it and end.
    std::atomic<std::uint64_t> m_generation{0};
    std::atomic<int> m_active_streams{0};

    mutable std::mutex m_auth_mutex;
    std::map<std::string, std::string> m_tokens;      // bearer token -> user
    std::map<std::string, std::string> m_basic_users; // user -> password

    std::atomic<std::int64_t> m_latency_ms{0};
    mutable std::mutex m_fault_mutex;
    FailureSpec m_failure;
    int m_warn_count = 0;
    std::string m_warning; // the whole header value: 299 - "text"

    mutable std::mutex m_log_mutex;
    std::deque<RecordedRequest> m_log;
};

} // namespace nova::sim
