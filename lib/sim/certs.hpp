#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace nova::sim {

// Owning handles for OpenSSL objects, so no error path leaks them.
struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const noexcept;
};
struct X509Deleter {
    void operator()(X509* cert) const noexcept;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// A certificate and its private key, both PEM. Kept in memory only: nova-sim writes them nowhere
// but into the kubeconfig it hands to its clients.
struct CertifiedKey {
    std::string cert_pem;
    std::string key_pem;
};

// The CA of one nova-sim run: an EC P-256 key (fast to generate) and a self-signed certificate.
// Every server certificate and client certificate of the run is signed by it.
class CertificateAuthority {
public:
    // Generates a fresh key and certificate. Throws core::Error when OpenSSL fails.
    CertificateAuthority();

    [[nodiscard]] const std::string& cert_pem() const { return m_cert_pem; }
    [[nodiscard]] X509* cert() const { return m_cert.get(); }

    // A server certificate valid for IP:127.0.0.1 and DNS:localhost (what kubectl checks).
    [[nodiscard]] CertifiedKey issue_server(std::string_view common_name) const;

    // A client certificate: the API server takes CN as the user name and O as the group.
    [[nodiscard]] CertifiedKey issue_client(std::string_view user, std::string_view group) const;

private:
    PkeyPtr m_key;
    X509Ptr m_cert;
    std::string m_cert_pem;
};

X509Ptr parse_cert_pem(std::string_view pem);
PkeyPtr parse_key_pem(std::string_view pem);

// The certificate's subject CN ("" when it has none).
std::string common_name(const X509* cert);

// `bytes` random bytes from OpenSSL's CSPRNG, hex-encoded: bearer tokens and secrets.
std::string random_hex(std::size_t bytes);

} // namespace nova::sim
