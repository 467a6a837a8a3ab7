// The typed Store API that nova-sim's in-process controllers use, and the resource registry.

#include "lib/sim/resources.hpp"
#include "lib/sim/store.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using nlohmann::json;
using nova::sim::ApiError;
using nova::sim::FieldSelector;
using nova::sim::GroupResource;
using nova::sim::Store;
namespace kinds = nova::sim::kinds;

namespace {

const GroupResource k_configmaps{"", "configmaps"};

json object(const std::string& api_version, const std::string& kind, const std::string& name,
            const std::string& ns = "default") {
    return {{"apiVersion", api_version},
            {"kind", kind},
            {"metadata", {{"name", name}, {"namespace", ns}}},
            {"spec", {{"replicas", 1}}}};
}

std::chrono::steady_clock::time_point in(std::chrono::milliseconds ms) {
    return std::chrono::steady_clock::now() + ms;
}

} // namespace

TEST_CASE("store: create, modify, update conflicts", "[sim]") {
    Store store;
    store.set_clock([] { return nova::core::parse_rfc3339("2024-05-01T10:00:00Z"); });
    const json created =
        store.create(kinds::rollouts, object("argoproj.io/v1alpha1", "Rollout", "a"));
    CHECK(created["metadata"]["creationTimestamp"] == "2024-05-01T10:00:00Z");
    CHECK(store.get(kinds::rollouts, "default", "a") == created);
    CHECK_FALSE(store.find(kinds::rollouts, "default", "b").has_value());

    // modify: read-modify-write without a version check, for controllers.
    const json modified = store.modify(kinds::rollouts, "default", "a", [](json& o) {
        o["status"] = {{"phase", "Healthy"}};
        o["spec"]["replicas"] = 2;
    });
    CHECK_FALSE(modified.contains("status")); // status needs the subresource
    CHECK(modified["spec"]["replicas"] == 2);
    CHECK(modified["metadata"]["generation"] == 2);
    const json status = store.modify(
        kinds::rollouts, "default", "a",
        [](json& o) {
            o["status"] = {{"phase", "Healthy"}};
        },
        true);
    CHECK(status["status"]["phase"] == "Healthy");
    CHECK(status["metadata"]["generation"] == 2);

    json stale = created;
    stale["spec"]["replicas"] = 5;
    try {
        (void)store.update(kinds::rollouts, stale);
        FAIL("no conflict");
    } catch (const ApiError& e) {
        CHECK(e.code == 409);
        CHECK(e.reason == "Conflict");
    }
    CHECK_THROWS_AS(store.get(GroupResource{"nope.io", "things"}, "", "x"), ApiError);

    // Workloads get the apiserver's default replica count.
    json rs = object("apps/v1", "ReplicaSet", "rs");
    rs["spec"].erase("replicas");
    CHECK(store.create(kinds::replica_sets, rs)["spec"]["replicas"] == 1);

    nova::sim::ListOptions options;
    options.ns = "default";
    options.fields = FieldSelector::name_equals("a");
    const auto page = store.list(kinds::rollouts, options);
    REQUIRE(page.items.size() == 1);
    CHECK(page.resource_version == store.resource_version());
}

TEST_CASE("store: watch_all follows every resource, and stop wakes a blocked watcher", "[sim]") {
    Store store;
    auto watcher = store.watch_all({});
    CHECK_FALSE(watcher->next(in(std::chrono::milliseconds(20))).has_value());
    CHECK_FALSE(watcher->ended());

    (void)store.create(kinds::rollouts, object("argoproj.io/v1alpha1", "Rollout", "a"));
    (void)store.create(k_configmaps, object("v1", "ConfigMap", "c"));
    auto first = watcher->next(in(std::chrono::seconds(1)));
    auto second = watcher->next(in(std::chrono::seconds(1)));
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->type == "ADDED");
    CHECK(first->resource == kinds::rollouts);
    CHECK(second->resource == k_configmaps);
    CHECK(watcher->resource_version() == store.resource_version());

    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        watcher->stop();
    });
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(watcher->next(in(std::chrono::seconds(5))).has_value());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(watcher->ended());
    stopper.join();
}

TEST_CASE("store: compact forgets the history, and up-to-date watchers carry on", "[sim]") {
    Store store;
    const std::string before = store.resource_version();
    auto current = store.watch(k_configmaps, {});
    (void)store.create(k_configmaps, object("v1", "ConfigMap", "a"));
    REQUIRE(current->next(in(std::chrono::seconds(1))));
    const std::string compacted = store.compact();
    CHECK(compacted == store.resource_version());

    // A watch from before the compaction: 410 Expired, then the end.
    nova::sim::WatchOptions old_options;
    old_options.resource_version = before;
    auto old = store.watch(k_configmaps, old_options);
    auto expired = old->next(in(std::chrono::seconds(1)));
    REQUIRE(expired);
    CHECK(expired->type == "ERROR");
    CHECK(expired->object["code"] == 410);
    CHECK(old->ended());

    // From the compacted version on, and the open watch, nothing is lost.
    nova::sim::WatchOptions new_options;
    new_options.resource_version = compacted;
    auto fresh = store.watch(k_configmaps, new_options);
    (void)store.create(k_configmaps, object("v1", "ConfigMap", "b"));
    for (auto* watcher : {current.get(), fresh.get()}) {
        auto added = watcher->next(in(std::chrono::seconds(1)));
        REQUIRE(added);
        CHECK(added->type == "ADDED");
        CHECK(added->object["metadata"]["name"] == "b");
    }
}

