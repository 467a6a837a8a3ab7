#include "lib/sim/resources.hpp"

#include "lib/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

namespace nova::sim {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Errors

ApiError::ApiError(int code_, std::string reason_, std::string message_, json details_)
    : code(code_), reason(std::move(reason_)), message(std::move(message_)),
      details(std::move(details_)) {}

json ApiError::to_status() const {
    json status = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
                   {"status", "Failure"}, {"message", message}, {"reason", reason}};
    if (!details.is_null()) {
        status["details"] = details;
    }
    status["code"] = code;
    return status;
}

std::string GroupResource::to_string() const {
    return group.empty() ? resource : resource + "." + group;
}

namespace {

json details_of(const GroupResource& gr, std::string_view name) {
    json details = json::object();
    if (!name.empty()) {
        details["name"] = name;
    }
    if (!gr.group.empty()) {
        details["group"] = gr.group;
    }
    details["kind"] = gr.resource; // apimachinery puts the resource plural here
    return details;
}

using core::join;

} // namespace

ApiError not_found(const GroupResource& gr, std::string_view name) {
    return {404, "NotFound", gr.to_string() + " \"" + std::string(name) + "\" not found",
            details_of(gr, name)};
}

ApiError already_exists(const GroupResource& gr, std::string_view name) {
    return {409, "AlreadyExists", gr.to_string() + " \"" + std::string(name) + "\" already exists",
            details_of(gr, name)};
}

ApiError conflict(const GroupResource& gr, std::string_view name, std::string_view why) {
    return {409, "Conflict",
            "Operation cannot be fulfilled on " + gr.to_string() + " \"" + std::string(name) +
                "\": " + std::string(why),
            details_of(gr, name)};
}

