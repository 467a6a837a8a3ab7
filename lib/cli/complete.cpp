// The hidden `__complete WORDS... CURRENT` command (cobra's protocol, reference §5), which the
// shell scripts of `completion` and kubectl's plugin completion (§4.2) both call. Reads as
// parse → plan → gather → reply: the words are planned by the pure engine
// (completion_engine.hpp); the values it asks for are read from the kubeconfig, or from the API
// in one concurrent round with a short deadline. A completion must never hang the prompt or
// print into it: on any error it offers nothing and says only ":4" (details on stderr when
// NOVA_ROLLOUTS_COMPLETION_DEBUG is set).
#include "lib/cli/completion.hpp"
#include "lib/cli/completion_engine.hpp"
#include "lib/cli/gather.hpp"
#include "lib/core/error.hpp"
#include "lib/core/names.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/config.hpp"
#include "lib/kube/credentials.hpp"
#include "version_info.hpp"

#include <chrono>
#include <cstdlib>
#include <exception>
#include <memory>
#include <ostream>
#include <string_view>

namespace nova::cli {
namespace {

using completion::Candidate;
using completion::Plan;
using completion::ValueKind;
using nlohmann::json;

// All the API reads of one completion, connecting included: a TAB must answer at once.
constexpr std::chrono::milliseconds completion_deadline{2000};

constexpr const char* argo_api = "/apis/argoproj.io/v1alpha1";

bool debugging() {
    const char* debug =
        std::getenv("NOVA_ROLLOUTS_COMPLETION_DEBUG"); // NOLINT(concurrency-mt-unsafe)
    return debug != nullptr && *debug != '\0';
}

bool env_is_false(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe)
    return value != nullptr && std::string_view(value) == "false";
}

// kubectl's global flags as typed on the line, for reaching the same server the command would.
kube::Overrides overrides_of(const Plan& plan) {
    kube::Overrides overrides;
    const auto value = [&](const char* name) {
        const auto found = plan.kube_flags.find(name);
        return found == plan.kube_flags.end() ? std::string() : found->second;
    };
    overrides.kubeconfig = value("kubeconfig");
    overrides.context = value("context");
    overrides.cluster = value("cluster");
    overrides.user = value("user");
    overrides.namespace_name = value("namespace");
    overrides.server = value("server");
    overrides.token = value("token");
    overrides.certificate_authority = value("certificate-authority");
    overrides.client_certificate = value("client-certificate");
    overrides.client_key = value("client-key");
    overrides.insecure_skip_tls_verify = value("insecure-skip-tls-verify") == "true";
    overrides.tls_server_name = value("tls-server-name");
    overrides.as = value("as");
    if (const std::string group = value("as-group"); !group.empty()) {
        overrides.as_groups.push_back(group);
    }
    overrides.as_uid = value("as-uid");
    overrides.username = value("username");
    overrides.password = value("password");
    overrides.disable_compression = value("disable-compression") == "true";
    overrides.request_timeout = "0";
    return overrides;
}

// Names from the kubeconfig: no network.
std::vector<Candidate> kubeconfig_names(const Plan& plan) {
    const kube::KubeConfig config =
        kube::load_kubeconfig(overrides_of(plan), kube::Environment::process());
    std::vector<Candidate> names;
    const auto add_keys = [&](const auto& map) {
        for (const auto& entry : map) {
            names.push_back({entry.first, {}});
        }
    };
    if (plan.dynamic == ValueKind::contexts) {
        add_keys(config.contexts);
    } else if (plan.dynamic == ValueKind::kube_clusters) {
        add_keys(config.clusters);
    } else if (plan.dynamic == ValueKind::kube_users) {
        add_keys(config.users);
    }
    return names;
}

std::string collection_path(ValueKind kind, const std::string& namespace_name) {
    const std::string namespaced = std::string(argo_api) + "/namespaces/" + namespace_name;
    switch (kind) {
    case ValueKind::namespaces:
        return "/api/v1/namespaces";
    case ValueKind::rollouts:
        return namespaced + "/rollouts";
    case ValueKind::experiments:
        return namespaced + "/experiments";
    case ValueKind::analysis_runs:
        return namespaced + "/analysisruns";
    case ValueKind::analysis_templates:
        return namespaced + "/analysistemplates";
    case ValueKind::cluster_contexts:
        return "/apis/cluster.elotl.co/v1alpha1/clusters";
    default:
        return {};
    }
}

// A reply's body, or the request's error thrown.
json body_of(kube::Result result) {
    if (!result.ok()) {
        throw result.error().to_error();
    }
    return std::move(result.response().json);
}

std::vector<Candidate> item_names(const json& list) {
    std::vector<Candidate> names;
    const auto items = list.find("items");
    if (items == list.end() || !items->is_array()) {
        throw core::Error("the list has no items");
    }
    for (const json& item : *items) {
        const json name = item.value("/metadata/name"_json_pointer, json());
        if (name.is_string()) {
            names.push_back({name.get<std::string>(), {}});
        }
    }
    return names;
}

// The containers of a pod template: name and image.
std::vector<Candidate> containers_of(const json& object) {
    std::vector<Candidate> containers;
    const json spec = object.value("/spec/template/spec"_json_pointer, json::object());
    for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
        const auto found = spec.find(list);
        if (found == spec.end() || !found->is_array()) {
            continue;
        }
        for (const json& container : *found) {
            const json name = container.value("name", json());
            const json image = container.value("image", json());
            if (name.is_string()) {
                containers.push_back(
                    {name.get<std::string>(), image.is_string() ? image.get<std::string>() : ""});
            }
        }
    }
    return containers;
}

