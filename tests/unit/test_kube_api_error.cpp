#include "lib/kube/api_error.hpp"

#include <catch2/catch.hpp>

#include <string>

using nova::kube::ApiError;
using nova::kube::error_from_response;
using nova::kube::ErrorKind;
using nova::kube::parse_warning_header;
using nova::kube::TransportFailure;

namespace {

constexpr const char* server = "10.0.0.1:6443";

std::string status_body(int code, const std::string& reason, const std::string& message) {
    return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":")" +
           message + R"(","reason":")" + reason + R"(","code":)" + std::to_string(code) + "}";
}

ApiError from_status(int code, const std::string& reason, const std::string& message,
                     const char* method = "GET") {
    return error_from_response(code, "application/json", status_body(code, reason, message), method,
                               server);
}

} // namespace

TEST_CASE("a Status body gives kubectl's message for every reason", "[kube]") {
    struct Row {
        int code;
        const char* reason;
    };
    const Row rows[] = {
        {400, "BadRequest"},
        {403, "Forbidden"},
        {404, "NotFound"},
        {405, "MethodNotAllowed"},
        {406, "NotAcceptable"},
        {409, "AlreadyExists"},
        {409, "Conflict"},
        {410, "Gone"},
        {410, "Expired"},
        {413, "RequestEntityTooLarge"},
        {415, "UnsupportedMediaType"},
        {422, "Invalid"},
        {429, "TooManyRequests"},
        {500, "InternalError"},
        {500, "ServerTimeout"},
        {500, "StorageReadError"},
        {503, "ServiceUnavailable"},
        {504, "Timeout"},
    };
    for (const Row& row : rows) {
        const ApiError error = from_status(row.code, row.reason, "the message");
        CAPTURE(row.reason);
        CHECK(error.kind == ErrorKind::http);
        CHECK(error.status == row.code);
        CHECK(error.reason == row.reason);
        CHECK(error.server_message == "the message");
        CHECK(error.message == std::string("from server (") + row.reason + "): the message");
        CHECK(error.status_object["code"] == row.code);
        CHECK_FALSE(error.is_transport());
    }
}

TEST_CASE("Unauthorized is kubectl's 'You must be logged in'", "[kube]") {
    CHECK(from_status(401, "Unauthorized", "Unauthorized").message ==
          "You must be logged in to the server (Unauthorized)");
    CHECK(error_from_response(401, "text/plain", "go away", "GET", server).message ==
          "You must be logged in to the server (the server has asked for the client to provide "
          "credentials)");
}

TEST_CASE("a Status without a reason or message", "[kube]") {
    CHECK(from_status(500, "", "boom").message == "from server: boom");
    CHECK(from_status(404, "NotFound", "").message ==
          "from server (NotFound): the server could not find the requested resource");
    CHECK(from_status(418, "", "").message ==
          "from server: the server responded with the status code 418 but did not return more "
          "information");
}

TEST_CASE("the details of a Status stay available", "[kube]") {
    const ApiError error = error_from_response(
        404, "application/json",
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound",)"
        R"("message":"rollouts.argoproj.io \"demo\" not found",)"
        R"("details":{"name":"demo","group":"argoproj.io","kind":"rollouts"},"code":404})",
        "GET", server);
    CHECK(error.is_not_found());
    CHECK(error.message == R"(from server (NotFound): rollouts.argoproj.io "demo" not found)");
    CHECK(error.status_object["details"]["name"] == "demo");
}

TEST_CASE("bodies that are not a Status get client-go's generic message", "[kube]") {
    struct Row {
        int code;
        const char* method;
        const char* expected;
    };
    const Row rows[] = {
        {400, "GET",
         "from server (BadRequest): the server rejected our request for an unknown reason"},
        {404, "GET", "from server (NotFound): the server could not find the requested resource"},
        {405, "GET",
         "from server (MethodNotAllowed): the server does not allow this method on the "
         "requested resource"},
        {406, "GET",
         "from server (NotAcceptable): the server was unable to respond with a content type "
         "that the client supports"},
        {409, "PUT", "from server (Conflict): the server reported a conflict"},
        {409, "POST", "from server (AlreadyExists): the server reported a conflict"},
        {422, "PATCH",
         "from server (Invalid): the server rejected our request due to an error in our "
         "request"},
        {429, "GET",
         "from server (TooManyRequests): the server has received too many requests and has "
         "asked us to try again later"},
        {503, "GET",
         "from server (ServiceUnavailable): the server is currently unable to handle the "
         "request"},
        {504, "GET",
         "from server (Timeout): the server was unable to return a response in the time "
         "allotted, but may still be processing the request"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.code);
        const ApiError error =
            error_from_response(row.code, "text/plain", "whatever", row.method, server);
        CHECK(error.message == std::string(row.expected) + " (HTTP " + std::to_string(row.code) +
                                   " from 10.0.0.1:6443)");
        CHECK(error.status_object.is_null());
    }
}

TEST_CASE("a text 500 is quoted, as client-go does", "[kube]") {
    const ApiError error =
        error_from_response(500, "text/plain; charset=utf-8", "upstream exploded\n", "GET", server);
    CHECK(error.reason == "InternalError");
    CHECK(error.message == "from server (InternalError): an error on the server (\"upstream "
                           "exploded\") has prevented the request from succeeding (HTTP 500 "
                           "from 10.0.0.1:6443)");

    const std::string long_text(1000, 'x');
    const ApiError cut = error_from_response(500, "text/plain", long_text, "GET", server);
    CHECK(cut.message.size() < 400);
    CHECK(cut.message.find("...") != std::string::npos);

    // Control characters cannot break the line.
    const ApiError multi = error_from_response(502, "text/plain", "line1\nline2", "GET", server);
    CHECK(multi.message.find('\n') == std::string::npos);
}

