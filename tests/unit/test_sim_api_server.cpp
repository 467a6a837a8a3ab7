// The REST engine of nova-sim, driven through ApiServer::handle as the HTTPS layer does.

#include "lib/core/error.hpp"
#include "lib/sim/rest.hpp"
#include "lib/sim/store.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using nlohmann::json;
using nova::sim::ApiServer;
using nova::sim::Request;
using nova::sim::Response;

namespace {

std::string url_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

Request make_request(const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::string& content_type = "application/json",
                     const std::string& accept = "application/json") {
    Request r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
        std::string query = target.substr(q + 1);
        std::size_t start = 0;
        while (start <= query.size()) {
            const auto amp = query.find('&', start);
            const std::string item =
                query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            const auto eq = item.find('=');
            if (!item.empty()) {
                r.query.emplace(url_decode(item.substr(0, eq)),
                                eq == std::string::npos ? "" : url_decode(item.substr(eq + 1)));
            }
            if (amp == std::string::npos) {
                break;
            }
            start = amp + 1;
        }
    }
    r.body = body;
    r.content_type = body.empty() && method == "GET" ? "" : content_type;
    r.accept = accept;
    r.user = "admin";
    return r;
}

struct Result {
    int status = 0;
    json body;
};

Result call(ApiServer& s, const std::string& method, const std::string& target,
            const json& body = nullptr, const std::string& content_type = "application/json",
            const std::string& accept = "application/json") {
    const Response r = s.handle(make_request(
        method, target, body.is_null() ? std::string{} : body.dump(), content_type, accept));
    REQUIRE_FALSE(r.stream);
    Result out;
    out.status = r.status;
    out.body = r.content_type == "application/json" ? json::parse(r.body) : json(r.body);
    return out;
}

const std::string k_rollouts = "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts";
const std::string k_replicasets = "/apis/apps/v1/namespaces/default/replicasets";
const std::string k_pods = "/api/v1/namespaces/default/pods";

json rollout(const std::string& name, json labels = json::object()) {
    return {{"apiVersion", "argoproj.io/v1alpha1"},
            {"kind", "Rollout"},
            {"metadata", {{"name", name}, {"labels", labels}}},
            {"spec",
             {{"replicas", 3},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec",
                 {{"containers", json::array({{{"name", "main"}, {"image", "demo:blue"}}})}}}}}}}};
}

json owned(const std::string& api_version, const std::string& kind, const std::string& name,
           const json& owner) {
    return {{"apiVersion", api_version},
            {"kind", kind},
            {"metadata",
             {{"name", name},
              {"ownerReferences", json::array({{{"apiVersion", owner["apiVersion"]},
                                                {"kind", owner["kind"]},
                                                {"name", owner["metadata"]["name"]},
                                                {"uid", owner["metadata"]["uid"]},
                                                {"controller", true}}})}}}};
}

// Runs a watch's stream on its own thread and collects its lines.
class WatchClient {
public:
    WatchClient(ApiServer& server, const std::string& target,
                const std::string& accept = "application/json") {
        Response r = server.handle(make_request("GET", target, {}, {}, accept));
        status = r.status;
        if (!r.stream) {
            body = r.body;
            m_done = true;
            return;
        }
        m_thread = std::thread([this, stream = std::move(r.stream)] {
            stream([this](std::string_view chunk) {
                std::lock_guard lock(m_mutex);
                // No Catch assertions here: Catch2 is not thread-safe. A chunk that is not one
                // newline-terminated event shows up as a bogus event type instead.
                if (!chunk.empty()) {
                    m_lines.push_back(chunk.back() == '\n' ? json::parse(chunk)
                                                           : json{{"type", "BAD-FRAMING"}});
                }
                m_changed.notify_all();
                return !m_gone;
            });
            std::lock_guard lock(m_mutex);
            m_done = true;
            m_changed.notify_all();
        });
    }
    ~WatchClient() {
        {
            std::lock_guard lock(m_mutex);
            m_gone = true;
        }
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    WatchClient(const WatchClient&) = delete;
    WatchClient& operator=(const WatchClient&) = delete;

    // Waits until at least n events arrived (or 5 s passed); returns all so far.
    std::vector<json> wait_for(std::size_t n) {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::seconds(5),
                           [&] { return m_lines.size() >= n || m_done; });
        return m_lines;
    }
    bool wait_done(std::chrono::milliseconds limit) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, limit, [&] { return m_done; });
    }
    std::vector<json> events() {
        std::lock_guard lock(m_mutex);
        return m_lines;
    }

    int status = 0;
    std::string body;

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<json> m_lines;
    bool m_done = false;
    bool m_gone = false;
    std::thread m_thread;
};

std::vector<std::string> types_of(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        out.push_back(e["type"].get<std::string>());
    }
    return out;
}

} // namespace

