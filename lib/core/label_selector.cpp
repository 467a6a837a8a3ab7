#include "lib/core/label_selector.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

namespace nova::core {

namespace {

// ---- validation (apimachinery's IsQualifiedName / IsValidLabelValue) ----

constexpr std::size_t max_name_length = 63;
constexpr std::size_t max_prefix_length = 253;

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], the shape of key names and of non-empty values.
bool is_qualified_name_part(std::string_view s) {
    if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A DNS-1123 subdomain: lowercase labels of [a-z0-9-], alphanumeric at both ends, joined by '.'.
bool is_dns_subdomain(std::string_view s) {
    auto lower_alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    while (true) {
        const auto dot = s.find('.');
        const auto label = s.substr(0, dot);
        if (label.empty() || !lower_alnum(label.front()) || !lower_alnum(label.back()) ||
            !std::all_of(label.begin(), label.end(),
                         [&](char c) { return lower_alnum(c) || c == '-'; })) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        s.remove_prefix(dot + 1);
    }
}

const char* const name_rule = "must consist of alphanumeric characters, '-', '_' or '.', and "
                              "begin and end with an alphanumeric character";

// Why `key` is not a valid label key, or nullopt when it is.
std::optional<std::string> key_problem(std::string_view key) {
    std::string_view name = key;
    if (const auto slash = key.find('/'); slash != std::string_view::npos) {
        if (key.find('/', slash + 1) != std::string_view::npos) {
            return "a key is a name with an optional DNS subdomain prefix and one '/' "
                   "(e.g. 'example.com/my-name')";
        }
        const auto prefix = key.substr(0, slash);
        name = key.substr(slash + 1);
        if (prefix.empty()) {
            return "the prefix before '/' must not be empty";
        }
        if (prefix.size() > max_prefix_length) {
            return fmt::format("the prefix before '/' must be at most {} characters",
                               max_prefix_length);
        }
        if (!is_dns_subdomain(prefix)) {
            return "the prefix before '/' must be a lowercase DNS subdomain (e.g. 'example.com')";
        }
    }
    if (name.empty()) {
        return "the name must not be empty";
    }
    if (name.size() > max_name_length) {
        return fmt::format("the name must be at most {} characters", max_name_length);
    }
    if (!is_qualified_name_part(name)) {
        return fmt::format("the name {}", name_rule);
    }
    return std::nullopt;
}

// Why `value` is not a valid label value, or nullopt when it is (the empty value is valid).
std::optional<std::string> value_problem(std::string_view value) {
    if (value.size() > max_name_length) {
        return fmt::format("must be at most {} characters", max_name_length);
    }
    if (!value.empty() && !is_qualified_name_part(value)) {
        return std::string(name_rule);
    }
    return std::nullopt;
}

void normalize(LabelRequirement& r) {
    std::sort(r.values.begin(), r.values.end());
    r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
}

// ---- the string form: lexer ----

enum class Tok {
    end,
    identifier,
    in,
    not_in,
    open_paren,
    close_paren,
    comma,
    bang,
    equals,
    double_equals,
    not_equals,
    greater,
    less,
};

struct Token {
    Tok kind = Tok::end;
    std::string_view text;
    std::size_t offset = 0; // byte offset into the selector
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_special(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

// Splits like apimachinery's lexer: special symbols ("==" and "!=" preferred over one character),
// and identifiers as runs of anything else; "in" and "notin" are keywords.
std::vector<Token> lex(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        if (i == text.size()) {
            tokens.push_back({Tok::end, {}, i});
            return tokens;
        }
        const char c = text[i];
        if (is_special(c)) {
            const bool pair = i + 1 < text.size() && text[i + 1] == '=' && (c == '=' || c == '!');
            Tok kind = Tok::end;
            switch (c) {
            case '=':
                kind = pair ? Tok::double_equals : Tok::equals;
                break;
            case '!':
                kind = pair ? Tok::not_equals : Tok::bang;
                break;
            case '(':
                kind = Tok::open_paren;
                break;
            case ')':
                kind = Tok::close_paren;
                break;
            case ',':
                kind = Tok::comma;
                break;
            case '>':
                kind = Tok::greater;
                break;
            default:
                kind = Tok::less;
                break;
            }
            const std::size_t length = pair ? 2 : 1;
            tokens.push_back({kind, text.substr(i, length), i});
            i += length;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i]) && !is_special(text[i])) {
            ++i;
        }
        const auto word = text.substr(start, i - start);
        const Tok kind = word == "in" ? Tok::in : word == "notin" ? Tok::not_in : Tok::identifier;
        tokens.push_back({kind, word, start});
    }
}

// ---- the string form: parser (the grammar and its leniencies follow apimachinery's) ----

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text), m_tokens(lex(text)) {}

    std::vector<LabelRequirement> parse() {
        std::vector<LabelRequirement> requirements;
        while (true) {
            const Token& t = peek();
            if (t.kind == Tok::end) {
                return requirements;
            }
            if (!starts_requirement(t)) {
                fail(t, "expected a label key or '!'");
            }
            requirements.push_back(parse_requirement());
            const Token& after = next();
            if (after.kind == Tok::end) {
                return requirements;
            }
            if (after.kind != Tok::comma) {
                fail(after, "expected ',' or the end of the selector");
            }
            if (!starts_requirement(peek())) {
                fail(peek(), "expected a label key or '!' after ','");
            }
        }
    }

