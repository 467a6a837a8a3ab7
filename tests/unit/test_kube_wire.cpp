#include "lib/core/error.hpp"
#include "lib/kube/wire.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using namespace std::chrono_literals;
using nova::kube::AttemptOutcome;
using nova::kube::Method;
using nova::kube::parse_server_url;
using nova::kube::retry_delay;

TEST_CASE("server URLs", "[kube]") {
    auto url = parse_server_url("https://api.example.com:6443");
    CHECK(url.scheme == "https");
    CHECK(url.host == "api.example.com");
    CHECK(url.port == 6443);
    CHECK(url.prefix.empty());
    CHECK(url.host_port() == "api.example.com:6443");

    url = parse_server_url("https://10.0.0.1/k8s/clusters/c-1/?ignored=1#frag");
    CHECK(url.port == 443);
    CHECK(url.prefix == "/k8s/clusters/c-1");

    url = parse_server_url("http://[::1]:8080");
    CHECK(url.host == "[::1]");
    CHECK(url.port == 8080);
    CHECK(parse_server_url("HTTP://x").port == 80);

    CHECK_THROWS_AS(parse_server_url("api.example.com:6443"), nova::core::Error);
    CHECK_THROWS_AS(parse_server_url("ftp://x"), nova::core::Error);
    CHECK_THROWS_AS(parse_server_url("https://:6443"), nova::core::Error);
    CHECK_THROWS_AS(parse_server_url("https://x:99999"), nova::core::Error);
    CHECK_THROWS_AS(parse_server_url("https://x:6443z"), nova::core::Error);
    CHECK_THROWS_AS(parse_server_url("https://[::1"), nova::core::Error);
}

TEST_CASE("query encoding as Go's url.QueryEscape", "[kube]") {
    CHECK(nova::kube::query_escape("app=a,tier!=x") == "app%3Da%2Ctier%21%3Dx");
    CHECK(nova::kube::query_escape("metadata.name=a") == "metadata.name%3Da");
    CHECK(nova::kube::query_escape("a b/c~_-") == "a+b%2Fc~_-");
    CHECK(nova::kube::query_escape("é") == "%C3%A9");

    std::string path = "/api/v1/pods";
    path = nova::kube::append_query(path, "labelSelector", "app in (a,b)");
    path = nova::kube::append_query(path, "limit", "500");
    CHECK(path == "/api/v1/pods?labelSelector=app+in+%28a%2Cb%29&limit=500");
    CHECK(nova::kube::has_query_param(path, "limit"));
    CHECK(nova::kube::has_query_param(path, "labelSelector"));
    CHECK_FALSE(nova::kube::has_query_param(path, "lim"));
    CHECK_FALSE(nova::kube::has_query_param("/api/v1/pods", "limit"));
}

TEST_CASE("request URLs: server prefix, timeout parameter", "[kube]") {
    const auto server = parse_server_url("https://10.0.0.1:6443/prefix/");
    auto target = nova::kube::build_target(server, "", "/api/v1/namespaces", 0ms);
    CHECK(target.url == "https://10.0.0.1:6443/prefix/api/v1/namespaces");
    CHECK(target.connect_to.empty());
    CHECK(target.host_header.empty());
    CHECK(target.server == "10.0.0.1:6443");

    target = nova::kube::build_target(server, "", "api/v1/pods?limit=500", 5s);
    CHECK(target.url == "https://10.0.0.1:6443/prefix/api/v1/pods?limit=500&timeout=5s");
    target = nova::kube::build_target(server, "", "/api/v1/pods", 2min);
    CHECK(target.url == "https://10.0.0.1:6443/prefix/api/v1/pods?timeout=2m0s");
    target = nova::kube::build_target(server, "", "/api/v1/pods", 1500ms);
    CHECK(target.url == "https://10.0.0.1:6443/prefix/api/v1/pods?timeout=1.5s");
    // A caller's own timeout= wins.
    target = nova::kube::build_target(server, "", "/api?timeout=32s", 5s);
    CHECK(target.url == "https://10.0.0.1:6443/prefix/api?timeout=32s");
}

