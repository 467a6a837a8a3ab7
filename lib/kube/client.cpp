#include "lib/kube/client.hpp"

#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/credentials.hpp"
#include "lib/kube/curl_handle.hpp"
#include "lib/kube/redact.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <deque>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace nova::kube {

namespace {

using core::lower;
using core::trim;

// A reply larger than this is a broken server or proxy, not a Kubernetes list this tool asks
// for (those are label-selected): refuse it rather than exhaust memory.
constexpr std::size_t max_response_bytes = std::size_t{256} << 20;

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Ordinary requests: a connection that stays silent this long is dead (no total timeout
// unless the user asked for one, as kubectl). Watches may be quiet much longer between events;
// a silent watch is simply reconnected from its resourceVersion.
constexpr long request_low_speed_seconds = 120;
constexpr long watch_low_speed_seconds = 300;
constexpr long keepalive_seconds = 30; // client-go's dialer

// ---------------------------------------------------------------------------------------------
// Stop requests: an atomic flag and a self-pipe whose read end every poll waits on, so that a
// signal handler can wake the loop with nothing but write(2).

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_write_fd{-1};
std::atomic<int> g_stop_read_fd{-1};

void ensure_stop_pipe() {
    static std::once_flag once;
    std::call_once(once, [] {
        int fds[2];
        if (::pipe(fds) != 0) {
            return; // the flag alone still works, checked at least once a second
        }
        for (const int fd : fds) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        g_stop_read_fd.store(fds[0]);
        g_stop_write_fd.store(fds[1]);
    });
}

// Longest wait in one poll: also bounds how late a stop is seen without the pipe.
constexpr milliseconds max_poll_wait = 1000ms;

std::string duration_text(SteadyClock::duration d) {
    return core::format_go_duration(duration_cast<milliseconds>(d));
}

long long elapsed_ms(SteadyClock::time_point since) {
    return duration_cast<milliseconds>(SteadyClock::now() - since).count();
}

std::string_view find_header(const std::vector<Header>& headers, std::string_view name) {
    const std::string wanted = lower(name);
    for (const auto& [key, value] : headers) {
        if (key == wanted) {
            return value;
        }
    }
    return {};
}

enum class Kind { request, watch };

// Writes one log line to the caller's sink, or to stderr.
void write_log(const std::function<void(std::string_view)>& sink, std::string_view line) {
    if (sink) {
        sink(line);
    } else {
        std::cerr << line << '\n';
    }
}

// kubectl's "Warning: <text>" lines, each distinct text once per Client.
struct WarningReporter {
    const std::function<void(std::string_view)>* sink = nullptr;
    std::set<std::string> seen;

    void report(const std::vector<Header>& headers) {
        for (const auto& [name, value] : headers) {
            if (name != "warning") {
                continue;
            }
            for (std::string& text : parse_warning_header(value)) {
                if (seen.insert(text).second) {
                    // Server text: it must not be able to drive the terminal.
                    write_log(*sink, "Warning: " + core::printable(text));
                }
            }
        }
    }
};

struct PendingEvent {
    WatchEvent event;
    std::string resource_version;          // to record once delivered ("" = unchanged)
    std::optional<Watch::State> new_state; // expired / failed
    // Relist watches: `event.object` is a LIST reply for WatchCallbacks::on_list, not an event.
    bool listing = false;
    // Relist watches: after this event the watch LISTs again (Watch::list_first once delivered).
    bool needs_list = false;
};

// One request (or one watch stream) across its attempts.
struct Transfer {
    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() { detach(); }

    void detach() {
        if (in_multi) {
            curl_multi_remove_handle(multi, easy.get());
            in_multi = false;
        }
    }

    Kind kind = Kind::request;
    std::size_t index = 0;
    CURLM* multi = nullptr;
    std::deque<PendingEvent>* events = nullptr; // the Client's queue of watch events
    WarningReporter* warnings = nullptr;

    std::shared_ptr<const RestConfig> config;
    Method method = Method::get;
    std::string path;
    std::string body;
    std::string content_type;
    std::string accept;
    bool decode_json = true;
    std::optional<SteadyClock::time_point> deadline;
    std::string timeout_text; // the deadline as a duration, for messages
    int verbosity = 0;

    // Set up for each attempt.
    EasyHandle easy;
    HeaderList headers;
    HeaderList connect_to;
    ServerUrl server;
    Target target;
    std::string server_key; // requests with the same key share a server's fate
    Credentials credentials;
    std::vector<Header> sent_headers; // for -v=7 logging, redacted when logged
    SteadyClock::time_point attempt_started{};
    bool in_multi = false;
    std::optional<SteadyClock::time_point> start_at; // the next attempt is due then
    int retries = 0;
    bool auth_retried = false;

    // The current attempt's answer.
    int status = 0;
    std::vector<Header> response_headers;
    std::string response_body;
    std::array<char, CURL_ERROR_SIZE> error_buffer{};

    // Watches.
    std::string resource_version;
    bool bookmarks = true;
    LineAssembler lines;
    int failures = 0;       // failed attempts in a row
    bool got_event = false; // in this attempt
    bool stop_stream = false;
    bool too_large = false; // the reply passed max_response_bytes and was cut off
    bool expired = false;
    bool warned = false; // Warning headers reported for this attempt
    // Relist watches (Watch::relist): the attempt in flight or due is a LIST, not a WATCH.
    bool relist = false;
    bool listing = false;
    std::optional<milliseconds> list_timeout;

    // The current attempt reads a WATCH stream (not a request, not a relist watch's LIST).
    [[nodiscard]] bool streaming() const { return kind == Kind::watch && !listing; }

    bool done = false;
    std::optional<Result> result; // requests only

    [[nodiscard]] std::string_view method_text() const { return method_name(method); }
};

void queue_event(Transfer& t, EventType type, nlohmann::json object, std::optional<ApiError> error,
                 std::optional<Watch::State> state) {
    PendingEvent pending;
    pending.event.watch = t.index;
    pending.event.type = type;
    pending.event.object = std::move(object);
    pending.event.error = std::move(error);
    pending.new_state = state;
    t.events->push_back(std::move(pending));
}

// A reply cut off at max_response_bytes.
ApiError too_large_error(const Transfer& t, std::string_view method) {
    return invalid_response_error(t.status, t.target.server, method, t.path,
                                  "the reply is larger than " +
                                      std::to_string(max_response_bytes >> 20) + " MiB");
}

// One line of a watch stream; false ends the stream (expired, or not an event at all).
bool on_watch_line(Transfer& t, const std::string& line) {
    auto parsed = parse_watch_event(line);
    if (!parsed) {
        ApiError error =
            invalid_response_error(t.status, t.target.server, "GET", t.path,
                                   "not a watch event: " + core::quote(line.substr(0, 200)));
        queue_event(t, EventType::error, nullptr, std::move(error), std::nullopt);
        return false; // reconnect from the last good resourceVersion
    }
    if (parsed->type == EventType::expired) {
        t.expired = true;
        queue_event(t, EventType::expired, std::move(parsed->object), std::nullopt,
                    t.relist ? std::nullopt : std::optional(Watch::State::expired));
        return false;
    }
    std::optional<ApiError> error;
    std::string rv;
    if (parsed->type == EventType::error) {
        const nlohmann::json& status = parsed->object;
        const int code =
            status.is_object() && status.contains("code") && status["code"].is_number_integer()
                ? status["code"].get<int>()
                : 500;
        error =
            error_from_response(code, "application/json", status.dump(), "GET", t.target.server);
    } else {
        t.got_event = true;
        t.failures = 0;
        rv = resource_version_of(parsed->object);
        if (!rv.empty()) {
            t.resource_version = rv;
        }
    }
    PendingEvent pending;
    pending.event.watch = t.index;
    pending.event.type = parsed->type;
    pending.resource_version = std::move(rv);
    pending.event.object = std::move(parsed->object);
    pending.event.error = std::move(error);
    t.events->push_back(std::move(pending));
    return true;
}

// Relist watches: LIST again once `delay` has passed, then watch on. The transfer's last queued
// event says why, and tells the caller a LIST is due.
void relist_after(Transfer& t, SteadyClock::duration delay) {
    t.listing = true;
    t.expired = false;
    t.deadline.reset();
    t.start_at = SteadyClock::now() + delay;
    for (auto it = t.events->rbegin(); it != t.events->rend(); ++it) {
        if (it->event.watch == t.index) {
            it->needs_list = true;
            break;
        }
    }
}

// How long an exec plugin may still run for requests that end at `deadline`: until a moment
// after it, so that the requests fail first, each with its own timeout in the message; nothing
// without a deadline.
std::optional<std::chrono::milliseconds>
exec_budget_until(std::optional<SteadyClock::time_point> deadline) {
    if (!deadline) {
        return std::nullopt;
    }
    constexpr std::chrono::milliseconds grace{100};
    return std::max(grace, std::chrono::ceil<std::chrono::milliseconds>(*deadline + grace -
                                                                        SteadyClock::now()));
}

} // namespace

struct Client::Impl {
    explicit Impl(ClientOptions opts) : options(std::move(opts)) { warnings.sink = &options.log; }
    ~Impl() { join_credential_threads(); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    ClientOptions options;
    MultiHandle multi;
    std::shared_ptr<CredentialCache> credentials;
    WarningReporter warnings;
    std::deque<PendingEvent> events;
    bool busy = false;

    // The credentials of the current run() or watch(), one entry per RestConfig, fetched before
    // any of its transfers starts: an exec plugin run from inside the loop would stall every
    // transfer in flight. Keyed by address: the configs outlive the round.
    struct RoundCredential {
        std::optional<Credentials> credentials;
        std::string error;                                   // why there are none
        std::optional<SteadyClock::time_point> arrived_at{}; // background fetches only
    };
    std::map<const RestConfig*, RoundCredential> round_credentials;
    // The configs whose plugin is still running, and the threads running them. An entry of
    // round_credentials is written by its thread and read here only once it left the set.
    std::mutex pending_mutex;
    std::set<const RestConfig*> pending_credentials;
    std::vector<std::thread> credential_threads;

    void log(std::string_view line) const { write_log(options.log, line); }

    CredentialCache& cache() {
        if (!credentials) {
            credentials =
                options.credentials ? options.credentials : std::make_shared<CredentialCache>();
        }
        return *credentials;
    }

    CURLM* multi_handle() {
        if (!multi) {
            multi = make_multi();
            ensure_stop_pipe();
        }
        return multi.get();
    }

    std::optional<std::string> env(const std::string& name) const {
        if (options.getenv) {
            return options.getenv(name);
        }
        if (const char* value = std::getenv(name.c_str())) {
            return std::string(value);
        }
        return std::nullopt;
    }

    // --- attempts ------------------------------------------------------------------------

    void configure(Transfer& t);
    void begin_attempt(Transfer& t);
    void on_done(Transfer& t, CURLcode code);
    void on_request_done(Transfer& t, CURLcode code);
    void on_watch_done(Transfer& t, CURLcode code);
    void on_list_done(Transfer& t, CURLcode code);
    void list_failed(Transfer& t, ApiError error);
    void finish(Transfer& t, Result result);
    void fail_server(const Transfer& failed, const ApiError& error,
                     std::vector<std::unique_ptr<Transfer>>& transfers);
    bool try_new_credential(Transfer& t);
    RoundCredential fetch_credential(const RestConfig& config,
                                     std::optional<std::chrono::milliseconds> exec_budget = {});
    // Starts the exec plugins of the round's configs in the background; each transfer waits in
    // step() until its own credential is there (waiting_for_credential).
    void fetch_round_credentials(const std::vector<std::unique_ptr<Transfer>>& transfers);
    bool waiting_for_credential(const Transfer& t);
    // Its credential came (or its plugin gave up) only at or after its deadline: it waited for
    // the credential until then, however late the loop noticed.
    bool credential_late(const Transfer& t);
    // Waits for the plugins of the last round (each ends by its exec timeout at the latest).
    void join_credential_threads();
    // Joins them when a round ends, also by an exception: they read the round's configs.
    struct JoinOnExit {
        Impl& impl;
        explicit JoinOnExit(Impl& owner) : impl(owner) {}
        ~JoinOnExit() { impl.join_credential_threads(); }
        JoinOnExit(const JoinOnExit&) = delete;
        JoinOnExit& operator=(const JoinOnExit&) = delete;
    };
    Credentials credentials_for(const RestConfig& config, bool renew_expired);
    void log_attempt(const Transfer& t, std::string_view failure) const;

    void step(std::vector<std::unique_ptr<Transfer>>& transfers,
              std::optional<SteadyClock::time_point> loop_deadline);

    std::unique_ptr<Transfer> make_transfer(Kind kind, std::size_t index,
                                            std::shared_ptr<const RestConfig> config) {
        auto t = std::make_unique<Transfer>();
        t->kind = kind;
        t->index = index;
        t->events = &events;
        t->warnings = &warnings;
        t->config = std::move(config);
        t->verbosity = std::max(options.verbosity, t->config ? t->config->verbosity : 0);
        return t;
    }
};

namespace {

// libcurl callbacks -------------------------------------------------------------------------

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string_view line = trim(std::string_view(data, n));
    if (line.starts_with("HTTP/")) {
        // A new response begins (after a 100 Continue, say): forget the previous one's headers.
        t.response_headers.clear();
        const std::size_t space = line.find(' ');
        if (space != std::string_view::npos) {
            t.status = std::atoi(std::string(line.substr(space + 1, 3)).c_str());
        }
        return n;
    }
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        t.response_headers.emplace_back(lower(trim(line.substr(0, colon))),
                                        std::string(trim(line.substr(colon + 1))));
    }
    return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (t.streaming() && t.status == 200) {
        if (!t.warned) {
            t.warned = true;
            t.warnings->report(t.response_headers); // now, not when the stream ends
        }
        for (const std::string& line : t.lines.feed(std::string_view(data, n))) {
            if (!on_watch_line(t, line)) {
                t.stop_stream = true;
                return 0; // aborts the transfer (CURLE_WRITE_ERROR)
            }
        }
        if (t.lines.pending().size() > max_response_bytes) {
            // One event that never ends: drop the stream and resume from the last version.
            t.lines.clear();
            t.stop_stream = true;
            return 0;
        }
        return n;
    }
    if (t.response_body.size() + n > max_response_bytes) {
        t.too_large = true;
        return 0; // aborts the transfer (CURLE_WRITE_ERROR)
    }
    t.response_body.append(data, n);
    return n;
}

// libcurl (7.88, OpenSSL backend) gives each TLS connection its own SSL_CTX. Let OpenSSL free a
// connection's 16 KiB read and write buffers whenever they are empty: a round keeps one
// connection per concurrent request open (two per workload cluster while it waits for the
// replies), and this is most of what each costs. Certificate checks are untouched.
CURLcode tune_ssl_context(CURL* /*easy*/, void* ssl_context, void* /*user*/) {
    SSL_CTX_set_mode(static_cast<SSL_CTX*>(ssl_context), SSL_MODE_RELEASE_BUFFERS);
    return CURLE_OK;
}

void setopt_checked(CURLcode code, const char* what) {
    if (code != CURLE_OK) {
        throw core::Error(std::string("cannot set up the HTTP request (") + what +
                          "): " + curl_easy_strerror(code));
    }
}

// Failures that happen before a usable connection exists: every other request to the same
// server in this round would meet them too.
bool is_connection_failure(CURLcode code, std::string_view detail) {
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    case CURLE_OPERATION_TIMEDOUT:
        // Connect, DNS and TLS handshake timeouts; not a stalled transfer on a live
        // connection ("Operation too slow", "Operation timed out").
        return !detail.starts_with("Operation ");
    default:
        return false;
    }
}

