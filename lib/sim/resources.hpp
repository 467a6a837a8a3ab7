#pragma once

#include <nlohmann/json.hpp>

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::sim {

// An error of the REST engine, shaped like the apiserver's: it becomes a metav1.Status.
// (core::Error is for the CLI's user; inside the engine errors carry HTTP codes and reasons.)
struct ApiError : std::exception {
    int code = 500;
    std::string reason;
    std::string message;
    nlohmann::json details; // null, or {name, group, kind, causes, ...}

    ApiError(int code_, std::string reason_, std::string message_,
             nlohmann::json details_ = nullptr);
    [[nodiscard]] const char* what() const noexcept override { return message.c_str(); }
    // The metav1.Status body.
    [[nodiscard]] nlohmann::json to_status() const;
};

// A resource irrespective of version: "rollouts" in "argoproj.io", "pods" in "" (core).
struct GroupResource {
    std::string group;
    std::string resource;

    // "rollouts.argoproj.io", or "pods" for the core group: how apiserver messages name it.
    [[nodiscard]] std::string to_string() const;
    auto operator<=>(const GroupResource&) const = default;
};

// The resources nova-sim's engine and simulated controllers work with, named once.
namespace kinds {
inline const GroupResource pods{"", "pods"};
inline const GroupResource services{"", "services"};
inline const GroupResource namespaces{"", "namespaces"};
inline const GroupResource events{"", "events"};
inline const GroupResource replica_sets{"apps", "replicasets"};
inline const GroupResource deployments{"apps", "deployments"};
inline const GroupResource jobs{"batch", "jobs"};
inline const GroupResource crds{"apiextensions.k8s.io", "customresourcedefinitions"};
inline const GroupResource rollouts{"argoproj.io", "rollouts"};
inline const GroupResource analysis_runs{"argoproj.io", "analysisruns"};
inline const GroupResource analysis_templates{"argoproj.io", "analysistemplates"};
inline const GroupResource cluster_analysis_templates{"argoproj.io", "clusteranalysistemplates"};
inline const GroupResource clusters{"cluster.elotl.co", "clusters"};
inline const GroupResource schedule_policies{"policy.elotl.co", "schedulepolicies"};
} // namespace kinds

// apimachinery's error constructors, with their exact wording.
ApiError not_found(const GroupResource& gr, std::string_view name);
ApiError already_exists(const GroupResource& gr, std::string_view name);
ApiError conflict(const GroupResource& gr, std::string_view name, std::string_view why);
// The optimistic-lock failure of an update with a stale resourceVersion.
ApiError stale_conflict(const GroupResource& gr, std::string_view name);
struct FieldCause {
    std::string reason; // FieldValueInvalid, FieldValueRequired, ...
    std::string field;  // metadata.name
    std::string detail; // the message of the cause, e.g. `Invalid value: "A": ...`
};
// 422 Invalid; `kind` is the Kind ("Rollout"), `group` its group.
ApiError invalid(std::string_view group, std::string_view kind, std::string_view name,
                 const std::vector<FieldCause>& causes);
ApiError bad_request(std::string message);
ApiError method_not_supported(const GroupResource& gr, std::string_view verb);
ApiError expired(std::string message);
ApiError unsupported_media_type(std::string_view content_type,
                                const std::vector<std::string>& accepted);
ApiError not_acceptable(const std::vector<std::string>& accepted);
// An empty `name` words it for a collection, an empty `gr` for a non-resource path.
ApiError forbidden(const GroupResource& gr, std::string_view name, std::string_view why);
ApiError internal_error(std::string_view why);
// "the server could not find the requested resource" (unknown paths and resources).
ApiError path_not_found();

// One column of a Table (a CRD's additionalPrinterColumns entry).
struct PrinterColumn {
    std::string name;
    std::string type = "string"; // string, integer, number, boolean, date
    std::string format;
    std::string description;
    std::string json_path;
    int priority = 0;
};

// The scale subresource of a custom resource (CRD spec.versions[].subresources.scale).
struct ScaleSpec {
    std::string spec_replicas_path = ".spec.replicas";
    std::string status_replicas_path = ".status.replicas";
    std::string label_selector_path; // empty: the Scale has no status.selector
};

// One served group/version/resource with everything the engine needs to serve it.
struct ResourceType {
    std::string group;   // "" for core
    std::string version; // v1, v1alpha1
    std::string plural;
    std::string singular;
    std::string kind;
    std::string list_kind;
    bool namespaced = true;
    bool custom = false;     // served like a custom resource: no strategic merge patch
    bool has_status = false; // status subresource
    std::optional<ScaleSpec> scale;
    bool has_generation = false; // metadata.generation is maintained
    bool storage = true;         // the storage version among a CRD's versions
    std::vector<std::string> short_names;
    std::vector<std::string> categories;
    std::vector<std::string> verbs;
    std::vector<PrinterColumn> columns;         // custom resources only: NAME is implied
    std::vector<std::string> selectable_fields; // beyond metadata.name and metadata.namespace

    [[nodiscard]] GroupResource group_resource() const { return {group, plural}; }
    [[nodiscard]] std::string api_version() const; // "v1", "argoproj.io/v1alpha1"
    // "Rollout.argoproj.io", or "Pod" for the core group: how Invalid messages name the kind.
    [[nodiscard]] std::string qualified_kind() const;
    [[nodiscard]] bool supports(std::string_view verb) const;
};

using ResourceTypePtr = std::shared_ptr<const ResourceType>;

// Kubernetes' version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > anything else.
// Returns true when `a` sorts before (is preferred to) `b`.
bool version_preferred(std::string_view a, std::string_view b);

// The resources a server serves: the built-in table plus those of CustomResourceDefinitions.
// Thread-safe; lookups return shared snapshots that stay valid after re-registration.
class ResourceRegistry {
public:
    ResourceRegistry(); // the built-in table

    [[nodiscard]] ResourceTypePtr find(std::string_view group, std::string_view version,
                                       std::string_view plural) const;
    // By apiVersion ("argoproj.io/v1alpha1", "v1") and kind ("Rollout").
    [[nodiscard]] ResourceTypePtr find_kind(std::string_view api_version,
                                            std::string_view kind) const;
    // The preferred (storage) version of a group/resource.
    [[nodiscard]] ResourceTypePtr find(const GroupResource& gr) const;
    [[nodiscard]] std::vector<ResourceTypePtr> all() const;

    // Registers the resources of a CRD object, replacing any earlier registration of the
    // same group/resource (built-in or not). Throws ApiError (422) for an unusable spec.
    void register_crd(const nlohmann::json& crd);
    // Removes what a CRD registered.
    void unregister(const GroupResource& gr);

    // Discovery documents.
    [[nodiscard]] nlohmann::json api_versions() const;                               // /api
    [[nodiscard]] nlohmann::json group_list() const;                                 // /apis
    [[nodiscard]] std::optional<nlohmann::json> group(std::string_view group) const; // /apis/G
    [[nodiscard]] std::optional<nlohmann::json> resource_list(std::string_view group,
                                                              std::string_view version) const;

    // Minimal OpenAPI v3 documents: the index (/openapi/v3) and, per group/version, one PATCH
    // operation per kind that accepts the fieldValidation parameter. That is what kubectl
    // looks for to leave validation to the server, so `kubectl create/apply` work without
    // --validate=false and without schemas (kubectl then falls back to its built-in types for
    // strategic merge patches, and to JSON merge patches for custom resources).
    [[nodiscard]] nlohmann::json openapi_v3_index() const;
    [[nodiscard]] std::optional<nlohmann::json> openapi_v3(std::string_view group,
                                                           std::string_view version) const;

    // The ResourceTypes a CRD object declares (one per served version). Throws ApiError 422.
    static std::vector<ResourceType> from_crd(const nlohmann::json& crd);
    // The built-in table: core, apps, batch and apiextensions kinds, plus argo-rollouts' and
    // Nova's custom kinds as if their CRDs were installed.
    static std::vector<ResourceType> builtin_types();

private:
    [[nodiscard]] nlohmann::json group_json(std::string_view group) const; // lock held
    [[nodiscard]] std::optional<nlohmann::json> openapi_locked(std::string_view group,
                                                               std::string_view version) const;
    void add_locked(std::vector<ResourceType> types);

    mutable std::mutex m_mutex;
    std::vector<ResourceTypePtr> m_types; // registration order decides discovery order
};

} // namespace nova::sim