TEST_CASE("discovery documents describe the served resources", "[sim]") {
    ApiServer server("nova");
    auto version = call(server, "GET", "/version");
    CHECK(version.status == 200);
    CHECK(version.body["gitVersion"] == "v1.29.0");
    CHECK(version.body["major"] == "1");
    CHECK(version.body["minor"] == "29");
    CHECK(version.body["platform"] == "linux/amd64");

    auto api = call(server, "GET", "/api");
    CHECK(api.body["kind"] == "APIVersions");
    CHECK(api.body["versions"] == json::array({"v1"}));

    auto groups = call(server, "GET", "/apis");
    CHECK(groups.body["kind"] == "APIGroupList");
    std::set<std::string> names;
    for (const auto& g : groups.body["groups"]) {
        names.insert(g["name"].get<std::string>());
    }
    CHECK(names == std::set<std::string>{"apps", "batch", "rbac.authorization.k8s.io",
                                         "apiextensions.k8s.io", "argoproj.io", "cluster.elotl.co",
                                         "policy.elotl.co"});
    for (const auto& g : groups.body["groups"]) {
        if (g["name"] == "argoproj.io") {
            CHECK(g["preferredVersion"]["groupVersion"] == "argoproj.io/v1alpha1");
            CHECK(g["preferredVersion"]["version"] == "v1alpha1");
        }
    }

    auto argo = call(server, "GET", "/apis/argoproj.io/v1alpha1");
    REQUIRE(argo.status == 200);
    CHECK(argo.body["kind"] == "APIResourceList");
    CHECK(argo.body["groupVersion"] == "argoproj.io/v1alpha1");
    std::map<std::string, json> resources;
    for (const auto& r : argo.body["resources"]) {
        resources[r["name"].get<std::string>()] = r;
    }
    REQUIRE(resources.count("rollouts") == 1);
    CHECK(resources["rollouts"]["singularName"] == "rollout");
    CHECK(resources["rollouts"]["namespaced"] == true);
    CHECK(resources["rollouts"]["kind"] == "Rollout");
    CHECK(resources["rollouts"]["shortNames"] == json::array({"ro"}));
    CHECK(resources["rollouts"]["verbs"] ==
          json::array(
              {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"}));
    CHECK(resources["rollouts/status"]["verbs"] == json::array({"get", "patch", "update"}));
    CHECK(resources["rollouts/scale"]["group"] == "autoscaling");
    CHECK(resources["rollouts/scale"]["version"] == "v1");
    CHECK(resources["rollouts/scale"]["kind"] == "Scale");
    CHECK(resources["clusteranalysistemplates"]["namespaced"] == false);
    CHECK(resources["clusteranalysistemplates"]["shortNames"] == json::array({"cat"}));
    CHECK(resources["analysisruns"]["shortNames"] == json::array({"ar"}));
    CHECK(resources.count("analysisruns/status") == 0);

    auto core = call(server, "GET", "/api/v1");
    std::map<std::string, json> core_resources;
    for (const auto& r : core.body["resources"]) {
        core_resources[r["name"].get<std::string>()] = r;
    }
    CHECK(core_resources["pods"]["shortNames"] == json::array({"po"}));
    CHECK(core_resources["pods"]["categories"] == json::array({"all"}));
    CHECK(core_resources["namespaces"]["namespaced"] == false);
    CHECK(core_resources.count("pods/status") == 1);
    CHECK(core_resources.count("configmaps/status") == 0);

    auto clusters = call(server, "GET", "/apis/cluster.elotl.co/v1alpha1");
    REQUIRE(clusters.body["resources"].size() == 1); // no status subresource
    CHECK(clusters.body["resources"][0]["namespaced"] == false);
    auto policies = call(server, "GET", "/apis/policy.elotl.co/v1alpha1");
    for (const auto& r : policies.body["resources"]) {
        CHECK(r["namespaced"] == false);
    }

    CHECK(call(server, "GET", "/apis/argoproj.io").body["kind"] == "APIGroup");
    auto missing = call(server, "GET", "/apis/nothing.example.com/v1");
    CHECK(missing.status == 404);
    CHECK(missing.body["reason"] == "NotFound");
    CHECK(missing.body["message"] == "the server could not find the requested resource");
    CHECK(call(server, "GET", "/healthz").body == "ok");
    CHECK(call(server, "GET", "/readyz").status == 200);

    // OpenAPI v3: just enough for kubectl to leave validation to the server.
    auto index = call(server, "GET", "/openapi/v3");
    REQUIRE(index.status == 200);
    const std::string url = index.body["paths"]["apis/argoproj.io/v1alpha1"]["serverRelativeURL"];
    CHECK(url.starts_with("/openapi/v3/apis/argoproj.io/v1alpha1?hash="));
    auto gv = call(server, "GET", url);
    REQUIRE(gv.status == 200);
    const json& op =
        gv.body["paths"]["/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}"]
               ["patch"];
    CHECK(op["x-kubernetes-group-version-kind"] ==
          json{{"group", "argoproj.io"}, {"version", "v1alpha1"}, {"kind", "Rollout"}});
    CHECK(op["parameters"][0]["name"] == "fieldValidation");
    CHECK(call(server, "GET", "/openapi/v3/api/v1").status == 200);
    CHECK(call(server, "GET", "/openapi/v3/apis/nothing/v1").status == 404);
    CHECK(call(server, "GET", "/openapi/v2").status == 404);
}

TEST_CASE("create fills metadata and get returns the object", "[sim]") {
    ApiServer server("nova");
    auto created = call(server, "POST", k_rollouts, rollout("demo", {{"app", "demo"}}));
    REQUIRE(created.status == 201);
    const json& meta = created.body["metadata"];
    CHECK(meta["namespace"] == "default");
    CHECK(meta["generation"] == 1);
    const std::string uid = meta["uid"];
    REQUIRE(uid.size() == 36);
    CHECK(uid[14] == '4');
    CHECK(uid[8] == '-');
    const std::string rv = meta["resourceVersion"];
    CHECK(std::stoull(rv) > 0);
    CHECK(meta["creationTimestamp"].get<std::string>().size() == 20);
    CHECK(created.body["kind"] == "Rollout");

    auto got = call(server, "GET", k_rollouts + "/demo");
    CHECK(got.status == 200);
    CHECK(got.body == created.body);

    auto again = call(server, "POST", k_rollouts, rollout("demo"));
    CHECK(again.status == 409);
    CHECK(again.body["reason"] == "AlreadyExists");
    CHECK(again.body["message"] == "rollouts.argoproj.io \"demo\" already exists");

    auto missing = call(server, "GET", k_rollouts + "/nope");
    CHECK(missing.status == 404);
    CHECK(missing.body["message"] == "rollouts.argoproj.io \"nope\" not found");
    CHECK(missing.body["details"] ==
          json{{"name", "nope"}, {"group", "argoproj.io"}, {"kind", "rollouts"}});
    auto missing_pod = call(server, "GET", k_pods + "/nope");
    CHECK(missing_pod.body["message"] == "pods \"nope\" not found");
    CHECK(missing_pod.body["details"] == json{{"name", "nope"}, {"kind", "pods"}});

    auto no_ns =
        call(server, "POST", "/apis/argoproj.io/v1alpha1/namespaces/ghost/rollouts", rollout("x"));
    CHECK(no_ns.status == 404);
    CHECK(no_ns.body["message"] == "namespaces \"ghost\" not found");

    json other = rollout("y");
    other["metadata"]["namespace"] = "kube-system";
    auto mismatch = call(server, "POST", k_rollouts, other);
    CHECK(mismatch.status == 400);
    CHECK(mismatch.body["reason"] == "BadRequest");
    CHECK(mismatch.body["message"] == "the namespace of the provided object does not match the "
                                      "namespace sent on the request");

    auto bad = call(server, "POST", k_rollouts, rollout("Bad_Name"));
    CHECK(bad.status == 422);
    CHECK(bad.body["reason"] == "Invalid");
    CHECK(bad.body["message"].get<std::string>().starts_with(
        "Rollout.argoproj.io \"Bad_Name\" is invalid: metadata.name: Invalid value: "
        "\"Bad_Name\": a lowercase RFC 1123 subdomain"));
    CHECK(bad.body["details"]["kind"] == "Rollout");
    CHECK(bad.body["details"]["causes"][0]["field"] == "metadata.name");

    json generated = rollout("");
    generated["metadata"].erase("name");
    generated["metadata"]["generateName"] = "demo-";
    auto gen = call(server, "POST", k_rollouts, generated);
    REQUIRE(gen.status == 201);
    const std::string gen_name = gen.body["metadata"]["name"];
    REQUIRE(gen_name.size() == 10);
    CHECK(gen_name.starts_with("demo-"));
    for (char c : gen_name.substr(5)) {
        CHECK(std::string("bcdfghjklmnpqrstvwxz2456789").find(c) != std::string::npos);
    }

    auto dry = call(server, "POST", k_rollouts + "?dryRun=All", rollout("dry"));
    CHECK(dry.status == 201);
    CHECK(call(server, "GET", k_rollouts + "/dry").status == 404);

    auto ns = call(server, "GET", "/api/v1/namespaces/default");
    CHECK(ns.status == 200);
    CHECK(ns.body["status"]["phase"] == "Active");
    CHECK(ns.body["metadata"]["labels"]["kubernetes.io/metadata.name"] == "default");
    for (const char* name : {"kube-system", "kube-public", "kube-node-lease"}) {
        CHECK(call(server, "GET", std::string("/api/v1/namespaces/") + name).status == 200);
    }

    // Cluster-scoped kinds are addressed without a namespace only.
    CHECK(
        call(server, "GET", "/apis/cluster.elotl.co/v1alpha1/namespaces/default/clusters").status ==
        404);
    // resourceVersions increase with every write.
    auto later = call(server, "POST", k_rollouts, rollout("later"));
    CHECK(std::stoull(later.body["metadata"]["resourceVersion"].get<std::string>()) >
          std::stoull(rv));
}

TEST_CASE("lists honour selectors, namespaces and pages", "[sim]") {
    ApiServer server("nova");
    REQUIRE(
        call(server, "POST", "/api/v1/namespaces", {{"metadata", {{"name", "other"}}}}).status ==
        201);
    for (int i = 0; i < 5; ++i) {
        const std::string name = "r" + std::to_string(i);
        REQUIRE(
            call(server, "POST", k_rollouts, rollout(name, {{"tier", i % 2 == 0 ? "even" : "odd"}}))
                .status == 201);
    }
    REQUIRE(call(server, "POST", "/apis/argoproj.io/v1alpha1/namespaces/other/rollouts",
                 rollout("elsewhere", {{"tier", "even"}}))
                .status == 201);

    const auto names = [](const json& list) {
        std::vector<std::string> out;
        for (const auto& i : list["items"]) {
            out.push_back(i["metadata"]["name"]);
        }
        return out;
    };
    auto all = call(server, "GET", k_rollouts);
    CHECK(all.body["kind"] == "RolloutList");
    CHECK(all.body["apiVersion"] == "argoproj.io/v1alpha1");
    CHECK(names(all.body) == std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"});
    CHECK(all.body["items"][0]["kind"] == "Rollout"); // custom resources keep kind on items
    CHECK(!all.body["metadata"]["resourceVersion"].get<std::string>().empty());

    CHECK(names(call(server, "GET", k_rollouts + "?labelSelector=tier%3Deven").body) ==
          std::vector<std::string>{"r0", "r2", "r4"});
    CHECK(names(call(server, "GET", k_rollouts + "?labelSelector=tier!%3Deven").body) ==
          std::vector<std::string>{"r1", "r3"});
    CHECK(names(call(server, "GET", k_rollouts + "?fieldSelector=metadata.name%3Dr3").body) ==
          std::vector<std::string>{"r3"});
    CHECK(names(call(server, "GET",
                     k_rollouts + "?fieldSelector=metadata.name!%3Dr3,"
                                  "metadata.name%3D%3Dr4")
                    .body) == std::vector<std::string>{"r4"});
    CHECK(names(call(server, "GET", "/apis/argoproj.io/v1alpha1/rollouts?labelSelector=tier%3Deven")
                    .body) == std::vector<std::string>{"r0", "r2", "r4", "elsewhere"});
    CHECK(names(call(server, "GET",
                     "/apis/argoproj.io/v1alpha1/rollouts?fieldSelector="
                     "metadata.namespace%3Dother")
                    .body) == std::vector<std::string>{"elsewhere"});
    auto bad_field = call(server, "GET", k_rollouts + "?fieldSelector=spec.replicas%3D3");
    CHECK(bad_field.status == 400);
    CHECK(bad_field.body["message"] == "field label not supported: spec.replicas");
    auto bad_labels = call(server, "GET", k_rollouts + "?labelSelector=a%20in%20(");
    CHECK(bad_labels.status == 400);

    // Pages: same resourceVersion on every page, then no continue.
    auto page1 = call(server, "GET", k_rollouts + "?limit=2");
    CHECK(names(page1.body) == std::vector<std::string>{"r0", "r1"});
    const std::string token = page1.body["metadata"]["continue"];
    CHECK(page1.body["metadata"]["remainingItemCount"] == 3);
    auto page2 = call(server, "GET", k_rollouts + "?limit=2&continue=" + token);
    CHECK(names(page2.body) == std::vector<std::string>{"r2", "r3"});
    CHECK(page2.body["metadata"]["resourceVersion"] == page1.body["metadata"]["resourceVersion"]);
    auto page3 = call(
        server, "GET",
        k_rollouts + "?limit=2&continue=" + page2.body["metadata"]["continue"].get<std::string>());
    CHECK(names(page3.body) == std::vector<std::string>{"r4"});
    CHECK_FALSE(page3.body["metadata"].contains("continue"));
    auto exact = call(server, "GET", k_rollouts + "?limit=5");
    CHECK_FALSE(exact.body["metadata"].contains("continue"));

    auto garbage = call(server, "GET", k_rollouts + "?limit=2&continue=%21%21%21");
    CHECK(garbage.status == 400);

    server.store().set_history_limit(1);
    REQUIRE(call(server, "POST", k_rollouts, rollout("r9")).status == 201);
    REQUIRE(call(server, "POST", k_rollouts, rollout("r10")).status == 201);
    auto old = call(server, "GET", k_rollouts + "?limit=2&continue=" + token);
    CHECK(old.status == 410);
    CHECK(old.body["reason"] == "Expired");

    // Built-in lists carry no kind on their items, like the apiserver's typed lists.
    auto namespaces = call(server, "GET", "/api/v1/namespaces");
    CHECK(namespaces.body["kind"] == "NamespaceList");
    CHECK(namespaces.body["apiVersion"] == "v1");
    CHECK_FALSE(namespaces.body["items"][0].contains("kind"));
    CHECK(namespaces.body["items"].size() == 5);
}

TEST_CASE("update checks resourceVersion and moves generation with spec only", "[sim]") {
    ApiServer server("nova");
    auto created = call(server, "POST", k_rollouts, rollout("a"));
    json ro = created.body;

    json stale = ro;
    stale["metadata"]["resourceVersion"] = "1";
    auto conflict = call(server, "PUT", k_rollouts + "/a", stale);
    CHECK(conflict.status == 409);
    CHECK(conflict.body["reason"] == "Conflict");
    CHECK(conflict.body["message"] ==
          "Operation cannot be fulfilled on rollouts.argoproj.io \"a\": the object has been "
          "modified; please apply your changes to the latest version and try again");

    json labelled = ro;
    labelled["metadata"]["labels"] = {{"x", "y"}};
    labelled["metadata"]["uid"] = "changed";
    auto after_labels = call(server, "PUT", k_rollouts + "/a", labelled);
    REQUIRE(after_labels.status == 200);
    CHECK(after_labels.body["metadata"]["generation"] == 1);
    CHECK(after_labels.body["metadata"]["uid"] == ro["metadata"]["uid"]);
    CHECK(after_labels.body["metadata"]["creationTimestamp"] ==
          ro["metadata"]["creationTimestamp"]);
    CHECK(after_labels.body["metadata"]["resourceVersion"] != ro["metadata"]["resourceVersion"]);

    json with_status = after_labels.body;
    with_status["status"] = {{"phase", "Healthy"}};
    auto ignored = call(server, "PUT", k_rollouts + "/a", with_status);
    CHECK(ignored.status == 200);
    CHECK_FALSE(ignored.body.contains("status"));
    CHECK(ignored.body["metadata"]["generation"] == 1);

    json spec_change = ignored.body;
    spec_change["spec"]["replicas"] = 5;
    auto bumped = call(server, "PUT", k_rollouts + "/a", spec_change);
    CHECK(bumped.body["metadata"]["generation"] == 2);

    // The status subresource writes only status, and does not move generation.
    json status_write = bumped.body;
    status_write["status"] = {{"phase", "Progressing"}};
    status_write["spec"]["replicas"] = 9;
    auto status = call(server, "PUT", k_rollouts + "/a/status", status_write);
    REQUIRE(status.status == 200);
    CHECK(status.body["status"]["phase"] == "Progressing");
    CHECK(status.body["spec"]["replicas"] == 5);
    CHECK(status.body["metadata"]["generation"] == 2);
    CHECK(call(server, "GET", k_rollouts + "/a/status").body["status"]["phase"] == "Progressing");

    // A no-op update writes nothing.
    auto same = call(server, "PUT", k_rollouts + "/a", status.body);
    CHECK(same.body["metadata"]["resourceVersion"] == status.body["metadata"]["resourceVersion"]);

    // Custom resources require a resourceVersion on update.
    json unconditional = status.body;
    unconditional["metadata"].erase("resourceVersion");
    CHECK(call(server, "PUT", k_rollouts + "/a", unconditional).status == 422);

    auto wrong_name = call(server, "PUT", k_rollouts + "/b", status.body);
    CHECK(wrong_name.status == 400);
    CHECK(wrong_name.body["message"] ==
          "the name of the object (a) does not match the name on the URL (b)");
    CHECK(call(server, "PUT", k_rollouts + "/zzz",
               json{{"apiVersion", "argoproj.io/v1alpha1"},
                    {"kind", "Rollout"},
                    {"metadata", {{"name", "zzz"}, {"resourceVersion", "3"}}}})
              .status == 404);

    // A kind without a status subresource takes status through the main resource, and a
    // status change there counts as a change for generation (apiextensions' rule).
    const std::string clusters = "/apis/cluster.elotl.co/v1alpha1/clusters";
    json cluster = {{"apiVersion", "cluster.elotl.co/v1alpha1"},
                    {"kind", "Cluster"},
                    {"metadata", {{"name", "wlc-1"}}},
                    {"spec", {{"name", "wlc-1"}}},
                    {"status", {{"conditions", json::array()}}}};
    auto c = call(server, "POST", clusters, cluster);
    REQUIRE(c.status == 201);
    CHECK(c.body["status"] == json{{"conditions", json::array()}});
    CHECK_FALSE(c.body["metadata"].contains("namespace"));
    json ready = c.body;
    ready["status"]["conditions"] = json::array({{{"type", "Ready"}, {"status", "True"}}});
    auto c2 = call(server, "PUT", clusters + "/wlc-1", ready);
    CHECK(c2.body["status"]["conditions"][0]["type"] == "Ready");
    CHECK(c2.body["metadata"]["generation"] == 2);
    CHECK(call(server, "GET", clusters + "/wlc-1/status").status == 404);
}

TEST_CASE("patch types, 415 on custom resources, stale versions", "[sim]") {
    ApiServer server("nova");
    auto ro = call(server, "POST", k_rollouts, rollout("a")).body;

    auto merged = call(server, "PATCH", k_rollouts + "/a", json{{"spec", {{"paused", true}}}},
                       "application/merge-patch+json");
    REQUIRE(merged.status == 200);
    CHECK(merged.body["spec"]["paused"] == true);
    CHECK(merged.body["spec"]["replicas"] == 3);
    CHECK(merged.body["metadata"]["generation"] == 2);

    auto patched =
        call(server, "PATCH", k_rollouts + "/a",
             json::array({{{"op", "replace"}, {"path", "/spec/replicas"}, {"value", 7}}}),
             "application/json-patch+json");
    REQUIRE(patched.status == 200);
    CHECK(patched.body["spec"]["replicas"] == 7);

    auto failed_test =
        call(server, "PATCH", k_rollouts + "/a",
             json::array({{{"op", "test"}, {"path", "/spec/replicas"}, {"value", 1}}}),
             "application/json-patch+json");
    CHECK(failed_test.status == 422);

    auto smp = call(server, "PATCH", k_rollouts + "/a", json{{"spec", {{"paused", false}}}},
                    "application/strategic-merge-patch+json");
    CHECK(smp.status == 415);
    CHECK(smp.body["reason"] == "UnsupportedMediaType");
    CHECK(smp.body["message"] ==
          "the body of the request was in an unknown format - accepted media types include: "
          "application/json-patch+json, application/merge-patch+json, "
          "application/apply-patch+yaml");

    auto stale = call(server, "PATCH", k_rollouts + "/a",
                      json{{"metadata", {{"resourceVersion", ro["metadata"]["resourceVersion"]}}},
                           {"spec", {{"paused", false}}}},
                      "application/merge-patch+json");
    CHECK(stale.status == 409);
    CHECK(stale.body["reason"] == "Conflict");

    // Status through the main resource is ignored; through /status it is written.
    auto main_status =
        call(server, "PATCH", k_rollouts + "/a", json{{"status", {{"phase", "Healthy"}}}},
             "application/merge-patch+json");
    CHECK_FALSE(main_status.body.contains("status"));
    auto sub_status = call(server, "PATCH", k_rollouts + "/a/status",
                           json{{"status", {{"phase", "Healthy"}}}, {"spec", {{"replicas", 1}}}},
                           "application/merge-patch+json");
    CHECK(sub_status.body["status"]["phase"] == "Healthy");
    CHECK(sub_status.body["spec"]["replicas"] == 7);

    // Strategic merge on a built-in merges containers by name.
    json deploy = {{"apiVersion", "apps/v1"},
                   {"kind", "Deployment"},
                   {"metadata", {{"name", "web"}}},
                   {"spec",
                    {{"replicas", 2},
                     {"selector", {{"matchLabels", {{"app", "web"}}}}},
                     {"template",
                      {{"metadata", {{"labels", {{"app", "web"}}}}},
                       {"spec",
                        {{"containers", json::array({{{"name", "a"}, {"image", "a:1"}},
                                                     {{"name", "b"}, {"image", "b:1"}}})}}}}}}}};
    const std::string deployments = "/apis/apps/v1/namespaces/default/deployments";
    REQUIRE(call(server, "POST", deployments, deploy).status == 201);
    auto sm = call(
        server, "PATCH", deployments + "/web",
        json{{"spec",
              {{"template",
                {{"spec", {{"containers", json::array({{{"name", "b"}, {"image", "b:2"}}})}}}}}}}},
        "application/strategic-merge-patch+json");
    REQUIRE(sm.status == 200);
    const json containers = sm.body["spec"]["template"]["spec"]["containers"];
    REQUIRE(containers.size() == 2);
    CHECK(containers[0]["image"] == "a:1");
    CHECK(containers[1]["image"] == "b:2");

    auto unknown = call(server, "PATCH", deployments + "/web", json::object(), "text/plain");
    CHECK(unknown.status == 415);

    auto missing = call(server, "PATCH", k_rollouts + "/nope", json{{"spec", json::object()}},
                        "application/merge-patch+json");
    CHECK(missing.status == 404);

    // Server-side apply: creates when missing, needs a field manager.
    json applied = rollout("applied");
    CHECK(call(server, "PATCH", k_rollouts + "/applied", applied, "application/apply-patch+yaml")
              .status == 400);
    auto created = call(server, "PATCH", k_rollouts + "/applied?fieldManager=kubectl", applied,
                        "application/apply-patch+yaml");
    CHECK(created.status == 201);
    CHECK(created.body["metadata"]["namespace"] == "default");
}

TEST_CASE("scale subresource reads and writes replicas", "[sim]") {
    ApiServer server("nova");
    auto ro = call(server, "POST", k_rollouts, rollout("a")).body;
    REQUIRE(call(server, "PATCH", k_rollouts + "/a/status",
                 json{{"status", {{"selector", "app=a"}, {"HPAReplicas", 3}}}},
                 "application/merge-patch+json")
                .status == 200);
    auto scale = call(server, "GET", k_rollouts + "/a/scale");
    REQUIRE(scale.status == 200);
    CHECK(scale.body["kind"] == "Scale");
    CHECK(scale.body["apiVersion"] == "autoscaling/v1");
    CHECK(scale.body["metadata"]["name"] == "a");
    CHECK(scale.body["spec"]["replicas"] == 3);
    CHECK(scale.body["status"]["replicas"] == 3);
    CHECK(scale.body["status"]["selector"] == "app=a");

    auto scaled = call(server, "PATCH", k_rollouts + "/a/scale", json{{"spec", {{"replicas", 6}}}},
                       "application/merge-patch+json");
    REQUIRE(scaled.status == 200);
    CHECK(scaled.body["spec"]["replicas"] == 6);
    auto after = call(server, "GET", k_rollouts + "/a").body;
    CHECK(after["spec"]["replicas"] == 6);
    CHECK(after["metadata"]["generation"] == 2);

    CHECK(scaled.body["metadata"]["resourceVersion"] == after["metadata"]["resourceVersion"]);
    json put = scaled.body;
    put["spec"]["replicas"] = 2;
    put["metadata"]["resourceVersion"] = ro["metadata"]["resourceVersion"];
    CHECK(call(server, "PUT", k_rollouts + "/a/scale", put).status == 409); // stale version
    put["metadata"]["resourceVersion"] = after["metadata"]["resourceVersion"];
    CHECK(call(server, "PUT", k_rollouts + "/a/scale", put).body["spec"]["replicas"] == 2);

    json rs = {
        {"apiVersion", "apps/v1"},
        {"kind", "ReplicaSet"},
        {"metadata", {{"name", "rs"}}},
        {"spec",
         {{"replicas", 4}, {"selector", {{"matchLabels", {{"app", "x"}, {"tier", "web"}}}}}}}};
    REQUIRE(call(server, "POST", k_replicasets, rs).status == 201);
    auto rs_scale = call(server, "GET", k_replicasets + "/rs/scale");
    CHECK(rs_scale.body["spec"]["replicas"] == 4);
    CHECK(rs_scale.body["status"]["replicas"] == 0);
    CHECK(rs_scale.body["status"]["selector"] == "app=x,tier=web");
    CHECK(call(server, "GET", k_pods + "/x/scale").status == 404);
}

TEST_CASE("CustomResourceDefinitions register and unregister resources", "[sim]") {
    ApiServer server("nova");
    const std::string crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    json crd = {{"apiVersion", "apiextensions.k8s.io/v1"},
                {"kind", "CustomResourceDefinition"},
                {"metadata", {{"name", "widgets.example.com"}}},
                {"spec",
                 {{"group", "example.com"},
                  {"scope", "Namespaced"},
                  {"names",
                   {{"plural", "widgets"},
                    {"singular", "widget"},
                    {"kind", "Widget"},
                    {"shortNames", json::array({"wg"})}}},
                  {"versions", json::array({{{"name", "v1"},
                                             {"served", true},
                                             {"storage", true},
                                             {"subresources", {{"status", json::object()}}},
                                             {"additionalPrinterColumns",
                                              json::array({{{"name", "Size"},
                                                            {"type", "integer"},
                                                            {"jsonPath", ".spec.size"}}})}}})}}}};
    auto created = call(server, "POST", crds, crd);
    REQUIRE(created.status == 201);
    bool established = false;
    for (const auto& c : created.body["status"]["conditions"]) {
        established = established || (c["type"] == "Established" && c["status"] == "True");
    }
    CHECK(established);

    auto discovery = call(server, "GET", "/apis/example.com/v1");
    REQUIRE(discovery.status == 200);
    CHECK(discovery.body["resources"][0]["name"] == "widgets");
    CHECK(discovery.body["resources"][0]["shortNames"] == json::array({"wg"}));
    CHECK(discovery.body["resources"][1]["name"] == "widgets/status");

    const std::string widgets = "/apis/example.com/v1/namespaces/default/widgets";
    auto w = call(server, "POST", widgets,
                  json{{"apiVersion", "example.com/v1"},
                       {"kind", "Widget"},
                       {"metadata", {{"name", "w1"}}},
                       {"spec", {{"size", 3}}}});
    REQUIRE(w.status == 201);
    auto table = call(server, "GET", widgets, nullptr, "application/json",
                      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    REQUIRE(table.body["kind"] == "Table");
    CHECK(table.body["columnDefinitions"][1]["name"] == "Size");
    CHECK(table.body["rows"][0]["cells"] == json::array({"w1", 3}));

    auto bad = crd;
    bad["metadata"]["name"] = "wrong.example.com";
    bad["spec"]["names"]["plural"] = "gadgets";
    auto invalid = call(server, "POST", crds, bad);
    CHECK(invalid.status == 422);
    CHECK(invalid.body["details"]["causes"][0]["field"] == "metadata.name");

    // Re-registering the built-in rollouts without a status subresource.
    json ro_crd = {
        {"apiVersion", "apiextensions.k8s.io/v1"},
        {"kind", "CustomResourceDefinition"},
        {"metadata", {{"name", "rollouts.argoproj.io"}}},
        {"spec",
         {{"group", "argoproj.io"},
          {"scope", "Namespaced"},
          {"names", {{"plural", "rollouts"}, {"kind", "Rollout"}}},
          {"versions",
           json::array({{{"name", "v1alpha1"}, {"served", true}, {"storage", true}}})}}}};
    REQUIRE(call(server, "POST", crds, ro_crd).status == 201);
    json with_status = rollout("s");
    with_status["status"] = {{"phase", "Healthy"}};
    auto kept = call(server, "POST", k_rollouts, with_status);
    CHECK(kept.body["status"]["phase"] == "Healthy");
    CHECK(call(server, "GET", k_rollouts + "/s/status").status == 404);

    auto deleted = call(server, "DELETE", crds + "/widgets.example.com");
    CHECK(deleted.status == 200);
    CHECK(call(server, "GET", "/apis/example.com/v1").status == 404);
    CHECK(call(server, "GET", widgets).status == 404);
    // Created again: the old objects are gone.
    REQUIRE(call(server, "POST", crds, crd).status == 201);
    CHECK(call(server, "GET", widgets).body["items"].empty());
}

TEST_CASE("delete cascades through ownerReferences and namespaces", "[sim]") {
    ApiServer server("nova");
    auto ro = call(server, "POST", k_rollouts, rollout("a")).body;
    auto rs = call(server, "POST", k_replicasets, owned("apps/v1", "ReplicaSet", "a-1", ro)).body;
    auto pod = call(server, "POST", k_pods, owned("v1", "Pod", "a-1-x", rs)).body;
    CHECK(pod["status"]["phase"] == "Pending");
    auto other = call(server, "POST", k_rollouts, rollout("b")).body;
    // A pod with two owners survives the deletion of one of them.
    json shared = owned("v1", "Pod", "shared", rs);
    shared["metadata"]["ownerReferences"].push_back({{"apiVersion", "argoproj.io/v1alpha1"},
                                                     {"kind", "Rollout"},
                                                     {"name", "b"},
                                                     {"uid", other["metadata"]["uid"]}});
    REQUIRE(call(server, "POST", k_pods, shared).status == 201);

    auto deleted =
        call(server, "DELETE", k_rollouts + "/a", json{{"propagationPolicy", "Background"}});
    CHECK(deleted.status == 200);
    CHECK(deleted.body["metadata"]["name"] == "a");
    CHECK(call(server, "GET", k_replicasets + "/a-1").status == 404);
    CHECK(call(server, "GET", k_pods + "/a-1-x").status == 404);
    auto survivor = call(server, "GET", k_pods + "/shared");
    REQUIRE(survivor.status == 200);
    REQUIRE(survivor.body["metadata"]["ownerReferences"].size() == 1);
    CHECK(survivor.body["metadata"]["ownerReferences"][0]["name"] == "b");

    // Orphan: dependents stay and lose the reference.
    auto rs_b =
        call(server, "POST", k_replicasets, owned("apps/v1", "ReplicaSet", "b-1", other)).body;
    CHECK(call(server, "DELETE", k_rollouts + "/b?propagationPolicy=Orphan").status == 200);
    auto orphan = call(server, "GET", k_replicasets + "/b-1");
    REQUIRE(orphan.status == 200);
    CHECK_FALSE(orphan.body["metadata"].contains("ownerReferences"));
    CHECK(call(server, "DELETE", k_rollouts + "/b").status == 404);

    // Dry run deletes nothing; preconditions are checked.
    CHECK(call(server, "DELETE", k_replicasets + "/b-1?dryRun=All").status == 200);
    CHECK(call(server, "GET", k_replicasets + "/b-1").status == 200);
    auto precondition = call(server, "DELETE", k_replicasets + "/b-1",
                             json{{"preconditions", {{"uid", "not-it"}}}});
    CHECK(precondition.status == 409);

    // deletecollection with a label selector.
    for (const char* name : {"c1", "c2", "c3"}) {
        REQUIRE(call(server, "POST", "/api/v1/namespaces/default/configmaps",
                     json{{"metadata",
                           {{"name", name},
                            {"labels", {{"drop", std::string(name) == "c3" ? "no" : "yes"}}}}}})
                    .status == 201);
    }
    auto collection =
        call(server, "DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=drop%3Dyes");
    CHECK(collection.status == 200);
    CHECK(collection.body["items"].size() == 2);
    CHECK(call(server, "GET", "/api/v1/namespaces/default/configmaps").body["items"].size() == 1);

    // Namespaces: deleting one deletes what is in it.
    REQUIRE(
        call(server, "POST", "/api/v1/namespaces", json{{"metadata", {{"name", "team"}}}}).status ==
        201);
    REQUIRE(
        call(server, "POST", "/apis/argoproj.io/v1alpha1/namespaces/team/rollouts", rollout("t"))
            .status == 201);
    CHECK(call(server, "DELETE", "/api/v1/namespaces/team").status == 200);
    CHECK(call(server, "GET", "/api/v1/namespaces/team").status == 404);
    CHECK(call(server, "GET", "/apis/argoproj.io/v1alpha1/rollouts").body["items"].empty());
    auto protected_ns = call(server, "DELETE", "/api/v1/namespaces/default");
    CHECK(protected_ns.status == 403);
    CHECK(protected_ns.body["message"] ==
          "namespaces \"default\" is forbidden: this namespace may not be deleted");
    CHECK(call(server, "DELETE", "/api/v1/namespaces").status == 405);
}

TEST_CASE("watch streams events from a resourceVersion", "[sim]") {
    ApiServer server("nova");
    auto list = call(server, "GET", k_rollouts);
    const std::string rv = list.body["metadata"]["resourceVersion"];
    WatchClient watch(server, k_rollouts + "?watch=true&resourceVersion=" + rv);
    REQUIRE(watch.status == 200);

    auto a = call(server, "POST", k_rollouts, rollout("a")).body;
    auto a2 = call(server, "PATCH", k_rollouts + "/a", json{{"spec", {{"paused", true}}}},
                   "application/merge-patch+json")
                  .body;
    REQUIRE(call(server, "DELETE", k_rollouts + "/a").status == 200);
    // Other kinds and namespaces are not part of this watch.
    REQUIRE(call(server, "POST", "/api/v1/namespaces/default/configmaps",
                 json{{"metadata", {{"name", "c"}}}})
                .status == 201);
    auto events = watch.wait_for(3);
    REQUIRE(events.size() == 3);
    CHECK(types_of(events) == std::vector<std::string>{"ADDED", "MODIFIED", "DELETED"});
    CHECK(events[0]["object"]["metadata"]["uid"] == a["metadata"]["uid"]);
    CHECK(events[0]["object"]["kind"] == "Rollout");
    CHECK(events[1]["object"]["spec"]["paused"] == true);
    CHECK(events[1]["object"]["metadata"]["resourceVersion"] == a2["metadata"]["resourceVersion"]);
    CHECK(std::stoull(events[2]["object"]["metadata"]["resourceVersion"].get<std::string>()) >
          std::stoull(a2["metadata"]["resourceVersion"].get<std::string>()));

    // Watching again from the list version replays the same history.
    WatchClient replay(server, k_rollouts + "?watch=1&resourceVersion=" + rv);
    CHECK(types_of(replay.wait_for(3)) == std::vector<std::string>{"ADDED", "MODIFIED", "DELETED"});
}

TEST_CASE("watch from 0 starts with the current objects", "[sim]") {
    ApiServer server("nova");
    REQUIRE(call(server, "POST", k_rollouts, rollout("a")).status == 201);
    REQUIRE(call(server, "POST", k_rollouts, rollout("b")).status == 201);
    WatchClient watch(server, k_rollouts + "?watch=true&resourceVersion=0");
    auto events = watch.wait_for(2);
    REQUIRE(events.size() == 2);
    CHECK(types_of(events) == std::vector<std::string>{"ADDED", "ADDED"});
    CHECK(events[1]["object"]["metadata"]["name"] == "b");
    REQUIRE(call(server, "POST", k_rollouts, rollout("c")).status == 201);
    CHECK(watch.wait_for(3).at(2)["object"]["metadata"]["name"] == "c");

    // A single object, as `kubectl get -w NAME` and `kubectl wait` watch it.
    WatchClient one(server, k_rollouts + "?watch=true&fieldSelector=metadata.name%3Db");
    auto first = one.wait_for(1);
    REQUIRE(first.size() == 1);
    CHECK(first[0]["object"]["metadata"]["name"] == "b");
    REQUIRE(call(server, "PATCH", k_rollouts + "/a", json{{"spec", {{"paused", true}}}},
                 "application/merge-patch+json")
                .status == 200);
    REQUIRE(call(server, "PATCH", k_rollouts + "/b", json{{"spec", {{"paused", true}}}},
                 "application/merge-patch+json")
                .status == 200);
    auto second = one.wait_for(2);
    REQUIRE(second.size() == 2);
    CHECK(second[1]["type"] == "MODIFIED");
    CHECK(second[1]["object"]["metadata"]["name"] == "b");
}

TEST_CASE("watch sends 410 for a version older than the history", "[sim]") {
    ApiServer server("nova");
    server.store().set_history_limit(2);
    const std::string rv = server.store().resource_version();
    for (const char* name : {"a", "b", "c"}) {
        REQUIRE(call(server, "POST", k_rollouts, rollout(name)).status == 201);
    }
    WatchClient watch(server, k_rollouts + "?watch=true&resourceVersion=" + rv);
    auto events = watch.wait_for(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["type"] == "ERROR");
    const json& status = events[0]["object"];
    CHECK(status["kind"] == "Status");
    CHECK(status["code"] == 410);
    CHECK(status["reason"] == "Expired");
    CHECK(
        status["message"].get<std::string>().starts_with("too old resource version: " + rv + " ("));
    CHECK(watch.wait_done(std::chrono::seconds(2)));
}

TEST_CASE("watch applies selectors with transitions", "[sim]") {
    ApiServer server("nova");
    REQUIRE(call(server, "POST", k_rollouts, rollout("a", {{"track", "canary"}})).status == 201);
    const std::string rv = server.store().resource_version();
    WatchClient watch(server, k_rollouts +
                                  "?watch=true&labelSelector=track%3Dstable&"
                                  "resourceVersion=" +
                                  rv);
    const auto relabel = [&](const std::string& track) {
        REQUIRE(call(server, "PATCH", k_rollouts + "/a",
                     json{{"metadata", {{"labels", {{"track", track}}}}}},
                     "application/merge-patch+json")
                    .status == 200);
    };
    relabel("stable");  // starts matching: ADDED
    relabel("canary");  // stops matching: DELETED
    relabel("preview"); // matches neither before nor after: nothing
    relabel("stable");  // ADDED again
    auto events = watch.wait_for(3);
    REQUIRE(events.size() == 3);
    CHECK(types_of(events) == std::vector<std::string>{"ADDED", "DELETED", "ADDED"});
    // The DELETED object is the last one that matched, at the version of the change.
    CHECK(events[1]["object"]["metadata"]["labels"]["track"] == "stable");
    CHECK(std::stoull(events[1]["object"]["metadata"]["resourceVersion"].get<std::string>()) >
          std::stoull(events[0]["object"]["metadata"]["resourceVersion"].get<std::string>()));
}

TEST_CASE("watch ends on timeoutSeconds with a bookmark, and on drop_watches", "[sim]") {
    ApiServer server("nova");
    const auto start = std::chrono::steady_clock::now();
    WatchClient timed(server, k_rollouts + "?watch=true&timeoutSeconds=1&allowWatchBookmarks=true");
    REQUIRE(timed.wait_done(std::chrono::seconds(4)));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= std::chrono::milliseconds(900));
    auto events = timed.events();
    REQUIRE_FALSE(events.empty());
    CHECK(events.back()["type"] == "BOOKMARK");
    CHECK(events.back()["object"]["kind"] == "Rollout");
    CHECK(events.back()["object"]["metadata"]["resourceVersion"] ==
          server.store().resource_version());

    WatchClient dropped(server, k_rollouts + "?watch=true");
    CHECK_FALSE(dropped.wait_done(std::chrono::milliseconds(200)));
    server.drop_watches();
    CHECK(dropped.wait_done(std::chrono::seconds(2)));
    // New watches work after a drop.
    WatchClient after(server, k_rollouts + "?watch=true");
    REQUIRE(call(server, "POST", k_rollouts, rollout("a")).status == 201);
    CHECK(after.wait_for(1).size() == 1);

    auto invalid = call(server, "GET", k_rollouts + "?watch=true&sendInitialEvents=true");
    CHECK(invalid.status == 422);
}

TEST_CASE("tables give kubectl its columns", "[sim]") {
    ApiServer server("nova");
    const std::string table_accept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
        "g=meta.k8s.io,application/json";
    json ro = rollout("a");
    REQUIRE(call(server, "POST", k_rollouts, ro).status == 201);
    REQUIRE(
        call(server, "PATCH", k_rollouts + "/a/status",
             json{{"status", {{"replicas", 3}, {"updatedReplicas", 1}, {"availableReplicas", 2}}}},
             "application/merge-patch+json")
            .status == 200);
    auto t = call(server, "GET", k_rollouts, nullptr, "", table_accept);
    REQUIRE(t.status == 200);
    CHECK(t.body["kind"] == "Table");
    CHECK(t.body["apiVersion"] == "meta.k8s.io/v1");
    std::vector<std::string> columns;
    for (const auto& c : t.body["columnDefinitions"]) {
        columns.push_back(c["name"]);
    }
    CHECK(columns ==
          std::vector<std::string>{"Name", "Desired", "Current", "Up-to-date", "Available", "Age"});
    REQUIRE(t.body["rows"].size() == 1);
    const json cells = t.body["rows"][0]["cells"];
    CHECK(cells[0] == "a");
    CHECK(cells[1] == 3);
    CHECK(cells[2] == 3);
    CHECK(cells[3] == 1);
    CHECK(cells[4] == 2);
    // Created just now; a slow run (sanitizers) may cross a second boundary.
    CHECK((cells[5] == "0s" || cells[5] == "1s"));
    CHECK(t.body["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
    CHECK(t.body["rows"][0]["object"]["metadata"]["name"] == "a");

    auto with_object =
        call(server, "GET", k_rollouts + "/a?includeObject=Object", nullptr, "", table_accept);
    CHECK(with_object.body["rows"][0]["object"]["spec"]["replicas"] == 3);

    json cluster = {{"apiVersion", "cluster.elotl.co/v1alpha1"},
                    {"kind", "Cluster"},
                    {"metadata", {{"name", "wlc-1"}}},
                    {"spec",
                     {{"name", "wlc-1"},
                      {"kubernetesversion", "v1.29.0"},
                      {"kubernetescluster", "kind-wlc-1"},
                      {"region", "us-east-1"},
                      {"zone", "us-east-1a"}}},
                    {"status",
                     {{"conditions", json::array({{{"type", "Ready"}, {"status", "True"}},
                                                  {{"type", "Idle"}, {"status", "False"}},
                                                  {{"type", "Standby"}, {"status", "False"}}})}}}};
    server.load(cluster);
    auto ct =
        call(server, "GET", "/apis/cluster.elotl.co/v1alpha1/clusters", nullptr, "", table_accept);
    std::vector<std::string> cluster_columns;
    for (const auto& c : ct.body["columnDefinitions"]) {
        if (c["priority"] == 0) {
            cluster_columns.push_back(c["name"]);
        }
    }
    CHECK(cluster_columns == std::vector<std::string>{"Name", "K8s-Version", "K8s-Cluster",
                                                      "Region", "Zone", "Ready", "Idle",
                                                      "Standby"});
    CHECK(ct.body["rows"][0]["cells"] ==
          json::array({"wlc-1", "v1.29.0", "kind-wlc-1", nullptr, nullptr, "us-east-1",
                       "us-east-1a", "True", "False", "False"}));

    json pod = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", "p"}, {"namespace", "default"}}},
                {"spec", {{"containers", json::array({{{"name", "a"}}, {{"name", "b"}}})}}},
                {"status",
                 {{"phase", "Running"},
                  {"containerStatuses",
                   json::array({{{"name", "a"},
                                 {"ready", true},
                                 {"restartCount", 1},
                                 {"state", {{"running", json::object()}}}},
                                {{"name", "b"},
                                 {"ready", false},
                                 {"restartCount", 2},
                                 {"state", {{"waiting", {{"reason", "ImagePullBackOff"}}}}}}})}}}};
    server.load(pod);
    auto pt = call(server, "GET", k_pods + "/p", nullptr, "", table_accept);
    const json pod_cells = pt.body["rows"][0]["cells"];
    CHECK(pod_cells[0] == "p");
    CHECK(pod_cells[1] == "1/2");
    CHECK(pod_cells[2] == "ImagePullBackOff");
    CHECK(pod_cells[3] == "3");

    // PodTemplates (a rollout's workloadRef may name one): stored, patched at /template, and
    // listed with kube-apiserver's columns.
    const std::string k_podtemplates = "/api/v1/namespaces/default/podtemplates";
    json pod_template = {
        {"apiVersion", "v1"},
        {"kind", "PodTemplate"},
        {"metadata", {{"name", "pt"}}},
        {"template",
         {{"metadata", {{"labels", {{"app", "demo"}, {"tier", "web"}}}}},
          {"spec",
           {{"containers", json::array({{{"name", "a"}, {"image", "demo:blue"}},
                                        {{"name", "b"}, {"image", "envoy:1"}}})}}}}}};
    REQUIRE(call(server, "POST", k_podtemplates, pod_template).status == 201);
    REQUIRE(call(server, "PATCH", k_podtemplates + "/pt",
                 json::array({{{"op", "replace"},
                               {"path", "/template/spec/containers/0/image"},
                               {"value", "demo:green"}}}),
                 "application/json-patch+json")
                .status == 200);
    CHECK(call(server, "GET", k_podtemplates + "/pt")
              .body["template"]["spec"]["containers"][0]["image"] == "demo:green");
    auto templates = call(server, "GET", k_podtemplates, nullptr, "", table_accept);
    std::vector<std::string> template_columns;
    for (const auto& c : templates.body["columnDefinitions"]) {
        template_columns.push_back(c["name"]);
    }
    CHECK(template_columns ==
          std::vector<std::string>{"Name", "Containers", "Images", "Pod Labels"});
    CHECK(templates.body["rows"][0]["cells"] ==
          json::array({"pt", "a,b", "demo:green,envoy:1", "app=demo,tier=web"}));

    auto plain =
        call(server, "GET", "/api/v1/namespaces/default/configmaps", nullptr, "", table_accept);
    CHECK(plain.body["columnDefinitions"].size() == 3); // Name, Data, Age

    auto refused =
        call(server, "GET", k_rollouts, nullptr, "", "application/vnd.kubernetes.protobuf");
    CHECK(refused.status == 406);
    CHECK(refused.body["reason"] == "NotAcceptable");
}

TEST_CASE("load keeps objects as written", "[sim]") {
    ApiServer server("nova");
    json rs = {{"apiVersion", "apps/v1"},
               {"kind", "ReplicaSet"},
               {"metadata",
                {{"name", "rs"},
                 {"namespace", "fixtures"},
                 {"uid", "11111111-2222-4333-8444-555555555555"},
                 {"creationTimestamp", "2024-05-01T10:00:00Z"}}},
               {"spec", {{"replicas", 2}}},
               {"status", {{"replicas", 2}, {"availableReplicas", 2}}}};
    server.load(rs);
    auto got = call(server, "GET", "/apis/apps/v1/namespaces/fixtures/replicasets/rs");
    REQUIRE(got.status == 200);
    CHECK(got.body["metadata"]["uid"] == "11111111-2222-4333-8444-555555555555");
    CHECK(got.body["metadata"]["creationTimestamp"] == "2024-05-01T10:00:00Z");
    CHECK(got.body["status"]["availableReplicas"] == 2);
    CHECK(!got.body["metadata"]["resourceVersion"].get<std::string>().empty());
    // The namespace was made for it.
    CHECK(call(server, "GET", "/api/v1/namespaces/fixtures").status == 200);
    CHECK_THROWS_AS(server.load(rs), nova::core::Error);
    CHECK_THROWS_WITH(
        server.load(json{{"apiVersion", "v9"}, {"kind", "Nope"}, {"metadata", {{"name", "x"}}}}),
        Catch::Contains("Nope") && Catch::Contains("nova"));
}

TEST_CASE("request_info reads verb, resource, name and namespace as the apiserver does", "[sim]") {
    const auto info = [](const std::string& method, const std::string& target) {
        return nova::sim::request_info(make_request(method, target));
    };
    const auto status = info("PATCH", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/"
                                      "demo/status");
    CHECK(status.resource_request);
    CHECK(status.verb == "patch");
    CHECK(status.group == "argoproj.io");
    CHECK(status.version == "v1alpha1");
    CHECK(status.ns == "default");
    CHECK(status.resource == "rollouts");
    CHECK(status.name == "demo");
    CHECK(status.subresource == "status");

    CHECK(info("GET", "/api/v1/namespaces/default/pods/p").verb == "get");
    CHECK(info("GET", "/api/v1/namespaces/default/pods").verb == "list");
    CHECK(info("GET", "/api/v1/pods?watch=true").verb == "watch");
    CHECK(info("GET", "/api/v1/watch/namespaces/default/pods/p").verb == "watch");
    CHECK(info("POST", "/api/v1/namespaces/default/pods").verb == "create");
    CHECK(info("PUT", "/api/v1/namespaces/default/pods/p").verb == "update");
    CHECK(info("DELETE", "/api/v1/namespaces/default/pods/p").verb == "delete");
    CHECK(info("DELETE", "/api/v1/namespaces/default/pods").verb == "deletecollection");
    // An informer for one object lists and watches by field selector: the name is its.
    const auto one = info("GET", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts"
                                 "?fieldSelector=metadata.name%3Ddemo&watch=1");
    CHECK(one.verb == "watch");
    CHECK(one.name == "demo");

    // The Namespace object is "in" itself; its status is a subresource, not a resource.
    const auto ns = info("PUT", "/api/v1/namespaces/team/status");
    CHECK(ns.resource == "namespaces");
    CHECK(ns.name == "team");
    CHECK(ns.subresource == "status");
    CHECK(ns.ns == "team");
    CHECK(info("GET", "/api/v1/nodes/n1").ns.empty());

    for (const char* path :
         {"/version", "/api", "/api/v1", "/apis", "/apis/argoproj.io/v1alpha1", "/healthz"}) {
        const auto discovery = info("GET", path);
        CHECK_FALSE(discovery.resource_request);
        CHECK(discovery.verb == "get");
        CHECK(discovery.path == path);
    }
    CHECK(info("POST", "/version").verb == "post");
}

TEST_CASE("a denied request's 403 is worded as kube-apiserver's", "[sim]") {
    const auto deny = [](const std::string& method, const std::string& target) {
        return nova::sim::forbidden(nova::sim::request_info(make_request(method, target)),
                                    "system:serviceaccount:default:nova");
    };
    const auto patch =
        deny("PATCH", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo/status");
    CHECK(patch.code == 403);
    CHECK(patch.reason == "Forbidden");
    CHECK(patch.message ==
          R"(rollouts.argoproj.io "demo" is forbidden: User "system:serviceaccount:default:nova" )"
          R"(cannot patch resource "rollouts/status" in API group "argoproj.io" in the )"
          R"(namespace "default")");
    CHECK(patch.details == json{{"name", "demo"}, {"group", "argoproj.io"}, {"kind", "rollouts"}});

    const auto list = deny("GET", "/api/v1/namespaces/default/pods");
    CHECK(list.message == R"(pods is forbidden: User "system:serviceaccount:default:nova" )"
                          R"(cannot list resource "pods" in API group "" in the namespace )"
                          R"("default")");
    CHECK(list.details == json{{"kind", "pods"}});

    CHECK(deny("DELETE", "/apis/cluster.elotl.co/v1alpha1/clusters/kind-workload-1").message ==
          R"(clusters.cluster.elotl.co "kind-workload-1" is forbidden: User )"
          R"("system:serviceaccount:default:nova" cannot delete resource "clusters" in API )"
          R"(group "cluster.elotl.co" at the cluster scope)");

    const auto version = deny("GET", "/version");
    CHECK(version.message ==
          R"(forbidden: User "system:serviceaccount:default:nova" cannot get path "/version")");
    CHECK(version.details == json::object());
}