TEST_CASE("tls-server-name: URL host, CONNECT_TO and Host header", "[kube]") {
    const auto server = parse_server_url("https://127.0.0.1:18443");
    auto target = nova::kube::build_target(server, "kubernetes.default", "/version", 0ms);
    CHECK(target.url == "https://kubernetes.default:18443/version");
    CHECK(target.connect_to == "kubernetes.default:18443:127.0.0.1:18443");
    CHECK(target.host_header == "127.0.0.1:18443");
    CHECK(target.server == "127.0.0.1:18443");

    // Same name as the host, or plain http: nothing to rewrite.
    target = nova::kube::build_target(server, "127.0.0.1", "/version", 0ms);
    CHECK(target.url == "https://127.0.0.1:18443/version");
    CHECK(target.connect_to.empty());
    target = nova::kube::build_target(parse_server_url("http://127.0.0.1:8080"), "x", "/v", 0ms);
    CHECK(target.url == "http://127.0.0.1:8080/v");

    target = nova::kube::build_target(parse_server_url("https://[::1]:6443"), "api", "/v", 0ms);
    CHECK(target.connect_to == "api:6443:[::1]:6443");
    CHECK(target.host_header == "[::1]:6443");
}

TEST_CASE("impersonation headers", "[kube]") {
    nova::kube::Impersonation as;
    CHECK(nova::kube::impersonation_headers(as).empty());
    as.groups = {"ignored-without-user"};
    CHECK(nova::kube::impersonation_headers(as).empty());

    as.user = "jane";
    as.uid = "1234";
    as.groups = {"system:masters", "dev"};
    as.extra = {{"scopes.example.com/x", {"a", "b"}}, {"reason", {"debug"}}};
    const std::vector<nova::kube::Header> expected = {
        {"Impersonate-User", "jane"},
        {"Impersonate-Uid", "1234"},
        {"Impersonate-Group", "system:masters"},
        {"Impersonate-Group", "dev"},
        {"Impersonate-Extra-reason", "debug"},
        {"Impersonate-Extra-scopes.example.com%2Fx", "a"},
        {"Impersonate-Extra-scopes.example.com%2Fx", "b"},
    };
    CHECK(nova::kube::impersonation_headers(as) == expected);

    CHECK(nova::kube::escape_extra_key("a%b c") == "a%25b%20c");
    CHECK(nova::kube::escape_extra_key("Key_with-!#$&'*+.^`|~") == "Key_with-!#$&'*+.^`|~");
}

TEST_CASE("User-Agent and other headers", "[kube]") {
    const std::string ua = nova::kube::user_agent("v0.1.0");
    CHECK(ua.starts_with("kubectl-nova-rollouts/v0.1.0 ("));
    CHECK(ua.ends_with(")"));
    CHECK(ua.find('/', ua.find('(')) != std::string::npos); // os/arch
    CHECK(nova::kube::user_agent("").starts_with("kubectl-nova-rollouts/unknown ("));

    CHECK(nova::kube::basic_authorization("a", "b") == "Basic YTpi");
    CHECK(nova::kube::basic_authorization("user", "pass") == "Basic dXNlcjpwYXNz");
    CHECK(nova::kube::basic_authorization("ab", "") == "Basic YWI6");
    CHECK(nova::kube::basic_authorization("abc", "") == "Basic YWJjOg==");

    CHECK(nova::kube::is_safe_header_value("Bearer abc"));
    CHECK_FALSE(nova::kube::is_safe_header_value("abc\r\nX-Evil: 1"));
    CHECK_FALSE(nova::kube::is_safe_header_value("abc\n"));
    CHECK_FALSE(nova::kube::is_safe_header_value(std::string("a\0b", 3)));
}

