#include "lib/core/names.hpp"

#include "lib/core/text.hpp"

namespace nova::core {

namespace {

constexpr std::size_t subdomain_max = 253;
constexpr std::size_t label_max = 63;

bool alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The problems both kinds of name share, in the words of Kubernetes' path-segment check.
std::optional<std::string> segment_problem(std::string_view name) {
    if (name.empty()) {
        return "must not be empty";
    }
    if (name == "." || name == "..") {
        return "may not be '" + std::string(name) + "'";
    }
    for (const char c : {'/', '%'}) {
        if (name.find(c) != std::string_view::npos) {
            return std::string("may not contain '") + c + "'";
        }
    }
    return std::nullopt;
}

// One dot-free part: [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool valid_label(std::string_view part) {
    if (part.empty() || !alphanumeric(part.front()) || !alphanumeric(part.back())) {
        return false;
    }
    for (const char c : part) {
        if (!alphanumeric(c) && c != '-') {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::string> subdomain_problem(std::string_view name) {
    if (auto problem = segment_problem(name)) {
        return problem;
    }
    if (name.size() > subdomain_max) {
        return "must be no more than 253 characters";
    }
    std::size_t start = 0;
    while (true) {
        const auto dot = name.find('.', start);
        if (!valid_label(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
            return std::string("must consist of lower case alphanumeric characters, '-' or '.', "
                               "and must start and end with an alphanumeric character");
        }
        if (dot == std::string_view::npos) {
            return std::nullopt;
        }
        start = dot + 1;
    }
}

std::optional<std::string> generate_name_problem(std::string_view prefix) {
    if (prefix.empty()) {
        return "must not be empty";
    }
    // The API server's path-segment check of a prefix: only these two characters.
    for (const char c : {'/', '%'}) {
        if (prefix.find(c) != std::string_view::npos) {
            return std::string("may not contain '") + c + "'";
        }
    }
    // The server checks the prefix as a subdomain with a trailing '-' masked, as apimachinery's
    // maskTrailingDash does it: the last two characters become one 'a' ("web-" is checked as
    // "wea"), so "web-" passes and "abc." does not.
    std::string masked(prefix);
    if (masked.size() > 1 && masked.back() == '-') {
        masked.resize(masked.size() - 2);
        masked += 'a';
    }
    if (auto problem = subdomain_problem(masked)) {
        return problem;
    }
    // Then it checks the name it generated: the prefix, cut to 58 characters, and 5 random
    // alphanumerics ("a.-" passes the first check, but "a.-x7k2p" is no subdomain).
    return subdomain_problem(std::string(prefix.substr(0, generate_name_prefix_kept)) + "xxxxx");
}

std::optional<std::string> label_problem(std::string_view name) {
    if (auto problem = segment_problem(name)) {
        return problem;
    }
    if (name.size() > label_max) {
        return "must be no more than 63 characters";
    }
    if (!valid_label(name)) {
        return std::string("must consist of lower case alphanumeric characters or '-', and must "
                           "start and end with an alphanumeric character");
    }
    return std::nullopt;
}

std::string invalid_name_message(std::string_view what, std::string_view name,
                                 std::string_view problem) {
    return "invalid " + std::string(what) + " " + quote(name) + ": " + std::string(problem);
}

} // namespace nova::core
