#include "lib/sim/store.hpp"

#include "lib/core/base64.hpp"
#include "lib/core/error.hpp"
#include "lib/core/json_patch.hpp"
#include "lib/core/names.hpp"
#include "lib/sim/generated_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace nova::sim {

using nlohmann::json;

namespace {

// Namespaces the apiserver refuses to delete.
const std::set<std::string, std::less<>> k_protected_namespaces = {"default", "kube-system",
                                                                   "kube-public"};

std::string str_at(const json& j, std::string_view key) {
    if (!j.is_object()) {
        return {};
    }
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

json& metadata(json& object) {
    json& m = object["metadata"];
    if (!m.is_object()) {
        m = json::object();
    }
    return m;
}

std::string meta_str(const json& object, std::string_view key) {
    const auto it = object.find("metadata");
    return it == object.end() ? std::string{} : str_at(*it, key);
}

bool is_alnum_lower(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_dns_label(std::string_view s) {
    if (s.empty() || s.size() > 63 || !is_alnum_lower(s.front()) || !is_alnum_lower(s.back())) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum_lower(c) || c == '-'; });
}

bool is_dns_subdomain(std::string_view s) {
    if (s.empty() || s.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        const auto part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
        if (!is_dns_label(part)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

// The validation message of apimachinery's IsDNS1123Subdomain / IsDNS1123Label.
std::optional<std::string> name_problem(std::string_view name, bool label) {
    if (label) {
        if (name.size() > 63) {
            return "must be no more than 63 characters";
        }
        if (!is_dns_label(name)) {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                   "characters or '-', and must start and end with an alphanumeric character "
                   "(e.g. 'my-name',  or '123-abc', regex used for validation is "
                   "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
        }
        return std::nullopt;
    }
    if (name.size() > 253) {
        return "must be no more than 253 characters";
    }
    if (!is_dns_subdomain(name)) {
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
               "characters, '-' or '.', and must start and end with an alphanumeric character "
               "(e.g. 'example.com', regex used for validation is "
               "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }
    return std::nullopt;
}

// Everything but metadata (and status when it is a subresource): what moves generation.
json spec_part(const json& object, bool has_status) {
    json copy = object;
    copy.erase("metadata");
    if (has_status) {
        copy.erase("status");
    }
    copy.erase("apiVersion");
    copy.erase("kind");
    return copy;
}

std::uint64_t parse_rv(std::string_view text, bool& ok) {
    ok = !text.empty() && text.size() <= 19 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    return ok ? std::stoull(std::string(text)) : 0;
}

std::string encode_continue(std::uint64_t rv, const std::pair<std::string, std::string>& key) {
    const json token = {
        {"v", "meta.k8s.io/v1"}, {"rv", rv}, {"start", key.first + "/" + key.second}};
    return core::encode_base64url(token.dump());
}

const char* const k_continue_too_old =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted between "
    "the time the first chunk was returned and now may show up in the list.";

void check_fields(const ResourceType& type, const FieldSelector& fields) {
    for (const auto& r : fields.requirements()) {
        if (r.field == "metadata.name" || r.field == "metadata.namespace") {
            continue;
        }
        if (std::find(type.selectable_fields.begin(), type.selectable_fields.end(), r.field) ==
            type.selectable_fields.end()) {
            throw bad_request("field label not supported: " + r.field);
        }
    }
}

bool selected(const json& object, const ListOptions& o) {
    return o.labels.matches_object(object) && o.fields.matches(object);
}

// The status an object of a kind with a status subresource starts with.
json initial_status(const ResourceType& type, const json& object) {
    if (type.group.empty() && type.plural == "pods") {
        return {{"phase", "Pending"}};
    }
    if (type.group.empty() && type.plural == "namespaces") {
        return {{"phase", "Active"}};
    }
    if (type.group == kinds::crds.group && type.plural == kinds::crds.resource) {
        // What the apiextensions controllers report at once for a well-formed CRD.
        const json spec = object.value("spec", json::object());
        json stored = json::array();
        for (const auto& v : spec.value("versions", json::array())) {
            if (v.value("storage", false)) {
                stored.push_back(v.value("name", ""));
            }
        }
        const std::string now = meta_str(object, "creationTimestamp");
        return {
            {"acceptedNames", spec.value("names", json::object())},
            {"conditions", json::array({{{"type", "NamesAccepted"},
                                         {"status", "True"},
                                         {"lastTransitionTime", now},
                                         {"reason", "NoConflicts"},
                                         {"message", "no conflicts found"}},
                                        {{"type", "Established"},
                                         {"status", "True"},
                                         {"lastTransitionTime", now},
                                         {"reason", "InitialNamesAccepted"},
                                         {"message", "the initial names have been accepted"}}})},
            {"storedVersions", stored}};
    }
    return nullptr;
}

// Fields the apiserver keeps up to date on Namespaces.
void normalize_namespace(json& object) {
    json& meta = metadata(object);
    if (!meta["labels"].is_object()) {
        meta["labels"] = json::object();
    }
    meta["labels"]["kubernetes.io/metadata.name"] = meta.value("name", "");
    json& spec = object["spec"];
    if (!spec.is_object()) {
        spec = json::object();
    }
    if (!spec.contains("finalizers")) {
        spec["finalizers"] = json::array({"kubernetes"});
    }
}

bool is_namespace(const ResourceType& t) {
    return t.group.empty() && t.plural == "namespaces";
}

bool is_crd(const ResourceType& t) {
    return t.group == kinds::crds.group && t.plural == kinds::crds.resource;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// FieldSelector

FieldSelector FieldSelector::parse(std::string_view text) {
    FieldSelector out;
    // Split on unescaped commas; "\," "\=" "\\" are escapes inside values.
    std::vector<std::string> terms;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            current += text[i];
            current += text[++i];
        } else if (text[i] == ',') {
            terms.push_back(current);
            current.clear();
        } else {
            current += text[i];
        }
    }
    terms.push_back(current);
    const auto unescape = [](std::string_view s) {
        std::string v;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\' && i + 1 < s.size()) {
                ++i;
            }
            v += s[i];
        }
        return v;
    };
    for (const auto& raw : terms) {
        std::string term = raw;
        while (!term.empty() && std::isspace(static_cast<unsigned char>(term.front()))) {
            term.erase(term.begin());
        }
        while (!term.empty() && std::isspace(static_cast<unsigned char>(term.back()))) {
            term.pop_back();
        }
        if (term.empty()) {
            continue;
        }
        FieldRequirement r;
        std::size_t op_at = std::string::npos;
        std::size_t op_len = 0;
        for (std::size_t i = 0; i < term.size(); ++i) {
            if (term[i] == '\\') {
                ++i;
                continue;
            }
            if (term.compare(i, 2, "!=") == 0) {
                r.equals = false;
                op_at = i;
                op_len = 2;
            } else if (term.compare(i, 2, "==") == 0) {
                op_at = i;
                op_len = 2;
            } else if (term[i] == '=') {
                op_at = i;
                op_len = 1;
            }
            if (op_at != std::string::npos) {
                break;
            }
        }
        if (op_at == std::string::npos || op_at == 0) {
            throw bad_request("invalid selector: '" + std::string(text) + "'; can't understand '" +
                              term + "'");
        }
        r.field = term.substr(0, op_at);
        r.value = unescape(std::string_view(term).substr(op_at + op_len));
        out.m_requirements.push_back(std::move(r));
    }
    return out;
}

FieldSelector FieldSelector::name_equals(std::string name) {
    FieldSelector out;
    out.m_requirements.push_back({"metadata.name", true, std::move(name)});
    return out;
}

std::string field_value(const json& object, std::string_view field) {
    const json* cur = &object;
    std::size_t start = 0;
    while (start <= field.size()) {
        const auto dot = field.find('.', start);
        const std::string part(field.substr(start, dot == field.npos ? field.npos : dot - start));
        if (!cur->is_object()) {
            return {};
        }
        const auto it = cur->find(part);
        if (it == cur->end()) {
            return {};
        }
        cur = &*it;
        if (dot == field.npos) {
            break;
        }
        start = dot + 1;
    }
    if (cur->is_string()) {
        return cur->get<std::string>();
    }
    if (cur->is_null()) {
        return {};
    }
    return cur->dump();
}

bool FieldSelector::matches(const json& object) const {
    for (const auto& r : m_requirements) {
        if ((field_value(object, r.field) == r.value) != r.equals) {
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Watcher

Watcher::Watcher(Store& store, std::optional<GroupResource> resource, WatchOptions options)
    : m_store(store), m_resource(std::move(resource)), m_options(std::move(options)) {}

std::optional<WatchEvent> Watcher::next(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(m_store.m_mutex);
    bool timed_out = false;
    while (true) {
        if (!m_pending.empty()) {
            WatchEvent ev = std::move(m_pending.front());
            m_pending.pop_front();
            if (ev.type == "ERROR") {
                m_stopped = true;
                m_pending.clear();
            }
            return ev;
        }
        if (m_stopped || m_epoch != m_store.m_epoch) {
            m_stopped = true;
            return std::nullopt;
        }
        if (m_position < m_store.m_history_floor) {
            // Fell behind the history (a slow watcher): like the apiserver, end with 410.
            const auto err = expired("too old resource version: " + std::to_string(m_position) +
                                     " (" + std::to_string(m_store.m_history_floor) + ")");
            m_pending.push_back({"ERROR", err.to_status(), {}});
            continue;
        }
        auto& history = m_store.m_history;
        auto it =
            std::upper_bound(history.begin(), history.end(), m_position,
                             [](std::uint64_t rv, const Store::Event& e) { return rv < e.rv; });
        for (; it != history.end(); ++it) {
            const auto& e = *it;
            m_position = e.rv;
            if (m_resource && e.resource != *m_resource) {
                continue;
            }
            const bool now_matches = m_store.watcher_matches(*this, e.resource, *e.object);
            const std::string type = e.type;
            if (type == "MODIFIED") {
                const bool was_matching = m_store.watcher_matches(*this, e.resource, *e.previous);
                if (now_matches && was_matching) {
                    return WatchEvent{"MODIFIED", *e.object, e.resource};
                }
                if (now_matches) {
                    return WatchEvent{"ADDED", *e.object, e.resource};
                }
                if (was_matching) {
                    // Stopped matching: DELETED with the old object at the new version.
                    json old = *e.previous;
                    metadata(old)["resourceVersion"] = std::to_string(e.rv);
                    return WatchEvent{"DELETED", std::move(old), e.resource};
                }
                continue;
            }
            if (now_matches) {
                return WatchEvent{type, *e.object, e.resource};
            }
        }
        m_position = std::max(m_position, m_store.m_rv);
        if (timed_out) {
            return std::nullopt;
        }
        timed_out = m_store.m_changed.wait_until(lock, deadline) == std::cv_status::timeout;
    }
}

bool Watcher::ended() const {
    std::lock_guard lock(m_store.m_mutex);
    return m_stopped || m_epoch != m_store.m_epoch;
}

void Watcher::stop() {
    std::lock_guard lock(m_store.m_mutex);
    m_stopped = true;
    m_store.m_changed.notify_all();
}

std::string Watcher::resource_version() const {
    std::lock_guard lock(m_store.m_mutex);
    return std::to_string(m_position);
}

// ---------------------------------------------------------------------------------------------
// Store

Store::Store() : m_random(std::random_device{}()) {
    m_now = [] {
        return std::chrono::floor<std::chrono::seconds>(core::Clock::now());
    };
    std::lock_guard lock(m_mutex);
    for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        ensure_namespace_locked(ns);
    }
}

Store::~Store() {
    drop_watches();
}

ResourceTypePtr Store::type_of(const GroupResource& gr) const {
    auto t = m_registry.find(gr);
    if (!t) {
        throw path_not_found();
    }
    return t;
}

std::string Store::now_text() const {
    return core::format_rfc3339(m_now());
}

std::string Store::new_uid_locked() {
    std::array<unsigned char, 16> b{};
    for (std::size_t i = 0; i < b.size(); i += 8) {
        auto r = m_random();
        for (std::size_t j = 0; j < 8; ++j) {
            b[i + j] = static_cast<unsigned char>(r >> (8 * j));
        }
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += hex[b[i] >> 4];
        out += hex[b[i] & 0x0f];
    }
    return out;
}

std::uint64_t Store::next_rv_locked() {
    return ++m_rv;
}

void Store::record_locked(const GroupResource& gr, const char* type, ObjectPtr object,
                          ObjectPtr previous) {
    bool ok = false;
    auto rv = parse_rv(meta_str(*object, "resourceVersion"), ok);
    if (!ok || rv <= (m_history.empty() ? 0 : m_history.back().rv)) {
        rv = m_rv; // loaded objects may carry versions of their own
    }
    m_history.push_back({rv, gr, type, std::move(object), std::move(previous)});
    while (m_history.size() > m_history_limit) {
        m_history_floor = m_history.front().rv;
        m_history.pop_front();
    }
    m_changed.notify_all();
}

Store::ObjectPtr Store::lookup_locked(const GroupResource& gr, const Key& key) const {
    const auto bucket = m_objects.find(gr);
    if (bucket == m_objects.end()) {
        return nullptr;
    }
    const auto it = bucket->second.find(key);
    return it == bucket->second.end() ? nullptr : it->second;
}

json Store::get(const GroupResource& gr, std::string_view ns, std::string_view name) const {
    auto found = find(gr, ns, name);
    if (!found) {
        throw not_found(gr, name);
    }
    return std::move(*found);
}

std::optional<json> Store::find(const GroupResource& gr, std::string_view ns,
                                std::string_view name) const {
    const auto type = type_of(gr);
    std::lock_guard lock(m_mutex);
    const auto obj =
        lookup_locked(gr, {type->namespaced ? std::string(ns) : std::string{}, std::string(name)});
    if (!obj) {
        return std::nullopt;
    }
    return *obj;
}

ListResult Store::list(const GroupResource& gr, const ListOptions& options) const {
    const auto type = type_of(gr);
    check_fields(*type, options.fields);
    std::lock_guard lock(m_mutex);
    ListResult result;
    std::uint64_t list_rv = m_rv;
    std::optional<Key> after;
    if (!options.continue_token.empty()) {
        const auto decoded = core::decode_base64url(options.continue_token);
        json token;
        if (decoded) {
            token = json::parse(*decoded, nullptr, false);
        }
        if (!token.is_object() || !token.contains("rv") || !token["rv"].is_number_unsigned() ||
            !token.contains("start") || !token["start"].is_string()) {
            throw bad_request("continue key is not valid: incorrect encoded start resourceVersion "
                              "(version meta.k8s.io/v1)");
        }
        list_rv = token["rv"].get<std::uint64_t>();
        if (list_rv < m_history_floor) {
            ApiError err = expired(k_continue_too_old);
            throw err;
        }
        const std::string start = token["start"].get<std::string>();
        const auto slash = start.find('/');
        after =
            Key{start.substr(0, slash), slash == std::string::npos ? "" : start.substr(slash + 1)};
    }
    result.resource_version = std::to_string(list_rv);
    const auto bucket = m_objects.find(gr);
    if (bucket == m_objects.end()) {
        return result;
    }
    const auto& objects = bucket->second;
    auto it = after ? objects.upper_bound(*after) : objects.begin();
    std::int64_t remaining = 0;
    bool full = false;
    for (; it != objects.end(); ++it) {
        if (type->namespaced && !options.ns.empty() && it->first.first != options.ns) {
            continue;
        }
        if (!selected(*it->second, options)) {
            continue;
        }
        if (full) {
            ++remaining;
            continue;
        }
        result.items.push_back(*it->second);
        if (options.limit > 0 && result.items.size() == options.limit) {
            full = true;
            result.continue_token = encode_continue(list_rv, it->first);
        }
    }
    if (remaining == 0) {
        result.continue_token.clear();
    } else if (options.labels.empty() && options.fields.empty()) {
        result.remaining = remaining;
    }
    return result;
}

void Store::ensure_namespace_locked(const std::string& ns) {
    if (ns.empty() || lookup_locked(kinds::namespaces, {"", ns})) {
        return;
    }
    const auto type = type_of(kinds::namespaces);
    json object = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    create_locked(*type, std::move(object), {});
}

json Store::store_new_locked(const ResourceType& type, json object) {
    const std::string ns = meta_str(object, "namespace");
    const std::string name = meta_str(object, "name");
    const std::string uid = meta_str(object, "uid");
    auto ptr = std::make_shared<const json>(std::move(object));
    m_objects[type.group_resource()][{ns, name}] = ptr;
    m_uids[uid] = {type.group_resource(), {ns, name}};
    record_locked(type.group_resource(), "ADDED", ptr, nullptr);
    return *ptr;
}

json Store::create(const GroupResource& gr, json object, const WriteOptions& options) {
    const auto type = type_of(gr);
    std::lock_guard lock(m_mutex);
    return create_locked(*type, std::move(object), options);
}

json Store::create_locked(const ResourceType& type, json object, const WriteOptions& options) {
    const auto gr = type.group_resource();
    if (!object.is_object()) {
        throw bad_request("the body of the request must be a JSON object");
    }
    // The body names its kind; it must be the one of the endpoint.
    const std::string api_version = str_at(object, "apiVersion");
    const std::string kind = str_at(object, "kind");
    if (!api_version.empty()) {
        const auto slash = api_version.find('/');
        const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
        if (group != type.group) {
            throw bad_request("the API version in the data (" + api_version +
                              ") does not match the expected API version (" + type.api_version() +
                              ")");
        }
    } else {
        object["apiVersion"] = type.api_version();
    }
    if (!kind.empty() && kind != type.kind) {
        throw bad_request("the kind in the data (" + kind + ") does not match the expected kind (" +
                          type.kind + ")");
    }
    object["kind"] = type.kind;

    json& meta = metadata(object);
    std::string name = str_at(meta, "name");
    const std::string generate_name = str_at(meta, "generateName");
    if (name.empty() && generate_name.empty()) {
        throw invalid(type.group, type.kind, "",
                      {{"FieldValueRequired", "metadata.name",
                        "Required value: name or generateName is required"}});
    }
    std::string ns = str_at(meta, "namespace");
    if (type.namespaced) {
        if (ns.empty()) {
            throw invalid(type.group, type.kind, name,
                          {{"FieldValueRequired", "metadata.namespace", "Required value"}});
        }
    } else {
        meta.erase("namespace");
        ns.clear();
    }
    if (name.empty()) {
        // generateName: a random suffix from the apiserver's alphabet, after the prefix cut to
        // 58 characters as the apiserver cuts it (so that the name fits in 63).
        for (int attempt = 0; attempt < 16; ++attempt) {
            std::string candidate = generate_name.substr(0, core::generate_name_prefix_kept) +
                                    random_name_suffix(m_random);
            if (!lookup_locked(gr, {ns, candidate})) {
                name = candidate;
                break;
            }
        }
        meta["name"] = name;
    }
    if (auto problem = name_problem(name, is_namespace(type))) {
        throw invalid(type.group, type.kind, name,
                      {{"FieldValueInvalid", "metadata.name",
                        "Invalid value: \"" + name + "\": " + *problem}});
    }
    if (type.namespaced && !lookup_locked(kinds::namespaces, {"", ns})) {
        throw not_found(kinds::namespaces, ns);
    }
    if (lookup_locked(gr, {ns, name})) {
        throw already_exists(gr, name);
    }
    if (is_crd(type)) {
        (void)ResourceRegistry::from_crd(object); // validates (422)
    }

    meta["uid"] = new_uid_locked();
    meta["creationTimestamp"] = now_text();
    meta.erase("deletionTimestamp");
    meta.erase("resourceVersion");
    if (type.has_generation) {
        meta["generation"] = 1;
    } else {
        meta.erase("generation");
    }
    if (type.has_status) {
        // The status subresource is the only way to write status; create starts it afresh.
        json status = initial_status(type, object);
        if (status.is_null()) {
            object.erase("status");
        } else {
            object["status"] = std::move(status);
        }
    }
    if (is_namespace(type)) {
        normalize_namespace(object);
    }
    if (type.group == "apps" && object.contains("spec") && object["spec"].is_object() &&
        !object["spec"].contains("replicas")) {
        object["spec"]["replicas"] = 1; // the apiserver's defaulting for workloads
    }
    if (options.dry_run) {
        return object;
    }
    metadata(object)["resourceVersion"] = std::to_string(next_rv_locked());
    if (is_crd(type)) {
        m_registry.register_crd(object);
    }
    return store_new_locked(type, std::move(object));
}

json Store::update(const GroupResource& gr, json object, bool status_only,
                   const WriteOptions& options) {
    const auto type = type_of(gr);
    std::lock_guard lock(m_mutex);
    return update_locked(*type, std::move(object), status_only, options);
}

json Store::update_locked(const ResourceType& type, json object, bool status_only,
                          const WriteOptions& options) {
    const auto gr = type.group_resource();
    if (!object.is_object()) {
        throw bad_request("the body of the request must be a JSON object");
    }
    const std::string name = meta_str(object, "name");
    const std::string ns = type.namespaced ? meta_str(object, "namespace") : "";
    if (name.empty()) {
        throw invalid(
            type.group, type.kind, "",
            {{"FieldValueRequired", "metadata.name", "Required value: name is required"}});
    }
    const auto existing = lookup_locked(gr, {ns, name});
    if (!existing) {
        throw not_found(gr, name);
    }
    const std::string current_rv = meta_str(*existing, "resourceVersion");
    const std::string given_rv = meta_str(object, "resourceVersion");
    if (!given_rv.empty() && given_rv != current_rv) {
        throw stale_conflict(gr, name);
    }
    if (given_rv.empty() && type.custom) {
        throw invalid(type.group, type.kind, name,
                      {{"FieldValueInvalid", "metadata.resourceVersion",
                        "Invalid value: 0x0: must be specified for an update"}});
    }
    const std::string kind = str_at(object, "kind");
    if (!kind.empty() && kind != type.kind) {
        throw bad_request("the kind in the data (" + kind + ") does not match the expected kind (" +
                          type.kind + ")");
    }

    json updated;
    if (status_only) {
        updated = *existing;
        if (object.contains("status")) {
            updated["status"] = object["status"];
        } else {
            updated.erase("status");
        }
    } else {
        updated = std::move(object);
        const json& old_meta = (*existing)["metadata"];
        json& meta = metadata(updated);
        for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp", "generation"}) {
            if (old_meta.contains(key)) {
                meta[key] = old_meta[key];
            } else {
                meta.erase(key);
            }
        }
        if (type.namespaced) {
            meta["namespace"] = ns;
        } else {
            meta.erase("namespace");
        }
        if (!updated.contains("apiVersion")) {
            updated["apiVersion"] = (*existing)["apiVersion"];
        }
        updated["kind"] = type.kind;
        if (type.has_status) {
            // Status moves only through the status subresource.
            if (existing->contains("status")) {
                updated["status"] = (*existing)["status"];
            } else {
                updated.erase("status");
            }
        }
        if (is_namespace(type)) {
            normalize_namespace(updated);
        }
        if (is_crd(type)) {
            (void)ResourceRegistry::from_crd(updated);
            updated["status"]["acceptedNames"] = updated["spec"].value("names", json::object());
        }
    }
    json& meta = metadata(updated);
    meta["resourceVersion"] = current_rv;
    if (type.has_generation &&
        spec_part(updated, type.has_status) != spec_part(*existing, type.has_status)) {
        meta["generation"] = existing->at("metadata").value("generation", 0) + 1;
    }
    if (updated == *existing) {
        return updated; // a no-op: no new version, no event (like the apiserver)
    }
    if (options.dry_run) {
        return updated;
    }
    meta["resourceVersion"] = std::to_string(next_rv_locked());
    if (is_crd(type) && !status_only) {
        m_registry.register_crd(updated);
    }
    auto ptr = std::make_shared<const json>(std::move(updated));
    m_objects[gr][{ns, name}] = ptr;
    record_locked(gr, "MODIFIED", ptr, existing);
    return *ptr;
}

json Store::patch(const GroupResource& gr, std::string_view ns, std::string_view name,
                  PatchType patch_type, const json& patch, bool status_only,
                  const WriteOptions& options) {
    const auto type = type_of(gr);
    if (patch_type == PatchType::strategic && type->custom) {
        throw unsupported_media_type("application/strategic-merge-patch+json",
                                     {"application/json-patch+json", "application/merge-patch+json",
                                      "application/apply-patch+yaml"});
    }
    std::lock_guard lock(m_mutex);
    const Key key{type->namespaced ? std::string(ns) : std::string{}, std::string(name)};
    const auto existing = lookup_locked(gr, key);
    if (!existing) {
        if (patch_type == PatchType::apply && !status_only) {
            json object = patch;
            if (object.is_object()) {
                json& meta = metadata(object);
                meta["name"] = name;
                if (type->namespaced) {
                    meta["namespace"] = ns;
                }
            }
            return create_locked(*type, std::move(object), options);
        }
        throw not_found(gr, name);
    }
    json patched;
    try {
        switch (patch_type) {
        case PatchType::json:
            if (!patch.is_array()) {
                throw bad_request("json: cannot unmarshal object into Go value of type "
                                  "jsonpatch.Patch");
            }
            patched = core::apply_json_patch(*existing, patch);
            break;
        case PatchType::strategic:
            if (!patch.is_object()) {
                throw bad_request("the patch must be a JSON object");
            }
            patched = core::apply_strategic_merge_patch(*existing, patch);
            break;
        case PatchType::merge:
        case PatchType::apply:
            if (!patch.is_object()) {
                throw bad_request("the patch must be a JSON object");
            }
            patched = core::apply_merge_patch(*existing, patch);
            break;
        }
    } catch (const core::Error& e) {
        if (patch_type == PatchType::json) {
            throw ApiError(422, "Invalid", e.what());
        }
        throw bad_request(e.what());
    }
    if (!patched.is_object()) {
        throw bad_request("the patched object is not a JSON object");
    }
    const std::string current_rv = meta_str(*existing, "resourceVersion");
    const std::string patched_rv = meta_str(patched, "resourceVersion");
    if (!patched_rv.empty() && patched_rv != current_rv) {
        throw stale_conflict(gr, name);
    }
    // Name and namespace come from the URL, whatever the patch did to them.
    json& meta = metadata(patched);
    meta["name"] = name;
    if (type->namespaced) {
        meta["namespace"] = ns;
    }
    meta["resourceVersion"] = current_rv;
    return update_locked(*type, std::move(patched), status_only, options);
}

json Store::modify(const GroupResource& gr, std::string_view ns, std::string_view name,
                   const std::function<void(json&)>& mutate, bool status_only) {
    const auto type = type_of(gr);
    std::lock_guard lock(m_mutex);
    const Key key{type->namespaced ? std::string(ns) : std::string{}, std::string(name)};
    const auto existing = lookup_locked(gr, key);
    if (!existing) {
        throw not_found(gr, name);
    }
    json object = *existing;
    mutate(object);
    json& meta = metadata(object);
    meta["name"] = name;
    if (type->namespaced) {
        meta["namespace"] = ns;
    }
    meta["resourceVersion"] = meta_str(*existing, "resourceVersion");
    return update_locked(*type, std::move(object), status_only, {});
}

json Store::erase_locked(const GroupResource& gr, const Key& key) {
    auto& bucket = m_objects[gr];
    const auto it = bucket.find(key);
    if (it == bucket.end()) {
        return nullptr;
    }
    json deleted = *it->second;
    bucket.erase(it);
    // Fixtures may share a uid between objects: only drop the index entry if it is this one.
    if (const auto u = m_uids.find(meta_str(deleted, "uid"));
        u != m_uids.end() && u->second == std::make_pair(gr, key)) {
        m_uids.erase(u);
    }
    metadata(deleted)["resourceVersion"] = std::to_string(next_rv_locked());
    auto ptr = std::make_shared<const json>(deleted);
    record_locked(gr, "DELETED", ptr, nullptr);
    return deleted;
}

json Store::remove(const GroupResource& gr, std::string_view ns, std::string_view name,
                   const DeleteOptions& options) {
    const auto type = type_of(gr);
    std::lock_guard lock(m_mutex);
    return remove_locked(
        *type, {type->namespaced ? std::string(ns) : std::string{}, std::string(name)}, options);
}

json Store::remove_locked(const ResourceType& type, const Key& key, const DeleteOptions& options) {
    const auto gr = type.group_resource();
    const auto existing = lookup_locked(gr, key);
    if (!existing) {
        throw not_found(gr, key.second);
    }
    const std::string uid = meta_str(*existing, "uid");
    const std::string rv = meta_str(*existing, "resourceVersion");
    if (!options.precondition_uid.empty() && options.precondition_uid != uid) {
        throw conflict(gr, key.second,
                       "Precondition failed: UID in precondition: " + options.precondition_uid +
                           ", UID in object meta: " + uid);
    }
    if (!options.precondition_resource_version.empty() &&
        options.precondition_resource_version != rv) {
        throw conflict(gr, key.second,
                       "Precondition failed: ResourceVersion in precondition: " +
                           options.precondition_resource_version +
                           ", ResourceVersion in object meta: " + rv);
    }
    if (is_namespace(type) && k_protected_namespaces.contains(key.second)) {
        throw forbidden(gr, key.second, "this namespace may not be deleted");
    }
    if (options.dry_run) {
        return *existing;
    }
    std::vector<std::string> deleted_uids;
    if (is_namespace(type)) {
        // The namespace controller's job, done at once: everything in it goes first.
        for (auto& [bucket_gr, objects] : m_objects) {
            std::vector<Key> doomed;
            for (const auto& [k, obj] : objects) {
                if (!k.first.empty() && k.first == key.second) {
                    doomed.push_back(k);
                }
            }
            for (const auto& k : doomed) {
                const json gone = erase_locked(bucket_gr, k);
                deleted_uids.push_back(meta_str(gone, "uid"));
            }
        }
    }
    json deleted = erase_locked(gr, key);
    deleted_uids.push_back(uid);
    if (is_crd(type)) {
        // Deleting a CRD deletes its custom resources and stops serving them.
        const json spec = deleted.value("spec", json::object());
        const GroupResource served{str_at(spec, "group"),
                                   str_at(spec.value("names", json::object()), "plural")};
        if (auto it = m_objects.find(served); it != m_objects.end()) {
            std::vector<Key> doomed;
            for (const auto& [k, obj] : it->second) {
                doomed.push_back(k);
            }
            for (const auto& k : doomed) {
                deleted_uids.push_back(meta_str(erase_locked(served, k), "uid"));
            }
        }
        m_registry.unregister(served);
    }
    collect_garbage_locked(std::move(deleted_uids), options.propagation == Propagation::orphan);
    return deleted;
}

void Store::collect_garbage_locked(std::vector<std::string> deleted_uids, bool orphan) {
    // The garbage collector's rules, applied at once: a dependent all of whose owners are gone
    // is deleted (and so on down the tree); one with other owners left loses the dangling
    // references; with orphan propagation the first level only loses its references.
    bool first_level = true;
    while (!deleted_uids.empty()) {
        const std::set<std::string> gone(deleted_uids.begin(), deleted_uids.end());
        deleted_uids.clear();
        std::vector<std::pair<GroupResource, Key>> to_delete;
        std::vector<std::pair<GroupResource, Key>> to_trim;
        for (const auto& [gr, objects] : m_objects) {
            for (const auto& [key, obj] : objects) {
                const auto refs = obj->at("metadata").find("ownerReferences");
                if (refs == obj->at("metadata").end() || !refs->is_array()) {
                    continue;
                }
                bool refers = false;
                bool any_alive = false;
                for (const auto& ref : *refs) {
                    const std::string owner = str_at(ref, "uid");
                    if (m_uids.contains(owner)) {
                        any_alive = true;
                    } else if (gone.contains(owner)) {
                        refers = true;
                    }
                }
                if (!refers) {
                    continue;
                }
                if (any_alive || (orphan && first_level)) {
                    to_trim.emplace_back(gr, key);
                } else {
                    to_delete.emplace_back(gr, key);
                }
            }
        }
        for (const auto& [gr, key] : to_trim) {
            const auto existing = lookup_locked(gr, key);
            json updated = *existing;
            json& refs = updated["metadata"]["ownerReferences"];
            json kept = json::array();
            for (const auto& ref : refs) {
                const std::string owner = str_at(ref, "uid");
                if (m_uids.contains(owner)) {
                    kept.push_back(ref);
                }
            }
            if (kept.empty()) {
                updated["metadata"].erase("ownerReferences");
            } else {
                refs = kept;
            }
            updated["metadata"]["resourceVersion"] = std::to_string(next_rv_locked());
            auto ptr = std::make_shared<const json>(std::move(updated));
            m_objects[gr][key] = ptr;
            record_locked(gr, "MODIFIED", ptr, existing);
        }
        for (const auto& [gr, key] : to_delete) {
            const json gone_object = erase_locked(gr, key);
            if (!gone_object.is_null()) {
                deleted_uids.push_back(meta_str(gone_object, "uid"));
            }
        }
        first_level = false;
        orphan = false;
    }
}

std::vector<json> Store::remove_collection(const GroupResource& gr, const ListOptions& selection,
                                           const DeleteOptions& options) {
    const auto type = type_of(gr);
    check_fields(*type, selection.fields);
    std::lock_guard lock(m_mutex);
    std::vector<Key> keys;
    if (const auto bucket = m_objects.find(gr); bucket != m_objects.end()) {
        for (const auto& [key, obj] : bucket->second) {
            if (type->namespaced && !selection.ns.empty() && key.first != selection.ns) {
                continue;
            }
            if (selected(*obj, selection)) {
                keys.push_back(key);
            }
        }
    }
    std::vector<json> out;
    for (const auto& key : keys) {
        if (lookup_locked(gr, key)) { // a cascade may have taken it already
            out.push_back(remove_locked(*type, key, options));
        }
    }
    return out;
}

json Store::load(json object) {
    if (!object.is_object()) {
        throw bad_request("an object must be a JSON object");
    }
    const std::string api_version = str_at(object, "apiVersion");
    const std::string kind = str_at(object, "kind");
    auto type = m_registry.find_kind(api_version, kind);
    if (!type) {
        throw ApiError(404, "NotFound",
                       "no matches for kind \"" + kind + "\" in version \"" + api_version + "\"");
    }
    std::lock_guard lock(m_mutex);
    const auto gr = type->group_resource();
    json& meta = metadata(object);
    const std::string name = str_at(meta, "name");
    if (name.empty()) {
        throw invalid(
            type->group, type->kind, "",
            {{"FieldValueRequired", "metadata.name", "Required value: name is required"}});
    }
    std::string ns;
    if (type->namespaced) {
        ns = str_at(meta, "namespace");
        if (ns.empty()) {
            ns = "default";
            meta["namespace"] = ns;
        }
        // Preloaded fixtures need no Namespace document: a missing namespace is created.
        ensure_namespace_locked(ns);
    } else {
        meta.erase("namespace");
    }
    if (lookup_locked(gr, {ns, name})) {
        throw already_exists(gr, name);
    }
    if (is_crd(*type)) {
        (void)ResourceRegistry::from_crd(object);
    }
    if (str_at(meta, "uid").empty()) {
        meta["uid"] = new_uid_locked();
    }
    if (str_at(meta, "creationTimestamp").empty()) {
        meta["creationTimestamp"] = now_text();
    }
    if (type->has_generation && !meta.contains("generation")) {
        meta["generation"] = 1;
    }
    // A version written in the fixture is kept; the counter moves past it so that later
    // versions still increase.
    bool numeric = false;
    const auto written = parse_rv(str_at(meta, "resourceVersion"), numeric);
    const auto rv = next_rv_locked();
    if (numeric) {
        m_rv = std::max(m_rv, written);
    } else {
        meta["resourceVersion"] = std::to_string(rv);
    }
    if (is_namespace(*type)) {
        normalize_namespace(object);
        if (!object.contains("status")) {
            object["status"] = {{"phase", "Active"}};
        }
    }
    if (is_crd(*type)) {
        m_registry.register_crd(object);
        if (!object.contains("status")) {
            object["status"] = initial_status(*type, object);
        }
    }
    return store_new_locked(*type, std::move(object));
}

bool Store::watcher_matches(const Watcher& w, const GroupResource& gr, const json& object) const {
    if (!w.m_options.ns.empty()) {
        const auto type = m_registry.find(gr);
        if (type && type->namespaced && meta_str(object, "namespace") != w.m_options.ns) {
            return false;
        }
    }
    return w.m_options.labels.matches_object(object) && w.m_options.fields.matches(object);
}

std::unique_ptr<Watcher> Store::watch(const GroupResource& gr, WatchOptions options) {
    const auto type = type_of(gr);
    check_fields(*type, options.fields);
    std::unique_ptr<Watcher> w(new Watcher(*this, gr, std::move(options)));
    std::lock_guard lock(m_mutex);
    w->m_epoch = m_epoch;
    const std::string& rv_text = w->m_options.resource_version;
    const bool initial = rv_text.empty() || rv_text == "0" || w->m_options.send_initial_events;
    if (initial) {
        if (const auto bucket = m_objects.find(gr); bucket != m_objects.end()) {
            for (const auto& [key, obj] : bucket->second) {
                if (watcher_matches(*w, gr, *obj)) {
                    w->m_pending.push_back({"ADDED", *obj, gr});
                }
            }
        }
    }
    if (rv_text.empty() || rv_text == "0") {
        w->m_position = m_rv;
        return w;
    }
    bool ok = false;
    const auto rv = parse_rv(rv_text, ok);
    if (!ok) {
        throw bad_request("invalid resource version \"" + rv_text + "\"");
    }
    if (w->m_options.send_initial_events) {
        w->m_position = m_rv;
    } else {
        w->m_position = rv;
    }
    if (rv < m_history_floor) {
        const auto err = expired("too old resource version: " + rv_text + " (" +
                                 std::to_string(m_history_floor) + ")");
        w->m_pending.clear();
        w->m_pending.push_back({"ERROR", err.to_status(), gr});
    }
    return w;
}

std::unique_ptr<Watcher> Store::watch_all(WatchOptions options) {
    std::unique_ptr<Watcher> w(new Watcher(*this, std::nullopt, std::move(options)));
    std::lock_guard lock(m_mutex);
    w->m_epoch = m_epoch;
    bool ok = false;
    const auto rv = parse_rv(w->m_options.resource_version, ok);
    w->m_position = ok ? rv : m_rv;
    if (ok && rv < m_history_floor) {
        const auto err = expired("too old resource version: " + w->m_options.resource_version +
                                 " (" + std::to_string(m_history_floor) + ")");
        w->m_pending.push_back({"ERROR", err.to_status(), {}});
    }
    return w;
}

void Store::drop_watches() {
    std::lock_guard lock(m_mutex);
    ++m_epoch;
    m_changed.notify_all();
}

std::string Store::resource_version() const {
    std::lock_guard lock(m_mutex);
    return std::to_string(m_rv);
}

void Store::set_history_limit(std::size_t events) {
    std::lock_guard lock(m_mutex);
    m_history_limit = std::max<std::size_t>(events, 1);
    while (m_history.size() > m_history_limit) {
        m_history_floor = m_history.front().rv;
        m_history.pop_front();
    }
}

std::string Store::compact() {
    std::lock_guard lock(m_mutex);
    m_history.clear();
    m_history_floor = m_rv;
    m_changed.notify_all(); // a watcher left behind gets its 410 now, not at the next change
    return std::to_string(m_rv);
}

void Store::set_clock(std::function<core::TimePoint()> now) {
    std::lock_guard lock(m_mutex);
    m_now = std::move(now);
}

} // namespace nova::sim
