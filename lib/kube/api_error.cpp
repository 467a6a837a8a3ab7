#include "lib/kube/api_error.hpp"

#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"
#include "lib/core/text.hpp"

#include <algorithm>
#include <cctype>

namespace nova::kube {

namespace {

using core::trim;

// A text body quoted into a message is cut here, so that a verbose server cannot flood the line.
constexpr std::size_t max_quoted_body = 256;

// "application/json; charset=utf-8" → "application/json", lower-cased.
std::string media_type(std::string_view content_type) {
    std::string type(trim(content_type.substr(0, content_type.find(';'))));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type;
}

std::string quoted_text(std::string_view body) {
    body = trim(body);
    if (body.size() <= max_quoted_body) {
        return core::quote(body);
    }
    return core::quote(std::string(body.substr(0, max_quoted_body)) + "...");
}

// How a reply that is not an API response looks, for a message: "an HTML page", ...
std::string describe_body(std::string_view content_type, std::string_view body) {
    const std::string type = media_type(content_type);
    if (trim(body).empty()) {
        return "an empty body";
    }
    if (type == "text/html" || type == "application/xhtml+xml") {
        return "an HTML page";
    }
    if (type.empty()) {
        return "a body without a content type";
    }
    return "a " + type + " body";
}

std::string with_reason(std::string_view reason, std::string_view message) {
    if (reason.empty()) {
        return "from server: " + std::string(message);
    }
    return "from server (" + std::string(reason) + "): " + std::string(message);
}

std::string logged_in_message(std::string_view detail) {
    return "You must be logged in to the server (" + std::string(detail) + ")";
}

// A Status object (kind: Status), as the API server sends with every error.
bool is_status(const nlohmann::json& body) {
    const auto kind = body.find("kind");
    return body.is_object() && kind != body.end() && kind->is_string() && *kind == "Status";
}

std::string string_field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string reason_for_status(int status, std::string_view method) {
    switch (status) {
    case 400:
        return "BadRequest";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "NotFound";
    case 405:
        return "MethodNotAllowed";
    case 406:
        return "NotAcceptable";
    case 409:
        return method == "POST" ? "AlreadyExists" : "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "RequestEntityTooLarge";
    case 415:
        return "UnsupportedMediaType";
    case 422:
        return "Invalid";
    case 429:
        return "TooManyRequests";
    case 503:
        return "ServiceUnavailable";
    case 504:
        return "Timeout";
    default:
        return status >= 500 ? "InternalError" : "";
    }
}

std::string generic_message(int status) {
    switch (status) {
    case 400:
        return "the server rejected our request for an unknown reason";
    case 401:
        return "the server has asked for the client to provide credentials";
    case 404:
        return "the server could not find the requested resource";
    case 405:
        return "the server does not allow this method on the requested resource";
    case 406:
        return "the server was unable to respond with a content type that the client supports";
    case 409:
        return "the server reported a conflict";
    case 422:
        return "the server rejected our request due to an error in our request";
    case 429:
        return "the server has received too many requests and has asked us to try again later";
    case 503:
        return "the server is currently unable to handle the request";
    case 504:
        return "the server was unable to return a response in the time allotted, but may still "
               "be processing the request";
    default:
        return "";
    }
}

std::string_view status_text(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Request Entity Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

ApiError error_from_response(int status, std::string_view content_type, std::string_view body,
                             std::string_view method, std::string_view server) {
    ApiError error;
    error.kind = ErrorKind::http;
    error.status = status;
    error.server = std::string(server);

    nlohmann::json parsed;
    try {
        parsed = core::parse_json(body); // depth-limited, as every reply
    } catch (const core::Error&) {
        // not a Status: described below
    }
    if (is_status(parsed)) {
        error.reason = string_field(parsed, "reason");
        error.server_message = string_field(parsed, "message");
        std::string text = error.server_message;
        if (text.empty()) {
            text = generic_message(status);
        }
        if (text.empty()) {
            text = "the server responded with the status code " + std::to_string(status) +
                   " but did not return more information";
        }
        error.message = error.reason == "Unauthorized" ? logged_in_message(text)
                                                       : with_reason(error.reason, text);
        error.status_object = std::move(parsed);
        return error;
    }

    // Not a Status: client-go's generic message for the code, plus what the reply was.
    error.reason = reason_for_status(status, method);
    const std::string origin =
        " (HTTP " + std::to_string(status) + " from " + std::string(server) + ")";
    const bool text_body = media_type(content_type) == "text/plain" && !trim(body).empty();
    const std::string generic = generic_message(status);
    if (status == 401) {
        error.message = logged_in_message(generic);
    } else if (!generic.empty()) {
        error.message = with_reason(error.reason, generic + origin);
    } else if (text_body && status >= 500) {
        error.message = with_reason(error.reason, "an error on the server (" + quoted_text(body) +
                                                      ") has prevented the request from "
                                                      "succeeding" +
                                                      origin);
    } else if (text_body) {
        // 403, 415 and the other 4xx: the server's text says who may do what, or which types.
        error.message = with_reason(error.reason, quoted_text(body) + origin);
    } else {
        const std::string_view phrase = status_text(status);
        error.message =
            "the server " + std::string(server) + " answered HTTP " + std::to_string(status) +
            (phrase.empty() ? std::string() : " (" + std::string(phrase) + ")") + " with " +
            describe_body(content_type, body) + " instead of a Kubernetes API response";
    }
    return error;
}

ApiError invalid_response_error(int status, std::string_view server, std::string_view method,
                                std::string_view path, std::string_view why) {
    ApiError error;
    error.kind = ErrorKind::invalid_response;
    error.status = status;
    error.server = std::string(server);
    error.message = "invalid JSON in the HTTP " + std::to_string(status) +
                    " reply from the server " + std::string(server) + " (" + std::string(method) +
                    " " + std::string(path) + "): " + std::string(why);
    return error;
}

ApiError transport_error(TransportFailure failure, std::string_view server,
                         std::string_view detail) {
    ApiError error;
    error.kind = ErrorKind::transport;
    error.server = std::string(server);
    switch (failure) {
    case TransportFailure::refused:
        error.message = "the connection to the server " + std::string(server) +
                        " was refused - did you specify the right host or port?";
        break;
    case TransportFailure::certificate:
        error.message = "unable to connect to the server " + std::string(server) +
                        ": certificate verification failed: " + std::string(detail);
        break;
    case TransportFailure::other:
        error.message =
            "unable to connect to the server " + std::string(server) + ": " + std::string(detail);
        break;
    }
    return error;
}

ApiError timeout_error(std::string_view server, std::string_view method, std::string_view path,
                       std::string_view timeout) {
    ApiError error;
    error.kind = ErrorKind::timeout;
    error.server = std::string(server);
    error.message = "the server " + std::string(server) + " did not answer within " +
                    std::string(timeout) + " (" + std::string(method) + " " + std::string(path) +
                    ")";
    return error;
}

std::vector<std::string> parse_warning_header(std::string_view value) {
    // warning-value = warn-code SP warn-agent SP warn-text [SP warn-date], comma-separated
    // (RFC 7234 §5.5); client-go keeps code 299 only.
    std::vector<std::string> warnings;
    std::size_t pos = 0;
    const auto skip_spaces = [&] {
        while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) {
            ++pos;
        }
    };
    const auto read_token = [&] {
        const std::size_t start = pos;
        while (pos < value.size() && value[pos] != ' ' && value[pos] != '\t' && value[pos] != ',') {
            ++pos;
        }
        return value.substr(start, pos - start);
    };
    // Reads a quoted-string at pos; false if there is none or it does not end.
    const auto read_quoted = [&](std::string& out) {
        if (pos >= value.size() || value[pos] != '"') {
            return false;
        }
        ++pos;
        while (pos < value.size()) {
            const char c = value[pos++];
            if (c == '"') {
                return true;
            }
            if (c == '\\' && pos < value.size()) {
                out += value[pos++];
            } else {
                out += c;
            }
        }
        return false;
    };
    const auto skip_to_next_entry = [&] {
        bool quoted = false;
        while (pos < value.size()) {
            const char c = value[pos++];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                ++pos;
            } else if (c == ',' && !quoted) {
                return;
            }
        }
    };

    while (pos < value.size()) {
        skip_spaces();
        const std::string_view code = read_token();
        skip_spaces();
        const std::string_view agent = read_token();
        skip_spaces();
        std::string text;
        const bool ok = !agent.empty() && read_quoted(text);
        if (ok) {
            skip_spaces();
            if (pos < value.size() && value[pos] == '"') {
                std::string date;
                read_quoted(date);
            }
            skip_spaces();
        }
        if (ok && code == "299" && (pos >= value.size() || value[pos] == ',')) {
            warnings.push_back(std::move(text));
        }
        skip_to_next_entry();
    }
    return warnings;
}

} // namespace nova::kube
