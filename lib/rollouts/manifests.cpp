#include "lib/rollouts/manifests.hpp"

#include "lib/core/error.hpp"
#include "lib/core/json_parse.hpp"
#include "lib/core/names.hpp"
#include "lib/core/text.hpp"
#include "lib/core/yaml.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace nova::rollouts {

using nlohmann::json;

namespace {

constexpr std::array<CreatableKind, 5> creatable_kinds{{
    {"Rollout", "rollouts", "rollout", true},
    {"Experiment", "experiments", "experiment", true},
    {"AnalysisTemplate", "analysistemplates", "analysistemplate", true},
    {"ClusterAnalysisTemplate", "clusteranalysistemplates", "clusteranalysistemplate", false},
    {"AnalysisRun", "analysisruns", "analysisrun", true},
}};

bool looks_like_json(std::string_view text) {
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            return c == '{';
        }
    }
    return false;
}

std::string type_name(const json& value) {
    return value.is_null() ? "null" : value.type_name();
}

// A string field of `object`, "" when absent; throws when it holds something else.
std::string string_field(const json& object, const char* key, const std::string& where,
                         const std::string& source) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return "";
    }
    if (!found->is_string()) {
        throw core::Error(source + ": " + where + key + " must be a string, not " +
                          type_name(*found));
    }
    return found->get<std::string>();
}

std::string group_of(std::string_view api_version) {
    const auto slash = api_version.find('/');
    return std::string(slash == std::string_view::npos ? api_version
                                                       : api_version.substr(0, slash));
}

} // namespace

const CreatableKind* find_creatable_kind(std::string_view kind) {
    for (const auto& entry : creatable_kinds) {
        if (entry.kind == kind) {
            return &entry;
        }
    }
    return nullptr;
}

std::vector<json> parse_manifest(std::string_view text, std::string_view source) {
    if (looks_like_json(text)) {
        std::vector<json> documents;
        try {
            // Strict as argo's decoding: a key given twice is an error, not the last one's.
            core::JsonParseOptions options;
            options.reject_duplicate_keys = true;
            // Moved in, not copied: a copy walks the document recursively.
            documents.push_back(core::parse_json(text, options));
        } catch (const core::Error& error) {
            throw core::Error(std::string(source) + ": invalid JSON: " + error.what());
        }
        return documents;
    }
    try {
        return core::parse_yaml_documents(text);
    } catch (const core::Error& error) {
        throw core::Error(std::string(source) + ": invalid YAML: " + error.what());
    }
}

Manifest check_manifest(json object, std::string source, const NamespaceChoice& where) {
    if (!object.is_object()) {
        throw core::Error(source + ": a document must be an object, not " + type_name(object));
    }
    const std::string api_version = string_field(object, "apiVersion", "", source);
    const std::string kind = string_field(object, "kind", "", source);
    if (kind.empty()) {
        throw core::Error(source + ": kind is not set (create takes Rollout, Experiment, "
                                   "AnalysisTemplate, ClusterAnalysisTemplate or AnalysisRun)");
    }
    const std::string group = group_of(api_version);
    const CreatableKind* creatable = find_creatable_kind(kind);
    if (group != "argoproj.io" || creatable == nullptr) {
        // argo's words; a core kind (apiVersion "v1") shows its apiVersion for a group.
        throw core::Error(source + ": creates of " +
                          (api_version.find('/') == std::string::npos ? api_version : group) + "/" +
                          kind + " unsupported");
    }
    if (api_version != argo_api_version) {
        throw core::Error(source + ": apiVersion " + core::quote(api_version) + " of " + kind +
                          " is not served: use " + std::string(argo_api_version));
    }

    const auto meta = object.find("metadata");
    if (meta == object.end() || !meta->is_object()) {
        throw core::Error(source + ": " + kind + " has no metadata (it needs metadata.name)");
    }
    Manifest manifest;
    manifest.kind = creatable;
    manifest.name = string_field(*meta, "name", "metadata.", source);
    manifest.generate_name = string_field(*meta, "generateName", "metadata.", source);
    if (manifest.name.empty() && manifest.generate_name.empty()) {
        throw core::Error(source + ": " + kind +
                          " has neither metadata.name nor metadata.generateName");
    }
    // The name and the namespace go into URLs (the create, a -w that follows): checked as the
    // API server would, before anything is sent.
    if (const auto problem = core::subdomain_problem(manifest.name);
        !manifest.name.empty() && problem) {
        throw core::Error(source + ": " +
                          core::invalid_name_message("metadata.name", manifest.name, *problem));
    }
    if (const auto problem = core::generate_name_problem(manifest.generate_name);
        !manifest.generate_name.empty() && problem) {
        throw core::Error(
            source + ": " +
            core::invalid_name_message("metadata.generateName", manifest.generate_name, *problem));
    }
    const std::string described =
        std::string(creatable->singular) + " " +
        core::quote(manifest.name.empty() ? manifest.generate_name : manifest.name);
    const auto spec = object.find("spec");
    if (spec == object.end() || spec->is_null()) {
        throw core::Error(source + ": " + described + " has no spec");
    }
    if (!spec->is_object()) {
        throw core::Error(source + ": " + described + ": spec must be an object, not " +
                          type_name(*spec));
    }

    const std::string file_namespace = string_field(*meta, "namespace", "metadata.", source);
    if (creatable->namespaced) {
        if (const auto problem = core::label_problem(file_namespace);
            !file_namespace.empty() && problem) {
            throw core::Error(
                source + ": " +
                core::invalid_name_message("metadata.namespace", file_namespace, *problem));
        }
        if (where.explicit_flag && !file_namespace.empty() &&
            file_namespace != where.namespace_name) {
            // kubectl's refusal, word for word after the source.
            throw core::Error(
                source + ": the namespace from the provided object " + core::quote(file_namespace) +
                " does not match the namespace " + core::quote(where.namespace_name) +
                ". You must pass '--namespace=" + file_namespace + "' to perform this operation.");
        }
        manifest.namespace_name = file_namespace.empty() ? where.namespace_name : file_namespace;
    }
    manifest.source = std::move(source);
    manifest.object = std::move(object);
    return manifest;
}

std::vector<Manifest> check_manifests(std::string_view text, const std::string& source,
                                      const NamespaceChoice& where) {
    std::vector<json> documents = parse_manifest(text, source);
    if (documents.empty()) {
        throw core::Error(source + ": no objects to create");
    }
    std::vector<Manifest> manifests;
    manifests.reserve(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) {
        std::string where_in_file =
            documents.size() == 1 ? source : source + " (document " + std::to_string(i + 1) + ")";
        manifests.push_back(
            check_manifest(std::move(documents[i]), std::move(where_in_file), where));
    }
    return manifests;
}

void check_no_duplicates(const std::vector<Manifest>& manifests) {
    for (std::size_t i = 0; i < manifests.size(); ++i) {
        const Manifest& later = manifests[i];
        if (later.name.empty()) {
            continue; // generateName: a new name each time
        }
        for (std::size_t j = 0; j < i; ++j) {
            const Manifest& earlier = manifests[j];
            if (earlier.kind == later.kind && earlier.name == later.name &&
                earlier.namespace_name == later.namespace_name) {
                throw core::Error(later.source + ": " + std::string(later.kind->singular) + " " +
                                  core::quote(later.name) + " is also in " + earlier.source +
                                  " (it would be created twice)");
            }
        }
    }
}

std::string created_name(const Manifest& manifest, std::string_view server_name) {
    return std::string(manifest.kind->singular) + ".argoproj.io/" + core::one_line(server_name);
}

} // namespace nova::rollouts
