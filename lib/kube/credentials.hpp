#pragma once

#include "lib/kube/config.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace nova::kube {

// What goes on the wire for one request. Empty fields are not sent.
struct Credentials {
    std::string token;
    std::string username;
    std::string password;
    std::string client_certificate_pem;
    std::string client_key_pem;
    unsigned generation = 0; // which credential this is, for unauthorized()
    // An exec plugin's expirationTimestamp: get() runs the plugin again after it.
    std::optional<std::chrono::system_clock::time_point> expiry;
};

// Hands out credentials for RestConfigs (reference §1.4 steps 7–9, §2): static token, tokenFile
// (re-read when it changes), basic auth, client certificates, exec plugins and the legacy oidc
// auth-provider. An exec plugin runs at most once per (exec config, cluster) for the life of the
// process, however many requests need it, until its credential expires or a 401 is reported.
// Thread-safe.
class CredentialCache {
public:
    CredentialCache();
    ~CredentialCache();
    CredentialCache(const CredentialCache&) = delete;
    CredentialCache& operator=(const CredentialCache&) = delete;

    // Credentials for a request to `config`. Nothing for plain http (client-go sends none).
    // Throws core::Error naming the plugin or file when they cannot be obtained. An exec plugin
    // run for this call stops after `exec_budget` when that is shorter than the exec timeout:
    // no one waits for a credential after the requests that need it have timed out.
    Credentials get(const RestConfig& config,
                    std::optional<std::chrono::milliseconds> exec_budget = std::nullopt);

    // A request made with `used` got 401: the next get() for that user re-runs its exec plugin
    // (once per generation, however many requests saw the 401).
    void unauthorized(const RestConfig& config, const Credentials& used);

    // How long an exec plugin may run before it is stopped (default 180 s: long enough for a
    // browser login, short enough that a hung plugin cannot hang a CI job). For tests.
    void set_exec_timeout(std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace nova::kube
