#pragma once

#include "lib/core/duration.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/sim/resources.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nova::sim {

// One term of a field selector: `field=value`, `field==value` or `field!=value`.
struct FieldRequirement {
    std::string field;
    bool equals = true;
    std::string value;
};

// A parsed field selector ("metadata.name=a,status.phase!=Running"); all terms must hold.
class FieldSelector {
public:
    // Throws ApiError (400) for a term without an operator.
    static FieldSelector parse(std::string_view text);
    static FieldSelector name_equals(std::string name);

    [[nodiscard]] bool empty() const { return m_requirements.empty(); }
    [[nodiscard]] bool matches(const nlohmann::json& object) const;
    [[nodiscard]] const std::vector<FieldRequirement>& requirements() const {
        return m_requirements;
    }

private:
    std::vector<FieldRequirement> m_requirements;
};

// The value a field selector compares for `field` ("metadata.name", "status.phase", ...):
// strings as they are, booleans and numbers as JSON writes them, missing fields as "".
std::string field_value(const nlohmann::json& object, std::string_view field);

struct ListOptions {
    std::string ns; // empty: every namespace (or a cluster-scoped resource)
    core::LabelSelector labels;
    FieldSelector fields;
    std::size_t limit = 0; // 0: everything
    std::string continue_token;
};

struct ListResult {
    std::vector<nlohmann::json> items;
    std::string resource_version;
    std::string continue_token;            // empty on the last page
    std::optional<std::int64_t> remaining; // remainingItemCount, when known
};

struct WriteOptions {
    bool dry_run = false;
};

enum class PatchType { merge, json, strategic, apply };

enum class Propagation { background, foreground, orphan };

struct DeleteOptions {
    // Foreground acts like Background: dependents are deleted at once, in the same step.
    Propagation propagation = Propagation::background;
    bool dry_run = false;
    std::string precondition_uid;
    std::string precondition_resource_version;
};

struct WatchOptions {
    std::string ns;
    core::LabelSelector labels;
    FieldSelector fields;
    // "" or "0": the current objects first, as ADDED events (what the apiserver does);
    // a number: the events after that version, from the bounded history.
    std::string resource_version;
    bool send_initial_events = false; // ADDED for current objects whatever the version
};

struct WatchEvent {
    std::string type; // ADDED, MODIFIED, DELETED, ERROR
    nlohmann::json object;
    GroupResource resource; // what the object is (useful for Store::watch_all)
};

class Store;

// One open watch. next() blocks until an event, the deadline, or the end of the watch.
// A Watcher must not outlive its Store.
class Watcher {
public:
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;
    ~Watcher() = default;

    // The next event, or nullopt when the deadline passed or the watch ended (see ended()).
    // An ERROR event (410 Expired, when the watcher fell behind the history) ends the watch.
    std::optional<WatchEvent> next(std::chrono::steady_clock::time_point deadline);
    // True once stop() or Store::drop_watches() ended the watch, or an ERROR was delivered.
    [[nodiscard]] bool ended() const;
    // Ends the watch; a next() blocked in another thread returns at once.
    void stop();
    // The version up to which this watcher has seen every change (what a BOOKMARK carries).
    [[nodiscard]] std::string resource_version() const;

private:
    friend class Store;
    Watcher(Store& store, std::optional<GroupResource> resource, WatchOptions options);

    Store& m_store;
    std::optional<GroupResource> m_resource; // nullopt: every resource
    WatchOptions m_options;
    // All below guarded by the store's mutex.
    std::deque<WatchEvent> m_pending;
    std::uint64_t m_position = 0;
    std::uint64_t m_epoch = 0;
    bool m_stopped = false;
};

// The objects of one simulated API server, with the apiserver's write semantics:
// resourceVersions from one counter, uid/creationTimestamp/generation, optimistic locking,
// status subresource rules, garbage collection through ownerReferences, namespace deletion,
// CRD registration, and a bounded history of change events for watches.
// Every method is thread-safe; none calls back into user code while holding the lock except
// modify(), whose callback must not use the Store.
// Errors are thrown as ApiError (NotFound, AlreadyExists, Conflict, Invalid, ...).
class Store {
public:
    Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    ~Store();

    [[nodiscard]] ResourceRegistry& registry() { return m_registry; }
    [[nodiscard]] const ResourceRegistry& registry() const { return m_registry; }

    [[nodiscard]] nlohmann::json get(const GroupResource& gr, std::string_view ns,
                                     std::string_view name) const;
    [[nodiscard]] std::optional<nlohmann::json> find(const GroupResource& gr, std::string_view ns,
                                                     std::string_view name) const;
    [[nodiscard]] ListResult list(const GroupResource& gr, const ListOptions& options = {}) const;