ApiError stale_conflict(const GroupResource& gr, std::string_view name) {
    return conflict(gr, name,
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again");
}

ApiError invalid(std::string_view group, std::string_view kind, std::string_view name,
                 const std::vector<FieldCause>& causes) {
    const std::string qualified =
        group.empty() ? std::string(kind) : std::string(kind) + "." + std::string(group);
    std::vector<std::string> texts;
    json cause_list = json::array();
    for (const auto& c : causes) {
        texts.push_back(c.field + ": " + c.detail);
        cause_list.push_back({{"reason", c.reason}, {"message", c.detail}, {"field", c.field}});
    }
    std::string message = qualified + " \"" + std::string(name) + "\" is invalid: ";
    message += texts.size() == 1 ? texts.front() : "[" + join(texts, ", ") + "]";
    json details = json::object();
    if (!name.empty()) {
        details["name"] = name;
    }
    if (!group.empty()) {
        details["group"] = group;
    }
    details["kind"] = kind; // Invalid names the Kind, unlike the other reasons
    details["causes"] = cause_list;
    return {422, "Invalid", message, details};
}

ApiError bad_request(std::string message) {
    return {400, "BadRequest", std::move(message)};
}

ApiError method_not_supported(const GroupResource& gr, std::string_view verb) {
    json details = json::object();
    if (!gr.group.empty()) {
        details["group"] = gr.group;
    }
    details["kind"] = gr.resource;
    return {405, "MethodNotAllowed",
            std::string(verb) + " is not supported on resources of kind \"" + gr.to_string() + "\"",
            details};
}

ApiError expired(std::string message) {
    return {410, "Expired", std::move(message)};
}

ApiError unsupported_media_type(std::string_view content_type,
                                const std::vector<std::string>& accepted) {
    (void)content_type; // the apiserver's message does not repeat it
    return {415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: " +
                join(accepted, ", ")};
}

ApiError not_acceptable(const std::vector<std::string>& accepted) {
    return {406, "NotAcceptable",
            "only the following media types are accepted: " + join(accepted, ", ")};
}

ApiError forbidden(const GroupResource& gr, std::string_view name, std::string_view why) {
    // NewForbidden's three shapes: a non-resource path, a collection, one object.
    if (gr.resource.empty()) {
        return {403, "Forbidden", "forbidden: " + std::string(why), json::object()};
    }
    const std::string subject =
        name.empty() ? gr.to_string() : gr.to_string() + " \"" + std::string(name) + "\"";
    return {403, "Forbidden", subject + " is forbidden: " + std::string(why), details_of(gr, name)};
}

ApiError internal_error(std::string_view why) {
    return {500, "InternalError", "Internal error occurred: " + std::string(why),
            json{{"causes", json::array({{{"message", why}}})}}};
}

ApiError path_not_found() {
    return {404, "NotFound", "the server could not find the requested resource", json::object()};
}

// ---------------------------------------------------------------------------------------------
// ResourceType

std::string ResourceType::api_version() const {
    return group.empty() ? version : group + "/" + version;
}

std::string ResourceType::qualified_kind() const {
    return group.empty() ? kind : kind + "." + group;
}

bool ResourceType::supports(std::string_view verb) const {
    return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

namespace {

// Splits "v1beta2" into (major 1, stage beta=1, minor 2); stage GA=2, beta=1, alpha=0.
struct KubeVersion {
    bool ok = false;
    int major = 0;
    int stage = 2;
    int minor = 0;
};

KubeVersion parse_kube_version(std::string_view v) {
    KubeVersion out;
    if (v.size() < 2 || v[0] != 'v' || !std::isdigit(static_cast<unsigned char>(v[1]))) {
        return out;
    }
    std::size_t i = 1;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
        out.major = out.major * 10 + (v[i] - '0');
        ++i;
    }
    if (i == v.size()) {
        out.ok = true;
        return out;
    }
    std::string_view rest = v.substr(i);
    if (rest.starts_with("alpha")) {
        out.stage = 0;
        rest.remove_prefix(5);
    } else if (rest.starts_with("beta")) {
        out.stage = 1;
        rest.remove_prefix(4);
    } else {
        return out;
    }
    if (rest.empty()) {
        return out;
    }
    for (char c : rest) {
        if (!std::isdigit(static_cast<unsigned char>(c))) {
            return out;
        }
        out.minor = out.minor * 10 + (c - '0');
    }
    out.ok = true;
    return out;
}

} // namespace

bool version_preferred(std::string_view a, std::string_view b) {
    const auto va = parse_kube_version(a);
    const auto vb = parse_kube_version(b);
    if (va.ok != vb.ok) {
        return va.ok;
    }
    if (!va.ok) {
        return a < b;
    }
    if (va.stage != vb.stage) {
        return va.stage > vb.stage;
    }
    if (va.major != vb.major) {
        return va.major > vb.major;
    }
    return va.minor > vb.minor;
}

// ---------------------------------------------------------------------------------------------
// The built-in table

namespace {

const std::vector<std::string> k_builtin_verbs = {"create", "delete", "deletecollection", "get",
                                                  "list",   "patch",  "update",           "watch"};
// The order apiextensions-apiserver lists a custom resource's verbs in.
const std::vector<std::string> k_custom_verbs = {"delete", "deletecollection", "get",    "list",
                                                 "patch",  "create",           "update", "watch"};

ResourceType builtin(std::string group, std::string version, std::string plural,
                     std::string singular, std::string kind, bool namespaced,
                     std::vector<std::string> short_names, std::vector<std::string> categories) {
    ResourceType t;
    t.group = std::move(group);
    t.version = std::move(version);
    t.plural = std::move(plural);
    t.singular = std::move(singular);
    t.kind = std::move(kind);
    t.list_kind = t.kind + "List";
    t.namespaced = namespaced;
    t.short_names = std::move(short_names);
    t.categories = std::move(categories);
    t.verbs = k_builtin_verbs;
    return t;
}

PrinterColumn column(std::string name, std::string type, std::string path, int priority = 0,
                     std::string description = {}) {
    PrinterColumn c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.json_path = std::move(path);
    c.priority = priority;
    c.description = std::move(description);
    return c;
}

PrinterColumn age_column() {
    return column("Age", "date", ".metadata.creationTimestamp", 0,
                  "CreationTimestamp is a timestamp representing the server time when this "
                  "object was created.");
}

ResourceType custom(std::string group, std::string plural, std::string singular, std::string kind,
                    bool namespaced, std::vector<std::string> short_names,
                    std::vector<PrinterColumn> columns) {
    ResourceType t = builtin(std::move(group), "v1alpha1", std::move(plural), std::move(singular),
                             std::move(kind), namespaced, std::move(short_names), {});
    t.custom = true;
    t.has_generation = true;
    t.verbs = k_custom_verbs;
    t.columns = std::move(columns);
    if (t.columns.empty()) {
        t.columns.push_back(age_column());
    }
    return t;
}

} // namespace

std::vector<ResourceType> ResourceRegistry::builtin_types() {
    std::vector<ResourceType> out;

    auto pods = builtin("", "v1", "pods", "pod", "Pod", true, {"po"}, {"all"});
    pods.has_status = true;
    pods.selectable_fields = {
        "spec.nodeName",    "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase",       "status.podIP",       "status.nominatedNodeName"};
    out.push_back(pods);
    auto services = builtin("", "v1", "services", "service", "Service", true, {"svc"}, {"all"});
    services.has_status = true;
    // Services have no deletecollection verb in the real apiserver.
    services.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
    out.push_back(services);
    auto namespaces = builtin("", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {});
    namespaces.has_status = true;
    namespaces.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
    namespaces.selectable_fields = {"status.phase"};
    out.push_back(namespaces);
    out.push_back(builtin("", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}, {}));
    auto events = builtin("", "v1", "events", "event", "Event", true, {"ev"}, {});
    events.selectable_fields = {"involvedObject.kind",
                                "involvedObject.namespace",
                                "involvedObject.name",
                                "involvedObject.uid",
                                "involvedObject.apiVersion",
                                "involvedObject.resourceVersion",
                                "involvedObject.fieldPath",
                                "reason",
                                "reportingComponent",
                                "source",
                                "type"};
    out.push_back(events);
    auto secrets = builtin("", "v1", "secrets", "secret", "Secret", true, {}, {});
    secrets.selectable_fields = {"type"};
    out.push_back(secrets);
    out.push_back(
        builtin("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}, {}));

    // RBAC objects are only stored (nova-sim authorises by token, not by rules), so that the
    // controllers' install manifests apply as they do on a real cluster.
    const std::string rbac = "rbac.authorization.k8s.io";
    out.push_back(builtin(rbac, "v1", "roles", "role", "Role", true, {}, {}));
    out.push_back(builtin(rbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true, {}, {}));
    out.push_back(builtin(rbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false, {}, {}));
    out.push_back(builtin(rbac, "v1", "clusterrolebindings", "clusterrolebinding",
                          "ClusterRoleBinding", false, {}, {}));

    auto deployments =
        builtin("apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"}, {"all"});
    deployments.has_status = true;
    deployments.has_generation = true;
    deployments.scale = ScaleSpec{".spec.replicas", ".status.replicas", ""};
    out.push_back(deployments);
    auto replicasets =
        builtin("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, {"rs"}, {"all"});
    replicasets.has_status = true;
    replicasets.has_generation = true;
    replicasets.scale = ScaleSpec{".spec.replicas", ".status.replicas", ""};
    replicasets.selectable_fields = {"status.replicas"};
    out.push_back(replicasets);
    // What a rollout's workloadRef may name besides a Deployment or ReplicaSet (undo patches
    // its /template).
    out.push_back(builtin("", "v1", "podtemplates", "podtemplate", "PodTemplate", true, {}, {}));
    auto jobs = builtin("batch", "v1", "jobs", "job", "Job", true, {}, {"all"});
    jobs.has_status = true;
    jobs.has_generation = true;
    jobs.selectable_fields = {"status.successful"};
    out.push_back(jobs);

    auto crds = builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                        "customresourcedefinition", "CustomResourceDefinition", false,
                        {"crd", "crds"}, {"api-extensions"});
    crds.has_status = true;
    crds.has_generation = true;
    out.push_back(crds);

    // Custom resources that nova-sim serves from the start, as if their CRDs were installed
    // (argo-rollouts' and Nova's CRDs, with their printer columns).
    auto rollouts =
        custom("argoproj.io", "rollouts", "rollout", "Rollout", true, {"ro"},
               {column("Desired", "integer", ".spec.replicas", 0, "Number of desired pods"),
                column("Current", "integer", ".status.replicas", 0,
                       "Total number of non-terminated pods targeted by this rollout"),
                column("Up-to-date", "integer", ".status.updatedReplicas", 0,
                       "Total number of non-terminated pods targeted by this rollout that have "
                       "the desired template spec"),
                column("Available", "integer", ".status.availableReplicas", 0,
                       "Total number of available pods (ready for at least minReadySeconds) "
                       "targeted by this rollout"),
                age_column()});
    rollouts.has_status = true;
    rollouts.scale = ScaleSpec{".spec.replicas", ".status.HPAReplicas", ".status.selector"};
    out.push_back(rollouts);
    out.push_back(custom(
        "argoproj.io", "analysisruns", "analysisrun", "AnalysisRun", true, {"ar"},
        {column("Status", "string", ".status.phase", 0, "AnalysisRun status"), age_column()}));
    out.push_back(custom("argoproj.io", "analysistemplates", "analysistemplate", "AnalysisTemplate",
                         true, {"at"}, {}));
    out.push_back(custom("argoproj.io", "clusteranalysistemplates", "clusteranalysistemplate",
                         "ClusterAnalysisTemplate", false, {"cat"}, {}));
    out.push_back(custom(
        "argoproj.io", "experiments", "experiment", "Experiment", true, {"exp"},
        {column("Status", "string", ".status.phase", 0, "Experiment status"), age_column()}));
    out.push_back(
        custom("cluster.elotl.co", "clusters", "cluster", "Cluster", false, {},
               {column("K8s-Version", "string", ".spec.kubernetesversion"),
                column("K8s-Cluster", "string", ".spec.kubernetescluster"),
                column("Nova-Created", "boolean", ".spec.novacreated", 1),
                column("Provider", "string", ".spec.provider", 1),
                column("Region", "string", ".spec.region"), column("Zone", "string", ".spec.zone"),
                column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                column("Idle", "string", ".status.conditions[?(@.type==\"Idle\")].status"),
                column("Standby", "string", ".status.conditions[?(@.type==\"Standby\")].status")}));
    out.push_back(custom("policy.elotl.co", "schedulepolicies", "schedulepolicy", "SchedulePolicy",
                         false, {}, {}));
    out.push_back(custom("policy.elotl.co", "schedulegroups", "schedulegroup", "ScheduleGroup",
                         false, {}, {}));
    return out;
}

// ---------------------------------------------------------------------------------------------
// CRDs

namespace {

std::string str_at(const json& j, std::string_view key) {
    if (!j.is_object()) {
        return {};
    }
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::vector<std::string> strings_at(const json& j, std::string_view key) {
    std::vector<std::string> out;
    if (!j.is_object()) {
        return out;
    }
    const auto it = j.find(key);
    if (it == j.end() || !it->is_array()) {
        return out;
    }
    for (const auto& v : *it) {
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        }
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

std::vector<ResourceType> ResourceRegistry::from_crd(const json& crd) {
    const std::string name = crd.contains("metadata") ? str_at(crd["metadata"], "name") : "";
    const json spec = crd.value("spec", json::object());
    const json names = spec.value("names", json::object());
    const std::string group = str_at(spec, "group");
    const std::string plural = str_at(names, "plural");
    const std::string kind = str_at(names, "kind");
    std::vector<FieldCause> causes;
    const auto required = [&](const std::string& value, const char* field) {
        if (value.empty()) {
            causes.push_back({"FieldValueRequired", field, "Required value"});
        }
    };
    required(group, "spec.group");
    required(plural, "spec.names.plural");
    required(kind, "spec.names.kind");
    if (!group.empty() && !plural.empty() && name != plural + "." + group) {
        causes.push_back(
            {"FieldValueInvalid", "metadata.name",
             "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group"});
    }
    const std::string scope = str_at(spec, "scope");
    if (scope != "Namespaced" && scope != "Cluster") {
        causes.push_back({"FieldValueNotSupported", "spec.scope",
                          "Unsupported value: \"" + scope +
                              "\": supported values: \"Cluster\", \"Namespaced\""});
    }
    const json versions = spec.value("versions", json::array());
    if (!versions.is_array() || versions.empty()) {
        causes.push_back({"FieldValueInvalid", "spec.versions",
                          "Invalid value: null: must have exactly one version marked as storage "
                          "version"});
    }
    if (!causes.empty()) {
        throw invalid("apiextensions.k8s.io", "CustomResourceDefinition", name, causes);
    }

    std::vector<ResourceType> out;
    bool any_storage = false;
    for (const auto& v : versions) {
        if (!v.is_object() || !v.value("served", true)) {
            continue;
        }
        ResourceType t;
        t.group = group;
        t.version = str_at(v, "name");
        t.plural = plural;
        t.kind = kind;
        t.singular = str_at(names, "singular");
        if (t.singular.empty()) {
            t.singular = lower(kind);
        }
        t.list_kind = str_at(names, "listKind");
        if (t.list_kind.empty()) {
            t.list_kind = kind + "List";
        }
        t.namespaced = scope == "Namespaced";
        t.custom = true;
        t.has_generation = true;
        t.storage = v.value("storage", false);
        any_storage = any_storage || t.storage;
        t.short_names = strings_at(names, "shortNames");
        t.categories = strings_at(names, "categories");
        t.verbs = k_custom_verbs;
        const json subresources = v.value("subresources", json::object());
        if (subresources.is_object()) {
            t.has_status = subresources.contains("status");
            if (subresources.contains("scale") && subresources["scale"].is_object()) {
                const json& s = subresources["scale"];
                ScaleSpec scale;
                scale.spec_replicas_path = str_at(s, "specReplicasPath");
                scale.status_replicas_path = str_at(s, "statusReplicasPath");
                scale.label_selector_path = str_at(s, "labelSelectorPath");
                t.scale = scale;
            }
        }
        const json columns = v.value("additionalPrinterColumns", json::array());
        if (columns.is_array()) {
            for (const auto& c : columns) {
                PrinterColumn pc;
                pc.name = str_at(c, "name");
                pc.type = str_at(c, "type");
                pc.format = str_at(c, "format");
                pc.description = str_at(c, "description");
                pc.json_path = str_at(c, "jsonPath");
                pc.priority = c.value("priority", 0);
                t.columns.push_back(pc);
            }
        }
        // A CRD without printer columns is shown with an Age column (apiextensions' default).
        if (t.columns.empty()) {
            t.columns.push_back(age_column());
        }
        for (const auto& f : v.value("selectableFields", json::array())) {
            const std::string path = str_at(f, "jsonPath");
            if (path.size() > 1) {
                t.selectable_fields.push_back(path.substr(1));
            }
        }
        out.push_back(std::move(t));
    }
    if (!any_storage && !out.empty()) {
        out.front().storage = true;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// ResourceRegistry

ResourceRegistry::ResourceRegistry() {
    add_locked(builtin_types());
}

void ResourceRegistry::add_locked(std::vector<ResourceType> types) {
    for (auto& t : types) {
        m_types.push_back(std::make_shared<const ResourceType>(std::move(t)));
    }
}

ResourceTypePtr ResourceRegistry::find(std::string_view group, std::string_view version,
                                       std::string_view plural) const {
    std::lock_guard lock(m_mutex);
    for (const auto& t : m_types) {
        if (t->group == group && t->version == version && t->plural == plural) {
            return t;
        }
    }
    return nullptr;
}

ResourceTypePtr ResourceRegistry::find_kind(std::string_view api_version,
                                            std::string_view kind) const {
    std::lock_guard lock(m_mutex);
    for (const auto& t : m_types) {
        if (t->kind == kind && t->api_version() == api_version) {
            return t;
        }
    }
    return nullptr;
}

ResourceTypePtr ResourceRegistry::find(const GroupResource& gr) const {
    std::lock_guard lock(m_mutex);
    ResourceTypePtr best;
    for (const auto& t : m_types) {
        if (t->group == gr.group && t->plural == gr.resource) {
            if (t->storage) {
                return t;
            }
            if (!best) {
                best = t;
            }
        }
    }
    return best;
}

std::vector<ResourceTypePtr> ResourceRegistry::all() const {
    std::lock_guard lock(m_mutex);
    return m_types;
}

void ResourceRegistry::register_crd(const json& crd) {
    auto types = from_crd(crd);
    if (types.empty()) {
        return;
    }
    const GroupResource gr = types.front().group_resource();
    std::lock_guard lock(m_mutex);
    std::erase_if(m_types, [&](const ResourceTypePtr& t) { return t->group_resource() == gr; });
    add_locked(std::move(types));
}

void ResourceRegistry::unregister(const GroupResource& gr) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_types, [&](const ResourceTypePtr& t) { return t->group_resource() == gr; });
}

json ResourceRegistry::api_versions() const {
    return {{"kind", "APIVersions"},
            {"versions", json::array({"v1"})},
            {"serverAddressByClientCIDRs",
             json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}})}};
}

json ResourceRegistry::group_json(std::string_view group) const {
    std::vector<std::string> versions;
    for (const auto& t : m_types) {
        if (t->group == group &&
            std::find(versions.begin(), versions.end(), t->version) == versions.end()) {
            versions.push_back(t->version);
        }
    }
    std::sort(versions.begin(), versions.end(),
              [](const std::string& a, const std::string& b) { return version_preferred(a, b); });
    json list = json::array();
    for (const auto& v : versions) {
        list.push_back({{"groupVersion", std::string(group) + "/" + v}, {"version", v}});
    }
    return {{"name", group},
            {"versions", list},
            {"preferredVersion", versions.empty() ? json::object() : list.front()}};
}

json ResourceRegistry::group_list() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> groups;
    for (const auto& t : m_types) {
        if (!t->group.empty() &&
            std::find(groups.begin(), groups.end(), t->group) == groups.end()) {
            groups.push_back(t->group);
        }
    }
    json list = json::array();
    for (const auto& g : groups) {
        list.push_back(group_json(g));
    }
    return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}};
}