// client-go's isErrRetryableFunc for GET: connection reset, (probable) EOF, lost HTTP/2
// connection.
bool is_retryable_transport(CURLcode code) {
    switch (code) {
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

ApiError classify_transport(CURL* easy, CURLcode code, std::string_view detail,
                            std::string_view server) {
    long os_errno = 0;
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
    if (code == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED) {
        return transport_error(TransportFailure::refused, server, detail);
    }
    if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
        return transport_error(TransportFailure::certificate, server, detail);
    }
    return transport_error(TransportFailure::other, server, detail);
}

ApiError configuration_error(std::string message) {
    ApiError error;
    error.kind = ErrorKind::configuration;
    error.message = std::move(message);
    return error;
}

ApiError interrupted_error(const Transfer& t) {
    ApiError error;
    error.kind = ErrorKind::interrupted;
    error.server = t.target.server;
    error.message = "interrupted";
    return error;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Setting up one attempt.

void Client::Impl::configure(Transfer& t) {
    if (!t.config) {
        throw core::Error("internal error: a request without a configuration");
    }
    const RestConfig& config = *t.config;
    t.server = parse_server_url(config.server);

    std::string path = t.path;
    milliseconds query_timeout{0};
    if (t.streaming()) {
        path = append_query(std::move(path), "watch", "true");
        if (!t.resource_version.empty()) {
            path = append_query(std::move(path), "resourceVersion", t.resource_version);
        }
        if (t.bookmarks) {
            path = append_query(std::move(path), "allowWatchBookmarks", "true");
        }
    } else {
        query_timeout = config.request_timeout;
    }
    t.target = build_target(t.server, config.tls_server_name, path, query_timeout);

    const bool tls = t.server.scheme == "https";
    if (tls && config.insecure && !config.ca_pem.empty()) {
        throw core::Error("specifying a root certificates file with the insecure flag is not "
                          "allowed (context " +
                          core::quote(config.context) + ")");
    }
    t.credentials = tls ? credentials_for(config, t.kind == Kind::watch) : Credentials{};
    const std::string& cert = t.credentials.client_certificate_pem.empty()
                                  ? config.client_certificate_pem
                                  : t.credentials.client_certificate_pem;
    const std::string& key =
        t.credentials.client_key_pem.empty() ? config.client_key_pem : t.credentials.client_key_pem;

    if (!t.easy) {
        t.easy = make_easy();
    } else {
        curl_easy_reset(t.easy.get());
    }
    CURL* easy = t.easy.get();

    // Headers.
    t.headers.reset();
    t.sent_headers.clear();
    const auto add = [&](std::string_view name, std::string_view value) {
        if (!is_safe_header_value(value)) {
            // The value itself may be a secret: name the header only.
            throw core::Error("the " + std::string(name) +
                              " header would contain a line break; check the kubeconfig "
                              "(context " +
                              core::quote(config.context) + ")");
        }
        append_header(t.headers, name, value);
        t.sent_headers.emplace_back(name, value);
    };
    if (!t.target.host_header.empty()) {
        add("Host", t.target.host_header);
    }
    add("Accept", t.accept.empty() ? "application/json" : t.accept);
    add("User-Agent", user_agent(options.version));
    const bool sends_body = !t.body.empty() || t.method == Method::post ||
                            t.method == Method::put || t.method == Method::patch;
    if (sends_body) {
        add("Content-Type", t.content_type.empty() ? "application/json" : t.content_type);
    }
    if (!t.credentials.token.empty()) {
        add("Authorization", "Bearer " + t.credentials.token);
    } else if (!t.credentials.username.empty() || !t.credentials.password.empty()) {
        add("Authorization", basic_authorization(t.credentials.username, t.credentials.password));
    }
    for (const auto& [name, value] : impersonation_headers(config.impersonate)) {
        add(name, value);
    }
    // No "Expect: 100-continue" round trip before large bodies.
    curl_slist* list = curl_slist_append(t.headers.get(), "Expect:");
    if (list == nullptr) {
        throw std::bad_alloc();
    }
    (void)t.headers.release();
    t.headers.reset(list);

    setopt_checked(curl_easy_setopt(easy, CURLOPT_URL, t.target.url.c_str()), "URL");
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error_buffer.data());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, keepalive_seconds);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, keepalive_seconds);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     t.streaming() ? watch_low_speed_seconds : request_low_speed_seconds);
    // HTTP/2 over TLS, and wait for a connection being set up rather than opening another,
    // so that concurrent requests to one server share one multiplexed connection.
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    // libcurl copies every request sent over TLS into an upload buffer of this size, allocated
    // per handle (64 KiB by default); its minimum is ample for headers and for the small bodies
    // this tool sends, which then go out in 16 KiB pieces.
    curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
    if (!config.disable_compression) {
        curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
    }

    const ProxyChoice proxy = choose_proxy(t.server, config.proxy_url,
                                           [this](const std::string& name) { return env(name); });
    // An explicit "" also keeps libcurl from reading proxy variables on its own.
    curl_easy_setopt(easy, CURLOPT_PROXY, proxy.proxy.c_str());
    if (!proxy.no_proxy.empty()) {
        curl_easy_setopt(easy, CURLOPT_NOPROXY, proxy.no_proxy.c_str());
    }

    t.connect_to.reset();
    if (!t.target.connect_to.empty()) {
        t.connect_to.reset(curl_slist_append(nullptr, t.target.connect_to.c_str()));
        if (!t.connect_to) {
            throw std::bad_alloc();
        }
        curl_easy_setopt(easy, CURLOPT_CONNECT_TO, t.connect_to.get());
    }

    if (tls) {
        // Only libcurl built on OpenSSL knows this option; elsewhere it is merely not needed.
        curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, &tune_ssl_context);
        if (config.insecure) {
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        } else if (!config.ca_pem.empty()) {
            curl_blob blob{const_cast<char*>(config.ca_pem.data()), config.ca_pem.size(),
                           CURL_BLOB_COPY};
            setopt_checked(curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &blob),
                           "certificate authority");
            // Only the kubeconfig's CA is trusted then, as client-go does. Clearing the
            // built-in bundle also spares every connection parsing the system's ~140 roots
            // (about 190 KiB of memory each).
            curl_easy_setopt(easy, CURLOPT_CAINFO, static_cast<char*>(nullptr));
            curl_easy_setopt(easy, CURLOPT_CAPATH, static_cast<char*>(nullptr));
        }
        if (!cert.empty()) {
            curl_blob blob{const_cast<char*>(cert.data()), cert.size(), CURL_BLOB_COPY};
            setopt_checked(curl_easy_setopt(easy, CURLOPT_SSLCERT_BLOB, &blob),
                           "client certificate");
            curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
        }
        if (!key.empty()) {
            curl_blob blob{const_cast<char*>(key.data()), key.size(), CURL_BLOB_COPY};
            setopt_checked(curl_easy_setopt(easy, CURLOPT_SSLKEY_BLOB, &blob), "client key");
            curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
        }
    }

    switch (t.method) {
    case Method::get:
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        break;
    case Method::post:
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        break;
    case Method::put:
    case Method::patch:
    case Method::del:
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, std::string(t.method_text()).c_str());
        break;
    }
    if (t.method != Method::get && (sends_body || !t.body.empty())) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t.body.data());
    }

    t.server_key = t.server.scheme + "://" + t.server.host_port() + "|" + t.target.connect_to +
                   "|" + proxy.proxy + "|" + (config.insecure ? "1" : "0") + "|" +
                   std::to_string(std::hash<std::string>{}(config.ca_pem)) + "|" +
                   std::to_string(std::hash<std::string>{}(cert));
}

