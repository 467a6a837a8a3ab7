#pragma once

// What goes on the wire, as pure functions: URLs, query strings, headers, retry decisions and
// proxy choice. lib/kube/client.cpp applies them to libcurl; the unit tests pin them down.

#include "lib/kube/config.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nova::kube {

using Header = std::pair<std::string, std::string>;

// A parsed `server` URL: scheme://host[:port][/prefix]. Query and fragment are dropped (client-go).
struct ServerUrl {
    std::string scheme; // "https" or "http"
    std::string host;   // as written: "10.0.0.1", "api.example.com", "[::1]"
    int port = 0;       // explicit or the scheme's default
    std::string prefix; // "" or "/some/prefix" (no trailing slash)

    [[nodiscard]] std::string host_port() const { return host + ":" + std::to_string(port); }
};

// Throws core::Error naming the URL when it is not http(s)://host[:port][/path].
ServerUrl parse_server_url(std::string_view server);

// True for localhost, 127.0.0.0/8 and ::1: never proxied (Go's ProxyFromEnvironment).
bool is_loopback_host(std::string_view host);

// Go's url.QueryEscape: unreserved characters kept, space as '+', the rest %XX.
std::string query_escape(std::string_view text);

// Appends `key=value` (value escaped) to a path that may already carry a query.
std::string append_query(std::string path, std::string_view key, std::string_view value);

// True if the path's query already has `key`.
bool has_query_param(std::string_view path, std::string_view key);

// How one request reaches its server.
struct Target {
    std::string url;         // what libcurl is given
    std::string connect_to;  // CURLOPT_CONNECT_TO entry, "" for none
    std::string host_header; // explicit Host header value, "" for none
    std::string server;      // host:port of the real server, for messages
};

// The request URL for `path_and_query` ("/api/v1/namespaces?limit=500") on `server`. With a
// tls-server-name, the URL names that host (so that SNI and certificate verification use it),
// CONNECT_TO sends the connection to the real host, and the Host header keeps the real one, as
// kubectl sends it (reference §6.4). `timeout` > 0 adds kubectl's `timeout=` parameter.
Target build_target(const ServerUrl& server, std::string_view tls_server_name,
                    std::string_view path_and_query, std::chrono::milliseconds timeout);

// Impersonate-User, Impersonate-Uid, one Impersonate-Group per group and one
// Impersonate-Extra-<escaped key> per value (client-go's transport). Nothing without a user.
std::vector<Header> impersonation_headers(const Impersonation& impersonate);

// The part of an Impersonate-Extra- header name after the prefix: header token characters are
// kept except '%', everything else is %XX (client-go's headerKeyForImpersonateUserExtra).
std::string escape_extra_key(std::string_view key);

// "kubectl-nova-rollouts/v0.1.0 (linux/amd64)".
std::string user_agent(std::string_view version);

// "Basic base64(user:password)", the Authorization value for basic auth.
std::string basic_authorization(std::string_view username, std::string_view password);

// False if a header value would break the request (CR, LF or NUL in it).
bool is_safe_header_value(std::string_view value);

// ---------------------------------------------------------------------------------------------
// Retries (reference §3.7).

// client-go's limit: 10 retries, 11 attempts in all.
inline constexpr int max_retries = 10;

enum class Method { get, post, put, patch, del };
std::string_view method_name(Method method);

// What one attempt ended with.
struct AttemptOutcome {
    int status = 0;                         // 0: no response (transport error)
    std::string_view retry_after;           // the Retry-After header, "" if absent
    bool retryable_transport_error = false; // connection reset, EOF, lost HTTP/2 connection
};

// Whether to retry, and after how long: 429 and any 5xx carrying an integer Retry-After (any
// method: the server asked for it); a connection reset or EOF only for GET, after 1 s; nothing
// once `retries_done` reached max_retries.
std::optional<std::chrono::seconds> retry_delay(Method method, const AttemptOutcome& outcome,
                                                int retries_done);

// The pause before reconnecting a watch after `failures` failed attempts in a row: 0 for the
// first, then 0.5 s doubling up to 8 s.
std::chrono::milliseconds watch_backoff(int failures);

// ---------------------------------------------------------------------------------------------
// Proxies (reference §6.4).

struct ProxyChoice {
    std::string proxy;    // CURLOPT_PROXY: "" means none (even if the environment has one)
    std::string no_proxy; // CURLOPT_NOPROXY
};

// proxy-url if the kubeconfig has one (socks5:// becomes socks5h://, as Go resolves names on the
// proxy); otherwise HTTPS_PROXY/https_proxy (HTTP_PROXY/http_proxy for http) and
// NO_PROXY/no_proxy from the environment, but never for a loopback host.
ProxyChoice
choose_proxy(const ServerUrl& server, std::string_view proxy_url,
             const std::function<std::optional<std::string>(const std::string&)>& getenv);

} // namespace nova::kube
