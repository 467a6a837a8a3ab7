#include "lib/kube/wire.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/core/platform.hpp"
#include "lib/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace nova::kube {

namespace {

using core::lower;

constexpr const char* hex_digits = "0123456789ABCDEF";

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

// RFC 7230 tchar.
bool is_token_char(unsigned char c) {
    return std::isalnum(c) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::optional<std::string>
first_env(const std::function<std::optional<std::string>(const std::string&)>& getenv,
          std::initializer_list<const char*> names) {
    if (!getenv) {
        return std::nullopt;
    }
    for (const char* name : names) {
        if (auto value = getenv(name); value && !value->empty()) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace

ServerUrl parse_server_url(std::string_view server) {
    const auto bad = [&](const std::string& why) {
        return core::Error("invalid server URL " + core::quote(server) + ": " + why);
    };
    ServerUrl url;
    const std::size_t scheme_end = server.find("://");
    if (scheme_end == std::string_view::npos) {
        throw bad("it has no scheme (https:// or http://)");
    }
    url.scheme = lower(server.substr(0, scheme_end));
    if (url.scheme != "https" && url.scheme != "http") {
        throw bad("the scheme must be https or http");
    }
    std::string_view rest = server.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("?#"));
    const std::size_t path_start = rest.find('/');
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1); // user info is never used for the API server
    }
    std::string_view port_text;
    if (authority.starts_with("[")) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            throw bad("unterminated IPv6 address");
        }
        url.host = std::string(authority.substr(0, close + 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                throw bad("unexpected text after the IPv6 address");
            }
            port_text = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
        }
    }
    if (url.host.empty() || url.host == "[]") {
        throw bad("it has no host");
    }
    if (!port_text.empty()) {
        int port = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 ||
            port > 65535) {
            throw bad("bad port " + core::quote(port_text));
        }
        url.port = port;
    } else {
        url.port = url.scheme == "https" ? 443 : 80;
    }
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    url.prefix = std::string(path);
    return url;
}

bool is_loopback_host(std::string_view host) {
    std::string name = lower(host);
    if (name == "localhost" || name.ends_with(".localhost") || name == "[::1]" || name == "::1") {
        return true;
    }
    // 127.0.0.0/8, written as a dotted quad.
    if (!name.starts_with("127.")) {
        return false;
    }
    int parts = 0;
    std::string_view rest = name;
    while (!rest.empty()) {
        const std::size_t dot = rest.find('.');
        const std::string_view part = rest.substr(0, dot);
        if (!all_digits(part) || part.size() > 3) {
            return false;
        }
        ++parts;
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    return parts == 4;
}

std::string query_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex_digits[c >> 4];
            out += hex_digits[c & 0xF];
        }
    }
    return out;
}

std::string append_query(std::string path, std::string_view key, std::string_view value) {
    path += path.find('?') == std::string::npos ? '?' : '&';
    path += query_escape(key);
    path += '=';
    path += query_escape(value);
    return path;
}

bool has_query_param(std::string_view path, std::string_view key) {
    const std::size_t question = path.find('?');
    if (question == std::string_view::npos) {
        return false;
    }
    std::string_view query = path.substr(question + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.substr(0, pair.find('=')) == key) {
            return true;
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return false;
}

Target build_target(const ServerUrl& server, std::string_view tls_server_name,
                    std::string_view path_and_query, std::chrono::milliseconds timeout) {
    std::string path(path_and_query);
    if (path.empty() || path.front() != '/') {
        path.insert(path.begin(), '/');
    }
    if (timeout.count() > 0 && !has_query_param(path, "timeout")) {
        path = append_query(std::move(path), "timeout", core::format_go_duration(timeout));
    }
    Target target;
    target.server = server.host_port();
    const bool rewrite = !tls_server_name.empty() && server.scheme == "https" &&
                         lower(tls_server_name) != lower(server.host);
    const std::string url_host = rewrite ? std::string(tls_server_name) : server.host;
    target.url =
        server.scheme + "://" + url_host + ":" + std::to_string(server.port) + server.prefix + path;
    if (rewrite) {
        target.connect_to = std::string(tls_server_name) + ":" + std::to_string(server.port) + ":" +
                            server.host + ":" + std::to_string(server.port);
        target.host_header = server.host_port();
    }
    return target;
}

std::string escape_extra_key(std::string_view key) {
    std::string out;
    for (const char ch : key) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_token_char(c) && c != '%') {
            out += ch;
        } else {
            out += '%';
            out += hex_digits[c >> 4];
            out += hex_digits[c & 0xF];
        }
    }
    return out;
}