void Client::Impl::begin_attempt(Transfer& t) {
    t.status = 0;
    t.response_headers.clear();
    t.response_body.clear();
    t.error_buffer[0] = '\0';
    t.lines.clear();
    t.got_event = false;
    t.stop_stream = false;
    t.too_large = false;
    t.warned = false;
    t.multi = multi_handle();
    try {
        configure(t);
    } catch (const core::Error& e) {
        if (t.relist) {
            // A credential plugin that failed, say: try again later, as for a dead server.
            queue_event(t, EventType::error, nullptr, configuration_error(e.what()), std::nullopt);
            relist_after(t, watch_backoff(++t.failures));
        } else if (t.kind == Kind::watch) {
            queue_event(t, EventType::error, nullptr, configuration_error(e.what()),
                        Watch::State::failed);
            t.done = true;
        } else {
            finish(t, configuration_error(e.what()));
        }
        return;
    }
    if (t.verbosity >= 7) {
        log("Request Headers:");
        for (const auto& [name, value] : t.sent_headers) {
            log("    " + name + ": " + redact_header(name, value));
        }
    }
    if (t.verbosity >= 8 && !t.body.empty()) {
        log("Request Body: " + loggable_body(t.body, t.verbosity));
    }
    t.attempt_started = SteadyClock::now();
    if (t.kind == Kind::watch && t.listing) {
        // A LIST has a time limit, its stream none.
        const auto limit = t.list_timeout ? *t.list_timeout : t.config->request_timeout;
        if (limit.count() > 0) {
            t.deadline = t.attempt_started + limit;
            t.timeout_text = duration_text(limit);
        }
    }
    const CURLMcode added = curl_multi_add_handle(t.multi, t.easy.get());
    if (added != CURLM_OK) {
        throw core::Error(std::string("cannot start the HTTP request: ") +
                          curl_multi_strerror(added));
    }
    t.in_multi = true;
}

