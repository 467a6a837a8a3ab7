// The REST engine of a simulated API server: URL routing, query parameters, content
// negotiation, discovery, Status errors and Tables, as a thin layer over the Store.

#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"
#include "lib/core/json_patch.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/sim/resources.hpp"
#include "lib/sim/rest.hpp"
#include "lib/sim/store.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::sim {

using nlohmann::json;

namespace {

// What the server says it is (kubectl version, client-go's discovery).
json version_document() {
    return {{"major", "1"},
            {"minor", "29"},
            {"gitVersion", "v1.29.0"},
            {"gitCommit", "3f7a50f38688eb332e2a1b013678c6435d539ae6"},
            {"gitTreeState", "clean"},
            {"buildDate", "2023-12-13T08:44:12Z"},
            {"goVersion", "go1.21.5"},
            {"compiler", "gc"},
            {"platform", "linux/amd64"}};
}

Response json_response(int status, const json& body) {
    Response r;
    r.status = status;
    r.body = body.dump();
    return r;
}

Response error_response(const ApiError& e) {
    return json_response(e.code, e.to_status());
}

Response text_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

std::optional<std::string> query_value(const Request& req, const std::string& key) {
    const auto it = req.query.find(key);
    if (it == req.query.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string query_or(const Request& req, const std::string& key, std::string fallback = {}) {
    return query_value(req, key).value_or(std::move(fallback));
}

bool query_true(const Request& req, const std::string& key) {
    const auto v = query_value(req, key);
    return v && (*v == "true" || *v == "1");
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) {
            out.emplace_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

// The subresources of a Namespace: namespaces/NS/status is the Namespace's status, while
// namespaces/NS/X is the namespaced resource X (kube-apiserver's rule).
bool namespace_subresource(std::string_view part) {
    return part == "status" || part == "finalize";
}

std::string meta_str(const json& object, const char* key) {
    const auto m = object.find("metadata");
    if (m == object.end() || !m->is_object()) {
        return {};
    }
    const auto it = m->find(key);
    return it != m->end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// fieldValidation of a create, update or patch: "" or Warn (the default), Ignore, or Strict
// (what kubectl sends by default). The simulator has no schemas to find unknown fields with, so
// Strict refuses what needs none: a field given twice in a JSON body.
bool strict_field_validation(const Request& req) {
    const auto range = req.query.equal_range("fieldValidation");
    bool strict = false;
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second != "" && it->second != "Ignore" && it->second != "Warn" &&
            it->second != "Strict") {
            throw invalid("", "", "",
                          {{"FieldValueNotSupported", "fieldValidation",
                            "Unsupported value: \"" + it->second +
                                "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""}});
        }
        strict = it->second == "Strict";
    }
    return strict;
}

json parse_body(const Request& req) {
    if (req.body.empty()) {
        throw bad_request("the body of the request is empty");
    }
    core::JsonParseOptions options;
    options.reject_duplicate_keys = strict_field_validation(req);
    try {
        return core::parse_json(req.body, options);
    } catch (const core::Error& e) {
        const std::string what = e.what();
        if (what.starts_with("duplicate key")) {
            throw bad_request("strict decoding error: " + what);
        }
        throw bad_request("couldn't get version/kind; json parse error: " + what);
    }
}

// The JSON object a POST or PUT carries (kubectl always sends JSON).
json object_body(const Request& req) {
    if (!req.content_type.empty() && req.content_type != "application/json") {
        throw unsupported_media_type(req.content_type, {"application/json"});
    }
    json body = parse_body(req);
    if (!body.is_object()) {
        throw bad_request("the body of the request must be a JSON object");
    }
    return body;
}

core::LabelSelector parse_labels(const Request& req) {
    const auto text = query_value(req, "labelSelector");
    if (!text || text->empty()) {
        return {};
    }
    try {
        return core::LabelSelector::parse(*text);
    } catch (const core::Error& e) {
        throw bad_request(std::string("unable to parse requirement: ") + e.what());
    }
}

bool dry_run(const Request& req) {
    const auto range = req.query.equal_range("dryRun");
    bool on = false;
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second != "All") {
            throw invalid(
                "", "", "",
                {{"FieldValueNotSupported", "dryRun",
                  "Unsupported value: \"" + it->second + "\": supported values: \"All\""}});
        }
        on = true;
    }
    return on;
}

// ----- JSONPath (the subset printer columns use) ------------------------------------------------

// Evaluates `.a.b`, `.a[0].b`, `.a[*].b`, `.a['x.y']`, `.a[?(@.k=="v")].b` (optionally in {}).
std::vector<json> json_path(const json& root, std::string_view path) {
    if (path.size() >= 2 && path.front() == '{' && path.back() == '}') {
        path = path.substr(1, path.size() - 2);
    }
    std::vector<json> current{root};
    std::size_t i = 0;
    const auto read_name = [&]() {
        std::string name;
        while (i < path.size() && path[i] != '.' && path[i] != '[') {
            name += path[i++];
        }
        return name;
    };
    while (i < path.size()) {
        std::vector<json> next;
        if (path[i] == '.') {
            ++i;
            const std::string name = read_name();
            if (name.empty()) {
                continue;
            }
            for (const auto& v : current) {
                if (v.is_object() && v.contains(name)) {
                    next.push_back(v[name]);
                }
            }
        } else if (path[i] == '[') {
            const auto close = path.find(']', i);
            if (close == std::string_view::npos) {
                return {};
            }
            std::string_view inner = path.substr(i + 1, close - i - 1);
            i = close + 1;
            if (inner == "*") {
                for (const auto& v : current) {
                    if (v.is_array() || v.is_object()) {
                        for (const auto& e : v) {
                            next.push_back(e);
                        }
                    }
                }
            } else if (inner.starts_with("?(@.") && inner.ends_with(")")) {
                std::string_view cond = inner.substr(4, inner.size() - 5);
                const auto eq = cond.find("==");
                if (eq == std::string_view::npos) {
                    return {};
                }
                const std::string field(cond.substr(0, eq));
                std::string want(cond.substr(eq + 2));
                if (want.size() >= 2 && (want.front() == '"' || want.front() == '\'')) {
                    want = want.substr(1, want.size() - 2);
                }
                for (const auto& v : current) {
                    if (!v.is_array()) {
                        continue;
                    }
                    for (const auto& e : v) {
                        const auto got = json_path(e, "." + field);
                        if (!got.empty() &&
                            (got.front().is_string() ? got.front().get<std::string>()
                                                     : got.front().dump()) == want) {
                            next.push_back(e);
                        }
                    }
                }
            } else if (!inner.empty() && (inner.front() == '\'' || inner.front() == '"')) {
                const std::string name(inner.substr(1, inner.size() - 2));
                for (const auto& v : current) {
                    if (v.is_object() && v.contains(name)) {
                        next.push_back(v[name]);
                    }
                }
            } else {
                int index = 0;
                try {
                    index = std::stoi(std::string(inner));
                } catch (const std::exception&) {
                    return {};
                }
                for (const auto& v : current) {
                    if (!v.is_array()) {
                        continue;
                    }
                    const int n = static_cast<int>(v.size());
                    const int at = index < 0 ? n + index : index;
                    if (at >= 0 && at < n) {
                        next.push_back(v[static_cast<std::size_t>(at)]);
                    }
                }
            }
        } else {
            return {};
        }
        current = std::move(next);
        if (current.empty()) {
            return current;
        }
    }
    return current;
}

// Sets a simple dotted path (".spec.replicas"), creating objects on the way.
void json_path_set(json& root, std::string_view path, json value) {
    json* cur = &root;
    std::string p(path.starts_with('.') ? path.substr(1) : path);
    std::size_t start = 0;
    while (true) {
        const auto dot = p.find('.', start);
        const std::string name =
            p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object()) {
            *cur = json::object();
        }
        cur = &(*cur)[name];
        if (dot == std::string::npos) {
            break;
        }
        start = dot + 1;
    }
    *cur = std::move(value);
}

// ----- Tables -----------------------------------------------------------------------------------

struct Column {
    std::string name;
    std::string type;
    std::string format;
    int priority = 0;
    std::string description;
};

const char* const k_name_description =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

std::string age_of(const json& object, core::TimePoint now) {
    const std::string ts = meta_str(object, "creationTimestamp");
    if (ts.empty()) {
        return "<unknown>";
    }
    try {
        return core::age(core::parse_rfc3339(ts), now);
    } catch (const core::Error&) {
        return "<invalid>";
    }
}

std::string age_of_time(const json& value, core::TimePoint now) {
    if (!value.is_string()) {
        return "<unknown>";
    }
    try {
        return core::age(core::parse_rfc3339(value.get<std::string>()), now);
    } catch (const core::Error&) {
        return "<invalid>";
    }
}

std::int64_t int_at(const json& object, std::string_view path, std::int64_t fallback = 0) {
    const auto v = json_path(object, path);
    return !v.empty() && v.front().is_number() ? v.front().get<std::int64_t>() : fallback;
}

std::string str_path(const json& object, std::string_view path) {
    const auto v = json_path(object, path);
    return !v.empty() && v.front().is_string() ? v.front().get<std::string>() : std::string{};
}

std::string or_none(const std::string& s) {
    return s.empty() ? "<none>" : s;
}

std::string selector_text(const json& selector) {
    try {
        const auto s = core::LabelSelector::from_json(selector);
        return s.empty() ? "<none>" : s.to_string();
    } catch (const core::Error&) {
        return "<invalid>";
    }
}

std::string containers_and_images(const json& object, bool images) {
    std::string out;
    for (const auto& c : json_path(object, ".spec.template.spec.containers[*]")) {
        if (!out.empty()) {
            out += ",";
        }
        out += c.value(images ? "image" : "name", "");
    }
    return or_none(out);
}

// The STATUS column of `kubectl get pods`, as kubectl's pod printer derives it.
std::string pod_status(const json& pod) {
    const json status = pod.value("status", json::object());
    std::string reason = status.value("reason", status.value("phase", ""));
    bool running = false;
    const json statuses = status.value("containerStatuses", json::array());
    for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
        const json state = it->value("state", json::object());
        if (state.contains("waiting") && !state["waiting"].value("reason", "").empty()) {
            reason = state["waiting"]["reason"];
        } else if (state.contains("terminated")) {
            const json& t = state["terminated"];
            if (!t.value("reason", "").empty()) {
                reason = t["reason"];
            } else if (t.value("signal", 0) != 0) {
                reason = "Signal:" + std::to_string(t.value("signal", 0));
            } else {
                reason = "ExitCode:" + std::to_string(t.value("exitCode", 0));
            }
        } else if (it->value("ready", false) && state.contains("running")) {
            running = true;
        }
    }
    if (reason == "Completed" && running) {
        reason = "Running";
    }
    if (!meta_str(pod, "deletionTimestamp").empty()) {
        reason = "Terminating";
    }
    return reason;
}

struct TableSpec {
    std::vector<Column> columns;
    std::function<json(const json&, core::TimePoint)> cells;
};

Column name_column() {
    return {"Name", "string", "name", 0, k_name_description};
}

Column col(std::string name, std::string type = "string", int priority = 0) {
    return {std::move(name), std::move(type), "", priority, ""};
}

json cell_for(const std::string& type, const json& value, core::TimePoint now) {
    if (value.is_null()) {
        return nullptr;
    }
    if (type == "integer") {
        return value.is_number() ? json(value.get<std::int64_t>()) : json(nullptr);
    }
    if (type == "number") {
        return value.is_number() ? value : json(nullptr);
    }
    if (type == "boolean") {
        return value.is_boolean() ? value : json(nullptr);
    }
    if (type == "date") {
        return age_of_time(value, now);
    }
    return value.is_string() ? value.get<std::string>() : value.dump();
}

TableSpec table_spec(const ResourceType& type) {
    const std::string& g = type.group;
    const std::string& r = type.plural;
    if (type.custom) {
        TableSpec spec;
        spec.columns.push_back(name_column());
        for (const auto& c : type.columns) {
            spec.columns.push_back({c.name, c.type, c.format, c.priority, c.description});
        }
        const auto columns = type.columns;
        spec.cells = [columns](const json& o, core::TimePoint now) {
            json cells = json::array({meta_str(o, "name")});
            for (const auto& c : columns) {
                const auto found = json_path(o, c.json_path);
                cells.push_back(found.empty() ? json(nullptr)
                                              : cell_for(c.type, found.front(), now));
            }
            return cells;
        };
        return spec;
    }
    if (g.empty() && r == "pods") {
        return {{name_column(), col("Ready"), col("Status"), col("Restarts"), col("Age"),
                 col("IP", "string", 1), col("Node", "string", 1),
                 col("Nominated Node", "string", 1), col("Readiness Gates", "string", 1)},
                [](const json& o, core::TimePoint now) {
                    const auto containers = json_path(o, ".spec.containers");
                    const std::size_t total = !containers.empty() && containers.front().is_array()
                                                  ? containers.front().size()
                                                  : 0;
                    std::size_t ready = 0;
                    std::int64_t restarts = 0;
                    for (const auto& s : json_path(o, ".status.containerStatuses[*]")) {
                        ready += s.value("ready", false) ? 1 : 0;
                        restarts += s.value("restartCount", 0);
                    }
                    return json::array(
                        {meta_str(o, "name"), std::to_string(ready) + "/" + std::to_string(total),
                         pod_status(o), std::to_string(restarts), age_of(o, now),
                         or_none(str_path(o, ".status.podIP")),
                         or_none(str_path(o, ".spec.nodeName")), "<none>", "<none>"});
                }};
    }
    if (g == "apps" && r == "deployments") {
        return {{name_column(), col("Ready"), col("Up-to-date", "integer"),
                 col("Available", "integer"), col("Age"), col("Containers", "string", 1),
                 col("Images", "string", 1), col("Selector", "string", 1)},
                [](const json& o, core::TimePoint now) {
                    return json::array(
                        {meta_str(o, "name"),
                         std::to_string(int_at(o, ".status.readyReplicas")) + "/" +
                             std::to_string(int_at(o, ".spec.replicas", 1)),
                         int_at(o, ".status.updatedReplicas"),
                         int_at(o, ".status.availableReplicas"), age_of(o, now),
                         containers_and_images(o, false), containers_and_images(o, true),
                         selector_text(o.value("spec", json::object()).value("selector", json()))});
                }};
    }
    if (g == "apps" && r == "replicasets") {
        return {{name_column(), col("Desired", "integer"), col("Current", "integer"),
                 col("Ready", "integer"), col("Age"), col("Containers", "string", 1),
                 col("Images", "string", 1), col("Selector", "string", 1)},
                [](const json& o, core::TimePoint now) {
                    return json::array(
                        {meta_str(o, "name"), int_at(o, ".spec.replicas", 1),
                         int_at(o, ".status.replicas"), int_at(o, ".status.readyReplicas"),
                         age_of(o, now), containers_and_images(o, false),
                         containers_and_images(o, true),
                         selector_text(o.value("spec", json::object()).value("selector", json()))});
                }};
    }
    if (g.empty() && r == "podtemplates") {
        // kube-apiserver's columns: the template's containers, images and pod labels.
        return {{name_column(), col("Containers"), col("Images"), col("Pod Labels")},
                [](const json& o, core::TimePoint) {
                    std::string names;
                    std::string images;
                    for (const auto& c : json_path(o, ".template.spec.containers[*]")) {
                        if (!c.is_object()) {
                            continue;
                        }
                        names += (names.empty() ? "" : ",") + c.value("name", std::string());
                        images += (images.empty() ? "" : ",") + c.value("image", std::string());
                    }
                    std::string labels;
                    for (const auto& found : json_path(o, ".template.metadata.labels")) {
                        if (!found.is_object()) {
                            continue;
                        }
                        for (const auto& [key, value] : found.items()) {
                            labels += (labels.empty() ? "" : ",") + key + "=" +
                                      (value.is_string() ? value.get<std::string>() : value.dump());
                        }
                    }
                    return json::array({meta_str(o, "name"), names, images, or_none(labels)});
                }};
    }
    if (g == "batch" && r == "jobs") {
        return {{name_column(), col("Status"), col("Completions"), col("Duration"), col("Age")},
                [](const json& o, core::TimePoint now) {
                    std::string status = "Running";
                    for (const auto& c : json_path(o, ".status.conditions[*]")) {
                        if (c.value("status", "") == "True" && (c.value("type", "") == "Complete" ||
                                                                c.value("type", "") == "Failed")) {
                            status = c.value("type", "");
                        }
                    }
                    const auto completions = int_at(o, ".spec.completions", 1);
                    std::string duration;
                    const std::string start = str_path(o, ".status.startTime");
                    if (!start.empty()) {
                        try {
                            const auto from = core::parse_rfc3339(start);
                            const std::string end = str_path(o, ".status.completionTime");
                            const auto to = end.empty() ? now : core::parse_rfc3339(end);
                            duration = core::human_duration(to - from);
                        } catch (const core::Error&) {
                            duration = "<invalid>";
                        }
                    }
                    return json::array({meta_str(o, "name"), status,
                                        std::to_string(int_at(o, ".status.succeeded")) + "/" +
                                            std::to_string(completions),
                                        duration, age_of(o, now)});
                }};
    }
    if (g.empty() && r == "services") {
        return {{name_column(), col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"),
                 col("Age"), col("Selector", "string", 1)},
                [](const json& o, core::TimePoint now) {
                    std::string ports;
                    for (const auto& p : json_path(o, ".spec.ports[*]")) {
                        if (!ports.empty()) {
                            ports += ",";
                        }
                        ports += std::to_string(p.value("port", 0));
                        if (p.contains("nodePort")) {
                            ports += ":" + std::to_string(p.value("nodePort", 0));
                        }
                        ports += "/" + p.value("protocol", std::string("TCP"));
                    }
                    std::string selector;
                    for (const auto& s : json_path(o, ".spec.selector")) {
                        for (const auto& [k, v] : s.items()) {
                            selector += (selector.empty() ? "" : ",") + k + "=" +
                                        (v.is_string() ? v.get<std::string>() : v.dump());
                        }
                    }
                    const std::string service_type = str_path(o, ".spec.type");
                    return json::array({meta_str(o, "name"),
                                        service_type.empty() ? "ClusterIP" : service_type,
                                        or_none(str_path(o, ".spec.clusterIP")), "<none>",
                                        or_none(ports), age_of(o, now), or_none(selector)});
                }};
    }
    if (g.empty() && r == "namespaces") {
        return {{name_column(), col("Status"), col("Age")}, [](const json& o, core::TimePoint now) {
                    return json::array(
                        {meta_str(o, "name"), str_path(o, ".status.phase"), age_of(o, now)});
                }};
    }
    if (g.empty() && (r == "configmaps" || r == "secrets")) {
        const bool secret = r == "secrets";
        std::vector<Column> columns{name_column()};
        if (secret) {
            columns.push_back(col("Type"));
        }
        columns.push_back(col("Data", "integer"));
        columns.push_back(col("Age"));
        return {columns, [secret](const json& o, core::TimePoint now) {
                    std::size_t n = 0;
                    for (const char* key : {"data", "binaryData"}) {
                        if (o.contains(key) && o[key].is_object()) {
                            n += o[key].size();
                        }
                    }
                    json cells = json::array({meta_str(o, "name")});
                    if (secret) {
                        cells.push_back(o.value("type", std::string("Opaque")));
                    }
                    cells.push_back(n);
                    cells.push_back(age_of(o, now));
                    return cells;
                }};
    }
    if (g.empty() && r == "events") {
        return {{col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Message")},
                [](const json& o, core::TimePoint now) {
                    json last = o.value("lastTimestamp", json());
                    if (!last.is_string()) {
                        last = o.value("eventTime", json());
                    }
                    const json involved = o.value("involvedObject", json::object());
                    std::string kind = involved.value("kind", "");
                    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) {
                        return static_cast<char>(std::tolower(c));
                    });
                    return json::array({last.is_string() ? age_of_time(last, now) : age_of(o, now),
                                        o.value("type", ""), o.value("reason", ""),
                                        kind + "/" + involved.value("name", ""),
                                        o.value("message", "")});
                }};
    }
    if (g == "apiextensions.k8s.io" && r == "customresourcedefinitions") {
        return {{name_column(), col("Created At", "date")}, [](const json& o, core::TimePoint) {
                    return json::array({meta_str(o, "name"), meta_str(o, "creationTimestamp")});
                }};
    }
    return {{name_column(), col("Age")}, [](const json& o, core::TimePoint now) {
                return json::array({meta_str(o, "name"), age_of(o, now)});
            }};
}

enum class IncludeObject { none, metadata, object };

json table_row(const TableSpec& spec, const json& object, IncludeObject include,
               core::TimePoint now) {
    json row = {{"cells", spec.cells(object, now)}};
    if (include == IncludeObject::metadata) {
        row["object"] = {{"kind", "PartialObjectMetadata"},
                         {"apiVersion", "meta.k8s.io/v1"},
                         {"metadata", object.value("metadata", json::object())}};
    } else if (include == IncludeObject::object) {
        row["object"] = object;
    }
    return row;
}

json table_columns(const TableSpec& spec) {
    json columns = json::array();
    for (const auto& c : spec.columns) {
        columns.push_back({{"name", c.name},
                           {"type", c.type},
                           {"format", c.format},
                           {"description", c.description},
                           {"priority", c.priority}});
    }
    return columns;
}

// ----- requests ---------------------------------------------------------------------------------

struct Target {
    ResourceTypePtr type;
    std::string ns;
    std::string name;
    std::string subresource;
    bool legacy_watch = false; // /apis/G/V/watch/...
};

struct Negotiated {
    bool table = false;
    std::string table_version = "v1";
};

Negotiated negotiate(const Request& req) {
    Negotiated n;
    const std::string& accept = req.accept;
    if (accept.empty()) {
        return n;
    }
    // Each offered type; the first one we can serve wins.
    std::size_t start = 0;
    bool any = false;
    while (start <= accept.size()) {
        const auto comma = accept.find(',', start);
        std::string item =
            accept.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? accept.size() + 1 : comma + 1;
        item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
        const std::string media = item.substr(0, item.find(';'));
        if (media != "application/json" && media != "*/*" && media != "application/*") {
            continue;
        }
        if (item.find("as=Table") != std::string::npos) {
            if (item.find("g=meta.k8s.io") == std::string::npos) {
                continue;
            }
            n.table = true;
            n.table_version = item.find("v=v1beta1") != std::string::npos ? "v1beta1" : "v1";
            return n;
        }
        if (item.find("as=") != std::string::npos) {
            continue; // e.g. aggregated discovery, PartialObjectMetadata: fall back
        }
        any = true;
        break;
    }
    if (!any) {
        throw not_acceptable({"application/json", "application/yaml"});
    }
    return n;
}

// The name a list or watch is narrowed to by fieldSelector=metadata.name=NAME (client-go's
// informer for one object, `kubectl get KIND NAME --watch`); "" for none.
std::string selected_name(const Request& req) {
    const std::string selector = query_or(req, "fieldSelector");
    std::size_t start = 0;
    while (start <= selector.size()) {
        const auto comma = std::min(selector.find(',', start), selector.size());
        const std::string_view term = std::string_view(selector).substr(start, comma - start);
        for (const std::string_view prefix : {"metadata.name==", "metadata.name="}) {
            if (term.starts_with(prefix)) {
                return std::string(term.substr(prefix.size()));
            }
        }
        start = comma + 1;
    }
    return {};
}

} // namespace