TEST_CASE("retry decisions follow client-go", "[kube]") {
    // 429 and 5xx with an integer Retry-After, any method.
    CHECK(retry_delay(Method::get, {429, "1", false}, 0) == 1s);
    CHECK(retry_delay(Method::post, {429, "3", false}, 0) == 3s);
    CHECK(retry_delay(Method::patch, {503, " 2 ", false}, 0) == 2s);
    CHECK(retry_delay(Method::get, {500, "0", false}, 0) == 0s);
    CHECK(retry_delay(Method::get, {500, "1", false}, 9) == 1s);
    // Up to 10 retries: 11 attempts.
    CHECK_FALSE(retry_delay(Method::get, {429, "1", false}, 10));
    // A wait longer than a minute is not worth stalling the command: the error is reported.
    CHECK(retry_delay(Method::get, {503, "60", false}, 0) == 60s);
    CHECK_FALSE(retry_delay(Method::get, {503, "61", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {503, "86400", false}, 0));
    // No Retry-After, or not an integer: no retry.
    CHECK_FALSE(retry_delay(Method::get, {429, "", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {500, "", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {503, "Wed, 21 Oct 2015 07:28:00 GMT", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {503, "-1", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {503, "1.5", false}, 0));
    // Other codes never.
    CHECK_FALSE(retry_delay(Method::get, {404, "1", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {409, "1", false}, 0));
    CHECK_FALSE(retry_delay(Method::get, {200, "1", false}, 0));
    // Transport errors: GET only, after 1 s, same limit.
    CHECK(retry_delay(Method::get, {0, "", true}, 0) == 1s);
    CHECK_FALSE(retry_delay(Method::get, {0, "", true}, 10));
    CHECK_FALSE(retry_delay(Method::get, {0, "", false}, 0)); // refused, TLS, DNS
    for (const Method write : {Method::post, Method::put, Method::patch, Method::del}) {
        CHECK_FALSE(retry_delay(write, {0, "", true}, 0));
    }
}

TEST_CASE("watch reconnection backoff is bounded", "[kube]") {
    CHECK(nova::kube::watch_backoff(0) == 0ms);
    CHECK(nova::kube::watch_backoff(1) == 500ms);
    CHECK(nova::kube::watch_backoff(2) == 1000ms);
    CHECK(nova::kube::watch_backoff(4) == 4000ms);
    CHECK(nova::kube::watch_backoff(5) == 8000ms);
    CHECK(nova::kube::watch_backoff(1000) == 8000ms);
}

TEST_CASE("proxies: proxy-url, environment, never loopback", "[kube]") {
    std::map<std::string, std::string> vars;
    const auto getenv = [&](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const auto remote = parse_server_url("https://api.example.com:6443");
    const auto local = parse_server_url("https://127.0.0.1:6443");

    CHECK(nova::kube::choose_proxy(remote, "", getenv).proxy.empty());
    CHECK(nova::kube::choose_proxy(remote, "http://p:3128", getenv).proxy == "http://p:3128");
    CHECK(nova::kube::choose_proxy(remote, "socks5://p:1080", getenv).proxy == "socks5h://p:1080");
    CHECK(nova::kube::choose_proxy(local, "socks5://p:1080", getenv).proxy ==
          "socks5h://p:1080"); // an explicit proxy-url applies even to loopback

    vars["HTTPS_PROXY"] = "http://corp:8080";
    vars["NO_PROXY"] = ".internal,10.0.0.0/8";
    auto choice = nova::kube::choose_proxy(remote, "", getenv);
    CHECK(choice.proxy == "http://corp:8080");
    CHECK(choice.no_proxy == ".internal,10.0.0.0/8");
    CHECK(nova::kube::choose_proxy(local, "", getenv).proxy.empty());
    CHECK(nova::kube::choose_proxy(parse_server_url("https://localhost:1"), "", getenv)
              .proxy.empty());
    CHECK(nova::kube::choose_proxy(parse_server_url("https://[::1]:1"), "", getenv).proxy.empty());
    // http servers use HTTP_PROXY / http_proxy.
    CHECK(nova::kube::choose_proxy(parse_server_url("http://api:80"), "", getenv).proxy.empty());
    vars["http_proxy"] = "http://plain:3128";
    CHECK(nova::kube::choose_proxy(parse_server_url("http://api:80"), "", getenv).proxy ==
          "http://plain:3128");

    CHECK(nova::kube::is_loopback_host("127.1.2.3"));
    CHECK(nova::kube::is_loopback_host("LOCALHOST"));
    CHECK_FALSE(nova::kube::is_loopback_host("127.example.com"));
    CHECK_FALSE(nova::kube::is_loopback_host("10.0.0.1"));
}