TEST_CASE("store: garbage collection and CRD removal", "[sim]") {
    Store store;
    const json ro = store.create(kinds::rollouts, object("argoproj.io/v1alpha1", "Rollout", "a"));
    json rs = object("apps/v1", "ReplicaSet", "a-1");
    rs["metadata"]["ownerReferences"] = json::array({{{"apiVersion", "argoproj.io/v1alpha1"},
                                                      {"kind", "Rollout"},
                                                      {"name", "a"},
                                                      {"uid", ro["metadata"]["uid"]}}});
    (void)store.create(kinds::replica_sets, rs);
    nova::sim::WatchOptions from_now;
    from_now.resource_version = store.resource_version();
    auto watcher = store.watch(kinds::replica_sets, from_now);
    const json deleted = store.remove(kinds::rollouts, "default", "a");
    CHECK(deleted["metadata"]["name"] == "a");
    auto event = watcher->next(in(std::chrono::seconds(1)));
    REQUIRE(event);
    CHECK(event->type == "DELETED");
    CHECK(event->object["metadata"]["name"] == "a-1");
    CHECK(store.list(kinds::replica_sets).items.empty());

    // Deleting the CRD of a kind removes its objects and stops serving it.
    const GroupResource crds{"apiextensions.k8s.io", "customresourcedefinitions"};
    (void)store.create(
        crds, {{"apiVersion", "apiextensions.k8s.io/v1"},
               {"kind", "CustomResourceDefinition"},
               {"metadata", {{"name", "rollouts.argoproj.io"}}},
               {"spec",
                {{"group", "argoproj.io"},
                 {"scope", "Namespaced"},
                 {"names", {{"plural", "rollouts"}, {"kind", "Rollout"}}},
                 {"versions",
                  json::array({{{"name", "v1alpha1"}, {"served", true}, {"storage", true}}})}}}});
    (void)store.create(kinds::rollouts, object("argoproj.io/v1alpha1", "Rollout", "b"));
    (void)store.remove(crds, "", "rollouts.argoproj.io");
    CHECK(store.registry().find(kinds::rollouts) == nullptr);
    CHECK_THROWS_AS(store.list(kinds::rollouts), ApiError);
}

TEST_CASE("field selectors and version priority", "[sim]") {
    const auto selector = FieldSelector::parse("metadata.name=a\\,b, status.phase!=Running");
    REQUIRE(selector.requirements().size() == 2);
    CHECK(selector.requirements()[0].value == "a,b");
    CHECK_FALSE(selector.requirements()[1].equals);
    const json pod = {{"metadata", {{"name", "a,b"}}}, {"status", {{"phase", "Pending"}}}};
    CHECK(selector.matches(pod));
    CHECK(nova::sim::field_value(pod, "status.phase") == "Pending");
    CHECK(nova::sim::field_value(pod, "spec.nodeName").empty());
    CHECK_THROWS_AS(FieldSelector::parse("nonsense"), ApiError);

    using nova::sim::version_preferred;
    CHECK(version_preferred("v1", "v1beta1"));
    CHECK(version_preferred("v1beta2", "v1beta1"));
    CHECK(version_preferred("v1beta1", "v1alpha1"));
    CHECK(version_preferred("v2", "v1"));
    CHECK(version_preferred("v1alpha1", "foo"));
    CHECK_FALSE(version_preferred("v1alpha1", "v1"));
}

TEST_CASE("CRD specs become resource types", "[sim]") {
    const json crd = {
        {"metadata", {{"name", "things.example.com"}}},
        {"spec",
         {{"group", "example.com"},
          {"scope", "Cluster"},
          {"names",
           {{"plural", "things"}, {"kind", "Thing"}, {"categories", json::array({"all"})}}},
          {"versions", json::array({{{"name", "v1beta1"}, {"served", true}, {"storage", false}},
                                    {{"name", "v1"},
                                     {"served", true},
                                     {"storage", true},
                                     {"subresources",
                                      {{"status", json::object()},
                                       {"scale",
                                        {{"specReplicasPath", ".spec.count"},
                                         {"statusReplicasPath", ".status.count"}}}}}},
                                    {{"name", "v0"}, {"served", false}}})}}}};
    const auto types = nova::sim::ResourceRegistry::from_crd(crd);
    REQUIRE(types.size() == 2);
    CHECK(types[0].version == "v1beta1");
    CHECK_FALSE(types[0].has_status);
    CHECK(types[0].columns.size() == 1); // the default Age column
    CHECK(types[1].singular == "thing");
    CHECK(types[1].list_kind == "ThingList");
    CHECK_FALSE(types[1].namespaced);
    CHECK(types[1].has_status);
    REQUIRE(types[1].scale);
    CHECK(types[1].scale->spec_replicas_path == ".spec.count");
    CHECK(types[1].categories == std::vector<std::string>{"all"});

    nova::sim::ResourceRegistry registry;
    registry.register_crd(crd);
    const auto group = registry.group("example.com");
    REQUIRE(group);
    CHECK((*group)["preferredVersion"]["version"] == "v1");
    CHECK((*group)["versions"].size() == 2);
    CHECK(registry.find(GroupResource{"example.com", "things"})->version == "v1");
    const auto openapi = registry.openapi_v3("example.com", "v1");
    REQUIRE(openapi);
    CHECK((*openapi)["paths"].contains("/apis/example.com/v1/things/{name}"));
    CHECK(registry.openapi_v3_index()["paths"].contains("apis/example.com/v1beta1"));
    CHECK_THROWS_AS(nova::sim::ResourceRegistry::from_crd({{"metadata", {{"name", "x"}}}}),
                    ApiError);
}
