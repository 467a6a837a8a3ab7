#include "lib/core/base64.hpp"

#include "lib/core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>

namespace nova::core {
namespace {

// The base64url alphabet.
constexpr std::string_view k_b64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

} // namespace

std::string encode_base64(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    const std::size_t left = bytes.size() - i;
    if (left > 0) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (left == 2) {
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        }
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += left == 2 ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string decode_base64(std::string_view src) {
    // Go's StdEncoding.Decode, quantum by quantum, so that the reported offset matches Go's
    // "illegal base64 data at input byte N".
    const auto value_of = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    };
    const auto corrupt = [](std::size_t offset) {
        return Error(fmt::format("illegal base64 data at input byte {}", offset));
    };
    const auto is_newline = [](char c) {
        return c == '\n' || c == '\r';
    };
    std::string out;
    std::size_t si = 0;
    while (si < src.size()) {
        std::array<int, 4> quantum{};
        std::size_t length = 4;
        bool end = false;
        std::size_t j = 0;
        while (j < 4) {
            if (si == src.size()) {
                if (j == 0) {
                    return out;
                }
                throw corrupt(si - j); // missing padding
            }
            const char in = src[si++];
            const int value = value_of(in);
            if (value >= 0) {
                quantum[j++] = value;
                continue;
            }
            if (is_newline(in)) {
                continue; // skipped anywhere
            }
            if (in != '=') {
                throw corrupt(si - 1);
            }
            // Padding: only after two or three characters of a quantum.
            if (j == 0 || j == 1) {
                throw corrupt(si - 1);
            }
            if (j == 2) {
                while (si < src.size() && is_newline(src[si])) {
                    ++si;
                }
                if (si == src.size()) {
                    throw corrupt(src.size());
                }
                if (src[si] != '=') {
                    throw corrupt(si - 1);
                }
                ++si;
            }
            while (si < src.size() && is_newline(src[si])) {
                ++si;
            }
            if (si < src.size()) {
                throw corrupt(si); // data after the padding
            }
            length = j;
            end = true;
            break;
        }
        const auto v = static_cast<std::uint32_t>(quantum[0]) << 18 |
                       static_cast<std::uint32_t>(quantum[1]) << 12 |
                       static_cast<std::uint32_t>(quantum[2]) << 6 |
                       static_cast<std::uint32_t>(quantum[3]);
        out += static_cast<char>((v >> 16) & 0xff);
        if (length >= 3) {
            out += static_cast<char>((v >> 8) & 0xff);
        }
        if (length == 4) {
            out += static_cast<char>(v & 0xff);
        }
        if (end) {
            break;
        }
        // Trailing newlines after a complete quantum are fine.
        while (si < src.size() && is_newline(src[si])) {
            ++si;
        }
    }
    return out;
}

std::string encode_base64url(std::string_view in) {
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += k_b64[(buf >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += k_b64[(buf << (6 - bits)) & 0x3f];
    }
    return out;
}

std::optional<std::string> decode_base64url(std::string_view in) {
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') {
            break;
        }
        const auto pos = k_b64.find(c == '+' ? '-' : c == '/' ? '_' : c);
        if (pos == std::string_view::npos) {
            return std::nullopt;
        }
        buf = (buf << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buf >> bits) & 0xff);
        }
    }
    return out;
}

} // namespace nova::core