// Values from the control plane: one round (a workloadRef rollout's Deployment is a second
// request, within the same deadline).
std::vector<Candidate> api_values(const Plan& plan, std::ostream& debug_out) {
    const auto deadline = kube::SteadyClock::now() + completion_deadline;
    const Connection connection = connect(overrides_of(plan));
    if (core::label_problem(connection.namespace_name)) {
        return {};
    }
    kube::ClientOptions options;
    options.version = std::string("v") + NOVA_VERSION;
    options.connect_timeout = completion_deadline;
    // An exec credential plugin (a cloud login) gets no longer than the requests.
    options.credentials = std::make_shared<kube::CredentialCache>();
    options.credentials->set_exec_timeout(completion_deadline);
    options.log = [&debug_out](std::string_view line) {
        if (debugging()) {
            debug_out << line << '\n';
        }
    };
    kube::Client client(std::move(options));
    const auto request = [&](std::string path) {
        kube::Request get = kube::Request::get(connection.control_plane, std::move(path));
        get.deadline = deadline;
        return get;
    };

    if (plan.dynamic == ValueKind::containers || plan.dynamic == ValueKind::container_images) {
        if (core::subdomain_problem(plan.rollout)) {
            return {};
        }
        const std::string rollouts =
            std::string(argo_api) + "/namespaces/" + connection.namespace_name + "/rollouts/";
        json object = body_of(client.run_one(request(rollouts + plan.rollout)));
        const json ref = object.value("/spec/workloadRef"_json_pointer, json());
        if (ref.is_object() && ref.value("kind", "") == "Deployment" &&
            ref.value("name", json()).is_string() &&
            !core::subdomain_problem(ref["name"].get<std::string>())) {
            object = body_of(
                client.run_one(request("/apis/apps/v1/namespaces/" + connection.namespace_name +
                                       "/deployments/" + ref["name"].get<std::string>())));
        }
        std::vector<Candidate> containers = containers_of(object);
        if (plan.dynamic == ValueKind::containers) {
            for (Candidate& container : containers) {
                container.description = "image " + container.description;
            }
            return containers;
        }
        std::vector<Candidate> images;
        for (const Candidate& container : containers) {
            if (container.value == plan.container && !container.description.empty()) {
                images.push_back({container.description, "the current image"});
            }
        }
        return images;
    }
    return item_names(
        body_of(client.run_one(request(collection_path(plan.dynamic, connection.namespace_name)))));
}

std::vector<Candidate> values_for(const Plan& plan, std::ostream& debug_out) {
    if (plan.dynamic == ValueKind::none) {
        return {};
    }
    if (completion::needs_api(plan.dynamic)) {
        return api_values(plan, debug_out);
    }
    return kubeconfig_names(plan);
}

} // namespace

std::optional<int> run_completion_request(const CLI::App& app, int argc, char** argv,
                                          Context& context) {
    if (argc < 1) {
        return std::nullopt;
    }
    const std::string_view argv0 = argv[0];
    const std::string_view file_name = argv0.substr(argv0.find_last_of('/') + 1);
    int first = 0;
    bool descriptions = true;
    // kubectl's completion scripts insert what we offer unquoted (below).
    constexpr const char* shim_variable = "NOVA_ROLLOUTS_COMPLETION_FOR_KUBECTL";
    bool for_kubectl = std::getenv(shim_variable) != nullptr; // NOLINT(concurrency-mt-unsafe)
    if (file_name.starts_with("kubectl_complete-")) {
        first = 1; // kubectl runs the shim with the words alone
        for_kubectl = true;
    } else if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
        first = 2;
    } else if (argc >= 2 && std::string_view(argv[1]) == "__completeNoDesc") {
        first = 2;
        descriptions = false;
    } else {
        return std::nullopt;
    }
    if (env_is_false("COBRA_COMPLETION_DESCRIPTIONS") ||
        env_is_false("KUBECTL_NOVA_ROLLOUTS_COMPLETION_DESCRIPTIONS")) {
        descriptions = false;
    }
    // parse
    std::vector<std::string> words(argv + first, argv + argc);
    if (words.empty()) {
        words.emplace_back();
    }
    try {
        // plan
        const Plan plan = completion::plan(completion::command_tree(app), words);
        // gather
        std::vector<Candidate> values = values_for(plan, context.err);
        if (for_kubectl) {
            // A context named `$(id)` is fine for our scripts, which quote it, but kubectl's
            // would run it: kubectl gets only names that need no quoting.
            std::erase_if(values, [](const Candidate& value) {
                return !completion::plain_word(value.value);
            });
        }
        // reply
        context.out << completion::reply(plan, values, descriptions);
    } catch (const std::exception& error) {
        if (debugging()) {
            context.err << "completion: " << error.what() << '\n';
        }
        context.out << completion::empty_reply();
    }
    context.out.flush();
    return 0;
}

} // namespace nova::cli
