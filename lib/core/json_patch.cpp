#include "lib/core/json_patch.hpp"

#include "lib/core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nova::core {

using nlohmann::json;

namespace {

// "an object", "a number", ... for messages.
std::string describe(const json& value) {
    const std::string type = value.type_name();
    if (value.is_null()) {
        return type;
    }
    return (value.is_object() || value.is_array() ? "an " : "a ") + type;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// JSON merge patch (RFC 7386)
// ---------------------------------------------------------------------------------------------

namespace {

// The RFC's MergePatch() pseudo code, applied in place. A member missing from `target` is first
// default-constructed as null by operator[], which then takes the patch value (an object patch
// turns it into {} first, which is what strips nulls out of newly added objects).
void merge_into(json& target, const json& patch) {
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (!target.is_object()) {
        target = json::object();
    }
    for (const auto& [key, value] : patch.items()) {
        if (value.is_null()) {
            target.erase(key);
        } else {
            merge_into(target[key], value);
        }
    }
}

} // namespace

json apply_merge_patch(const json& target, const json& patch) {
    json result = target;
    merge_into(result, patch);
    return result;
}

// ---------------------------------------------------------------------------------------------
// JSON patch (RFC 6902) with JSON pointers (RFC 6901)
// ---------------------------------------------------------------------------------------------

namespace {

// Raised by the pointer and operation helpers; apply_json_patch prefixes it with the operation
// index, op and path and rethrows it as core::Error, so the helpers need not know about them.
class PatchProblem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Tokens = std::vector<std::string>;

Tokens parse_pointer(const std::string& text) {
    Tokens tokens;
    if (text.empty()) {
        return tokens;
    }
    if (text.front() != '/') {
        throw PatchProblem("a JSON pointer must be empty or start with '/'");
    }
    std::string token;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (text[i] != '~') {
            token += text[i];
            continue;
        }
        // Only ~0 and ~1 are escapes; decoding them in one pass gives the RFC's order (~01 is ~1).
        if (i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
            token += text[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            throw PatchProblem("invalid escape in JSON pointer (only ~0 and ~1 are allowed)");
        }
    }
    return tokens;
}

// The pointer text of the first `count` tokens, for messages that say where a walk stopped.
std::string pointer_text(const Tokens& tokens, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        text += '/';
        for (char c : tokens[i]) {
            if (c == '~') {
                text += "~0";
            } else if (c == '/') {
                text += "~1";
            } else {
                text += c;
            }
        }
    }
    return text;
}

// RFC 6901 array indices: "0" or digits without a leading zero. Anything else (signs, spaces,
// "01") is invalid rather than silently read as a number.
std::size_t parse_index(const Tokens& tokens, std::size_t position) {
    const std::string& token = tokens[position];
    const bool digits = !token.empty() && std::all_of(token.begin(), token.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (token.size() > 1 && token.front() == '0')) {
        throw PatchProblem("invalid array index \"" + token + "\" at " +
                           pointer_text(tokens, position + 1));
    }
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (error != std::errc() || end != token.data() + token.size()) {
        throw PatchProblem("array index " + token + " is out of bounds at " +
                           pointer_text(tokens, position + 1));
    }
    return index;
}

// The value the first `count` tokens point at; it must exist.
json& resolve(json& document, const Tokens& tokens, std::size_t count) {
    json* current = &document;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& token = tokens[i];
        if (current->is_object()) {
            auto member = current->find(token);
            if (member == current->end()) {
                throw PatchProblem(pointer_text(tokens, i + 1) + " does not exist");
            }
            current = &*member;
        } else if (current->is_array()) {
            if (token == "-") {
                throw PatchProblem(pointer_text(tokens, i + 1) +
                                   " does not exist (\"-\" is past the end of the array)");
            }
            const std::size_t index = parse_index(tokens, i);
            if (index >= current->size()) {
                throw PatchProblem("array index " + token + " is out of bounds (size " +
                                   std::to_string(current->size()) + ") at " +
                                   pointer_text(tokens, i + 1));
            }
            current = &(*current)[index];
        } else {
            throw PatchProblem(pointer_text(tokens, i + 1) + " does not exist (" +
                               (i == 0 ? std::string("the document") : pointer_text(tokens, i)) +
                               " is " + describe(*current) + ")");
        }
    }
    return *current;
}

// The container that holds the last token's value, which must be an object or an array.
json& resolve_parent(json& document, const Tokens& tokens) {
    json& parent = resolve(document, tokens, tokens.size() - 1);
    if (!parent.is_object() && !parent.is_array()) {
        const std::string where = tokens.size() == 1 ? std::string("the document")
                                                     : pointer_text(tokens, tokens.size() - 1);
        throw PatchProblem(pointer_text(tokens, tokens.size()) + " does not exist (" + where +
                           " is " + describe(parent) + ")");
    }
    return parent;
}

void add_value(json& document, const Tokens& tokens, json value) {
    if (tokens.empty()) {
        document = std::move(value);
        return;
    }
    json& parent = resolve_parent(document, tokens);
    const std::string& last = tokens.back();
    if (parent.is_object()) {
        parent[last] = std::move(value);
        return;
    }
    if (last == "-") {
        parent.push_back(std::move(value));
        return;
    }
    // Adding may insert at index == size (an append); anything beyond is an error.
    const std::size_t index = parse_index(tokens, tokens.size() - 1);
    if (index > parent.size()) {
        throw PatchProblem("array index " + last + " is out of bounds (size " +
                           std::to_string(parent.size()) + ") at " +
                           pointer_text(tokens, tokens.size()));
    }
    parent.insert(parent.begin() + static_cast<std::ptrdiff_t>(index), std::move(value));
}

json remove_value(json& document, const Tokens& tokens) {
    if (tokens.empty()) {
        throw PatchProblem("cannot remove the whole document");
    }
    json& parent = resolve_parent(document, tokens);
    const std::string& last = tokens.back();
    if (parent.is_object()) {
        auto member = parent.find(last);
        if (member == parent.end()) {
            throw PatchProblem(pointer_text(tokens, tokens.size()) + " does not exist");
        }
        json removed = std::move(*member);
        parent.erase(member);
        return removed;
    }
    json& element = resolve(document, tokens, tokens.size()); // validates the index
    json removed = std::move(element);
    parent.erase(parse_index(tokens, tokens.size() - 1));
    return removed;
}

bool is_proper_prefix(const Tokens& prefix, const Tokens& tokens) {
    return prefix.size() < tokens.size() &&
           std::equal(prefix.begin(), prefix.end(), tokens.begin());
}

const json& required_member(const json& operation, const char* name) {
    auto member = operation.find(name);
    if (member == operation.end()) {
        throw PatchProblem(std::string("missing \"") + name + "\"");
    }
    return *member;
}

Tokens from_pointer(const json& operation) {
    const json& from = required_member(operation, "from");
    if (!from.is_string()) {
        throw PatchProblem("\"from\" must be a string");
    }
    try {
        return parse_pointer(from.get<std::string>());
    } catch (const PatchProblem& problem) {
        throw PatchProblem(std::string("from: ") + problem.what());
    }
}

// The value "from" points at, with problems marked as the from's rather than the path's.
json& resolve_from(json& document, const Tokens& from) {
    try {
        return resolve(document, from, from.size());
    } catch (const PatchProblem& problem) {
        throw PatchProblem(std::string("from: ") + problem.what());
    }
}

void apply_operation(json& document, const std::string& op, const Tokens& path,
                     const json& operation) {
    if (op == "add") {
        add_value(document, path, required_member(operation, "value"));
    } else if (op == "remove") {
        remove_value(document, path);
    } else if (op == "replace") {
        const json& value = required_member(operation, "value");
        resolve(document, path, path.size()) = value;
    } else if (op == "move") {
        const Tokens from = from_pointer(operation);
        if (is_proper_prefix(from, path)) {
            throw PatchProblem(
                "cannot move " +
                (from.empty() ? "the whole document" : pointer_text(from, from.size())) +
                " into its own child");
        }
        resolve_from(document, from); // must exist even when the move is a no-op
        if (from != path) {
            add_value(document, path, remove_value(document, from));
        }
    } else if (op == "copy") {
        const Tokens from = from_pointer(operation);
        json value = resolve_from(document, from);
        add_value(document, path, std::move(value));
    } else if (op == "test") {
        const json& expected = required_member(operation, "value");
        // nlohmann's == is a deep comparison; numbers compare by value (1 == 1.0), as RFC 6902
        // asks, and objects compare regardless of member order.
        if (resolve(document, path, path.size()) != expected) {
            throw PatchProblem("value differs");
        }
    }
}

bool is_known_op(const std::string& op) {
    return op == "add" || op == "remove" || op == "replace" || op == "move" || op == "copy" ||
           op == "test";
}

} // namespace