std::optional<json> ResourceRegistry::group(std::string_view group) const {
    std::lock_guard lock(m_mutex);
    const bool known = std::any_of(m_types.begin(), m_types.end(),
                                   [&](const ResourceTypePtr& t) { return t->group == group; });
    if (group.empty() || !known) {
        return std::nullopt;
    }
    json doc = group_json(group);
    doc["kind"] = "APIGroup";
    doc["apiVersion"] = "v1";
    return doc;
}

std::optional<json> ResourceRegistry::resource_list(std::string_view group,
                                                    std::string_view version) const {
    std::lock_guard lock(m_mutex);
    json resources = json::array();
    bool any = false;
    for (const auto& t : m_types) {
        if (t->group != group || t->version != version) {
            continue;
        }
        any = true;
        json r = {{"name", t->plural},
                  {"singularName", t->singular},
                  {"namespaced", t->namespaced},
                  {"kind", t->kind},
                  {"verbs", t->verbs}};
        if (!t->short_names.empty()) {
            r["shortNames"] = t->short_names;
        }
        if (!t->categories.empty()) {
            r["categories"] = t->categories;
        }
        resources.push_back(r);
        const json sub_verbs = json::array({"get", "patch", "update"});
        if (t->has_status) {
            resources.push_back({{"name", t->plural + "/status"},
                                 {"singularName", ""},
                                 {"namespaced", t->namespaced},
                                 {"kind", t->kind},
                                 {"verbs", sub_verbs}});
        }
        if (t->scale) {
            resources.push_back({{"name", t->plural + "/scale"},
                                 {"singularName", ""},
                                 {"namespaced", t->namespaced},
                                 {"group", "autoscaling"},
                                 {"version", "v1"},
                                 {"kind", "Scale"},
                                 {"verbs", sub_verbs}});
        }
    }
    if (!any) {
        return std::nullopt;
    }
    const std::string group_version =
        group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
    return json{{"kind", "APIResourceList"},
                {"apiVersion", "v1"},
                {"groupVersion", group_version},
                {"resources", resources}};
}

