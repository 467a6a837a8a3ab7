#include "lib/rollouts/analysis_run_builder.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"
#include "lib/rollouts/manifests.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace nova::rollouts {

using nlohmann::json;

namespace {

// Written by the API server for the template itself; meaningless (or harmful: an owner would
// garbage-collect the run) on a new object.
constexpr std::array<const char*, 10> server_fields{"uid",
                                                    "resourceVersion",
                                                    "creationTimestamp",
                                                    "generation",
                                                    "managedFields",
                                                    "selfLink",
                                                    "ownerReferences",
                                                    "finalizers",
                                                    "deletionTimestamp",
                                                    "deletionGracePeriodSeconds"};

constexpr std::string_view last_applied_annotation =
    "kubectl.kubernetes.io/last-applied-configuration";

std::string text_at(const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// "analysistemplate \"canary-check\"", for messages.
std::string describe(const std::string& kind, const std::string& name) {
    std::string described = core::lower(kind);
    return name.empty() ? "the " + described : described + " " + core::quote(name);
}

json run_metadata(const json& template_meta, const AnalysisRunRequest& request,
                  const std::string& template_name) {
    json meta = template_meta.is_object() ? template_meta : json::object();
    for (const char* field : server_fields) {
        meta.erase(field);
    }
    if (auto annotations = meta.find("annotations"); annotations != meta.end()) {
        if (annotations->is_object()) {
            annotations->erase(std::string(last_applied_annotation));
        }
        if (!annotations->is_object() || annotations->empty()) {
            meta.erase(annotations);
        }
    }
    meta.erase("name");
    meta.erase("generateName");
    if (!request.name.empty()) {
        meta["name"] = request.name;
    } else if (!request.generate_name.empty()) {
        meta["generateName"] = request.generate_name;
    } else if (!template_name.empty()) {
        meta["generateName"] = template_name + "-";
    } else {
        throw core::Error("the template has no metadata.name to name the run after: give "
                          "--name or --generate-name");
    }
    meta["namespace"] = request.namespace_name;
    if (!request.instance_id.empty()) {
        json& labels = meta["labels"];
        if (!labels.is_object()) {
            labels = json::object();
        }
        labels[std::string(controller_instance_id_label)] = request.instance_id;
    }
    return meta;
}

// The template's args with the given arguments merged in (a given value replaces the
// template's value or valueFrom); every arg must end with one of them.
json merged_args(const json& spec, const AnalysisRunRequest& request,
                 const std::string& described) {
    const auto found = spec.find("args");
    if (found == spec.end() || found->is_null()) {
        // No args declared: argo passes the arguments as given, for the metrics to use.
        json given = json::array();
        for (const auto& argument : request.arguments) {
            given.push_back({{"name", argument.name}, {"value", argument.value}});
        }
        return given;
    }
    json args = *found;
    if (!args.is_array()) {
        throw core::Error(described + ": spec.args must be a list");
    }
    std::vector<std::string> declared;
    for (const auto& arg : args) {
        if (!arg.is_object() || text_at(arg, "name").empty()) {
            throw core::Error(described + ": every entry of spec.args needs a name");
        }
        declared.push_back(text_at(arg, "name"));
    }
    for (const auto& argument : request.arguments) {
        const auto index = std::find(declared.begin(), declared.end(), argument.name);
        if (index == declared.end()) {
            std::string known;
            for (const auto& name : declared) {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw core::Error(
                "argument " + core::quote(argument.name) + " is not declared by " + described +
                (declared.empty() ? " (it declares no args)" : " (its args: " + known + ")"));
        }
        json& arg = args[static_cast<std::size_t>(index - declared.begin())];
        arg["value"] = argument.value;
        arg.erase("valueFrom");
    }
    for (const auto& arg : args) {
        const bool valued = (arg.contains("value") && !arg["value"].is_null()) ||
                            (arg.contains("valueFrom") && !arg["valueFrom"].is_null());
        if (!valued) {
            const std::string name = text_at(arg, "name");
            throw core::Error("args." + name + " was not resolved: give it a value with -a " +
                              name + "=VALUE");
        }
    }
    return args;
}

} // namespace

AnalysisArgument parse_analysis_argument(std::string_view text) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        throw core::usage_error("arguments must be in the form NAME=VALUE: " + core::quote(text));
    }
    return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

std::vector<AnalysisArgument> parse_analysis_arguments(const std::vector<std::string>& texts) {
    std::vector<AnalysisArgument> arguments;
    arguments.reserve(texts.size());
    for (const auto& text : texts) {
        AnalysisArgument argument = parse_analysis_argument(text);
        for (const auto& earlier : arguments) {
            if (earlier.name == argument.name) {
                throw core::usage_error("argument " + core::quote(argument.name) +
                                        " is given more than once with -a");
            }
        }
        arguments.push_back(std::move(argument));
    }
    return arguments;
}

json build_analysis_run(const json& analysis_template, const AnalysisRunRequest& request) {
    if (!analysis_template.is_object()) {
        throw core::Error("the template must be an object");
    }
    const std::string kind = text_at(analysis_template, "kind");
    const json empty = json::object();
    const auto meta_found = analysis_template.find("metadata");
    const json& template_meta = meta_found == analysis_template.end() ? empty : *meta_found;
    const std::string template_name =
        template_meta.is_object() ? text_at(template_meta, "name") : "";
    if (kind != "AnalysisTemplate" && kind != "ClusterAnalysisTemplate") {
        throw core::Error("an AnalysisRun is made from an AnalysisTemplate or "
                          "ClusterAnalysisTemplate, not " +
                          (kind.empty() ? std::string("an object without a kind") : "a " + kind));
    }
    const std::string described = describe(kind, template_name);
    const auto spec_found = analysis_template.find("spec");
    if (spec_found == analysis_template.end() || !spec_found->is_object()) {
        throw core::Error(described + " has no spec");
    }

    json run = json::object();
    const std::string api_version = text_at(analysis_template, "apiVersion");
    run["apiVersion"] = api_version.empty() ? std::string(argo_api_version) : api_version;
    run["kind"] = "AnalysisRun";
    run["metadata"] = run_metadata(template_meta, request, template_name);
    json spec = *spec_found;
    json args = merged_args(spec, request, described);
    if (args.empty()) {
        spec.erase("args");
    } else {
        spec["args"] = std::move(args);
    }
    run["spec"] = std::move(spec);
    return run;
}

} // namespace nova::rollouts
