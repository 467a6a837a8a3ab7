#include "lib/cli/write.hpp"

#include "lib/cli/view_options.hpp"
#include "lib/core/error.hpp"
#include "lib/core/names.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/wire.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <ostream>
#include <utility>

namespace nova::cli {

using nlohmann::json;

ObjectRef ObjectRef::argo(std::string resource, std::string namespace_name, std::string name) {
    return {"/apis/argoproj.io/v1alpha1", std::move(resource), std::move(namespace_name),
            std::move(name), ""};
}

ObjectRef ObjectRef::apps(std::string resource, std::string namespace_name, std::string name) {
    return {"/apis/apps/v1", std::move(resource), std::move(namespace_name), std::move(name), ""};
}

ObjectRef ObjectRef::core(std::string resource, std::string namespace_name, std::string name) {
    return {"/api/v1", std::move(resource), std::move(namespace_name), std::move(name), ""};
}

ObjectRef ObjectRef::status() const {
    ObjectRef ref = *this;
    ref.subresource = "status";
    return ref;
}

std::string ObjectRef::path() const {
    std::string path = api;
    if (!namespace_name.empty()) {
        path += "/namespaces/" + namespace_name;
    }
    path += "/" + resource;
    if (!name.empty()) {
        path += "/" + name;
        if (!subresource.empty()) {
            path += "/" + subresource;
        }
    }
    return path;
}

std::string ObjectRef::group() const {
    // "/apis/<group>/<version>" or "/api/<version>" (core).
    constexpr std::string_view apis = "/apis/";
    if (api.rfind(apis, 0) != 0) {
        return "";
    }
    const auto end = api.find('/', apis.size());
    return api.substr(apis.size(),
                      end == std::string::npos ? std::string::npos : end - apis.size());
}

std::string ObjectRef::rbac_resource() const {
    return subresource.empty() ? resource : resource + "/" + subresource;
}

std::string rbac_verb(kube::Method method, const ObjectRef& target) {
    switch (method) {
    case kube::Method::get:
        return target.name.empty() ? "list" : "get";
    case kube::Method::post:
        return "create";
    case kube::Method::put:
        return "update";
    case kube::Method::patch:
        return "patch";
    case kube::Method::del:
        return "delete";
    }
    return "get";
}

std::string forbidden_message(kube::Method method, const ObjectRef& target,
                              std::string_view server_message) {
    const std::string verb = rbac_verb(method, target);
    const std::string where = target.namespace_name.empty()
                                  ? std::string("cluster-wide")
                                  : "in namespace " + core::quote(target.namespace_name);
    std::string message = "forbidden: you may not " + verb + " " + target.rbac_resource();
    if (!target.name.empty()) {
        message += " " + core::quote(target.name);
    }
    message += " " + where + "; ask an admin for " + core::quote(verb) + " on " +
               core::quote(target.rbac_resource()) + " in API group " +
               core::quote(target.group()) + " " + where;
    if (!server_message.empty()) {
        message += " (server: " + core::one_line(server_message) + ")";
    }
    return message;
}

std::string discovery_forbidden_message(std::string_view api, std::string_view resource,
                                        std::string_view server_message) {
    // "/apis/argoproj.io/v1alpha1" -> "argoproj.io/v1alpha1", "/api/v1" -> "v1".
    std::string group_version(api);
    for (const std::string_view prefix : {"/apis/", "/api/"}) {
        if (group_version.rfind(prefix, 0) == 0) {
            group_version.erase(0, prefix.size());
            break;
        }
    }
    std::string message = "forbidden: you may not read the resource list of API " +
                          core::quote(group_version) + " (GET " + std::string(api) +
                          "), which tells whether " + core::quote(resource) +
                          " is served; ask an admin for \"get\" on the non-resource URL " +
                          core::quote(api) + " (the system:discovery role grants it)";
    if (!server_message.empty()) {
        message += " (server: " + core::one_line(server_message) + ")";
    }
    return message;
}

std::string not_created_message(std::string_view label, std::string_view why,
                                std::string_view after) {
    return std::string(label) + " not created: " + core::one_line(why) + std::string(after);
}

kube::Request write_request(const Write& write, std::shared_ptr<const kube::RestConfig> server) {
    kube::Request request;
    request.config = std::move(server);
    request.method = write.method;
    request.path = write.path();
    request.body = write.body;
    request.content_type = write.content_type;
    return request;
}

kube::Request server_dry_run_request(const Write& write,
                                     std::shared_ptr<const kube::RestConfig> server) {
    kube::Request request = write_request(write, std::move(server));
    request.path = kube::append_query(std::move(request.path), "dryRun", "All");
    return request;
}

std::string describe_write(const Write& write, std::string_view server) {
    std::string text = std::string(kube::method_name(write.method)) + " " + std::string(server) +
                       write.path() + "\n";
    text += "Content-Type: " +
            (write.content_type.empty() ? std::string(json_type) : write.content_type);
    text += "\n\n" + write.body;
    if (write.body.empty() || write.body.back() != '\n') {
        text += '\n';
    }
    return text;
}

std::string dry_run_value_problem(std::string_view value) {
    // A bare --dry-run reaches the validator as "true".
    if (value == "true") {
        return "";
    }
    return "--dry-run takes no value (got " + core::quote(value) +
           "): it prints the requests and sends nothing";
}

void set_help_notes(CLI::App& command, const std::string& notes) {
    command.footer(notes + "\n\n" + command.get_footer());
}

void add_write_flags(CLI::App& command, WriteFlags& flags) {
    command
        .add_flag("--dry-run", flags.dry_run,
                  "Print the requests that would change something, and send none of them "
                  "(reads are still made)")
        // kubectl's --dry-run=client|server would otherwise be "could not convert". Checked
        // before the value is converted; a validator's own message would come prefixed with
        // the flag's name, so the error is thrown instead.
        ->check(CLI::Validator(
            [](std::string& value) {
                if (const std::string problem = dry_run_value_problem(value); !problem.empty()) {
                    throw CLI::ArgumentMismatch(problem);
                }
                return std::string();
            },
            ""));
    command
        .add_option("-o,--output", flags.output,
                    "Print the object as the server returned it after the change: json or yaml")
        ->check(CLI::IsMember({"json", "yaml"}));
}

void check_name_arguments(std::string_view kind, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (const auto problem = core::subdomain_problem(name)) {
            throw core::usage_error(
                core::invalid_name_message(std::string(kind) + " name", name, *problem));
        }
    }
}