private:
    // Keywords are ordinary words where a key or value may stand ("in=notin" is valid).
    static bool is_word(const Token& t) {
        return t.kind == Tok::identifier || t.kind == Tok::in || t.kind == Tok::not_in;
    }
    static bool starts_requirement(const Token& t) { return is_word(t) || t.kind == Tok::bang; }

    const Token& peek() const { return m_tokens[m_position]; }
    const Token& next() {
        const Token& t = m_tokens[m_position];
        if (t.kind != Tok::end) {
            ++m_position;
        }
        return t;
    }

    // 1-based. Bytes equal characters here: every word is validated (ASCII only) as soon as it
    // is read, so all text before a reported token is ASCII.
    static std::size_t position(const Token& t) { return t.offset + 1; }

    static std::string describe(const Token& t) {
        if (t.kind == Tok::end) {
            return "end of input";
        }
        // Words (keys, values) in double quotes, symbols in single quotes.
        return t.kind == Tok::identifier ? quote(t.text) : fmt::format("'{}'", t.text);
    }

    [[noreturn]] void fail(const Token& at, std::string_view expected) const {
        throw usage_error(fmt::format("invalid label selector {}: {}, found {} at position {}",
                                      quote(m_text), expected, describe(at), position(at)));
    }

    [[noreturn]] void fail_invalid(const Token& at, std::string_view what,
                                   std::string_view problem) const {
        throw usage_error(fmt::format("invalid label selector {}: invalid {} {} at position {}: {}",
                                      quote(m_text), what, quote(at.text), position(at), problem));
    }

    std::string value_of(const Token& t) const {
        if (const auto problem = value_problem(t.text)) {
            fail_invalid(t, "value", *problem);
        }
        return std::string(t.text);
    }

    LabelRequirement parse_requirement() {
        LabelRequirement r;
        const Token* key = &next();
        const bool negated = key->kind == Tok::bang;
        if (negated) {
            key = &next();
        }
        if (!is_word(*key)) {
            fail(*key, negated ? "expected a label key after '!'" : "expected a label key");
        }
        if (const auto problem = key_problem(key->text)) {
            fail_invalid(*key, "key", *problem);
        }
        r.key = std::string(key->text);
        if (negated) {
            r.op = LabelRequirement::Op::does_not_exist;
            if (peek().kind != Tok::end && peek().kind != Tok::comma) {
                fail(peek(), fmt::format("expected ',' or the end of the selector after '!{}' "
                                         "('!' takes a key only)",
                                         r.key));
            }
            return r;
        }
        if (peek().kind == Tok::end || peek().kind == Tok::comma) {
            r.op = LabelRequirement::Op::exists;
            return r;
        }
        const Token& op = next();
        switch (op.kind) {
        case Tok::equals:
        case Tok::double_equals:
            r.op = LabelRequirement::Op::equals;
            r.values.push_back(parse_exact_value(op));
            return r;
        case Tok::not_equals:
            r.op = LabelRequirement::Op::not_equals;
            r.values.push_back(parse_exact_value(op));
            return r;
        case Tok::in:
            r.op = LabelRequirement::Op::in;
            r.values = parse_values(op);
            return r;
        case Tok::not_in:
            r.op = LabelRequirement::Op::not_in;
            r.values = parse_values(op);
            return r;
        case Tok::greater:
        case Tok::less:
            fail(op, fmt::format("expected =, ==, !=, in or notin after key {} (the numeric "
                                 "operators > and < are not supported)",
                                 quote(r.key)));
        default:
            fail(op, fmt::format("expected an operator (=, ==, !=, in, notin), ',' or the end "
                                 "of the selector after key {}",
                                 quote(r.key)));
        }
    }

    // The value after =, == or !=; nothing before ',' or the end means the empty value.
    std::string parse_exact_value(const Token& op) {
        if (peek().kind == Tok::end || peek().kind == Tok::comma) {
            return {};
        }
        const Token& t = next();
        if (!is_word(t)) {
            fail(t, fmt::format("expected a value after '{}'", op.text));
        }
        return value_of(t);
    }

    // "(v1,v2,...)" after in / notin. Empty slots mean the empty value, so "()" and "(a,)"
    // are accepted the way apimachinery accepts them.
    std::vector<std::string> parse_values(const Token& op) {
        const Token& open = next();
        if (open.kind != Tok::open_paren) {
            fail(open, fmt::format("expected '(' after '{}'", op.text));
        }
        std::vector<std::string> values;
        if (peek().kind == Tok::close_paren) {
            next();
            values.emplace_back();
            return values;
        }
        if (!is_word(peek()) && peek().kind != Tok::comma) {
            fail(peek(), "expected a value, ',' or ')' after '('");
        }
        while (true) {
            const Token& t = next();
            if (is_word(t)) {
                values.push_back(value_of(t));
                if (peek().kind == Tok::close_paren) {
                    next();
                    return values;
                }
                if (peek().kind != Tok::comma) {
                    fail(peek(), fmt::format("expected ',' or ')' after value {}", quote(t.text)));
                }
            } else if (t.kind == Tok::comma) {
                if (values.empty()) {
                    values.emplace_back(); // "(,a)"
                }
                if (peek().kind == Tok::close_paren) {
                    next();
                    values.emplace_back(); // "(a,)"
                    return values;
                }
                if (peek().kind == Tok::comma) {
                    next();
                    values.emplace_back(); // "(a,,b)"
                }
            } else if (t.kind == Tok::close_paren) {
                fail(t, "expected a value after ',,'"); // apimachinery rejects "(a,,)"
            } else {
                fail(t, "expected a value, ',' or ')' in the value list");
            }
        }
    }

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_position = 0;
};

