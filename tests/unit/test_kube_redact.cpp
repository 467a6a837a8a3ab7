#include "lib/kube/redact.hpp"

#include <catch2/catch.hpp>

#include <string>

using nova::kube::redact_body;
using nova::kube::redact_header;

TEST_CASE("Authorization and other secret headers are masked", "[kube]") {
    CHECK(redact_header("Authorization", "Bearer abc.def") == "Bearer <masked>");
    CHECK(redact_header("authorization", "Basic YTpi") == "Basic <masked>");
    CHECK(redact_header("Authorization", "rawtoken") == "<masked>");
    CHECK(redact_header("Proxy-Authorization", "Basic x") == "Basic <masked>");
    CHECK(redact_header("Cookie", "session=1") == "<masked>");
    CHECK(redact_header("X-Auth-Token", "abc") == "<masked>");
    CHECK(redact_header("X-Api-Key", "abc") == "<masked>");
    CHECK(redact_header("Accept", "application/json") == "application/json");
    CHECK(redact_header("Impersonate-User", "jane") == "jane");
    CHECK(redact_header("User-Agent", "kubectl-nova-rollouts/v0.1.0") ==
          "kubectl-nova-rollouts/v0.1.0");
}

TEST_CASE("secret JSON fields are masked in bodies", "[kube]") {
    CHECK(
        redact_body(
            R"({"kind":"ExecCredential","status":{"token":"s3cret","expirationTimestamp":"2030-01-01T00:00:00Z"}})") ==
        R"({"kind":"ExecCredential","status":{"token":"<masked>","expirationTimestamp":"2030-01-01T00:00:00Z"}})");
    CHECK(redact_body(R"({"clientKeyData": "-----BEGIN KEY-----\nabc\n-----END KEY-----\n"})") ==
          R"({"clientKeyData": "<masked>"})");
    CHECK(
        redact_body(
            R"({"client-key-data":"x","id-token":"y","refresh_token":"z","password":"p"})") ==
        R"({"client-key-data":"<masked>","id-token":"<masked>","refresh_token":"<masked>","password":"<masked>"})");
    // Escaped quotes inside the secret do not end it early.
    CHECK(redact_body(R"({"token":"a\"b","x":1})") == R"({"token":"<masked>","x":1})");
    // Not a string value, or the word as a value: left alone.
    CHECK(redact_body(R"({"token":null,"name":"token"})") == R"({"token":null,"name":"token"})");
    CHECK(redact_body(R"({"tokens":["a"]})") == R"({"tokens":["a"]})");
    // Ordinary objects are unchanged.
    const std::string rollout = R"({"metadata":{"name":"demo","resourceVersion":"12"},"spec":{}})";
    CHECK(redact_body(rollout) == rollout);
}

TEST_CASE("truncated bodies are redacted too", "[kube]") {
    CHECK(redact_body(R"({"status":{"token":"s3cr)") == R"({"status":{"token":"<masked>)");
    CHECK(redact_body(R"({"status":{"token":)") == R"({"status":{"token":)");
    CHECK(redact_body(R"({"status":{"tok)") == R"({"status":{"tok)");
    CHECK(redact_body("not json at all") == "not json at all");
    CHECK(redact_body("") == "");
}

TEST_CASE("logged bodies are cut below -v=9", "[kube]") {
    const std::string big = R"({"token":"secret","pad":")" + std::string(5000, 'x') + "\"}";
    const std::string v8 = nova::kube::loggable_body(big, 8);
    CHECK(v8.find("secret") == std::string::npos);
    CHECK(v8.find("[truncated ") != std::string::npos);
    CHECK(v8.size() < 1100);
    const std::string v9 = nova::kube::loggable_body(big, 9);
    CHECK(v9.find("secret") == std::string::npos);
    CHECK(v9.find("[truncated") == std::string::npos);
    CHECK(nova::kube::loggable_body("{}", 8) == "{}");
}