WriteSession::WriteSession(Context& context, const WriteFlags& flags)
    : m_context(context), m_flags(flags) {
    if (m_flags.dry_run && !m_flags.output.empty()) {
        throw core::usage_error(
            "--dry-run prints requests, not objects: it cannot be used with -o");
    }
    // The namespace goes into every URL: checked like the names, before any request.
    const std::string& flag_namespace = context.kube_overrides.namespace_name;
    if (const auto problem = core::label_problem(flag_namespace);
        !flag_namespace.empty() && problem) {
        throw core::usage_error(core::invalid_name_message("namespace", flag_namespace, *problem));
    }
    m_connection = connect(context.kube_overrides);
    if (const auto problem = core::label_problem(m_connection.namespace_name)) {
        throw core::Error(core::invalid_name_message("namespace of the kubeconfig context",
                                                     m_connection.namespace_name, *problem));
    }
    m_client = make_client(m_connection);
}

WriteSession::~WriteSession() = default;

bool WriteSession::namespace_explicit() const {
    return !m_connection.overrides.namespace_name.empty();
}

core::Error WriteSession::error(const kube::ApiError& error, kube::Method method,
                                const ObjectRef& target) const {
    if (error.kind == kube::ErrorKind::http && error.status == 403) {
        return core::Error(forbidden_message(method, target, error.server_message));
    }
    return error.to_error();
}