TEST_CASE("a 403 or 415 in plain text keeps the server's words", "[kube]") {
    CHECK(error_from_response(403, "text/plain", "no way", "GET", server).message ==
          "from server (Forbidden): \"no way\" (HTTP 403 from 10.0.0.1:6443)");
    CHECK(error_from_response(415, "text/plain", "json only", "PATCH", server).message ==
          "from server (UnsupportedMediaType): \"json only\" (HTTP 415 from 10.0.0.1:6443)");
}

TEST_CASE("an HTML page or other non-API body names the code and the server", "[kube]") {
    CHECK(error_from_response(502, "text/html", "<html><body>Bad Gateway</body></html>", "GET",
                              server)
              .message == "the server 10.0.0.1:6443 answered HTTP 502 (Bad Gateway) with an HTML "
                          "page instead of a Kubernetes API response");
    CHECK(error_from_response(500, "application/json", R"({"error":"x"})", "GET", server).message ==
          "the server 10.0.0.1:6443 answered HTTP 500 (Internal Server Error) "
          "with a application/json body instead of a Kubernetes API response");
    CHECK(error_from_response(500, "", "", "GET", server).message ==
          "the server 10.0.0.1:6443 answered HTTP 500 (Internal Server Error) with an empty "
          "body instead of a Kubernetes API response");
    CHECK(error_from_response(403, "text/html", "<h1>no</h1>", "GET", server).message ==
          "the server 10.0.0.1:6443 answered HTTP 403 (Forbidden) with an HTML page instead of "
          "a Kubernetes API response");
    // A truncated Status is not a Status.
    CHECK(error_from_response(500, "application/json", R"({"kind":"Status","mess)", "GET", server)
              .message.starts_with("the server 10.0.0.1:6443 answered HTTP 500"));
}

TEST_CASE("invalid JSON in a success reply", "[kube]") {
    const ApiError error = nova::kube::invalid_response_error(200, server, "GET", "/api/v1/pods",
                                                              "unexpected end of input");
    CHECK(error.kind == ErrorKind::invalid_response);
    CHECK(error.message == "invalid JSON in the HTTP 200 reply from the server 10.0.0.1:6443 "
                           "(GET /api/v1/pods): unexpected end of input");
}

TEST_CASE("transport errors are worded as kubectl's", "[kube]") {
    const ApiError refused =
        nova::kube::transport_error(TransportFailure::refused, "127.0.0.1:1", "ignored");
    CHECK(refused.message == "the connection to the server 127.0.0.1:1 was refused - did you "
                             "specify the right host or port?");
    CHECK(refused.is_transport());
    CHECK(refused.status == 0);
    CHECK(nova::kube::transport_error(TransportFailure::certificate, server,
                                      "SSL certificate problem: self-signed certificate")
              .message == "unable to connect to the server 10.0.0.1:6443: certificate "
                          "verification failed: SSL certificate problem: self-signed "
                          "certificate");
    CHECK(nova::kube::transport_error(TransportFailure::other, server, "Connection timed out")
              .message == "unable to connect to the server 10.0.0.1:6443: Connection timed out");
    const ApiError timeout = nova::kube::timeout_error(server, "GET", "/api", "5s");
    CHECK(timeout.kind == ErrorKind::timeout);
    CHECK(timeout.is_transport());
    CHECK(timeout.message == "the server 10.0.0.1:6443 did not answer within 5s (GET /api)");
}

TEST_CASE("the reason client-go infers from a code", "[kube]") {
    CHECK(nova::kube::reason_for_status(409, "POST") == "AlreadyExists");
    CHECK(nova::kube::reason_for_status(409, "PATCH") == "Conflict");
    CHECK(nova::kube::reason_for_status(502, "GET") == "InternalError");
    CHECK(nova::kube::reason_for_status(418, "GET").empty());
    CHECK(nova::kube::status_text(404) == "Not Found");
    CHECK(nova::kube::status_text(299).empty());
}

TEST_CASE("Warning headers as client-go parses them", "[kube]") {
    using V = std::vector<std::string>;
    CHECK(parse_warning_header(R"(299 - "v1alpha1 Rollout is deprecated; use v1")") ==
          V{"v1alpha1 Rollout is deprecated; use v1"});
    CHECK(parse_warning_header(R"(299 - "one", 299 - "two")") == V{"one", "two"});
    CHECK(parse_warning_header(R"(299 - "with \"quotes\", and a comma")") ==
          V{R"(with "quotes", and a comma)"});
    CHECK(parse_warning_header(R"(299 kube-apiserver "dated" "Tue, 15 Nov 1994 08:12:31 GMT")") ==
          V{"dated"});
    CHECK(parse_warning_header(R"(199 - "not 299", 299 - "kept")") == V{"kept"});
    CHECK(parse_warning_header(R"(299 - unquoted, 299 - "after")") == V{"after"});
    CHECK(parse_warning_header(R"(299 - "unterminated)").empty());
    CHECK(parse_warning_header("").empty());
}