std::optional<json> ResourceRegistry::openapi_locked(std::string_view group,
                                                     std::string_view version) const {
    json paths = json::object();
    for (const auto& t : m_types) {
        if (t->group != group || t->version != version) {
            continue;
        }
        const std::string prefix =
            t->group.empty() ? "/api/" + t->version : "/apis/" + t->group + "/" + t->version;
        const std::string path =
            prefix + (t->namespaced ? "/namespaces/{namespace}/" : "/") + t->plural + "/{name}";
        paths[path] = {{"patch",
                        {{"x-kubernetes-group-version-kind",
                          {{"group", t->group}, {"version", t->version}, {"kind", t->kind}}},
                         {"parameters",
                          json::array({{{"name", "fieldValidation"},
                                        {"in", "query"},
                                        {"schema", {{"type", "string"}, {"uniqueItems", true}}}}})},
                         {"responses", {{"200", {{"description", "OK"}}}}}}}};
    }
    if (paths.empty()) {
        return std::nullopt;
    }
    return json{{"openapi", "3.0.0"},
                {"info", {{"title", "Kubernetes"}, {"version", "v1.29.0"}}},
                {"paths", paths},
                {"components", {{"schemas", json::object()}}}};
}

std::optional<json> ResourceRegistry::openapi_v3(std::string_view group,
                                                 std::string_view version) const {
    std::lock_guard lock(m_mutex);
    return openapi_locked(group, version);
}

json ResourceRegistry::openapi_v3_index() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<std::string, std::string>> gvs;
    for (const auto& t : m_types) {
        const std::pair<std::string, std::string> gv{t->group, t->version};
        if (std::find(gvs.begin(), gvs.end(), gv) == gvs.end()) {
            gvs.push_back(gv);
        }
    }
    json paths = json::object();
    for (const auto& [g, v] : gvs) {
        const std::string key = g.empty() ? "api/" + v : "apis/" + g + "/" + v;
        // The hash lets clients cache a document until it changes (a CRD came or went).
        const auto doc = openapi_locked(g, v);
        char hash[17];
        std::snprintf(hash, sizeof hash, "%016zX",
                      std::hash<std::string>{}(doc ? doc->dump() : ""));
        paths[key] = {{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash}};
    }
    return {{"paths", paths}};
}

} // namespace nova::sim