// ---------------------------------------------------------------------------------------------
// Completions.

void Client::Impl::log_attempt(const Transfer& t, std::string_view failure) const {
    if (t.verbosity < 6) {
        return;
    }
    std::string line = std::string(t.method_text()) + " " + t.target.url;
    if (failure.empty()) {
        line += " " + std::to_string(t.status);
        if (const auto text = status_text(t.status); !text.empty()) {
            line += " " + std::string(text);
        }
    } else {
        line += " failed";
    }
    line += " in " + std::to_string(elapsed_ms(t.attempt_started)) + " milliseconds";
    if (!failure.empty()) {
        line += ": " + std::string(failure);
    }
    log(line);
    if (t.verbosity >= 8 && failure.empty()) {
        log("Response Headers:");
        for (const auto& [name, value] : t.response_headers) {
            log("    " + name + ": " + redact_header(name, value));
        }
        if (!t.streaming()) {
            log("Response Body: " + loggable_body(t.response_body, t.verbosity));
        }
    }
}

void Client::Impl::finish(Transfer& t, Result result) {
    t.detach();
    // Free the handle and its buffers now, not when the round ends: the replies of a round come
    // in one after another, and the later ones are parsed in the memory the earlier ones free.
    // The connection itself stays in the multi handle's cache for the next round.
    t.easy.reset();
    t.start_at.reset();
    t.done = true;
    t.result.emplace(std::move(result));
}

