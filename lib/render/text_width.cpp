#include "lib/render/text_width.hpp"

namespace nova::render {

namespace {

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// The length of the escape sequence starting at text[i] (text[i] == ESC).
std::size_t escape_length(std::string_view text, std::size_t i) {
    std::size_t j = i + 1;
    if (j >= text.size()) {
        return 1;
    }
    if (text[j] != '[') {
        return 2; // a two-byte escape such as ESC c
    }
    // CSI: parameter and intermediate bytes, then one final byte in 0x40..0x7E.
    for (++j; j < text.size(); ++j) {
        const auto c = static_cast<unsigned char>(text[j]);
        if (c >= 0x40 && c <= 0x7E) {
            return j + 1 - i;
        }
        if (c < 0x20 || c > 0x3F) {
            break; // malformed: drop what was read so far
        }
    }
    return j - i;
}

} // namespace

std::size_t cell_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\x1b') {
            i += escape_length(text, i);
            continue;
        }
        if (!is_continuation_byte(text[i])) {
            ++width;
        }
        ++i;
    }
    return width;
}

std::string pad_right(std::string_view text, std::size_t width) {
    std::string padded(text);
    std::size_t code_points = 0;
    for (const char c : text) {
        if (!is_continuation_byte(c)) {
            ++code_points;
        }
    }
    if (code_points < width) {
        padded.append(width - code_points, ' ');
    }
    return padded;
}

} // namespace nova::render