// ---- metav1.LabelSelector ----

[[noreturn]] void fail_json(const std::string& where, const std::string& problem) {
    throw Error(fmt::format("invalid label selector: {}: {}", where, problem));
}

std::string type_of(const nlohmann::json& j) {
    return j.type_name();
}

} // namespace

LabelSelector::LabelSelector(std::vector<LabelRequirement> requirements)
    : m_requirements(std::move(requirements)) {
    for (auto& r : m_requirements) {
        normalize(r);
    }
    // apimachinery keeps requirements sorted by key; stable keeps duplicates in input order.
    std::stable_sort(
        m_requirements.begin(), m_requirements.end(),
        [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
}

LabelSelector LabelSelector::parse(std::string_view text) {
    return LabelSelector(Parser(text).parse());
}

LabelSelector LabelSelector::from_json(const nlohmann::json& selector) {
    if (selector.is_null()) {
        return {};
    }
    if (!selector.is_object()) {
        throw Error(fmt::format("invalid label selector: expected an object with matchLabels "
                                "and matchExpressions, found {}",
                                type_of(selector)));
    }
    std::vector<LabelRequirement> requirements;

    if (const auto it = selector.find("matchLabels"); it != selector.end() && !it->is_null()) {
        if (!it->is_object()) {
            fail_json("matchLabels", fmt::format("expected an object, found {}", type_of(*it)));
        }
        for (const auto& [key, value] : it->items()) {
            const auto where = fmt::format("matchLabels[{}]", quote(key));
            if (!value.is_string()) {
                fail_json(where, fmt::format("expected a string value, found {}", type_of(value)));
            }
            if (const auto problem = key_problem(key)) {
                fail_json(where, fmt::format("invalid key: {}", *problem));
            }
            const auto& v = value.get_ref<const std::string&>();
            if (const auto problem = value_problem(v)) {
                fail_json(where, fmt::format("invalid value {}: {}", quote(v), *problem));
            }
            requirements.push_back({key, LabelRequirement::Op::equals, {v}});
        }
    }

    if (const auto it = selector.find("matchExpressions"); it != selector.end() && !it->is_null()) {
        if (!it->is_array()) {
            fail_json("matchExpressions", fmt::format("expected a list, found {}", type_of(*it)));
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& expr = (*it)[i];
            auto where = fmt::format("matchExpressions[{}]", i);
            if (!expr.is_object()) {
                fail_json(where, fmt::format("expected an object, found {}", type_of(expr)));
            }
            const auto key = expr.find("key");
            if (key == expr.end() || !key->is_string()) {
                fail_json(where, "missing string field \"key\"");
            }
            LabelRequirement r;
            r.key = key->get<std::string>();
            where += fmt::format(" (key {})", quote(r.key));
            if (const auto problem = key_problem(r.key)) {
                fail_json(where, fmt::format("invalid key: {}", *problem));
            }

            const auto op = expr.find("operator");
            if (op == expr.end() || !op->is_string()) {
                fail_json(where, "missing string field \"operator\"");
            }
            const auto& op_name = op->get_ref<const std::string&>();
            if (op_name == "In") {
                r.op = LabelRequirement::Op::in;
            } else if (op_name == "NotIn") {
                r.op = LabelRequirement::Op::not_in;
            } else if (op_name == "Exists") {
                r.op = LabelRequirement::Op::exists;
            } else if (op_name == "DoesNotExist") {
                r.op = LabelRequirement::Op::does_not_exist;
            } else {
                fail_json(where, fmt::format("unknown operator {} (use In, NotIn, Exists or "
                                             "DoesNotExist)",
                                             quote(op_name)));
            }

            if (const auto values = expr.find("values");
                values != expr.end() && !values->is_null()) {
                if (!values->is_array()) {
                    fail_json(where, fmt::format("values: expected a list of strings, found {}",
                                                 type_of(*values)));
                }
                for (const auto& v : *values) {
                    if (!v.is_string()) {
                        fail_json(where,
                                  fmt::format("values: expected strings, found {}", type_of(v)));
                    }
                    const auto& s = v.get_ref<const std::string&>();
                    if (const auto problem = value_problem(s)) {
                        fail_json(where, fmt::format("invalid value {}: {}", quote(s), *problem));
                    }
                    r.values.push_back(s);
                }
            }
            const bool set_op =
                r.op == LabelRequirement::Op::in || r.op == LabelRequirement::Op::not_in;
            if (set_op && r.values.empty()) {
                fail_json(where, fmt::format("operator {} needs at least one value", op_name));
            }
            if (!set_op && !r.values.empty()) {
                fail_json(where, fmt::format("operator {} takes no values", op_name));
            }
            requirements.push_back(std::move(r));
        }
    }
    return LabelSelector(std::move(requirements));
}

bool LabelSelector::matches(const Labels& labels) const {
    return std::all_of(m_requirements.begin(), m_requirements.end(), [&](const auto& r) {
        const auto it = labels.find(r.key);
        const bool has = it != labels.end();
        const bool in_values =
            has && std::binary_search(r.values.begin(), r.values.end(), it->second);
        switch (r.op) {
        case LabelRequirement::Op::equals:
        case LabelRequirement::Op::in:
            return in_values;
        case LabelRequirement::Op::not_equals:
        case LabelRequirement::Op::not_in:
            return !in_values; // a missing key matches, as in Kubernetes
        case LabelRequirement::Op::exists:
            return has;
        case LabelRequirement::Op::does_not_exist:
            return !has;
        }
        return false;
    });
}

bool LabelSelector::matches_object(const nlohmann::json& object) const {
    return matches(labels_of(object));
}

std::string LabelSelector::to_string() const {
    std::string out;
    for (const auto& r : m_requirements) {
        if (!out.empty()) {
            out += ',';
        }
        const auto joined = fmt::format("{}", fmt::join(r.values, ","));
        switch (r.op) {
        case LabelRequirement::Op::equals:
            out += fmt::format("{}={}", r.key, joined);
            break;
        case LabelRequirement::Op::not_equals:
            out += fmt::format("{}!={}", r.key, joined);
            break;
        case LabelRequirement::Op::in:
            out += fmt::format("{} in ({})", r.key, joined);
            break;
        case LabelRequirement::Op::not_in:
            out += fmt::format("{} notin ({})", r.key, joined);
            break;
        case LabelRequirement::Op::exists:
            out += r.key;
            break;
        case LabelRequirement::Op::does_not_exist:
            out += '!' + r.key;
            break;
        }
    }
    return out;
}

Labels labels_of(const nlohmann::json& object) {
    Labels labels;
    if (!object.is_object()) {
        return labels;
    }
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return labels;
    }
    const auto found = metadata->find("labels");
    if (found == metadata->end() || !found->is_object()) {
        return labels;
    }
    for (const auto& [key, value] : found->items()) {
        if (value.is_string()) {
            labels.emplace(key, value.get<std::string>());
        }
    }
    return labels;
}

} // namespace nova::core