bool Client::Impl::try_new_credential(Transfer& t) {
    // Tell the cache (an exec plugin re-runs for later requests), then see whether that gave
    // a new credential worth one more try. The plugin runs here, inside the loop: a 401 is
    // rare, and the alternative is failing the request.
    try {
        cache().unauthorized(*t.config, t.credentials);
        if (t.auth_retried || t.method != Method::get) {
            return false;
        }
        Credentials fresh = cache().get(*t.config, exec_budget_until(t.deadline));
        // A new plugin run, or a token file rotated since it was read.
        if (fresh.generation == t.credentials.generation && fresh.token == t.credentials.token) {
            return false;
        }
        round_credentials.insert_or_assign(t.config.get(), RoundCredential{std::move(fresh), {}});
    } catch (const core::Error&) {
        return false; // the 401 itself is the clearer message
    }
    t.auth_retried = true;
    return true;
}

Client::Impl::RoundCredential
Client::Impl::fetch_credential(const RestConfig& config,
                               std::optional<std::chrono::milliseconds> exec_budget) {
    RoundCredential entry;
    try {
        entry.credentials = cache().get(config, exec_budget);
    } catch (const core::Error& e) {
        entry.error = e.what();
    }
    return entry;
}

void Client::Impl::fetch_round_credentials(
    const std::vector<std::unique_ptr<Transfer>>& transfers) {
    join_credential_threads();
    round_credentials.clear();
    // The plugins run in the background, each transfer starting once its own credential is
    // there: one hung cloud login holds back its own cluster's requests only, not the others'.
    // Plugins that do not get the terminal run at the same time; those that may prompt one at a
    // time, as two prompts at once would garble each other.
    using Fetch = std::pair<const RestConfig*, RoundCredential*>;
    std::vector<Fetch> concurrent;
    std::vector<Fetch> one_at_a_time;
    const bool terminal = ::isatty(0) != 0;
    // A plugin runs no longer than the last of the requests waiting for it may: after that no
    // one needs its credential, and the round would otherwise end only when it gives up (a hung
    // workload cluster's login holding `get` for minutes). Watches and requests without a
    // deadline wait as long as the plugin's own timeout; a relist watch's first LIST counts as
    // a request (a cluster whose login hung in the last round must not hold watch() as long).
    std::map<const RestConfig*, std::optional<SteadyClock::time_point>> last_deadline;
    for (const auto& t : transfers) {
        const RestConfig* config = t->config.get();
        if (t->done || config == nullptr) {
            continue;
        }
        auto deadline = t->kind == Kind::request ? t->deadline : std::nullopt;
        if (t->kind == Kind::watch && t->listing && t->start_at) {
            const auto limit = t->list_timeout ? *t->list_timeout : config->request_timeout;
            if (limit.count() > 0) {
                deadline = *t->start_at + limit;
            }
        }
        const auto [it, first] = last_deadline.emplace(config, deadline);
        if (!first && it->second && (!deadline || *deadline > *it->second)) {
            it->second = deadline;
        }
    }
    for (const auto& t : transfers) {
        const RestConfig* config = t->config.get();
        if (t->done || config == nullptr || !config->exec || !config->uses_tls() ||
            round_credentials.contains(config)) {
            continue;
        }
        // The node stays put while other entries come and go; its thread fills it in.
        RoundCredential& entry = round_credentials.emplace(config, RoundCredential{}).first->second;
        const InteractiveMode mode = config->exec->interactive_mode;
        const bool prompts =
            mode == InteractiveMode::always || (mode == InteractiveMode::if_available && terminal);
        (prompts ? one_at_a_time : concurrent).emplace_back(config, &entry);
    }
    if (concurrent.empty() && one_at_a_time.empty()) {
        return;
    }
    cache();                   // made before the threads share it
    CURLM* m = multi_handle(); // woken when a credential is there
    {
        const std::lock_guard lock(pending_mutex);
        for (const auto* fetches : {&concurrent, &one_at_a_time}) {
            for (const auto& fetch : *fetches) {
                pending_credentials.insert(fetch.first);
            }
        }
    }
    const auto fetch_all = [this, m, last_deadline](const std::vector<Fetch>& fetches) {
        for (const auto& [config, entry] : fetches) {
            // The cache runs a plugin once for every config of the same user and cluster, also
            // when two threads ask at once.
            RoundCredential fetched;
            try {
                // Measured when this plugin starts: prompting ones run one after another.
                fetched = fetch_credential(*config, exec_budget_until(last_deadline.at(config)));
            } catch (const std::exception& e) {
                fetched.error = std::string("getting credentials: ") + e.what();
            }
            fetched.arrived_at = SteadyClock::now();
            {
                const std::lock_guard lock(pending_mutex);
                *entry = std::move(fetched);
                pending_credentials.erase(config);
            }
            curl_multi_wakeup(m);
        }
    };
    const auto start = [&](const std::vector<Fetch>& fetches) {
        try {
            credential_threads.emplace_back(fetch_all, fetches); // the thread gets a copy
        } catch (const std::system_error&) {
            fetch_all(fetches); // no thread to be had: here and now, then
        }
    };
    for (const auto& fetch : concurrent) {
        start({fetch});
    }
    if (!one_at_a_time.empty()) {
        start(std::move(one_at_a_time));
    }
}

bool Client::Impl::waiting_for_credential(const Transfer& t) {
    const std::lock_guard lock(pending_mutex);
    return !pending_credentials.empty() && pending_credentials.contains(t.config.get());
}

bool Client::Impl::credential_late(const Transfer& t) {
    if (!t.deadline || waiting_for_credential(t)) {
        return false;
    }
    // Out of the pending set: its thread is done with the entry.
    const auto it = round_credentials.find(t.config.get());
    return it != round_credentials.end() && it->second.arrived_at &&
           *it->second.arrived_at >= *t.deadline;
}

void Client::Impl::join_credential_threads() {
    for (auto& thread : credential_threads) {
        thread.join();
    }
    credential_threads.clear();
}

Credentials Client::Impl::credentials_for(const RestConfig& config, bool renew_expired) {
    if (!config.exec) {
        // Static credentials cost nothing to ask for again, and a token file may have changed.
        return cache().get(config);
    }
    auto it = round_credentials.find(&config);
    // A round uses what it fetched, even if that expires meanwhile; a watch that reconnects
    // hours later needs a fresh one (its plugin then runs here, once per credential lifetime).
    const bool expired = renew_expired && it != round_credentials.end() && it->second.credentials &&
                         it->second.credentials->expiry &&
                         std::chrono::system_clock::now() >= *it->second.credentials->expiry;
    if (it == round_credentials.end() || expired) {
        it = round_credentials.insert_or_assign(&config, fetch_credential(config)).first;
    }
    if (!it->second.credentials) {
        throw core::Error(it->second.error);
    }
    return *it->second.credentials;
}

void Client::Impl::fail_server(const Transfer& failed, const ApiError& error,
                               std::vector<std::unique_ptr<Transfer>>& transfers) {
    for (auto& other : transfers) {
        if (other.get() == &failed || other->done || other->kind != Kind::request ||
            other->server_key != failed.server_key || other->status != 0) {
            continue;
        }
        if (other->in_multi) {
            finish(*other, error);
        }
    }
}