    // The object's metadata.namespace says where it goes (required for namespaced kinds).
    nlohmann::json create(const GroupResource& gr, nlohmann::json object,
                          const WriteOptions& options = {});
    // Replaces the object named by the body's metadata. status_only: the status subresource.
    // A stale metadata.resourceVersion is a Conflict; an empty one is unconditional (custom
    // resources require one, like the apiserver).
    nlohmann::json update(const GroupResource& gr, nlohmann::json object, bool status_only = false,
                          const WriteOptions& options = {});
    // `patch` is parsed JSON (an op array for PatchType::json). PatchType::apply creates the
    // object when missing and otherwise merges the body into it.
    nlohmann::json patch(const GroupResource& gr, std::string_view ns, std::string_view name,
                         PatchType type, const nlohmann::json& patch, bool status_only = false,
                         const WriteOptions& options = {});
    // Read-modify-write without conflicts, for in-process controllers. `mutate` runs under the
    // store's lock and must not call the Store.
    nlohmann::json modify(const GroupResource& gr, std::string_view ns, std::string_view name,
                          const std::function<void(nlohmann::json&)>& mutate,
                          bool status_only = false);
    // Deletes and returns the object (with the resourceVersion of its deletion).
    nlohmann::json remove(const GroupResource& gr, std::string_view ns, std::string_view name,
                          const DeleteOptions& options = {});
    // Deletes every object a list with `selection` would return (limit/continue ignored).
    std::vector<nlohmann::json> remove_collection(const GroupResource& gr,
                                                  const ListOptions& selection,
                                                  const DeleteOptions& options = {});

    // Stores an object as written (see ApiServer::load). Returns the stored object.
    nlohmann::json load(nlohmann::json object);

    // Opens a watch on one resource. Throws ApiError for a bad selector or version.
    std::unique_ptr<Watcher> watch(const GroupResource& gr, WatchOptions options);
    // Opens a watch on every resource (selectors apply to all), e.g. for a controller.
    std::unique_ptr<Watcher> watch_all(WatchOptions options);
    // Ends every open watch.
    void drop_watches();

    // The newest resourceVersion.
    [[nodiscard]] std::string resource_version() const;
    // Change events kept for watches (and continue tokens); older versions get 410 Expired.
    void set_history_limit(std::size_t events);
    // Forgets every change event so far, as etcd compaction does: a watch or continue token
    // from an older version gets 410 Expired; open watches that are up to date carry on.
    // Returns the version compacted at (the newest).
    std::string compact();
    // The clock for creationTimestamps (tests pin it).
    void set_clock(std::function<core::TimePoint()> now);

private:
    friend class Watcher;
    using ObjectPtr = std::shared_ptr<const nlohmann::json>;
    using Key = std::pair<std::string, std::string>; // namespace, name
    struct Event {
        std::uint64_t rv = 0;
        GroupResource resource;
        const char* type = "";
        ObjectPtr object;
        ObjectPtr previous; // MODIFIED: the object before, for selector transitions
    };

    ResourceTypePtr type_of(const GroupResource& gr) const;
    ObjectPtr lookup_locked(const GroupResource& gr, const Key& key) const;
    std::uint64_t next_rv_locked();
    void record_locked(const GroupResource& gr, const char* type, ObjectPtr object,
                       ObjectPtr previous);
    nlohmann::json create_locked(const ResourceType& type, nlohmann::json object,
                                 const WriteOptions& options);
    nlohmann::json update_locked(const ResourceType& type, nlohmann::json object, bool status_only,
                                 const WriteOptions& options);
    nlohmann::json remove_locked(const ResourceType& type, const Key& key,
                                 const DeleteOptions& options);
    // Deletes without checks; returns the deleted object.
    nlohmann::json erase_locked(const GroupResource& gr, const Key& key);
    void collect_garbage_locked(std::vector<std::string> deleted_uids, bool orphan);
    nlohmann::json store_new_locked(const ResourceType& type, nlohmann::json object);
    void ensure_namespace_locked(const std::string& ns);
    std::string new_uid_locked();
    std::string now_text() const;
    bool watcher_matches(const Watcher& w, const GroupResource& gr,
                         const nlohmann::json& object) const;

    ResourceRegistry m_registry;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<GroupResource, std::map<Key, ObjectPtr>> m_objects;
    std::unordered_map<std::string, std::pair<GroupResource, Key>> m_uids;
    std::deque<Event> m_history;
    std::size_t m_history_limit = 10000;
    std::uint64_t m_history_floor = 0; // every event after this version is in m_history
    std::uint64_t m_rv = 0;
    std::uint64_t m_epoch = 0; // bumped by drop_watches()
    std::mt19937_64 m_random;
    std::function<core::TimePoint()> m_now;
};

} // namespace nova::sim
