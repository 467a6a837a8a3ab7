#pragma once

// What the commands that change things share (promote, abort, retry, pause, resume, restart,
// undo, set image, terminate, create): --dry-run and -o, addressing objects, sending each write
// (or printing it instead under --dry-run), the message a 403 gets, and several names handled
// one after another. With Nova, each of these is one write to the control plane; Nova carries
// the result to every workload cluster.

#include "lib/cli/command.hpp"
#include "lib/cli/gather.hpp"
#include "lib/kube/client.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nova::cli {

inline constexpr std::string_view merge_patch_type = "application/merge-patch+json";
inline constexpr std::string_view json_patch_type = "application/json-patch+json";
inline constexpr std::string_view json_type = "application/json";

// One object (or collection) of the API, addressed for a request.
struct ObjectRef {
    std::string api;            // "/apis/argoproj.io/v1alpha1", "/apis/apps/v1", "/api/v1"
    std::string resource;       // the plural: "rollouts"
    std::string namespace_name; // "" for a cluster-scoped resource
    std::string name;           // "" for the collection (create, list)
    std::string subresource;    // "status", or ""

    // argoproj.io/v1alpha1 objects: ObjectRef::argo("rollouts", "default", "demo").
    static ObjectRef argo(std::string resource, std::string namespace_name, std::string name);
    static ObjectRef apps(std::string resource, std::string namespace_name, std::string name);
    static ObjectRef core(std::string resource, std::string namespace_name, std::string name);

    // The same object's status subresource.
    [[nodiscard]] ObjectRef status() const;
    // "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo/status"
    [[nodiscard]] std::string path() const;
    // "argoproj.io", "apps", "" for the core group.
    [[nodiscard]] std::string group() const;
    // "rollouts/status" (RBAC's name for a subresource), "rollouts".
    [[nodiscard]] std::string rbac_resource() const;
};

// What an RBAC rule calls a request: get, list, create, update, patch, delete.
std::string rbac_verb(kube::Method method, const ObjectRef& target);

// The line a 403 gets: what was refused, and what to ask an admin for, with the server's own
// words at the end.
std::string forbidden_message(kube::Method method, const ObjectRef& target,
                              std::string_view server_message);

// The line a 403 on a discovery read gets: `api` ("/apis/argoproj.io/v1alpha1") is not an
// object but the group version's resource list, read (under --dry-run) to learn whether
// `resource` ("rollouts/status") is served; RBAC calls it a non-resource URL.
std::string discovery_forbidden_message(std::string_view api, std::string_view resource,
                                        std::string_view server_message);

// One write, exactly as it goes on the wire.
struct Write {
    kube::Method method = kube::Method::patch;
    ObjectRef target;
    std::string content_type;
    std::string body;
    std::string query = {}; // the URL's query without '?': "fieldValidation=Strict", or ""

    // The target's path with the query: what the request line carries.
    [[nodiscard]] std::string path() const {
        return query.empty() ? target.path() : target.path() + "?" + query;
    }
};

// The request that sends `write` to `server`: its method, its full path with the query, its
// body and Content-Type.
kube::Request write_request(const Write& write, std::shared_ptr<const kube::RestConfig> server);
// The same with dryRun=All added to the write's own query: the server runs every check of the
// real write (it exists, RBAC, admission, validation, fieldValidation=Strict) and changes
// nothing.
kube::Request server_dry_run_request(const Write& write,
                                     std::shared_ptr<const kube::RestConfig> server);

// The line for an object the server did not create: `<label> not created: <why><after>`, e.g.
// `rollout.argoproj.io/demo not created: <why>; nothing was created`. `why` is an error's
// message, perhaps with a server's multi-line Status message in it: it is kept on the line.
std::string not_created_message(std::string_view label, std::string_view why,
                                std::string_view after = "");

// What --dry-run prints for a write: the request line with the full URL, its Content-Type and
// its body (never a credential).
std::string describe_write(const Write& write, std::string_view server);

// --dry-run and -o of every mutating command.
struct WriteFlags {
    bool dry_run = false;
    std::string output; // "", "json" or "yaml"
};

void add_write_flags(CLI::App& command, WriteFlags& flags);

// The usage error --dry-run=VALUE gets (kubectl's --dry-run=client|server|none habit): the flag
// takes no value. Empty for a value that is not one ("true", which a bare --dry-run reads as).
std::string dry_run_value_problem(std::string_view value);

// A command's notes in its --help, followed by the closing line every command's help ends with
// (the one it inherited from the root).
void set_help_notes(CLI::App& command, const std::string& notes);

// Checks object names given on the command line before anything is sent: each must be a
// DNS-1123 subdomain, so that it addresses the object named and nothing else. Throws a usage
// error naming the argument: `invalid rollout name "demo/status": may not contain '/'`.
// `kind` is what the names are of: "rollout", "experiment", "analysisrun".
void check_name_arguments(std::string_view kind, const std::vector<std::string>& names);