void Client::Impl::on_request_done(Transfer& t, CURLcode code) {
    const auto now = SteadyClock::now();
    const auto fits = [&](std::chrono::seconds delay) {
        return !t.deadline || now + delay < *t.deadline;
    };
    const auto schedule_retry = [&](std::chrono::seconds delay) {
        ++t.retries;
        t.start_at = now + delay;
        if (t.verbosity >= 6) {
            log("retrying " + std::string(t.method_text()) + " " + t.target.url + " in " +
                std::to_string(delay.count()) + "s (retry " + std::to_string(t.retries) + " of " +
                std::to_string(max_retries) + ")");
        }
    };

    if (code == CURLE_OK) {
        log_attempt(t, "");
        warnings.report(t.response_headers);
        if (t.status >= 200 && t.status < 300) {
            Response response;
            response.status = t.status;
            response.headers = std::move(t.response_headers);
            if (t.decode_json && !trim(t.response_body).empty()) {
                try {
                    // Depth-limited: a reply nested without bound would overflow the stack
                    // where the document is later copied or printed.
                    response.json = core::parse_json(t.response_body);
                } catch (const core::Error& e) {
                    finish(t, invalid_response_error(t.status, t.target.server, t.method_text(),
                                                     t.path, e.what()));
                    return;
                }
                std::string().swap(t.response_body); // the document is kept, not both
            } else {
                response.body = std::move(t.response_body);
            }
            response.elapsed = SteadyClock::now() - t.attempt_started;
            finish(t, std::move(response));
            return;
        }
        if (t.status == 401 && try_new_credential(t)) {
            t.start_at = now;
            return;
        }
        const AttemptOutcome outcome{t.status, find_header(t.response_headers, "retry-after"),
                                     false};
        if (const auto delay = retry_delay(t.method, outcome, t.retries); delay && fits(*delay)) {
            schedule_retry(*delay);
            return;
        }
        finish(t, error_from_response(t.status, find_header(t.response_headers, "content-type"),
                                      t.response_body, t.method_text(), t.target.server));
        return;
    }

    if (code == CURLE_WRITE_ERROR && t.too_large) {
        log_attempt(t, "reply too large");
        finish(t, too_large_error(t, t.method_text()));
        return;
    }
    const std::string detail =
        t.error_buffer[0] != '\0' ? std::string(t.error_buffer.data()) : curl_easy_strerror(code);
    log_attempt(t, detail);
    const AttemptOutcome outcome{0, {}, is_retryable_transport(code)};
    if (const auto delay = retry_delay(t.method, outcome, t.retries); delay && fits(*delay)) {
        schedule_retry(*delay);
        return;
    }
    finish(t, classify_transport(t.easy.get(), code, detail, t.target.server));
}

void Client::Impl::on_watch_done(Transfer& t, CURLcode code) {
    const auto now = SteadyClock::now();
    const auto reconnect = [&](bool failed, std::optional<std::chrono::seconds> after = {}) {
        t.failures = failed ? t.failures + 1 : 0;
        t.start_at = now + (after ? milliseconds(*after) : watch_backoff(t.failures));
    };
    if (t.expired) {
        if (t.relist) {
            relist_after(t, SteadyClock::duration::zero()); // the 410 event was queued
        } else {
            t.done = true;
        }
        return;
    }
    if (code == CURLE_OK || (code == CURLE_OPERATION_TIMEDOUT && t.status == 200) ||
        (code == CURLE_WRITE_ERROR && t.stop_stream)) {
        log_attempt(t, "");
        warnings.report(t.response_headers);
        if (t.status == 200) {
            // The server ended the stream (its timeout) or it went quiet: carry on from the
            // last resourceVersion. A stream that gave nothing counts as a failure, so that a
            // server that closes at once is not hammered.
            t.auth_retried = false;
            reconnect(!t.got_event || t.stop_stream);
            if (t.relist && t.stop_stream && !t.lines.pending().empty()) {
                // An event too large to hold was lost: only a LIST catches up.
                relist_after(t, *t.start_at - now);
            }
            return;
        }
        const std::string_view content_type = find_header(t.response_headers, "content-type");
        ApiError error =
            error_from_response(t.status, content_type, t.response_body, "GET", t.target.server);
        if (t.status == 410) {
            nlohmann::json status = error.status_object;
            if (status.is_null()) {
                status = {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                          {"reason", "Gone"}, {"code", 410},        {"message", error.message}};
            }
            if (t.relist) {
                queue_event(t, EventType::expired, std::move(status), std::nullopt, std::nullopt);
                relist_after(t, SteadyClock::duration::zero());
                return;
            }
            queue_event(t, EventType::expired, std::move(status), std::nullopt,
                        Watch::State::expired);
            t.done = true;
            return;
        }
        if (t.status == 401 && try_new_credential(t)) {
            t.start_at = now;
            return;
        }
        if (t.status == 429 || t.status >= 500) {
            const AttemptOutcome outcome{t.status, find_header(t.response_headers, "retry-after"),
                                         false};
            const auto after = retry_delay(Method::get, outcome, 0);
            queue_event(t, EventType::error, error.status_object, error, std::nullopt);
            reconnect(true, after);
            if (t.relist) {
                relist_after(t, *t.start_at - now);
            }
            return;
        }
        if (t.relist) {
            // Permanent for this stream (403, 404, ...), but rights and resources come back:
            // LIST again with the backoff; the caller shows the error meanwhile.
            queue_event(t, EventType::error, error.status_object, error, std::nullopt);
            relist_after(t, watch_backoff(++t.failures));
            return;
        }
        queue_event(t, EventType::error, error.status_object, error, Watch::State::failed);
        t.done = true;
        return;
    }
    const std::string detail =
        t.error_buffer[0] != '\0' ? std::string(t.error_buffer.data()) : curl_easy_strerror(code);
    log_attempt(t, detail);
    ApiError error = classify_transport(t.easy.get(), code, detail, t.target.server);
    queue_event(t, EventType::error, nullptr, std::move(error), std::nullopt);
    reconnect(true);
    if (t.relist) {
        // The server was gone: what changed meanwhile comes with a LIST, and the LIST's reply
        // tells the caller the server is back even when nothing changed.
        relist_after(t, *t.start_at - now);
    }
}

void Client::Impl::list_failed(Transfer& t, ApiError error) {
    nlohmann::json status = error.status_object;
    queue_event(t, EventType::error, std::move(status), std::move(error), std::nullopt);
    relist_after(t, watch_backoff(++t.failures));
}

