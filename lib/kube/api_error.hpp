#pragma once

#include "lib/core/error.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nova::kube {

// What kind of failure a request ended with; callers branch on this, users read `message`.
enum class ErrorKind {
    http,             // the server answered with an error status (4xx, 5xx)
    transport,        // no answer: refused, DNS, TLS, reset, connect timeout
    timeout,          // the request's deadline passed
    interrupted,      // request_stop() was called (SIGINT, SIGTERM)
    invalid_response, // a success status with a body that is not the JSON asked for
    configuration,    // the request could not be sent: credentials, TLS settings, bad URL
};

// One failed request. `message` is complete and ready to print as "error: <message>"; the other
// fields let callers decide (NotFound, Conflict, 410 Expired...) or compose their own line.
struct ApiError {
    ErrorKind kind = ErrorKind::http;
    int status = 0;               // HTTP status; 0 when no response arrived
    std::string reason;           // Status reason ("NotFound"), or the one client-go infers
    std::string message;          // kubectl's message, adapted to the "error: " prefix
    std::string server_message;   // the Status object's own message ("" if none)
    std::string server;           // host:port the request went to
    nlohmann::json status_object; // the Status body, when there was one

    [[nodiscard]] bool is_transport() const {
        return kind == ErrorKind::transport || kind == ErrorKind::timeout;
    }
    [[nodiscard]] bool is_not_found() const { return status == 404; }
    [[nodiscard]] bool is_conflict() const { return status == 409; }
    // 410 Gone / Expired: a watch or continue token is too old; re-list.
    [[nodiscard]] bool is_expired() const { return status == 410; }
    [[nodiscard]] core::Error to_error() const { return core::Error(message); }
};

// The reason client-go infers for a status code when the body is not a Status object
// (apimachinery NewGenericServerResponse). `method` decides 409: AlreadyExists for POST.
std::string reason_for_status(int status, std::string_view method);

// client-go's fixed message for a status code whose body is not a Status ("" when it has none
// and the server's text is used instead: 403, 415, other 4xx).
std::string generic_message(int status);

// "OK", "Not Found", ... (Go's http.StatusText), for log lines; "" for unknown codes.
std::string_view status_text(int status);

// An error status with its body, turned into kubectl's message (reference §3.6):
//  * a Status body: Unauthorized → "You must be logged in to the server (<message>)";
//    other reasons → "from server (<Reason>): <message>" (kubectl's "Error from server (...)",
//    whose "Error" our "error: " prefix already says);
//  * any other body: client-go's generic message for the code, with the reply described (a
//    text/plain body is quoted, an HTML page from a proxy is named as such), and the code and
//    server: "from server (ServiceUnavailable): the server is currently unable to handle the
//    request (HTTP 503 from 10.0.0.1:6443)".
ApiError error_from_response(int status, std::string_view content_type, std::string_view body,
                             std::string_view method, std::string_view server);

// A success status whose body should have been JSON and is not (a truncated reply, a proxy's
// page): "invalid JSON in the HTTP 200 reply from the server HOST:PORT (GET /path): <why>".
ApiError invalid_response_error(int status, std::string_view server, std::string_view method,
                                std::string_view path, std::string_view why);

// Transport failures, the way kubectl words them (reference §3.6):
//  * refused → "the connection to the server HOST:PORT was refused - did you specify the right
//    host or port?"
//  * certificate problems → "unable to connect to the server HOST:PORT: certificate verification
//    failed: <detail>"
//  * anything else → "unable to connect to the server HOST:PORT: <detail>"
enum class TransportFailure { refused, certificate, other };
ApiError transport_error(TransportFailure failure, std::string_view server,
                         std::string_view detail);

// The request's deadline passed: "the server HOST:PORT did not answer within 5s (GET /path)".
ApiError timeout_error(std::string_view server, std::string_view method, std::string_view path,
                       std::string_view timeout);

// The texts of the code-299 warnings in one Warning header value, as client-go parses them:
// `299 - "text"` or `299 agent "text" "date"`, several separated by commas; other codes and
// malformed entries are skipped.
std::vector<std::string> parse_warning_header(std::string_view value);

} // namespace nova::kube