// The items of a LIST reply, each with its kind set (the items of a list come without one:
// "ReplicaSetList" names it). Throws core::Error ("invalid reply from the server: ...") when
// the reply is not a list object.
std::vector<nlohmann::json> list_items(const nlohmann::json& reply);

// Whether a group version's discovery reply (an APIResourceList) lists `resource`
// ("rollouts/status"). Throws core::Error ("invalid reply from the server: ...") when the reply
// is not such a list.
bool discovery_lists(const nlohmann::json& reply, std::string_view resource);

// One run of a mutating command: the control plane's connection, the client, the flags.
class WriteSession {
public:
    // Throws a usage error for --dry-run with -o or an invalid -n, core::Error for a bad
    // kubeconfig or an invalid namespace in it.
    WriteSession(Context& context, const WriteFlags& flags);
    ~WriteSession();
    WriteSession(const WriteSession&) = delete;
    WriteSession& operator=(const WriteSession&) = delete;

    [[nodiscard]] const Connection& connection() const { return m_connection; }
    // -n, else the context's namespace, else "default".
    [[nodiscard]] const std::string& namespace_name() const { return m_connection.namespace_name; }
    // True when -n (or --namespace) was given.
    [[nodiscard]] bool namespace_explicit() const;
    [[nodiscard]] bool dry_run() const { return m_flags.dry_run; }
    [[nodiscard]] kube::Client& client() { return *m_client; }

    // Reads are made under --dry-run too: the writes depend on them.
    // GET one object. Throws core::Error (kubectl's message; a 403 says what to ask for).
    nlohmann::json get(const ObjectRef& object);
    // GETs in one concurrent round, one Result each, for callers that decide on 404s.
    std::vector<kube::Result> get_all(const std::vector<ObjectRef>& objects);
    // Tells the session that the caller read `object` itself (in a batch of its own), so that
    // --dry-run does not read it again before a write to it.
    void mark_read(const ObjectRef& object);
    // LIST a collection's items (kind set on each), with an optional label selector.
    std::vector<nlohmann::json> list(const ObjectRef& collection,
                                     const std::string& label_selector);

    // Sends `write` and returns the object the server returned; under --dry-run prints the
    // request instead and returns nullopt, after reading the object written to (unless it was
    // read already), so that a missing or forbidden object fails as the write would.
    // Throws core::Error when it fails.
    std::optional<nlohmann::json> send(const Write& write);
    // Like send(), but a failure comes back for the caller to decide on (409 retries).
    std::optional<kube::Result> try_send(const Write& write);
    // Sends `write` with dryRun=All added to its query: the server runs every check of the real
    // write (it exists, RBAC, admission, validation) and changes nothing. For a command that must
    // make several writes, so that none is made unless all would succeed. Not under --dry-run
    // (nothing is sent then): returns nullopt.
    std::optional<kube::Result> try_server_dry_run(const Write& write);
    // The same for several writes, in one concurrent round: one Result each, in order (none
    // under --dry-run).
    std::vector<kube::Result> try_server_dry_runs(const std::vector<Write>& writes);

    // A merge patch of `object`'s status subresource. Returns false when the server has no
    // status subresource for it (404: a CRD from before status subresources), so that the
    // caller sends its fallback to the main resource instead; under --dry-run one discovery
    // GET tells. Fills `returned` with the server's object when sent.
    bool patch_status(const ObjectRef& object, const std::string& body,
                      std::optional<nlohmann::json>& returned);

    // The error a failed request is reported with (403: what to ask an admin for).
    [[nodiscard]] core::Error error(const kube::ApiError& error, kube::Method method,
                                    const ObjectRef& target) const;

    // Reports one object done: its line ("rollout 'demo' promoted", " (dry run)" added under
    // --dry-run), or with -o the object as the server returned it after the last write.
    void done(const std::string& line, const nlohmann::json& object);
    // Prints what -o collected: the object, or a List when there are several. Idempotent.
    void finish();

private:
    bool serves_status(const ObjectRef& object);
    // --dry-run: GETs the main resource of `target` unless it was read already.
    void check_exists(const ObjectRef& target);

    Context& m_context;
    WriteFlags m_flags;
    Connection m_connection;
    std::unique_ptr<kube::Client> m_client;
    std::vector<nlohmann::json> m_documents;
    std::set<std::string> m_read;                // paths of the objects read so far
    std::map<std::string, bool> m_serves_status; // discovery, once per resource
    bool m_finished = false;
};

// Runs `each` for every name in order, as argo does: the first failure stops the rest (its
// error names the object), and what was done before it stays reported.
core::ExitCode for_each_name(WriteSession& session, const std::vector<std::string>& names,
                             const std::function<void(const std::string&)>& each);

} // namespace nova::cli
