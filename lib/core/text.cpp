#include "lib/core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace nova::core {

std::string quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) != 0;
    };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// As client-go cleans an exec plugin's installHint: control, format and private-use characters
// become "U+XXXX"; tabs and line breaks stay.
std::string printable(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::uint32_t rune = 0xFFFD;
        std::size_t length = 1;
        if (byte < 0x80) {
            rune = byte;
        } else if ((byte & 0xE0U) == 0xC0U && i + 1 < text.size()) {
            rune = (byte & 0x1FU) << 6U | (static_cast<unsigned char>(text[i + 1]) & 0x3FU);
            length = 2;
        } else if ((byte & 0xF0U) == 0xE0U && i + 2 < text.size()) {
            rune = (byte & 0x0FU) << 12U | (static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6U |
                   (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
            length = 3;
        } else if ((byte & 0xF8U) == 0xF0U && i + 3 < text.size()) {
            rune = (byte & 0x07U) << 18U |
                   (static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 12U |
                   (static_cast<unsigned char>(text[i + 2]) & 0x3FU) << 6U |
                   (static_cast<unsigned char>(text[i + 3]) & 0x3FU);
            length = 4;
        }
        const bool space_control = rune >= 0x09 && rune <= 0x0D;
        const bool control = rune < 0x20 || (rune >= 0x7F && rune <= 0x9F);
        const bool format = rune == 0xAD || (rune >= 0x200B && rune <= 0x200F) ||
                            (rune >= 0x202A && rune <= 0x202E) ||
                            (rune >= 0x2060 && rune <= 0x206F) || rune == 0xFEFF ||
                            (rune >= 0xFFF9 && rune <= 0xFFFB);
        const bool private_use = (rune >= 0xE000 && rune <= 0xF8FF) || rune >= 0xF0000;
        if (!space_control && (control || format || private_use)) {
            out += fmt::format("U+{:04X}", rune);
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

std::string one_line(std::string_view text) {
    std::string flat(text);
    for (char& c : flat) {
        if (c >= '\t' && c <= '\r') {
            c = ' ';
        }
    }
    return printable(flat);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            joined += separator;
        }
        joined += parts[i];
    }
    return joined;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string errno_text(int err) {
    std::array<char, 256> buffer{};
    std::string text = strerror_r(err, buffer.data(), buffer.size());
    if (!text.empty()) {
        text.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
    }
    return text;
}

} // namespace nova::core
