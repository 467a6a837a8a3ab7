#include "lib/sim/certs.hpp"

#include "lib/core/error.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <utility>

namespace nova::sim {

void PkeyDeleter::operator()(EVP_PKEY* key) const noexcept {
    EVP_PKEY_free(key);
}

void X509Deleter::operator()(X509* cert) const noexcept {
    X509_free(cert);
}

namespace {

struct BioDeleter {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct BnDeleter {
    void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};

struct ExtensionDeleter {
    void operator()(X509_EXTENSION* ext) const noexcept { X509_EXTENSION_free(ext); }
};

// Names what failed plus OpenSSL's own reason, then clears its error queue so that a later,
// unrelated failure does not report a stale reason.
[[noreturn]] void fail(const std::string& what) {
    std::array<char, 256> reason{};
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    std::string message = "cannot " + what;
    if (code != 0) {
        ERR_error_string_n(code, reason.data(), reason.size());
        message += ": ";
        message += reason.data();
    }
    throw core::Error(message);
}

void check(int ok, const char* what) {
    if (ok <= 0) {
        fail(what);
    }
}

PkeyPtr generate_key() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        fail("generate an EC P-256 key");
    }
    return key;
}

void add_name_entry(X509_NAME* name, const char* field, std::string_view value) {
    check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(value.data()),
                                     static_cast<int>(value.size()), -1, 0),
          "set a certificate name");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, ExtensionDeleter> ext(
        X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) {
        fail(std::string("build the certificate extension ") + value);
    }
    check(X509_add_ext(cert, ext.get(), -1), "add a certificate extension");
}

// A version-3 certificate for `key` with a random positive 127-bit serial, valid from an hour
// ago (clock skew between processes is irrelevant here, but cheap to rule out) for a year.
X509Ptr new_certificate(EVP_PKEY* key, std::string_view cn, std::string_view organization) {
    X509Ptr cert(X509_new());
    if (!cert) {
        fail("allocate a certificate");
    }
    check(X509_set_version(cert.get(), X509_VERSION_3), "set the certificate version");
    std::unique_ptr<BIGNUM, BnDeleter> serial(BN_new());
    if (!serial) {
        fail("allocate a serial number");
    }
    check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "draw a serial number");
    if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        fail("set the serial number");
    }
    constexpr long hour = 3600;
    if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -hour) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365 * 24 * hour) == nullptr) {
        fail("set the certificate validity");
    }
    check(X509_set_pubkey(cert.get(), key), "set the certificate key");
    X509_NAME* subject = X509_get_subject_name(cert.get());
    if (!organization.empty()) {
        add_name_entry(subject, "O", organization);
    }
    add_name_entry(subject, "CN", cn);
    return cert;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return {data, static_cast<std::size_t>(size)};
}

std::string cert_to_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) {
        fail("allocate a buffer");
    }
    check(PEM_write_bio_X509(bio.get(), cert), "write a certificate as PEM");
    return bio_contents(bio.get());
}

std::string key_to_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) {
        fail("allocate a buffer");
    }
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
          "write a private key as PEM");
    return bio_contents(bio.get());
}

BioPtr read_bio(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        fail("allocate a buffer");
    }
    return bio;
}

} // namespace

CertificateAuthority::CertificateAuthority() : m_key(generate_key()) {
    m_cert = new_certificate(m_key.get(), "nova-sim-ca", "nova-sim");
    X509* cert = m_cert.get();
    check(X509_set_issuer_name(cert, X509_get_subject_name(cert)), "set the CA issuer");
    add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    add_extension(cert, cert, NID_subject_key_identifier, "hash");
    check(X509_sign(cert, m_key.get(), EVP_sha256()), "sign the CA certificate");
    m_cert_pem = cert_to_pem(cert);
}

namespace {

CertifiedKey issue(EVP_PKEY* ca_key, X509* ca_cert, std::string_view cn,
                   std::string_view organization, const char* extended_usage,
                   const char* alt_names) {
    PkeyPtr key = generate_key();
    X509Ptr cert = new_certificate(key.get(), cn, organization);
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert)),
          "set the certificate issuer");
    add_extension(cert.get(), ca_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), ca_cert, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), ca_cert, NID_ext_key_usage, extended_usage);
    add_extension(cert.get(), ca_cert, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), ca_cert, NID_authority_key_identifier, "keyid:always");
    if (alt_names != nullptr) {
        add_extension(cert.get(), ca_cert, NID_subject_alt_name, alt_names);
    }
    check(X509_sign(cert.get(), ca_key, EVP_sha256()), "sign a certificate");
    return {cert_to_pem(cert.get()), key_to_pem(key.get())};
}

} // namespace

CertifiedKey CertificateAuthority::issue_server(std::string_view common_name) const {
    return issue(m_key.get(), m_cert.get(), common_name, "", "serverAuth",
                 "IP:127.0.0.1,DNS:localhost");
}

CertifiedKey CertificateAuthority::issue_client(std::string_view user,
                                                std::string_view group) const {
    return issue(m_key.get(), m_cert.get(), user, group, "clientAuth", nullptr);
}

X509Ptr parse_cert_pem(std::string_view pem) {
    BioPtr bio = read_bio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        fail("read a PEM certificate");
    }
    return cert;
}

PkeyPtr parse_key_pem(std::string_view pem) {
    BioPtr bio = read_bio(pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        fail("read a PEM private key");
    }
    return key;
}

std::string common_name(const X509* cert) {
    const X509_NAME* name = X509_get_subject_name(cert);
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) {
        return {};
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
        return {};
    }
    std::string result(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return result;
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    check(RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)),
          "draw random bytes");
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        hex += digits[byte >> 4];
        hex += digits[byte & 0x0f];
    }
    return hex;
}

} // namespace nova::sim
