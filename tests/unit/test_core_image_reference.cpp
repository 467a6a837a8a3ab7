#include "lib/core/image_reference.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using nova::core::image_reference_problem;

namespace {

std::string problem(const std::string& reference) {
    return image_reference_problem(reference).value_or("");
}

const std::string sha256_hex(64, 'a');

} // namespace

TEST_CASE("image references: names, tags and domains Docker accepts", "[core]") {
    for (const std::string& reference :
         std::vector<std::string>{"nginx",
                                  "nginx:1.25",
                                  "library/nginx:latest",
                                  "argoproj/rollouts-demo:blue",
                                  "docker.io/library/nginx",
                                  "quay.io/argoproj/argo-rollouts:v1.6.0",
                                  "localhost:5000/demo",
                                  "localhost:5000/demo:v1",
                                  "registry-1.example.com/a/b/c:1",
                                  "Registry.Example.COM/team/app",
                                  "10.0.0.1:5000/app",
                                  "[::1]:5000/app",
                                  "[fe80::1]/app",
                                  "a_b",
                                  "a__b",
                                  "a.b",
                                  "a---b",
                                  "a-b.c_d__e",
                                  "app:_tag",
                                  "app:V1.2-rc.3_x",
                                  "localhost:5000",
                                  "app@sha256:" + sha256_hex,
                                  "app:v1@sha256:" + sha256_hex,
                                  "app@sha512:" + std::string(128, '0'),
                                  "app@sha384:" + std::string(96, 'f'),
                                  "app:" + std::string(128, 't')}) {
        INFO(reference);
        CHECK(problem(reference).empty());
    }
}

TEST_CASE("image references: what the grammar refuses", "[core]") {
    for (const std::string& reference : std::vector<std::string>{"app:",
                                                                 ":tag",
                                                                 "app::tag",
                                                                 "app:-tag",
                                                                 "app:.tag",
                                                                 "app:" + std::string(129, 't'),
                                                                 "app:tag/x",
                                                                 "a/",
                                                                 "/a",
                                                                 "a//b",
                                                                 "_a",
                                                                 "a_",
                                                                 "a-",
                                                                 "-a",
                                                                 "a___b",
                                                                 "a._b",
                                                                 "a..b",
                                                                 "app image",
                                                                 "app@",
                                                                 "app@sha256",
                                                                 "app@sha256:abc",
                                                                 "app@256:" + sha256_hex,
                                                                 "app@sha256:" + sha256_hex + "@x",
                                                                 "-host.com/app",
                                                                 "host-.com/app",
                                                                 "host..com/app",
                                                                 "host:/app",
                                                                 "host:50a/app",
                                                                 "[]/app",
                                                                 "[::1/app",
                                                                 "[zz]/app",
                                                                 "app:t@g",
                                                                 "a=b",
                                                                 "ngi$nx"}) {
        INFO(reference);
        CHECK(problem(reference) == "invalid reference format");
    }
}

TEST_CASE("image references: distribution's specific messages", "[core]") {
    CHECK(problem("") == "repository name must have at least one component");
    CHECK(problem("Nginx") == "repository name must be lowercase");
    CHECK(problem("docker.io/Library/nginx:1") == "repository name must be lowercase");
    // Upper case in the domain is allowed, in the path it is not.
    CHECK(problem("Docker.IO/library/nginx").empty());
    CHECK(problem(std::string(256, 'a')) == "repository name must not be more than 255 characters");
    CHECK(problem(std::string(255, 'a') + ":tag").empty());
    CHECK(problem("app@sha256:" + std::string(63, 'a')) == "invalid checksum digest length");
    CHECK(problem("app@sha256:" + std::string(65, 'a')) == "invalid checksum digest length");
    CHECK(problem("app@sha256:" + std::string(64, 'A')) == "invalid checksum digest format");
    CHECK(problem("app@md5:" + std::string(32, 'a')) == "unsupported digest algorithm");
    CHECK(problem("app@sha256+b64:" + sha256_hex) == "unsupported digest algorithm");
}
