#pragma once

// The one place that talks to the network (DESIGN §3). Two entry points on one libcurl multi
// handle, kept for the Client's life so connections are reused:
//
//   run()   submit many requests, to any servers, in one concurrent round; one Result each.
//   watch() follow one or more WATCH streams until the caller, a deadline or a signal stops it;
//           the caller's timer runs inside it (redraws, flushing a burst) and relist watches
//           LIST by themselves, so that the streams stay connected for as long as it runs.
//
// A Client is driven by one thread. Constructing it touches neither libcurl nor TLS; that
// happens on the first request.

#include "lib/kube/api_error.hpp"
#include "lib/kube/config.hpp"
#include "lib/kube/watch_stream.hpp"
#include "lib/kube/wire.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nova::kube {

class CredentialCache;

using SteadyClock = std::chrono::steady_clock;

struct Request {
    std::shared_ptr<const RestConfig> config;
    Method method = Method::get;
    // Path and query below the server's own prefix, already escaped (append_query):
    // "/apis/argoproj.io/v1alpha1/namespaces/ns/rollouts?labelSelector=app%3Ddemo".
    std::string path;
    std::string body;
    std::string content_type; // "" with a body means application/json
    std::string accept = "application/json";
    // When the request gives up, retries included. Unset: now + `timeout` when that is given,
    // else now + config->request_timeout, or no limit when that is 0. kubectl's `timeout=`
    // parameter follows config->request_timeout.
    std::optional<SteadyClock::time_point> deadline;
    std::optional<std::chrono::milliseconds> timeout;
    // Parse the reply as JSON into Response::json (the raw body is then dropped), so that a
    // reply that is not JSON fails this request like any other error.
    bool decode_json = true;

    // Only GETs are replayed after a transport error (a write may have reached the server).
    [[nodiscard]] bool idempotent() const { return method == Method::get; }

    static Request get(std::shared_ptr<const RestConfig> config, std::string path);
};

struct Response {
    int status = 0;
    std::vector<Header> headers; // names in lower case
    std::string body;            // "" once decoded into `json`
    nlohmann::json json;         // the decoded body (null if not decoded or empty)
    // How long the attempt that got this answer took, from its start (connection and TLS
    // handshake included, when it needed a new connection) to its last byte: `clusters`
    // reports it as a cluster's latency.
    SteadyClock::duration elapsed{};

    // The first header called `name` (case-insensitive), "" if absent.
    [[nodiscard]] std::string_view header(std::string_view name) const;
};

// A response or an error, never both.
class Result {
public:
    Result(Response response) : m_value(std::move(response)) {} // NOLINT: implicit by design
    Result(ApiError error) : m_value(std::move(error)) {}       // NOLINT: implicit by design

    [[nodiscard]] bool ok() const { return m_value.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Preconditions: ok() for response() and json(), !ok() for error().
    [[nodiscard]] const Response& response() const { return std::get<Response>(m_value); }
    [[nodiscard]] Response& response() { return std::get<Response>(m_value); }
    [[nodiscard]] const nlohmann::json& json() const { return response().json; }
    [[nodiscard]] const ApiError& error() const { return std::get<ApiError>(m_value); }

    // The response, or the error thrown as core::Error.
    const Response& value() const;

private:
    std::variant<Response, ApiError> m_value;
};

// One WATCH stream: a collection path (its labelSelector / fieldSelector included) and where
// to start. watch() keeps `resource_version` up to date with every event delivered (BOOKMARKs
// included) and sets `state` (and list_first, failures), so a caller can call watch() again and
// lose nothing.
struct Watch {
    enum class State { active, expired, failed };

    std::shared_ptr<const RestConfig> config;
    std::string path;
    std::string resource_version; // "" = from "now", as the server chooses
    bool bookmarks = true;        // ask for BOOKMARK events (allowWatchBookmarks)
    State state = State::active;