json WriteSession::get(const ObjectRef& object) {
    kube::Result result =
        m_client->run_one(kube::Request::get(m_connection.control_plane, object.path()));
    if (!result.ok()) {
        throw error(result.error(), kube::Method::get, object);
    }
    mark_read(object);
    return std::move(result.response().json);
}

std::vector<kube::Result> WriteSession::get_all(const std::vector<ObjectRef>& objects) {
    std::vector<kube::Request> requests;
    requests.reserve(objects.size());
    for (const auto& object : objects) {
        requests.push_back(kube::Request::get(m_connection.control_plane, object.path()));
    }
    auto results = m_client->run(std::move(requests));
    for (std::size_t i = 0; i < results.size() && i < objects.size(); ++i) {
        if (results[i].ok()) {
            mark_read(objects[i]);
        }
    }
    return results;
}

void WriteSession::mark_read(const ObjectRef& object) {
    m_read.insert(object.path());
}

void WriteSession::check_exists(const ObjectRef& target) {
    if (target.name.empty()) {
        return; // a create: nothing to read
    }
    ObjectRef object = target;
    object.subresource.clear();
    if (!m_read.contains(object.path())) {
        (void)get(object);
    }
}

std::vector<json> WriteSession::list(const ObjectRef& collection,
                                     const std::string& label_selector) {
    std::string path = collection.path();
    if (!label_selector.empty()) {
        path = kube::append_query(std::move(path), "labelSelector", label_selector);
    }
    kube::Result result = m_client->run_one(kube::Request::get(m_connection.control_plane, path));
    if (!result.ok()) {
        throw error(result.error(), kube::Method::get, collection);
    }
    return list_items(result.json());
}

namespace {

std::string invalid_reply(const std::string& what) {
    return "invalid reply from the server: " + what;
}

} // namespace

std::vector<json> list_items(const json& reply) {
    if (!reply.is_object()) {
        throw core::Error(
            invalid_reply(std::string("a list must be an object, not ") + reply.type_name()));
    }
    // Items of a list come without their kind: "RolloutList" names it.
    const json* list_kind = rollouts::fields::find(reply, {"kind"});
    std::string kind = list_kind != nullptr && list_kind->is_string()
                           ? list_kind->get<std::string>()
                           : std::string();
    if (kind.size() > 4 && kind.ends_with("List")) {
        kind.resize(kind.size() - 4);
    }
    std::vector<json> items;
    const json* found = rollouts::fields::find(reply, {"items"}); // null: an empty list
    if (found == nullptr) {
        return items;
    }
    if (!found->is_array()) {
        throw core::Error(invalid_reply(std::string("the items of a list must be an array, not ") +
                                        found->type_name()));
    }
    for (const auto& item : *found) {
        items.push_back(item);
        if (items.back().is_object() && !items.back().contains("kind") && !kind.empty()) {
            items.back()["kind"] = kind;
        }
    }
    return items;
}

bool discovery_lists(const json& reply, std::string_view resource) {
    if (!reply.is_object()) {
        throw core::Error(invalid_reply(std::string("the API discovery document must be an "
                                                    "object, not ") +
                                        reply.type_name()));
    }
    const json* resources = rollouts::fields::find(reply, {"resources"}); // null: none
    if (resources == nullptr) {
        return false;
    }
    if (!resources->is_array()) {
        throw core::Error(invalid_reply(std::string("the resources of the API discovery document "
                                                    "must be an array, not ") +
                                        resources->type_name()));
    }
    for (const auto& entry : *resources) {
        if (const json* name = rollouts::fields::find(entry, {"name"});
            name != nullptr && name->is_string() && name->get<std::string>() == resource) {
            return true;
        }
    }
    return false;
}

