#include "lib/core/base64.hpp"
#include "lib/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace nova::core {
namespace {

std::string decode_error(std::string_view text) {
    try {
        decode_base64(text);
    } catch (const Error& error) {
        return error.what();
    }
    return "no error";
}

TEST_CASE("base64 encodes with padding and no line breaks", "[core][base64]") {
    CHECK(encode_base64("") == "");
    CHECK(encode_base64("f") == "Zg==");
    CHECK(encode_base64("fo") == "Zm8=");
    CHECK(encode_base64("foo") == "Zm9v");
    CHECK(encode_base64("foob") == "Zm9vYg==");
    CHECK(encode_base64(std::string(200, 'x')).find('\n') == std::string::npos);
}

TEST_CASE("base64 decodes what it encodes, skipping line breaks as Go does", "[core][base64]") {
    CHECK(decode_base64("") == "");
    CHECK(decode_base64("Zg==") == "f");
    CHECK(decode_base64("Zm8=") == "fo");
    CHECK(decode_base64("Zm9v") == "foo");
    CHECK(decode_base64("Zm9v\nYg==\r\n") == "foob");
    const std::string binary("\x00\xff\x10:+/", 6);
    CHECK(decode_base64(encode_base64(binary)) == binary);
}

TEST_CASE("bad base64 names the offset as Go does", "[core][base64]") {
    CHECK(decode_error("Zg") == "illegal base64 data at input byte 0");
    CHECK(decode_error("Zm9-") == "illegal base64 data at input byte 3");
    CHECK(decode_error("Zm 9") == "illegal base64 data at input byte 2");
    CHECK(decode_error("Z===") == "illegal base64 data at input byte 1");
    CHECK(decode_error("abc") == "illegal base64 data at input byte 0");
    CHECK(decode_error("YWJjZA") == "illegal base64 data at input byte 4");
    CHECK(decode_error("YQ=") == "illegal base64 data at input byte 3");
    CHECK(decode_error("YQ==YQ==") == "illegal base64 data at input byte 4");
}

TEST_CASE("base64url round trips without padding and takes either alphabet", "[core][base64]") {
    const std::string token = R"({"rv":12,"start":"ns/name"})";
    const std::string encoded = encode_base64url(token);
    CHECK(encoded.find('=') == std::string::npos);
    CHECK(encoded.find('+') == std::string::npos);
    CHECK(encoded.find('/') == std::string::npos);
    CHECK(decode_base64url(encoded) == token);
    CHECK(decode_base64url(encode_base64(token)) == token);
    CHECK_FALSE(decode_base64url("not base64!"));
}

} // namespace
} // namespace nova::core
