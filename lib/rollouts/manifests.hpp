#pragma once

// The manifests `create -f` reads: parsed and checked before anything is sent, so that one bad
// document never leaves the others half created.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// A kind `create -f` accepts (all argoproj.io/v1alpha1).
struct CreatableKind {
    std::string_view kind;     // "ClusterAnalysisTemplate"
    std::string_view resource; // the plural of its URL: "clusteranalysistemplates"
    std::string_view singular; // what the "created" line calls it: "clusteranalysistemplate"
    bool namespaced = true;
};

inline constexpr std::string_view argo_api_version = "argoproj.io/v1alpha1";

// The kind's entry, or nullptr when `create -f` does not accept it.
const CreatableKind* find_creatable_kind(std::string_view kind);

// The documents of one file: JSON when its first non-space byte is '{', YAML otherwise (several
// documents allowed, empty ones skipped). `source` names the file in messages. Throws
// core::Error ("SOURCE: line 3: ...") when it does not parse.
std::vector<nlohmann::json> parse_manifest(std::string_view text, std::string_view source);

// One document, checked, and where it goes.
struct Manifest {
    std::string source; // "rollout.yaml", or "all.yaml (document 2)" in a file of several
    nlohmann::json object;
    const CreatableKind* kind = nullptr;
    std::string name;           // metadata.name, "" when only generateName is given
    std::string generate_name;  // metadata.generateName
    std::string namespace_name; // where it is created: "" for a cluster-scoped kind
};

// Where the command runs: the namespace of -n or the context, and whether -n was given
// (then a different metadata.namespace is refused, as kubectl does).
struct NamespaceChoice {
    std::string namespace_name;
    bool explicit_flag = false;
};

// Checks one document: an object of a kind create accepts, with metadata.name (a DNS-1123
// subdomain) or generateName, a spec object, and a namespace (a DNS-1123 label) that agrees with
// an explicit -n. Throws core::Error starting with `source`.
Manifest check_manifest(nlohmann::json object, std::string source, const NamespaceChoice& where);

// One file's documents, each checked; `source` is the file's name. Throws core::Error when
// the file holds no document or one fails.
std::vector<Manifest> check_manifests(std::string_view text, const std::string& source,
                                      const NamespaceChoice& where);

// Throws core::Error when the same object is given twice (its second create would fail after
// the first was made).
void check_no_duplicates(const std::vector<Manifest>& manifests);

// "rollout.argoproj.io/demo": how the "created" line names an object (the name as the server
// returned it, kept on the line and made printable).
std::string created_name(const Manifest& manifest, std::string_view server_name);

} // namespace nova::rollouts