    // Relist mode, for a caller that keeps its own copy of the collection (client-go's
    // reflector): the watch never stops by itself. After 410 Gone, a permanent error (403, 404,
    // ...) and any other error that ends the stream (a lost connection, 5xx) it LISTs `path`
    // again (the reply goes to WatchCallbacks::on_list and sets resource_version), then watches
    // from there; a stream the server merely ends is resumed as usual. Failed LISTs are `error`
    // events, retried with the reconnect backoff. Its state stays active.
    bool relist = false;
    // With relist: LIST before the first WATCH (a collection not read yet, or whose last read
    // failed). watch() sets it when an error event says the stream needs a new LIST and clears
    // it when that LIST is delivered.
    bool list_first = false;
    // Failed attempts in a row so far: the first attempt of watch() waits watch_backoff() of
    // this (2: one second), and watch() stores it back.
    int failures = 0;
    // A LIST's own time limit (unset: config->request_timeout, or none when that is 0).
    std::optional<std::chrono::milliseconds> list_timeout;
};

struct WatchEvent {
    std::size_t watch = 0; // index into the watches given to watch()
    EventType type = EventType::error;
    nlohmann::json object; // the object, or the Status of an ERROR / expired event
    // Set for `error` events: what failed (an ERROR event, an HTTP error, a transport error).
    // The stream is reconnected after it unless the error is permanent (state failed); a relist
    // watch LISTs again instead (Watch::relist).
    std::optional<ApiError> error;
};

// Return false to end watch().
using WatchHandler = std::function<bool(const WatchEvent&)>;

// What watch() calls besides the event handler. Every callback returns false to end watch()
// (WatchEnd::stopped); each may set tick_at.
struct WatchCallbacks {
    WatchHandler on_event;
    // The LIST replies of relist watches: `watch` indexes the watches, `list` is the List object
    // (items, metadata.resourceVersion). Needed when a watch has relist set.
    std::function<bool(std::size_t watch, const nlohmann::json& list)> on_list;
    // The caller's timer: once tick_at has passed, watch() clears it and calls on_tick, between
    // deliveries and with every stream left connected (ages to redraw, a burst to report after
    // a minimum interval, a reconnect to show). Unset: no tick until a callback sets it.
    std::optional<SteadyClock::time_point> tick_at;
    std::function<bool()> on_tick;
};

enum class WatchEnd {
    stopped,     // a callback returned false
    deadline,    // the deadline passed
    interrupted, // request_stop() was called
    finished,    // no watch is active any more (all expired or failed)
};

struct ClientOptions {
    std::string version; // for the User-Agent: kubectl-nova-rollouts/<version> (<os>/<arch>)
    int verbosity = 0;   // -v; the larger of this and each RestConfig's verbosity applies
    std::chrono::milliseconds connect_timeout{5000};
    // One log line, without its newline; default: written to stderr. Also used for kubectl's
    // "Warning: <text>" lines (each distinct warning once per Client).
    std::function<void(std::string_view)> log;
    // Environment lookup for HTTPS_PROXY and friends; default: the process environment.
    std::function<std::optional<std::string>(const std::string&)> getenv;
    // Shared with other Clients if given; otherwise the Client makes its own on first use.
    std::shared_ptr<CredentialCache> credentials;
};

class Client {
public:
    explicit Client(ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Performs every request concurrently and returns one Result per request, in order. The
    // exec plugins of every distinct RestConfig run at once in the background (at most once
    // each for the round; those that may prompt one at a time), and each transfer starts when
    // its own credential is there: a hung plugin holds back only its own requests, which end at
    // their deadline naming the plugin (run() returns once the plugins have ended: a plugin is
    // stopped just after the last deadline of the requests waiting for it, or by the exec
    // timeout when one of them has none). A server that refuses or cannot be
    // reached fails its own requests at once and never delays the others. 429 and 5xx with
    // Retry-After are retried as client-go does (up to 10 times, the wait scheduled without
    // blocking the others), GETs also after a connection reset. On 401 the credential cache is
    // told; a GET is retried once if that produced a new credential (kubectl would fail this
    // command and only fix the next one). After request_stop(), pending requests end with
    // ErrorKind::interrupted.
    std::vector<Result> run(std::vector<Request> requests);
    Result run_one(Request request);

    // Follows `watches` concurrently, delivering events in arrival order to `on_event`. A stream
    // the server ends or that drops is reconnected from its last resourceVersion (backoff up to
    // 8 s after failures); 410 Gone/Expired is delivered as an `expired` event and that watch
    // stops (state expired): re-list, set its resource_version and state active, call again.
    // Permanent errors (403, 404, ...) are delivered as `error` events and stop that watch
    // (state failed). Relist watches instead LIST again (see Watch::relist). No total timeout
    // applies to the streams themselves. Each call connects its streams anew: a caller that
    // wants to wake up now and then without reconnecting them uses WatchCallbacks::on_tick.
    WatchEnd watch(std::vector<Watch>& watches, WatchCallbacks& callbacks,
                   std::optional<SteadyClock::time_point> deadline = std::nullopt);
    // The same with only an event handler.
    WatchEnd watch(std::vector<Watch>& watches, const WatchHandler& on_event,
                   std::optional<SteadyClock::time_point> deadline = std::nullopt);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Asks every run() and watch() in the process to end as soon as possible. Async-signal-safe:
// meant to be called from a SIGINT/SIGTERM handler.
void request_stop() noexcept;
[[nodiscard]] bool stop_requested() noexcept;
// Forgets a stop request (for a process that carries on after handling it, and for tests).
void clear_stop_request() noexcept;

} // namespace nova::kube