void Client::Impl::on_list_done(Transfer& t, CURLcode code) {
    const auto now = SteadyClock::now();
    t.deadline.reset();
    if (code == CURLE_OK) {
        log_attempt(t, "");
        warnings.report(t.response_headers);
        if (t.status >= 200 && t.status < 300) {
            nlohmann::json list;
            try {
                list = core::parse_json(t.response_body); // depth-limited, as every reply
            } catch (const core::Error& e) {
                list_failed(
                    t, invalid_response_error(t.status, t.target.server, "GET", t.path, e.what()));
                return;
            }
            std::string().swap(t.response_body);
            t.resource_version = resource_version_of(list);
            PendingEvent pending;
            pending.event.watch = t.index;
            pending.event.type = EventType::added; // unused: a listing
            pending.event.object = std::move(list);
            pending.resource_version = t.resource_version;
            pending.listing = true;
            t.events->push_back(std::move(pending));
            // failures stays: it is reset by the stream's first event, so that a WATCH refused
            // after every good LIST still backs off.
            t.listing = false;
            t.auth_retried = false;
            t.start_at = now; // the WATCH from the list's resourceVersion
            return;
        }
        if (t.status == 401 && try_new_credential(t)) {
            t.start_at = now;
            return;
        }
        list_failed(t,
                    error_from_response(t.status, find_header(t.response_headers, "content-type"),
                                        t.response_body, "GET", t.target.server));
        return;
    }
    if (code == CURLE_WRITE_ERROR && t.too_large) {
        log_attempt(t, "reply too large");
        list_failed(t, too_large_error(t, "GET"));
        return;
    }
    const std::string detail =
        t.error_buffer[0] != '\0' ? std::string(t.error_buffer.data()) : curl_easy_strerror(code);
    log_attempt(t, detail);
    list_failed(t, classify_transport(t.easy.get(), code, detail, t.target.server));
}

void Client::Impl::on_done(Transfer& t, CURLcode code) {
    if (t.kind == Kind::watch && t.listing) {
        on_list_done(t, code);
    } else if (t.kind == Kind::watch) {
        on_watch_done(t, code);
    } else {
        on_request_done(t, code);
    }
}

// ---------------------------------------------------------------------------------------------
// The loop.

void Client::Impl::step(std::vector<std::unique_ptr<Transfer>>& transfers,
                        std::optional<SteadyClock::time_point> loop_deadline) {
    CURLM* m = multi_handle();
    auto now = SteadyClock::now();
    for (auto& t : transfers) {
        // A request past its deadline is not started; it ends below, with the right message.
        const bool expired = t->kind == Kind::request && t->deadline && now >= *t->deadline;
        if (!t->done && !t->in_multi && t->start_at && *t->start_at <= now && !expired &&
            !waiting_for_credential(*t)) {
            t->start_at.reset();
            begin_attempt(*t);
        }
    }

    int running = 0;
    curl_multi_perform(m, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(m, &queued)) {
        if (message->msg != CURLMSG_DONE) {
            continue;
        }
        Transfer* t = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
        const CURLcode code = message->data.result;
        t->detach();
        on_done(*t, code);
        if (t->kind == Kind::request && t->done && !t->result->ok()) {
            const ApiError& error = t->result->error();
            const std::string detail = t->error_buffer.data();
            if (error.kind == ErrorKind::transport && is_connection_failure(code, detail)) {
                // A dead or untrusted server fails all its waiting requests now.
                fail_server(*t, error, transfers);
            }
        }
    }

    now = SteadyClock::now();
    std::optional<SteadyClock::time_point> wake = loop_deadline;
    const auto earlier = [&](SteadyClock::time_point at) {
        if (!wake || at < *wake) {
            wake = at;
        }
    };
    for (auto& t : transfers) {
        if (t->done) {
            continue;
        }
        const bool waiting = waiting_for_credential(*t) || credential_late(*t);
        if (t->kind == Kind::watch && t->listing && t->deadline && now >= *t->deadline) {
            // A relist watch's LIST that took too long: like a failed one, tried again later.
            t->detach();
            list_failed(
                *t, timeout_error(t->target.server.empty() ? t->config->server : t->target.server,
                                  "GET", t->path, t->timeout_text));
            earlier(*t->start_at);
            continue;
        }
        if (t->kind == Kind::request && t->deadline && now >= *t->deadline) {
            ApiError error =
                timeout_error(t->target.server.empty() ? t->config->server : t->target.server,
                              t->method_text(), t->path, t->timeout_text);
            if (waiting) {
                // Its plugin ran past the deadline (it is stopped just after it).
                error.message = "getting credentials: exec: executable " +
                                t->config->exec->command + " did not finish within " +
                                t->timeout_text + " (" + std::string(t->method_text()) + " " +
                                t->path + ")";
            }
            finish(*t, error);
            continue;
        }
        if (t->start_at && !waiting) {
            earlier(*t->start_at); // a credential that arrives wakes the poll
        }
        if (t->deadline && (t->kind == Kind::request || t->listing)) {
            earlier(*t->deadline);
        }
    }

    milliseconds wait = max_poll_wait;
    if (wake) {
        wait = std::clamp(duration_cast<milliseconds>(*wake - now) + 1ms, 0ms, max_poll_wait);
    }
    const bool any_due = std::any_of(transfers.begin(), transfers.end(), [&](const auto& t) {
        return !t->done && !t->in_multi && t->start_at && *t->start_at <= now &&
               !waiting_for_credential(*t);
    });
    const bool all_done =
        std::all_of(transfers.begin(), transfers.end(), [](const auto& t) { return t->done; });
    if (any_due || all_done || !events.empty() || stop_requested()) {
        return;
    }
    curl_waitfd extra{};
    unsigned extra_count = 0;
    if (const int fd = g_stop_read_fd.load(); fd >= 0) {
        extra.fd = fd;
        extra.events = CURL_WAIT_POLLIN;
        extra_count = 1;
    }
    curl_multi_poll(m, extra_count != 0 ? &extra : nullptr, extra_count,
                    static_cast<int>(wait.count()), nullptr);
}

// ---------------------------------------------------------------------------------------------

std::string_view Response::header(std::string_view name) const {
    return find_header(headers, name);
}

const Response& Result::value() const {
    if (!ok()) {
        throw error().to_error();
    }
    return response();
}

Request Request::get(std::shared_ptr<const RestConfig> config, std::string path) {
    Request request;
    request.config = std::move(config);
    request.path = std::move(path);
    return request;
}

Client::Client(ClientOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}

Client::~Client() = default;

namespace {

// Marks the Client busy for one run() or watch(); they do not nest.
class BusyGuard {
public:
    explicit BusyGuard(bool& busy) : m_busy(busy) {
        if (m_busy) {
            throw core::Error("internal error: Client::run() or watch() called while one runs");
        }
        m_busy = true;
    }
    ~BusyGuard() { m_busy = false; }
    BusyGuard(const BusyGuard&) = delete;
    BusyGuard& operator=(const BusyGuard&) = delete;

private:
    bool& m_busy;
};

} // namespace