json apply_json_patch(const json& target, const json& patch) {
    if (!patch.is_array()) {
        throw Error("json patch must be an array of operations, not " + describe(patch));
    }
    // Atomic by construction: every operation works on this copy, which is only returned when
    // all of them succeeded.
    json document = target;
    for (std::size_t i = 0; i < patch.size(); ++i) {
        const json& operation = patch[i];
        std::string where = "json patch operation " + std::to_string(i);
        if (!operation.is_object()) {
            throw Error(where + ": must be an object, not " + describe(operation));
        }
        auto op_member = operation.find("op");
        if (op_member == operation.end()) {
            throw Error(where + ": missing \"op\"");
        }
        if (!op_member->is_string()) {
            throw Error(where + ": \"op\" must be a string");
        }
        const std::string op = op_member->get<std::string>();
        if (!is_known_op(op)) {
            throw Error(where + ": unknown op \"" + op + "\"");
        }
        auto path_member = operation.find("path");
        if (path_member == operation.end()) {
            throw Error(where + " (" + op + "): missing \"path\"");
        }
        if (!path_member->is_string()) {
            throw Error(where + " (" + op + "): \"path\" must be a string");
        }
        const std::string path = path_member->get<std::string>();
        where += " (" + op + " " + (path.empty() ? "\"\"" : path) + ")";
        try {
            apply_operation(document, op, parse_pointer(path), operation);
        } catch (const PatchProblem& problem) {
            throw Error(where + ": " + problem.what());
        }
    }
    return document;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch (Kubernetes)
// ---------------------------------------------------------------------------------------------
//
// The real implementation (k8s.io/apimachinery strategicpatch) reads the patch strategy and merge
// key from the Go struct tags of each kind. nova-sim only serves a few built-in kinds, and their
// merge lists have distinctive field names, so the merge key is chosen by field name alone,
// wherever the field appears in the document.
//
// Supported:
//   * maps merge recursively; a null value deletes the key;
//   * lists whose field has a merge key (merge_key_for) merge element by element: an element with
//     the key of an existing one is merged into it, a new one is appended, the rest keep their
//     order; metadata.finalizers is a set (the patch's values are added); every other list
//     (args, command, tolerations, envFrom, ...) is replaced;
//   * in a merge list, {"<key>": X, "$patch": "delete"} deletes the elements with key X, and an
//     element {"$patch": "replace"} makes the list exactly the patch's other elements;
//   * in a map, "$patch": "replace" replaces the map with the patch's other keys, and
//     "$patch": "delete" leaves an empty map (as Kubernetes does);
//   * "$retainKeys": [...] clears the original's keys that are not listed (and, like Kubernetes,
//     rejects a patch that sets a key not listed);
//   * "$deleteFromPrimitiveList/<field>": [...] removes those values from the original's list of
//     scalars <field> before the rest of the patch applies;
//   * "$setElementOrder/<field>" is accepted and ignored: merged lists keep the original order
//     with new elements appended.
// Values added where the original has nothing (or something of another type) are cleaned the same
// way, so directives and nulls never end up stored. Any other "$..." key, a "$patch" value other
// than those above, or a merge-list element without its merge key is an error.

namespace {

constexpr std::string_view delete_from_list_prefix = "$deleteFromPrimitiveList/";
constexpr std::string_view set_order_prefix = "$setElementOrder/";

[[noreturn]] void smp_error(const std::string& where, const std::string& message) {
    throw Error("strategic merge patch: " + message + " at " +
                (where.empty() ? "the top level" : where));
}

std::string child_path(const std::string& where, std::string_view key) {
    std::string path = where + '/';
    for (char c : key) {
        if (c == '~') {
            path += "~0";
        } else if (c == '/') {
            path += "~1";
        } else {
            path += c;
        }
    }
    return path;
}

bool has_member(const json& value, const char* key) {
    return value.is_object() && value.contains(key);
}

// The merge key of a list field, or "" when the list is replaced. `ports` is both a container's
// (keyed by containerPort) and a Service's (keyed by port); the elements tell which one it is.
std::string merge_key_for(std::string_view field, const json& original, const json& patch) {
    if (field == "containers" || field == "initContainers" || field == "ephemeralContainers" ||
        field == "env" || field == "volumes" || field == "imagePullSecrets") {
        return "name";
    }
    if (field == "volumeMounts") {
        return "mountPath";
    }
    if (field == "volumeDevices") {
        return "devicePath";
    }
    if (field == "hostAliases") {
        return "ip";
    }
    if (field == "conditions") {
        return "type";
    }
    if (field == "ownerReferences") {
        return "uid";
    }
    if (field == "topologySpreadConstraints") {
        return "topologyKey";
    }
    if (field == "ports") {
        const auto container_port = [](const json& element) {
            return has_member(element, "containerPort");
        };
        const bool is_container_ports =
            std::any_of(patch.begin(), patch.end(), container_port) ||
            std::any_of(original.begin(), original.end(), container_port);
        return is_container_ports ? "containerPort" : "port";
    }
    return "";
}

json merge_map(json original, const json& patch, const std::string& where);
json merge_list(std::string_view field, json original, const json& patch, const std::string& where);

// A patch value where the original has none: merged into nothing, which strips the directives.
json new_value(std::string_view field, const json& patch, const std::string& where) {
    if (patch.is_object()) {
        return merge_map(json::object(), patch, where);
    }
    if (patch.is_array()) {
        return merge_list(field, json::array(), patch, where);
    }
    return patch;
}

std::string patch_directive(const json& element, const std::string& where) {
    const json& directive = element.at("$patch");
    if (!directive.is_string()) {
        smp_error(where, "\"$patch\" must be a string");
    }
    return directive.get<std::string>();
}

void apply_retain_keys(json& original, const json& patch, const json& retain_keys,
                       const std::string& where) {
    if (!retain_keys.is_array()) {
        smp_error(where, "\"$retainKeys\" must be a list of strings");
    }
    std::set<std::string> keep;
    for (const json& key : retain_keys) {
        if (!key.is_string()) {
            smp_error(where, "\"$retainKeys\" must be a list of strings");
        }
        keep.insert(key.get<std::string>());
    }
    for (const auto& [key, value] : patch.items()) {
        if (value.is_null() || key.starts_with('$')) {
            continue;
        }
        if (!keep.contains(key)) {
            smp_error(where, "\"" + key + "\" is set but not listed in \"$retainKeys\"");
        }
    }
    for (auto it = original.begin(); it != original.end();) {
        it = keep.contains(it.key()) ? std::next(it) : original.erase(it);
    }
}

void delete_from_primitive_list(json& original, std::string_view field, const json& values,
                                const std::string& where) {
    if (!values.is_array()) {
        smp_error(where, "\"" + std::string(delete_from_list_prefix) + std::string(field) +
                             "\" must be a list");
    }
    auto list = original.find(std::string(field));
    if (list == original.end() || !list->is_array()) {
        return;
    }
    json kept = json::array();
    for (json& element : *list) {
        if (std::find(values.begin(), values.end(), element) == values.end()) {
            kept.push_back(std::move(element));
        }
    }
    *list = std::move(kept);
}

json merge_map(json original, const json& patch, const std::string& where) {
    if (patch.contains("$patch")) {
        const std::string directive = patch_directive(patch, where);
        if (directive == "replace") {
            json rest = patch;
            rest.erase("$patch");
            return merge_map(json::object(), rest, where);
        }
        if (directive == "delete") {
            return json::object();
        }
        smp_error(where, "unknown \"$patch\" value \"" + directive + "\"");
    }
    if (!original.is_object()) {
        original = json::object();
    }
    if (auto retain = patch.find("$retainKeys"); retain != patch.end()) {
        apply_retain_keys(original, patch, *retain, where);
    }
    // Directives first, so a deletion list and a new value for the same field do not depend on
    // the order of the patch's keys.
    for (const auto& [key, value] : patch.items()) {
        if (key.starts_with(delete_from_list_prefix)) {
            delete_from_primitive_list(original,
                                       std::string_view(key).substr(delete_from_list_prefix.size()),
                                       value, where);
        } else if (key.starts_with(set_order_prefix)) {
            if (!value.is_array()) {
                smp_error(where, "\"" + key + "\" must be a list");
            }
        } else if (key.starts_with('$') && key != "$retainKeys") {
            smp_error(where, "unknown directive \"" + key + "\"");
        }
    }
    for (const auto& [key, value] : patch.items()) {
        if (key.starts_with('$')) {
            continue;
        }
        const std::string path = child_path(where, key);
        if (value.is_null()) {
            original.erase(key);
            continue;
        }
        auto member = original.find(key);
        if (member == original.end()) {
            original[key] = new_value(key, value, path);
        } else if (member->is_object() && value.is_object()) {
            *member = merge_map(std::move(*member), value, path);
        } else if (member->is_array() && value.is_array()) {
            *member = merge_list(key, std::move(*member), value, path);
        } else {
            *member = new_value(key, value, path);
        }
    }
    return original;
}

json merge_list(std::string_view field, json original, const json& patch,
                const std::string& where) {
    // metadata.finalizers is a set in Kubernetes (patchStrategy "merge" on a list of strings):
    // a patch adds its values to those already there; removal goes through
    // $deleteFromPrimitiveList.
    if (field == "finalizers" && original.is_array()) {
        for (const json& value : patch) {
            if (std::find(original.begin(), original.end(), value) == original.end()) {
                original.push_back(value);
            }
        }
        return original;
    }
    const std::string key = merge_key_for(field, original, patch);
    const auto is_object = [](const json& element) {
        return element.is_object();
    };
    if (key.empty() || !std::all_of(patch.begin(), patch.end(), is_object)) {
        return patch;
    }
    if (!std::all_of(original.begin(), original.end(), is_object)) {
        original = json::array(); // not a list we can merge into; the patch's elements win
    }
    // Pass 1: the special elements ($patch: delete / replace).
    std::vector<std::size_t> plain;
    bool replace = false;
    for (std::size_t i = 0; i < patch.size(); ++i) {
        const json& element = patch[i];
        if (!element.contains("$patch")) {
            plain.push_back(i);
            continue;
        }
        const std::string path = where + '/' + std::to_string(i);
        const std::string directive = patch_directive(element, path);
        if (directive == "replace") {
            replace = true;
        } else if (directive == "delete") {
            auto value = element.find(key);
            if (value == element.end()) {
                smp_error(path, "\"$patch\": \"delete\" element has no merge key \"" + key + "\"");
            }
            json kept = json::array();
            for (json& existing : original) {
                const auto existing_value = existing.find(key);
                if (existing_value == existing.end() || *existing_value != *value) {
                    kept.push_back(std::move(existing));
                }
            }
            original = std::move(kept);
        } else {
            smp_error(path, "unknown \"$patch\" value \"" + directive + "\"");
        }
    }
    if (replace) {
        original = json::array();
    }
    // Pass 2: merge the plain elements by key, appending the new ones.
    for (std::size_t i : plain) {
        const json& element = patch[i];
        const std::string path = where + '/' + std::to_string(i);
        auto value = element.find(key);
        if (value == element.end()) {
            smp_error(path, "element has no merge key \"" + key + "\"");
        }
        auto match = std::find_if(original.begin(), original.end(), [&](const json& existing) {
            const auto existing_value = existing.find(key);
            return existing_value != existing.end() && *existing_value == *value;
        });
        if (match != original.end()) {
            *match = merge_map(std::move(*match), element, path);
        } else {
            original.push_back(merge_map(json::object(), element, path));
        }
    }
    return original;
}

} // namespace

json apply_strategic_merge_patch(const json& target, const json& patch) {
    if (!patch.is_object()) {
        throw Error("strategic merge patch must be a JSON object, not " + describe(patch));
    }
    return merge_map(target, patch, "");
}

} // namespace nova::core