std::optional<kube::Result> WriteSession::try_send(const Write& write) {
    if (m_flags.dry_run) {
        check_exists(write.target);
        m_context.out << describe_write(write, m_connection.control_plane->server) << '\n';
        return std::nullopt;
    }
    return m_client->run_one(write_request(write, m_connection.control_plane));
}

std::optional<kube::Result> WriteSession::try_server_dry_run(const Write& write) {
    if (m_flags.dry_run) {
        return std::nullopt;
    }
    return m_client->run_one(server_dry_run_request(write, m_connection.control_plane));
}

std::vector<kube::Result> WriteSession::try_server_dry_runs(const std::vector<Write>& writes) {
    if (m_flags.dry_run) {
        return {};
    }
    std::vector<kube::Request> requests;
    requests.reserve(writes.size());
    for (const auto& write : writes) {
        requests.push_back(server_dry_run_request(write, m_connection.control_plane));
    }
    return m_client->run(std::move(requests));
}

std::optional<json> WriteSession::send(const Write& write) {
    auto result = try_send(write);
    if (!result) {
        return std::nullopt;
    }
    if (!result->ok()) {
        throw error(result->error(), write.method, write.target);
    }
    return std::move(result->response().json);
}

bool WriteSession::serves_status(const ObjectRef& object) {
    // The group version's discovery document lists "rollouts/status" when it is served.
    const std::string wanted = object.resource + "/status";
    if (const auto known = m_serves_status.find(object.api + " " + wanted);
        known != m_serves_status.end()) {
        return known->second;
    }
    kube::Result result =
        m_client->run_one(kube::Request::get(m_connection.control_plane, object.api));
    if (!result.ok()) {
        const kube::ApiError& failure = result.error();
        if (failure.kind == kube::ErrorKind::http && failure.status == 403) {
            throw core::Error(
                discovery_forbidden_message(object.api, wanted, failure.server_message));
        }
        throw failure.to_error();
    }
    const bool served = discovery_lists(result.json(), wanted);
    m_serves_status[object.api + " " + wanted] = served;
    return served;
}

bool WriteSession::patch_status(const ObjectRef& object, const std::string& body,
                                std::optional<json>& returned) {
    const Write write{kube::Method::patch, object.status(), std::string(merge_patch_type), body};
    if (m_flags.dry_run) {
        // The object first: a missing one fails as the patch would, before discovery.
        check_exists(object);
        if (!serves_status(object)) {
            return false;
        }
    }
    auto result = try_send(write);
    if (!result) {
        return true;
    }
    if (!result->ok()) {
        if (result->error().kind == kube::ErrorKind::http && result->error().is_not_found()) {
            return false;
        }
        throw error(result->error(), write.method, write.target);
    }
    returned = std::move(result->response().json);
    return true;
}

void WriteSession::done(const std::string& line, const json& object) {
    if (!m_flags.output.empty()) {
        m_documents.push_back(object);
        return;
    }
    m_context.out << line << (m_flags.dry_run ? " (dry run)" : "") << '\n' << std::flush;
}

void WriteSession::finish() {
    if (m_finished || m_documents.empty()) {
        return;
    }
    m_finished = true;
    // kubectl's way of printing several objects: a List.
    json document = m_documents.size() == 1 ? m_documents.front()
                                            : json{{"apiVersion", "v1"},
                                                   {"kind", "List"},
                                                   {"items", m_documents},
                                                   {"metadata", {{"resourceVersion", ""}}}};
    m_context.out << document_text(nlohmann::ordered_json(std::move(document)), m_flags.output)
                  << std::flush;
}

core::ExitCode for_each_name(WriteSession& session, const std::vector<std::string>& names,
                             const std::function<void(const std::string&)>& each) {
    try {
        for (const auto& name : names) {
            each(name);
        }
    } catch (...) {
        session.finish();
        throw;
    }
    session.finish();
    return core::ExitCode::success;
}

} // namespace nova::cli
