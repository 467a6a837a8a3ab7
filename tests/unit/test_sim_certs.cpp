#include "lib/sim/certs.hpp"

#include <catch2/catch.hpp>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace nova::sim;

namespace {

// True when `cert` verifies against a store holding only `ca` (chain, validity, purpose).
bool verifies(X509* ca, X509* cert, int purpose) {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, cert, nullptr);
    X509_STORE_CTX_set_purpose(ctx, purpose);
    const bool ok = X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ok;
}

std::string organization(X509* cert) {
    const X509_NAME* name = X509_get_subject_name(cert);
    const int index = X509_NAME_get_index_by_NID(name, NID_organizationName, -1);
    if (index < 0) {
        return {};
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
            static_cast<std::size_t>(ASN1_STRING_length(data))};
}

} // namespace

TEST_CASE("the CA signs server certificates that cover 127.0.0.1 and localhost", "[sim][certs]") {
    const CertificateAuthority ca;
    const CertifiedKey server = ca.issue_server("nova");
    const X509Ptr cert = parse_cert_pem(server.cert_pem);
    const PkeyPtr key = parse_key_pem(server.key_pem);

    CHECK(verifies(ca.cert(), cert.get(), X509_PURPOSE_SSL_SERVER));
    CHECK(X509_check_ip_asc(cert.get(), "127.0.0.1", 0) == 1);
    CHECK(X509_check_host(cert.get(), "localhost", 0, 0, nullptr) == 1);
    CHECK(X509_check_host(cert.get(), "example.com", 0, 0, nullptr) == 0);
    CHECK(X509_check_private_key(cert.get(), key.get()) == 1);
    CHECK(common_name(cert.get()) == "nova");
    CHECK(X509_check_ca(ca.cert()) >= 1);
}

TEST_CASE("client certificates carry the user as CN and the group as O", "[sim][certs]") {
    const CertificateAuthority ca;
    const CertifiedKey client = ca.issue_client("cert-admin", "system:masters");
    const X509Ptr cert = parse_cert_pem(client.cert_pem);

    CHECK(verifies(ca.cert(), cert.get(), X509_PURPOSE_SSL_CLIENT));
    CHECK_FALSE(verifies(ca.cert(), cert.get(), X509_PURPOSE_SSL_SERVER));
    CHECK(common_name(cert.get()) == "cert-admin");
    CHECK(organization(cert.get()) == "system:masters");
}

TEST_CASE("a certificate does not verify against another CA", "[sim][certs]") {
    const CertificateAuthority ca;
    const CertificateAuthority other;
    const X509Ptr cert = parse_cert_pem(ca.issue_server("nova").cert_pem);
    CHECK_FALSE(verifies(other.cert(), cert.get(), X509_PURPOSE_SSL_SERVER));
}

TEST_CASE("two runs never share keys", "[sim][certs]") {
    const CertificateAuthority a;
    const CertificateAuthority b;
    CHECK(a.cert_pem() != b.cert_pem());
    CHECK(a.issue_server("x").key_pem != a.issue_server("x").key_pem);
}

TEST_CASE("bad PEM is an error, not a crash", "[sim][certs]") {
    CHECK_THROWS_WITH(parse_cert_pem("not a certificate"),
                      Catch::StartsWith("cannot read a PEM certificate"));
    CHECK_THROWS_WITH(parse_key_pem(""), Catch::StartsWith("cannot read a PEM private key"));
}

TEST_CASE("random_hex gives fresh lowercase hex", "[sim][certs]") {
    const std::string a = random_hex(32);
    CHECK(a.size() == 64);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != random_hex(32));
}