std::vector<Header> impersonation_headers(const Impersonation& impersonate) {
    std::vector<Header> headers;
    if (impersonate.user.empty()) {
        return headers; // client-go's validation rejects groups/uid/extra without a user
    }
    headers.emplace_back("Impersonate-User", impersonate.user);
    if (!impersonate.uid.empty()) {
        headers.emplace_back("Impersonate-Uid", impersonate.uid);
    }
    for (const auto& group : impersonate.groups) {
        headers.emplace_back("Impersonate-Group", group);
    }
    for (const auto& [key, values] : impersonate.extra) {
        for (const auto& value : values) {
            headers.emplace_back("Impersonate-Extra-" + escape_extra_key(key), value);
        }
    }
    return headers;
}

std::string user_agent(std::string_view version) {
    return "kubectl-nova-rollouts/" + std::string(version.empty() ? "unknown" : version) + " (" +
           core::platform() + ")";
}

std::string basic_authorization(std::string_view username, std::string_view password) {
    return "Basic " + core::encode_base64(std::string(username) + ":" + std::string(password));
}

bool is_safe_header_value(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string_view method_name(Method method) {
    switch (method) {
    case Method::get:
        return "GET";
    case Method::post:
        return "POST";
    case Method::put:
        return "PUT";
    case Method::patch:
        return "PATCH";
    case Method::del:
        return "DELETE";
    }
    return "GET";
}

std::optional<std::chrono::seconds> retry_delay(Method method, const AttemptOutcome& outcome,
                                                int retries_done) {
    if (retries_done >= max_retries) {
        return std::nullopt;
    }
    if (outcome.status == 0) {
        // Writes may have reached the server: never replayed blindly.
        if (outcome.retryable_transport_error && method == Method::get) {
            return std::chrono::seconds(1);
        }
        return std::nullopt;
    }
    if (outcome.status != 429 && outcome.status < 500) {
        return std::nullopt;
    }
    // An integer number of seconds only; HTTP-dates are ignored, as client-go does.
    std::string_view value = outcome.retry_after;
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
    }
    if (!all_digits(value) || value.size() > 9) {
        return std::nullopt;
    }
    int seconds = 0;
    std::from_chars(value.data(), value.data() + value.size(), seconds);
    // A server asking for a longer wait than this gets its error reported instead: a command
    // must never stall for a day on one header.
    constexpr int longest_wait_seconds = 60;
    if (seconds > longest_wait_seconds) {
        return std::nullopt;
    }
    return std::chrono::seconds(seconds);
}

std::chrono::milliseconds watch_backoff(int failures) {
    if (failures <= 0) {
        return std::chrono::milliseconds(0);
    }
    constexpr std::chrono::milliseconds first{500};
    constexpr std::chrono::milliseconds cap{8000};
    std::chrono::milliseconds delay = first;
    for (int i = 1; i < failures && delay < cap; ++i) {
        delay *= 2;
    }
    return std::min(delay, cap);
}

ProxyChoice
choose_proxy(const ServerUrl& server, std::string_view proxy_url,
             const std::function<std::optional<std::string>(const std::string&)>& getenv) {
    ProxyChoice choice;
    if (!proxy_url.empty()) {
        choice.proxy = std::string(proxy_url);
        if (lower(proxy_url.substr(0, 9)) == "socks5://") {
            choice.proxy = "socks5h://" + std::string(proxy_url.substr(9));
        }
        return choice;
    }
    if (is_loopback_host(server.host)) {
        return choice;
    }
    const auto proxy = server.scheme == "https" ? first_env(getenv, {"HTTPS_PROXY", "https_proxy"})
                                                : first_env(getenv, {"HTTP_PROXY", "http_proxy"});
    if (!proxy) {
        return choice;
    }
    choice.proxy = *proxy;
    if (auto no_proxy = first_env(getenv, {"NO_PROXY", "no_proxy"})) {
        choice.no_proxy = *no_proxy;
    }
    return choice;
}

} // namespace nova::kube
