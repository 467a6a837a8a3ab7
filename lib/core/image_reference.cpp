#include "lib/core/image_reference.hpp"

#include "lib/core/text.hpp"

#include <array>
#include <cstddef>

namespace nova::core {
namespace {

constexpr std::size_t name_length_max = 255;
constexpr std::size_t tag_length_max = 128;

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_word(char c) {
    return is_alnum(c) || c == '_';
}

// [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool is_path_component(std::string_view text) {
    std::size_t i = 0;
    const auto alnum_run = [&]() {
        const std::size_t start = i;
        while (i < text.size() && is_lower_alnum(text[i])) {
            ++i;
        }
        return i > start;
    };
    if (!alnum_run()) {
        return false;
    }
    while (i < text.size()) {
        const char c = text[i];
        if (c == '.') {
            ++i;
        } else if (c == '_') {
            ++i;
            if (i < text.size() && text[i] == '_') {
                ++i;
            }
        } else if (c == '-') {
            while (i < text.size() && text[i] == '-') {
                ++i;
            }
        } else {
            return false;
        }
        if (!alnum_run()) {
            return false;
        }
    }
    return true;
}

// path-component ("/" path-component)*
bool is_path(std::string_view text) {
    while (true) {
        const auto slash = text.find('/');
        if (!is_path_component(text.substr(0, slash))) {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        text.remove_prefix(slash + 1);
    }
}

// [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool is_domain_label(std::string_view text) {
    if (text.empty() || !is_alnum(text.front()) || !is_alnum(text.back())) {
        return false;
    }
    for (const char c : text) {
        if (!is_alnum(c) && c != '-') {
            return false;
        }
    }
    return true;
}

// (domain-name | "[" [a-fA-F0-9:]+ "]") (":" [0-9]+)?
bool is_domain(std::string_view text) {
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close == 1) {
            return false;
        }
        for (const char c : text.substr(1, close - 1)) {
            if (!is_hex(c) && c != ':') {
                return false;
            }
        }
        text.remove_prefix(close + 1);
    } else {
        const auto colon = text.find(':');
        std::string_view host = text.substr(0, colon);
        text.remove_prefix(colon == std::string_view::npos ? text.size() : colon);
        while (true) {
            const auto dot = host.find('.');
            if (!is_domain_label(host.substr(0, dot))) {
                return false;
            }
            if (dot == std::string_view::npos) {
                break;
            }
            host.remove_prefix(dot + 1);
        }
    }
    if (text.empty()) {
        return true;
    }
    if (text.front() != ':' || text.size() == 1) {
        return false;
    }
    for (const char c : text.substr(1)) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

// [domain "/"] path: the first component is a domain only when that reading makes it valid.
bool is_name(std::string_view text) {
    if (is_path(text)) {
        return true;
    }
    const auto slash = text.find('/');
    return slash != std::string_view::npos && is_domain(text.substr(0, slash)) &&
           is_path(text.substr(slash + 1));
}

// [\w][\w.-]{0,127}
bool is_tag(std::string_view text) {
    if (text.empty() || text.size() > tag_length_max || !is_word(text.front())) {
        return false;
    }
    for (const char c : text) {
        if (!is_word(c) && c != '.' && c != '-') {
            return false;
        }
    }
    return true;
}

// [A-Za-z][A-Za-z0-9]* ([+._-] [A-Za-z][A-Za-z0-9]*)*
bool is_digest_algorithm(std::string_view text) {
    bool component_start = true;
    for (const char c : text) {
        if (component_start) {
            if (!is_alpha(c)) {
                return false;
            }
            component_start = false;
        } else if (c == '+' || c == '.' || c == '_' || c == '-') {
            component_start = true;
        } else if (!is_alnum(c)) {
            return false;
        }
    }
    return !text.empty() && !component_start;
}

// algorithm ":" [0-9a-fA-F]{32,}
bool is_digest(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || !is_digest_algorithm(text.substr(0, colon))) {
        return false;
    }
    const std::string_view hex = text.substr(colon + 1);
    if (hex.size() < 32) {
        return false;
    }
    for (const char c : hex) {
        if (!is_hex(c)) {
            return false;
        }
    }
    return true;
}

// The parts of a reference that matches the grammar; nullopt when it does not.
struct Parts {
    std::string_view name;
    std::string_view digest;
};

std::optional<Parts> parse(std::string_view reference) {
    Parts parts;
    std::string_view rest = reference;
    if (const auto at = rest.find('@'); at != std::string_view::npos) {
        parts.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if (!is_digest(parts.digest)) {
            return std::nullopt;
        }
    }
    // A tag follows the last ':' when no '/' comes after it (a port is always followed by one).
    const auto colon = rest.rfind(':');
    const auto slash = rest.rfind('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        if (!is_tag(rest.substr(colon + 1))) {
            return std::nullopt;
        }
        rest = rest.substr(0, colon);
    }
    if (!is_name(rest)) {
        return std::nullopt;
    }
    parts.name = rest;
    return parts;
}

struct DigestAlgorithm {
    std::string_view name;
    std::size_t hex_digits;
};

constexpr std::array<DigestAlgorithm, 3> available_algorithms{
    {{"sha256", 64}, {"sha384", 96}, {"sha512", 128}}};

// go-digest's Validate, for a digest that already matches the grammar.
std::optional<std::string> digest_problem(std::string_view digest) {
    const auto colon = digest.find(':');
    const std::string_view algorithm = digest.substr(0, colon);
    const std::string_view hex = digest.substr(colon + 1);
    for (const auto& available : available_algorithms) {
        if (available.name != algorithm) {
            continue;
        }
        if (hex.size() != available.hex_digits) {
            return "invalid checksum digest length";
        }
        for (const char c : hex) {
            if (!is_digit(c) && !(c >= 'a' && c <= 'f')) {
                return "invalid checksum digest format";
            }
        }
        return std::nullopt;
    }
    return "unsupported digest algorithm";
}

} // namespace

std::optional<std::string> image_reference_problem(std::string_view reference) {
    const auto parts = parse(reference);
    if (!parts) {
        if (reference.empty()) {
            return "repository name must have at least one component";
        }
        const std::string lowered = lower(reference);
        if (parse(lowered)) {
            return "repository name must be lowercase";
        }
        return "invalid reference format";
    }
    if (parts->name.size() > name_length_max) {
        return "repository name must not be more than 255 characters";
    }
    if (!parts->digest.empty()) {
        return digest_problem(parts->digest);
    }
    return std::nullopt;
}

} // namespace nova::core
