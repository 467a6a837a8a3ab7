#include "lib/kube/redact.hpp"

#include <algorithm>
#include <cctype>

namespace nova::kube {

namespace {

constexpr std::size_t max_logged_body = 1024;

// Lower case without '-', '_' and '.', so that every spelling of a name compares equal.
std::string normalized(std::string_view name) {
    std::string out;
    for (const char ch : name) {
        if (ch != '-' && ch != '_' && ch != '.') {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
    }
    return out;
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
    return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
        return text.find(needle) != std::string_view::npos;
    });
}

// End of the JSON string that starts at text[open] (a '"'): the index just past its closing
// quote, or npos if the text ends first.
std::size_t string_end(std::string_view text, std::size_t open) {
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])) != 0) {
        ++pos;
    }
    return pos;
}

} // namespace

bool is_secret_key(std::string_view key) {
    const std::string name = normalized(key);
    return contains_any(name, {"token", "password", "passwd", "secret"}) ||
           name == "clientkeydata" || name == "clientkey" || name == "privatekey";
}

std::string redact_header(std::string_view name, std::string_view value) {
    const std::string header = normalized(name);
    if (header == "authorization" || header == "proxyauthorization") {
        const std::size_t space = value.find(' ');
        if (space == std::string_view::npos) {
            return std::string(masked);
        }
        return std::string(value.substr(0, space + 1)) + std::string(masked);
    }
    if (header == "cookie" || header == "setcookie" ||
        contains_any(header, {"token", "secret", "password", "key"})) {
        return std::string(masked);
    }
    return std::string(value);
}

std::string redact_body(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    std::size_t pos = 0;
    while (pos < body.size()) {
        const std::size_t open = body.find('"', pos);
        if (open == std::string_view::npos) {
            out.append(body.substr(pos));
            break;
        }
        const std::size_t end = string_end(body, open);
        if (end == std::string_view::npos) {
            out.append(body.substr(pos));
            break;
        }
        out.append(body.substr(pos, end - pos));
        pos = end;
        // A key is a string followed by ':'; mask its value if the key is secret and the value
        // is a string.
        const std::size_t colon = skip_spaces(body, end);
        if (colon >= body.size() || body[colon] != ':' ||
            !is_secret_key(body.substr(open + 1, end - open - 2))) {
            continue;
        }
        const std::size_t value = skip_spaces(body, colon + 1);
        if (value >= body.size() || body[value] != '"') {
            continue;
        }
        out.append(body.substr(end, value - end));
        out += '"';
        out.append(masked);
        const std::size_t value_end = string_end(body, value);
        if (value_end == std::string_view::npos) {
            break; // cut off inside the secret: nothing of it is shown
        }
        out += '"';
        pos = value_end;
    }
    return out;
}

std::string loggable_body(std::string_view body, int verbosity) {
    std::string text = redact_body(body);
    if (verbosity < 9 && text.size() > max_logged_body) {
        const std::size_t dropped = text.size() - max_logged_body;
        text.resize(max_logged_body);
        text += " [truncated " + std::to_string(dropped) + " chars]";
    }
    return text;
}

} // namespace nova::kube
