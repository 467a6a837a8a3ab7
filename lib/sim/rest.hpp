#pragma once

#include "lib/sim/resources.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nova::sim {

// One HTTP request as the REST engine sees it: already authenticated, transport-free.
struct Request {
    std::string method; // GET, POST, PUT, PATCH, DELETE
    std::string path;   // e.g. /apis/argoproj.io/v1alpha1/namespaces/ns/rollouts/a/status
    std::multimap<std::string, std::string> query; // URL-decoded query parameters
    std::string content_type;                      // without parameters ("; charset=...")
    std::string accept;
    std::string body;
    std::string user; // authenticated user name
};

// What a request is about, derived as kube-apiserver's RequestInfoFactory does from the method,
// path and query alone, before any resource lookup: the attributes its authorizer judges, and so
// what a 403 names. /api/v1/namespaces/default/pods/p/log -> get "pods"/"log" "p" in "default".
struct RequestInfo {
    // false for /version, /healthz, discovery (/api, /api/v1, /apis/G/V) and unknown prefixes
    bool resource_request = false;
    std::string path;
    // get, list, watch, create, update, patch, delete, deletecollection; for a non-resource
    // request the method in lower case ("get", "post")
    std::string verb;
    std::string group; // "" for core
    std::string version;
    // Also set for the Namespace object itself (/api/v1/namespaces/NS), as the apiserver does.
    std::string ns;
    std::string resource;
    std::string subresource;
    // From the path, or for a list or watch from fieldSelector=metadata.name=NAME.
    std::string name;

    [[nodiscard]] GroupResource group_resource() const { return {group, resource}; }
};

RequestInfo request_info(const Request& request);

// The 403 kube-apiserver sends when its authorizer denies `user` the request, word for word:
// `rollouts.argoproj.io "demo" is forbidden: User "jane" cannot patch resource
// "rollouts/status" in API group "argoproj.io" in the namespace "default"`.
ApiError forbidden(const RequestInfo& info, std::string_view user);

// Writes one piece of a streamed body; returns false once the client has gone away.
using StreamWriter = std::function<bool(std::string_view chunk)>;

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Set for a watch: runs on the connection's thread, writing newline-delimited JSON events
    // until the watch ends (timeoutSeconds, client gone, drop_watches(), shutdown()).
    std::function<void(const StreamWriter&)> stream;
};

class Store; // the object store behind the engine (lib/sim/store.hpp)

// The REST engine of one simulated API server: discovery, resources (built-in and from CRDs),
// get/list/watch/create/update/patch/delete, subresources, garbage collection, Status errors.
// Thread-safe: the HTTPS layer calls handle() from many connection threads at once.
class ApiServer {
public:
    explicit ApiServer(std::string name);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    [[nodiscard]] const std::string& name() const;

    Response handle(const Request& request);

    // Stores an object as written (metadata and status kept; missing uid, resourceVersion,
    // creationTimestamp filled in). A CustomResourceDefinition registers its resources.
    // Throws core::Error naming the object when its kind is not served or it already exists.
    void load(const nlohmann::json& object);

    // Ends every open watch stream at once (a fault switch; also used at shutdown).
    void drop_watches();

    // In-process access for nova-sim itself and, later, its simulated controllers.
    Store& store();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace nova::sim
