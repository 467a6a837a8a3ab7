#pragma once

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