RequestInfo request_info(const Request& request) {
    RequestInfo info;
    info.path = request.path;
    info.verb = request.method;
    std::transform(info.verb.begin(), info.verb.end(), info.verb.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto parts = split_path(request.path);
    // /api/VERSION/RESOURCE... or /apis/GROUP/VERSION/RESOURCE...; anything shorter is discovery.
    const bool core = !parts.empty() && parts[0] == "api";
    const bool grouped = !parts.empty() && parts[0] == "apis";
    if ((!core && !grouped) || parts.size() < (core ? 3U : 4U)) {
        return info;
    }
    info.resource_request = true;
    parts.erase(parts.begin());
    if (grouped) {
        info.group = parts[0];
        parts.erase(parts.begin());
    }
    info.version = parts[0];
    parts.erase(parts.begin());

    bool legacy_watch = false;
    if (parts[0] == "watch" && parts.size() > 1) {
        legacy_watch = true;
        parts.erase(parts.begin());
    }
    if (parts[0] == "namespaces" && parts.size() > 1) {
        info.ns = parts[1];
        if (parts.size() > 2 && !namespace_subresource(parts[2])) {
            parts.erase(parts.begin(), parts.begin() + 2);
        }
    }
    info.resource = parts[0];
    if (parts.size() > 1) {
        info.name = parts[1];
    }
    if (parts.size() > 2) {
        info.subresource = parts[2];
    }

    const std::string& m = request.method;
    if (legacy_watch) {
        info.verb = "watch";
    } else if (m == "GET" || m == "HEAD") {
        info.verb = "get";
    } else if (m == "POST") {
        info.verb = "create";
    } else if (m == "PUT") {
        info.verb = "update";
    } else if (m == "PATCH") {
        info.verb = "patch";
    } else if (m == "DELETE") {
        info.verb = "delete";
    } else {
        info.verb.clear();
    }
    if (info.name.empty() && info.verb == "get") {
        info.verb = query_true(request, "watch") ? "watch" : "list";
        info.name = selected_name(request);
    }
    if (info.name.empty() && info.verb == "delete") {
        info.verb = "deletecollection";
    }
    return info;
}

ApiError forbidden(const RequestInfo& info, std::string_view user) {
    const std::string who = "User \"" + std::string(user) + "\" cannot " + info.verb;
    if (!info.resource_request) {
        return forbidden(GroupResource{}, "", who + " path \"" + info.path + "\"");
    }
    const std::string resource =
        info.subresource.empty() ? info.resource : info.resource + "/" + info.subresource;
    std::string why = who + " resource \"" + resource + "\" in API group \"" + info.group + "\"";
    why += info.ns.empty() ? " at the cluster scope" : " in the namespace \"" + info.ns + "\"";
    return forbidden(info.group_resource(), info.name, why);
}

struct ApiServer::Impl {
    std::string name;
    Store store;
    std::chrono::milliseconds bookmark_interval{5000};
    std::chrono::milliseconds liveness_interval{5000};

    explicit Impl(std::string n) : name(std::move(n)) {}

    core::TimePoint now() const {
        return std::chrono::floor<std::chrono::seconds>(core::Clock::now());
    }

    Response route(const Request& req);
    Response discovery(const Request& req, const std::vector<std::string>& segments);
    Response resource(const Request& req, const std::string& group, const std::string& version,
                      std::vector<std::string> rest);
    Response list(const Request& req, const Target& t, const Negotiated& neg);
    Response watch(const Request& req, const Target& t, const Negotiated& neg);
    Response get(const Request& req, const Target& t, const Negotiated& neg);
    Response create(const Request& req, const Target& t);
    Response update(const Request& req, const Target& t);
    Response patch(const Request& req, const Target& t);
    Response remove(const Request& req, const Target& t);
    Response remove_collection(const Request& req, const Target& t);

    json present(const ResourceType& type, json object) const;
    json scale_of(const ResourceType& type, const json& object) const;
    Response write_scale(const Target& t, const json& scale, bool dry);
    json table(const ResourceType& type, const std::vector<json>& objects, const Request& req,
               const Negotiated& neg, const json& list_meta) const;
};

// The stored object as a client of `type`'s version sees it.
json ApiServer::Impl::present(const ResourceType& type, json object) const {
    if (object.is_object()) {
        object["apiVersion"] = type.api_version();
        object["kind"] = type.kind;
    }
    return object;
}

Response ApiServer::Impl::route(const Request& req) {
    const auto segments = split_path(req.path);
    if (segments.empty()) {
        json paths =
            json::array({"/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"});
        return json_response(200, {{"paths", paths}});
    }
    const std::string& first = segments[0];
    if (first == "healthz" || first == "livez" || first == "readyz") {
        return text_response(200, "ok");
    }
    if (first == "version" && segments.size() == 1) {
        return json_response(200, version_document());
    }
    if (first == "openapi") {
        // v3 only: kubectl reads it to learn that validation is left to the server.
        const auto& registry = store.registry();
        if (segments.size() == 2 && segments[1] == "v3") {
            return json_response(200, registry.openapi_v3_index());
        }
        if (segments.size() >= 4 && segments[1] == "v3") {
            std::optional<json> doc;
            if (segments[2] == "api" && segments.size() == 4) {
                doc = registry.openapi_v3("", segments[3]);
            } else if (segments[2] == "apis" && segments.size() == 5) {
                doc = registry.openapi_v3(segments[3], segments[4]);
            }
            if (doc) {
                return json_response(200, *doc);
            }
        }
        throw path_not_found();
    }
    if (first == "api") {
        if (segments.size() <= 2) {
            return discovery(req, segments);
        }
        if (segments[1] != "v1") {
            throw path_not_found();
        }
        return resource(req, "", "v1", {segments.begin() + 2, segments.end()});
    }
    if (first == "apis") {
        if (segments.size() <= 3) {
            return discovery(req, segments);
        }
        return resource(req, segments[1], segments[2], {segments.begin() + 3, segments.end()});
    }
    throw path_not_found();
}

Response ApiServer::Impl::discovery(const Request& req, const std::vector<std::string>& segments) {
    if (req.method != "GET") {
        return error_response(ApiError(405, "MethodNotAllowed",
                                       "the server does not allow this method on the requested "
                                       "resource"));
    }
    const auto& registry = store.registry();
    std::optional<json> doc;
    if (segments[0] == "api") {
        doc = segments.size() == 1 ? std::optional<json>(registry.api_versions())
                                   : registry.resource_list("", segments[1]);
    } else if (segments.size() == 1) {
        doc = registry.group_list();
    } else if (segments.size() == 2) {
        doc = registry.group(segments[1]);
    } else {
        doc = registry.resource_list(segments[1], segments[2]);
    }
    if (!doc) {
        throw path_not_found();
    }
    return json_response(200, *doc);
}

Response ApiServer::Impl::resource(const Request& req, const std::string& group,
                                   const std::string& version, std::vector<std::string> rest) {
    Target t;
    if (!rest.empty() && rest[0] == "watch") {
        t.legacy_watch = true;
        rest.erase(rest.begin());
    }
    if (rest.empty()) {
        throw path_not_found();
    }
    // apiserver's rule: namespaces/NS/X is a namespaced resource X unless X is a subresource
    // of the Namespace itself (status, finalize).
    if (rest[0] == "namespaces" && rest.size() > 2 && !namespace_subresource(rest[2])) {
        t.ns = rest[1];
        rest.erase(rest.begin(), rest.begin() + 2);
    }
    if (rest.size() > 3) {
        throw path_not_found();
    }
    t.type = store.registry().find(group, version, rest[0]);
    if (!t.type) {
        throw path_not_found();
    }
    if (rest.size() > 1) {
        t.name = rest[1];
    }
    if (rest.size() > 2) {
        t.subresource = rest[2];
    }
    const ResourceType& type = *t.type;
    if (!t.ns.empty() && !type.namespaced) {
        throw path_not_found();
    }
    if (type.namespaced && t.ns.empty() && !t.name.empty()) {
        throw path_not_found();
    }
    if (!t.subresource.empty()) {
        const bool known = (t.subresource == "status" && type.has_status) ||
                           (t.subresource == "scale" && type.scale.has_value());
        if (!known) {
            throw path_not_found();
        }
    }
    const auto not_allowed = [&](const char* verb) {
        return error_response(method_not_supported(type.group_resource(), verb));
    };
    const std::string& m = req.method;
    const bool collection = t.name.empty();
    if (m == "GET") {
        const auto neg = negotiate(req);
        if (collection || t.legacy_watch) {
            const bool watching = t.legacy_watch || query_true(req, "watch");
            if (!type.supports(watching ? "watch" : "list")) {
                return not_allowed(watching ? "watch" : "list");
            }
            return watching ? watch(req, t, neg) : list(req, t, neg);
        }
        return get(req, t, neg);
    }
    if (m == "POST") {
        if (!collection) {
            return not_allowed("create");
        }
        if (type.namespaced && t.ns.empty()) {
            return not_allowed("create");
        }
        return create(req, t);
    }
    if (m == "PUT") {
        return collection ? not_allowed("update") : update(req, t);
    }
    if (m == "PATCH") {
        return collection ? not_allowed("patch") : patch(req, t);
    }
    if (m == "DELETE") {
        if (!t.subresource.empty()) {
            return not_allowed("delete");
        }
        if (collection) {
            if (!type.supports("deletecollection")) {
                return not_allowed("deletecollection");
            }
            return remove_collection(req, t);
        }
        return remove(req, t);
    }
    return error_response(ApiError(405, "MethodNotAllowed",
                                   "the server does not allow this method on the requested "
                                   "resource"));
}

json ApiServer::Impl::table(const ResourceType& type, const std::vector<json>& objects,
                            const Request& req, const Negotiated& neg,
                            const json& list_meta) const {
    const auto spec = table_spec(type);
    const std::string include_text = query_or(req, "includeObject", "Metadata");
    IncludeObject include = IncludeObject::metadata;
    if (include_text == "None") {
        include = IncludeObject::none;
    } else if (include_text == "Object") {
        include = IncludeObject::object;
    }
    json rows = json::array();
    const auto t = now();
    for (const auto& o : objects) {
        rows.push_back(table_row(spec, present(type, o), include, t));
    }
    return {{"kind", "Table"},
            {"apiVersion", "meta.k8s.io/" + neg.table_version},
            {"metadata", list_meta},
            {"columnDefinitions", table_columns(spec)},
            {"rows", rows}};
}

Response ApiServer::Impl::list(const Request& req, const Target& t, const Negotiated& neg) {
    const ResourceType& type = *t.type;
    ListOptions options;
    options.ns = t.ns;
    options.labels = parse_labels(req);
    options.fields = FieldSelector::parse(query_or(req, "fieldSelector"));
    const std::string limit = query_or(req, "limit");
    if (!limit.empty()) {
        try {
            const long long n = std::stoll(limit);
            options.limit = n > 0 ? static_cast<std::size_t>(n) : 0;
        } catch (const std::exception&) {
            throw bad_request("limit: invalid value \"" + limit + "\"");
        }
    }
    options.continue_token = query_or(req, "continue");
    ListResult result;
    try {
        result = store.list(type.group_resource(), options);
    } catch (ApiError& e) {
        if (e.code == 410) {
            // The apiserver hands out a fresh token to resume from, inconsistently.
            e.details = nullptr;
        }
        throw;
    }
    json meta = {{"resourceVersion", result.resource_version}};
    if (!result.continue_token.empty()) {
        meta["continue"] = result.continue_token;
    }
    if (result.remaining) {
        meta["remainingItemCount"] = *result.remaining;
    }
    if (neg.table) {
        return json_response(200, table(type, result.items, req, neg, meta));
    }
    json items = json::array();
    for (auto& item : result.items) {
        json presented = present(type, std::move(item));
        if (!type.custom) {
            // Typed lists of the apiserver carry no kind/apiVersion on their items.
            presented.erase("apiVersion");
            presented.erase("kind");
        }
        items.push_back(std::move(presented));
    }
    return json_response(200, {{"kind", type.list_kind},
                               {"apiVersion", type.api_version()},
                               {"metadata", meta},
                               {"items", items}});
}

Response ApiServer::Impl::watch(const Request& req, const Target& t, const Negotiated& neg) {
    const ResourceType& type = *t.type;
    if (query_true(req, "sendInitialEvents")) {
        // As a v1.29 apiserver without the WatchList feature gate: clients fall back to
        // list-then-watch.
        throw invalid("meta.k8s.io", "ListOptions", "",
                      {{"FieldValueForbidden", "sendInitialEvents",
                        "Forbidden: sendInitialEvents is forbidden for watch unless the WatchList "
                        "feature gate is enabled"}});
    }
    WatchOptions options;
    options.ns = t.ns;
    options.labels = parse_labels(req);
    options.fields = FieldSelector::parse(query_or(req, "fieldSelector"));
    if (!t.name.empty()) {
        options.fields = FieldSelector::name_equals(t.name);
    }
    options.resource_version = query_or(req, "resourceVersion");
    std::shared_ptr<Watcher> watcher = store.watch(type.group_resource(), options);

    auto timeout = std::chrono::seconds(1800); // the apiserver's default lies in 30-60 min
    const std::string timeout_text = query_or(req, "timeoutSeconds");
    if (!timeout_text.empty()) {
        try {
            const long long seconds = std::stoll(timeout_text);
            if (seconds > 0) { // 0 asks for the default, as with the apiserver
                timeout = std::chrono::seconds(seconds);
            }
        } catch (const std::exception&) {
            throw bad_request("timeoutSeconds: invalid value \"" + timeout_text + "\"");
        }
    }
    const bool bookmarks = query_true(req, "allowWatchBookmarks");
    std::optional<TableSpec> table_spec_opt;
    if (neg.table) {
        table_spec_opt = table_spec(type);
    }
    const std::string table_version = neg.table_version;
    const std::string include_text = query_or(req, "includeObject", "Metadata");
    const IncludeObject include = include_text == "None"     ? IncludeObject::none
                                  : include_text == "Object" ? IncludeObject::object
                                                             : IncludeObject::metadata;
    auto type_copy = t.type;
    Response r;
    r.stream = [this, watcher, type_copy, timeout, bookmarks, table_spec_opt, table_version,
                include](const StreamWriter& write) {
        using steady = std::chrono::steady_clock;
        const auto start = steady::now();
        const auto deadline = start + timeout;
        auto next_bookmark = start + bookmark_interval;
        auto last_write = start;
        const auto send = [&](const std::string& event_type, const json& object) {
            json payload = object;
            if (table_spec_opt && event_type != "ERROR" && event_type != "BOOKMARK") {
                payload = {
                    {"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/" + table_version},
                    {"metadata", {{"resourceVersion", meta_str(object, "resourceVersion")}}},
                    {"columnDefinitions", table_columns(*table_spec_opt)},
                    {"rows", json::array({table_row(*table_spec_opt, object, include, now())})}};
            }
            last_write = steady::now();
            return write(json{{"type", event_type}, {"object", payload}}.dump() + "\n");
        };
        const auto bookmark = [&]() {
            return send("BOOKMARK",
                        {{"kind", type_copy->kind},
                         {"apiVersion", type_copy->api_version()},
                         {"metadata", {{"resourceVersion", watcher->resource_version()}}}});
        };
        while (true) {
            auto wake = deadline;
            if (bookmarks) {
                wake = std::min(wake, next_bookmark);
            }
            wake = std::min(wake, last_write + liveness_interval);
            auto event = watcher->next(wake);
            if (event) {
                const bool error = event->type == "ERROR";
                const json object = error ? event->object : present(*type_copy, event->object);
                if (!send(event->type, object) || error) {
                    return;
                }
                continue;
            }
            if (watcher->ended()) {
                return;
            }
            const auto now_steady = steady::now();
            if (now_steady >= deadline) {
                if (bookmarks) {
                    (void)bookmark(); // lets the client resume from the newest version
                }
                return;
            }
            if (bookmarks && now_steady >= next_bookmark) {
                if (!bookmark()) {
                    return;
                }
                next_bookmark = now_steady + bookmark_interval;
            } else if (now_steady >= last_write + liveness_interval) {
                // An empty chunk writes nothing: it only asks whether the client is still there.
                if (!write({})) {
                    return;
                }
                last_write = now_steady;
            }
        }
    };
    return r;
}

json ApiServer::Impl::scale_of(const ResourceType& type, const json& object) const {
    const ScaleSpec& s = *type.scale;
    const auto spec_replicas = json_path(object, s.spec_replicas_path);
    const auto status_replicas = json_path(object, s.status_replicas_path);
    std::string selector;
    if (!s.label_selector_path.empty()) {
        const auto found = json_path(object, s.label_selector_path);
        if (!found.empty() && found.front().is_string()) {
            selector = found.front().get<std::string>();
        }
    } else {
        const auto found = json_path(object, ".spec.selector");
        if (!found.empty()) {
            const std::string text = selector_text(found.front());
            selector = text == "<none>" || text == "<invalid>" ? "" : text;
        }
    }
    json meta = json::object();
    for (const char* key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        const std::string v = meta_str(object, key);
        if (!v.empty()) {
            meta[key] = v;
        }
    }
    const std::int64_t default_replicas = type.custom ? 0 : 1; // built-ins default to 1
    json status = {{"replicas", !status_replicas.empty() && status_replicas.front().is_number()
                                    ? status_replicas.front().get<std::int64_t>()
                                    : 0}};
    if (!selector.empty()) {
        status["selector"] = selector;
    }
    return {{"kind", "Scale"},
            {"apiVersion", "autoscaling/v1"},
            {"metadata", meta},
            {"spec",
             {{"replicas", !spec_replicas.empty() && spec_replicas.front().is_number()
                               ? spec_replicas.front().get<std::int64_t>()
                               : default_replicas}}},
            {"status", status}};
}

Response ApiServer::Impl::write_scale(const Target& t, const json& scale, bool dry) {
    const ResourceType& type = *t.type;
    if (!scale.is_object()) {
        throw bad_request("the body of the request must be a Scale object");
    }
    const auto replicas = json_path(scale, ".spec.replicas");
    if (replicas.empty() || !replicas.front().is_number_integer() ||
        replicas.front().get<std::int64_t>() < 0) {
        throw invalid("autoscaling", "Scale", t.name,
                      {{"FieldValueInvalid", "spec.replicas",
                        "Invalid value: " + (replicas.empty() ? "null" : replicas.front().dump()) +
                            ": must be greater than or equal to 0"}});
    }
    json object = store.get(type.group_resource(), t.ns, t.name);
    const std::string given_rv = meta_str(scale, "resourceVersion");
    if (!given_rv.empty()) {
        object["metadata"]["resourceVersion"] = given_rv;
    }
    json_path_set(object, type.scale->spec_replicas_path, replicas.front());
    json updated = store.update(type.group_resource(), std::move(object), false, {dry});
    return json_response(200, scale_of(type, updated));
}

Response ApiServer::Impl::get(const Request& req, const Target& t, const Negotiated& neg) {
    const ResourceType& type = *t.type;
    json object = store.get(type.group_resource(), t.ns, t.name);
    if (t.subresource == "scale") {
        return json_response(200, scale_of(type, object));
    }
    if (neg.table && t.subresource.empty()) {
        return json_response(200,
                             table(type, {object}, req, neg,
                                   json{{"resourceVersion", meta_str(object, "resourceVersion")}}));
    }
    return json_response(200, present(type, std::move(object)));
}

Response ApiServer::Impl::create(const Request& req, const Target& t) {
    const ResourceType& type = *t.type;
    json body = object_body(req);
    if (type.namespaced) {
        json& meta = body["metadata"];
        if (!meta.is_object()) {
            meta = json::object();
        }
        const std::string ns = meta.value("namespace", "");
        if (ns.empty()) {
            meta["namespace"] = t.ns;
        } else if (ns != t.ns) {
            throw bad_request("the namespace of the provided object does not match the namespace "
                              "sent on the request");
        }
    }
    json created = store.create(type.group_resource(), std::move(body), {dry_run(req)});
    return json_response(201, present(type, std::move(created)));
}

Response ApiServer::Impl::update(const Request& req, const Target& t) {
    const ResourceType& type = *t.type;
    json body = object_body(req);
    const bool dry = dry_run(req);
    if (t.subresource == "scale") {
        return write_scale(t, body, dry);
    }
    json& meta = body["metadata"];
    if (!meta.is_object()) {
        meta = json::object();
    }
    const std::string body_name = meta.value("name", "");
    if (body_name != t.name) {
        throw bad_request("the name of the object (" + body_name +
                          ") does not match the name on the URL (" + t.name + ")");
    }
    if (type.namespaced) {
        const std::string ns = meta.value("namespace", "");
        if (ns.empty()) {
            meta["namespace"] = t.ns;
        } else if (ns != t.ns) {
            throw bad_request("the namespace of the provided object does not match the namespace "
                              "sent on the request");
        }
    }
    json updated =
        store.update(type.group_resource(), std::move(body), t.subresource == "status", {dry});
    return json_response(200, present(type, std::move(updated)));
}

Response ApiServer::Impl::patch(const Request& req, const Target& t) {
    const ResourceType& type = *t.type;
    PatchType patch_type;
    const std::string& ct = req.content_type;
    if (ct == "application/merge-patch+json") {
        patch_type = PatchType::merge;
    } else if (ct == "application/json-patch+json") {
        patch_type = PatchType::json;
    } else if (ct == "application/strategic-merge-patch+json" && !type.custom) {
        patch_type = PatchType::strategic;
    } else if (ct == "application/apply-patch+yaml") {
        patch_type = PatchType::apply;
    } else {
        std::vector<std::string> accepted = {"application/json-patch+json",
                                             "application/merge-patch+json"};
        if (!type.custom) {
            accepted.push_back("application/strategic-merge-patch+json");
        }
        accepted.push_back("application/apply-patch+yaml");
        throw unsupported_media_type(ct, accepted);
    }
    const json body = parse_body(req);
    const bool dry = dry_run(req);
    if (patch_type == PatchType::apply && query_or(req, "fieldManager").empty()) {
        throw bad_request("PATCH requests with apply content type must set fieldManager");
    }
    if (t.subresource == "scale") {
        const json current = store.get(type.group_resource(), t.ns, t.name);
        const json scale = scale_of(type, current);
        json patched;
        try {
            switch (patch_type) {
            case PatchType::json:
                patched = core::apply_json_patch(scale, body);
                break;
            case PatchType::strategic:
                patched = core::apply_strategic_merge_patch(scale, body);
                break;
            case PatchType::merge:
            case PatchType::apply:
                patched = core::apply_merge_patch(scale, body);
                break;
            }
        } catch (const core::Error& e) {
            throw ApiError(patch_type == PatchType::json ? 422 : 400,
                           patch_type == PatchType::json ? "Invalid" : "BadRequest", e.what());
        }
        if (meta_str(patched, "resourceVersion") != meta_str(scale, "resourceVersion") &&
            !meta_str(patched, "resourceVersion").empty()) {
            throw stale_conflict(type.group_resource(), t.name);
        }
        return write_scale(t, patched, dry);
    }
    if (patch_type == PatchType::apply) {
        const bool existed = store.find(type.group_resource(), t.ns, t.name).has_value();
        json applied = store.patch(type.group_resource(), t.ns, t.name, patch_type, body,
                                   t.subresource == "status", {dry});
        return json_response(existed ? 200 : 201, present(type, std::move(applied)));
    }
    json patched = store.patch(type.group_resource(), t.ns, t.name, patch_type, body,
                               t.subresource == "status", {dry});
    return json_response(200, present(type, std::move(patched)));
}

namespace {

DeleteOptions delete_options(const Request& req) {
    DeleteOptions options;
    std::string policy = query_or(req, "propagationPolicy");
    bool dry = dry_run(req);
    if (!req.body.empty()) {
        const json body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            throw bad_request("the body of the request must be a DeleteOptions object");
        }
        if (body.contains("propagationPolicy") && body["propagationPolicy"].is_string()) {
            policy = body["propagationPolicy"].get<std::string>();
        }
        if (body.contains("orphanDependents") && body["orphanDependents"].is_boolean() &&
            policy.empty()) {
            policy = body["orphanDependents"].get<bool>() ? "Orphan" : "Background";
        }
        if (body.contains("dryRun") && body["dryRun"].is_array()) {
            for (const auto& v : body["dryRun"]) {
                dry = dry || v == "All";
            }
        }
        if (body.contains("preconditions") && body["preconditions"].is_object()) {
            const json& p = body["preconditions"];
            options.precondition_uid = p.value("uid", "");
            options.precondition_resource_version = p.value("resourceVersion", "");
        }
    }
    if (policy == "Orphan") {
        options.propagation = Propagation::orphan;
    } else if (policy == "Foreground") {
        options.propagation = Propagation::foreground;
    } else if (policy.empty() || policy == "Background") {
        options.propagation = Propagation::background;
    } else {
        throw invalid("", "DeleteOptions", "",
                      {{"FieldValueNotSupported", "propagationPolicy",
                        "Unsupported value: \"" + policy +
                            "\": supported values: \"Foreground\", \"Background\", \"Orphan\""}});
    }
    options.dry_run = dry;
    return options;
}

} // namespace