std::vector<Result> Client::run(std::vector<Request> requests) {
    if (requests.empty()) {
        return {};
    }
    BusyGuard guard(m_impl->busy);
    const auto now = SteadyClock::now();
    std::vector<std::unique_ptr<Transfer>> transfers;
    transfers.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        Request& request = requests[i];
        auto t = m_impl->make_transfer(Kind::request, i, std::move(request.config));
        t->method = request.method;
        t->path = std::move(request.path);
        t->body = std::move(request.body);
        t->content_type = std::move(request.content_type);
        t->accept = std::move(request.accept);
        t->decode_json = request.decode_json;
        t->deadline = request.deadline;
        if (!t->deadline && request.timeout) {
            t->deadline = now + *request.timeout;
        }
        if (!t->deadline && t->config && t->config->request_timeout.count() > 0) {
            t->deadline = now + t->config->request_timeout;
        }
        if (t->deadline) {
            t->timeout_text = duration_text(std::max(*t->deadline - now, SteadyClock::duration{}));
        }
        t->start_at = now;
        if (!t->config) {
            m_impl->finish(*t, configuration_error("internal error: a request without a "
                                                   "configuration"));
        }
        transfers.push_back(std::move(t));
    }
    const Impl::JoinOnExit join_plugins{*m_impl};
    m_impl->fetch_round_credentials(transfers);

    while (
        !std::all_of(transfers.begin(), transfers.end(), [](const auto& t) { return t->done; })) {
        if (stop_requested()) {
            for (auto& t : transfers) {
                if (!t->done) {
                    m_impl->finish(*t, interrupted_error(*t));
                }
            }
            break;
        }
        m_impl->step(transfers, std::nullopt);
    }

    m_impl->join_credential_threads();
    m_impl->round_credentials.clear();

    std::vector<Result> results;
    results.reserve(transfers.size());
    for (auto& t : transfers) {
        results.push_back(std::move(*t->result));
    }
    return results;
}

Result Client::run_one(Request request) {
    std::vector<Request> requests;
    requests.push_back(std::move(request));
    return std::move(run(std::move(requests)).front());
}

WatchEnd Client::watch(std::vector<Watch>& watches, const WatchHandler& on_event,
                       std::optional<SteadyClock::time_point> deadline) {
    WatchCallbacks callbacks;
    callbacks.on_event = on_event;
    return watch(watches, callbacks, deadline);
}

WatchEnd Client::watch(std::vector<Watch>& watches, WatchCallbacks& callbacks,
                       std::optional<SteadyClock::time_point> deadline) {
    BusyGuard guard(m_impl->busy);
    Impl& impl = *m_impl;
    impl.events.clear();
    const auto now = SteadyClock::now();
    std::vector<std::unique_ptr<Transfer>> transfers;
    for (std::size_t i = 0; i < watches.size(); ++i) {
        const Watch& w = watches[i];
        if (w.state != Watch::State::active) {
            continue;
        }
        if (w.relist && !callbacks.on_list) {
            throw core::Error("internal error: a relist watch without a list handler");
        }
        auto t = impl.make_transfer(Kind::watch, i, w.config);
        t->path = w.path;
        t->resource_version = w.resource_version;
        t->bookmarks = w.bookmarks;
        t->accept = "application/json";
        t->relist = w.relist;
        t->listing = w.relist && w.list_first;
        t->list_timeout = w.list_timeout;
        t->failures = std::max(0, w.failures);
        t->start_at = now + watch_backoff(t->failures);
        if (!t->config) {
            throw core::Error("internal error: a watch without a configuration");
        }
        transfers.push_back(std::move(t));
    }
    const Impl::JoinOnExit join_plugins{impl};
    impl.fetch_round_credentials(transfers);

    // Delivers what is queued, then the tick when it is due; false when a callback said stop.
    const auto deliver = [&]() {
        while (!impl.events.empty() && !stop_requested()) {
            PendingEvent pending = std::move(impl.events.front());
            impl.events.pop_front();
            Watch& w = watches[pending.event.watch];
            if (!pending.resource_version.empty() && pending.event.type != EventType::error) {
                w.resource_version = pending.resource_version;
            }
            if (pending.new_state) {
                w.state = *pending.new_state;
            }
            if (pending.needs_list) {
                w.list_first = true;
            }
            if (pending.listing) {
                w.list_first = false;
                if (!callbacks.on_list(pending.event.watch, pending.event.object)) {
                    return false;
                }
            } else if (callbacks.on_event && !callbacks.on_event(pending.event)) {
                return false;
            }
        }
        if (callbacks.tick_at && SteadyClock::now() >= *callbacks.tick_at && !stop_requested()) {
            callbacks.tick_at.reset();
            if (callbacks.on_tick && !callbacks.on_tick()) {
                return false;
            }
        }
        return true;
    };

    WatchEnd end = WatchEnd::finished;
    while (true) {
        if (stop_requested()) {
            end = WatchEnd::interrupted;
            break;
        }
        if (deadline && SteadyClock::now() >= *deadline) {
            end = WatchEnd::deadline;
            break;
        }
        if (impl.events.empty() && std::all_of(transfers.begin(), transfers.end(),
                                               [](const auto& t) { return t->done; })) {
            end = WatchEnd::finished;
            break;
        }
        // The poll wakes for the deadline and for the caller's tick.
        std::optional<SteadyClock::time_point> wake = deadline;
        if (callbacks.tick_at && (!wake || *callbacks.tick_at < *wake)) {
            wake = callbacks.tick_at;
        }
        impl.step(transfers, wake);
        if (!deliver()) {
            end = WatchEnd::stopped;
            break;
        }
    }
    // Events not delivered are dropped: each watch's resource_version still names the last
    // one delivered, so the next watch() sees them again.
    impl.events.clear();
    for (const auto& t : transfers) {
        watches[t->index].failures = t->failures;
    }
    impl.join_credential_threads();
    impl.round_credentials.clear();
    return end;
}

// ---------------------------------------------------------------------------------------------

void request_stop() noexcept {
    const int saved_errno = errno;
    g_stop.store(true);
    if (const int fd = g_stop_write_fd.load(); fd >= 0) {
        const char byte = 1;
        [[maybe_unused]] const ssize_t written = ::write(fd, &byte, 1);
    }
    errno = saved_errno;
}

bool stop_requested() noexcept {
    return g_stop.load();
}

void clear_stop_request() noexcept {
    g_stop.store(false);
    if (const int fd = g_stop_read_fd.load(); fd >= 0) {
        char buffer[64];
        while (::read(fd, buffer, sizeof buffer) > 0) {
        }
    }
}

} // namespace nova::kube