Response ApiServer::Impl::remove(const Request& req, const Target& t) {
    const ResourceType& type = *t.type;
    json deleted = store.remove(type.group_resource(), t.ns, t.name, delete_options(req));
    return json_response(200, present(type, std::move(deleted)));
}

Response ApiServer::Impl::remove_collection(const Request& req, const Target& t) {
    const ResourceType& type = *t.type;
    ListOptions selection;
    selection.ns = t.ns;
    selection.labels = parse_labels(req);
    selection.fields = FieldSelector::parse(query_or(req, "fieldSelector"));
    const auto deleted =
        store.remove_collection(type.group_resource(), selection, delete_options(req));
    json items = json::array();
    for (const auto& o : deleted) {
        items.push_back(present(type, o));
    }
    // Like the apiserver: the list of what was deleted.
    return json_response(200, {{"kind", type.list_kind},
                               {"apiVersion", type.api_version()},
                               {"metadata", {{"resourceVersion", store.resource_version()}}},
                               {"items", items}});
}

// ---------------------------------------------------------------------------------------------

ApiServer::ApiServer(std::string name) : m_impl(std::make_unique<Impl>(std::move(name))) {}

ApiServer::~ApiServer() {
    m_impl->store.drop_watches();
}

const std::string& ApiServer::name() const {
    return m_impl->name;
}

Response ApiServer::handle(const Request& request) {
    try {
        return m_impl->route(request);
    } catch (const ApiError& e) {
        return error_response(e);
    } catch (const core::Error& e) {
        return error_response(bad_request(e.what()));
    } catch (const std::exception& e) {
        return error_response(internal_error(e.what()));
    }
}

void ApiServer::load(const json& object) {
    try {
        (void)m_impl->store.load(object);
    } catch (const ApiError& e) {
        const std::string kind = object.is_object() ? object.value("kind", "?") : "?";
        const std::string name =
            object.is_object() && object.contains("metadata") && object["metadata"].is_object()
                ? object["metadata"].value("name", "")
                : "";
        throw core::Error("cannot load " + kind + " \"" + name + "\" into " + m_impl->name + ": " +
                          e.message);
    }
}

void ApiServer::drop_watches() {
    m_impl->store.drop_watches();
}

Store& ApiServer::store() {
    return m_impl->store;
}

} // namespace nova::sim
