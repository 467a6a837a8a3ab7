#include "lib/core/error.hpp"
#include "lib/rollouts/set_image.hpp"
#include "lib/rollouts/workload_ref.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace nova::rollouts;
using nlohmann::json;
using nova::core::Error;
using nova::core::ExitCode;

namespace {

json demo_rollout() {
    return R"({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "demo", "resourceVersion": "7"},
        "spec": {
            "futureField": {"kept": true},
            "template": {"spec": {
                "initContainers": [{"name": "setup", "image": "busybox:1"}],
                "containers": [{"name": "demo", "image": "demo:blue", "ports": [{"containerPort": 8080}]},
                               {"name": "sidecar", "image": "envoy:1"}],
                "ephemeralContainers": [{"name": "debug", "image": "busybox:1"}]
            }}
        }
    })"_json;
}

std::string image_of(const json& object, const char* list, std::size_t index) {
    return object["spec"]["template"]["spec"][list][index]["image"].get<std::string>();
}

std::string usage_error(const std::string& text) {
    try {
        (void)parse_image_assignment(text);
    } catch (const Error& error) {
        CHECK(error.code() == ExitCode::usage);
        return error.what();
    }
    FAIL("no error for " << text);
    return {};
}

std::string error_of(const json& rollout) {
    try {
        (void)set_image_deployment(rollout);
    } catch (const Error& error) {
        CHECK(error.code() == ExitCode::failure);
        return error.what();
    }
    FAIL("no error for " << rollout.dump());
    return {};
}

} // namespace

TEST_CASE("set image: CONTAINER=IMAGE arguments", "[rollouts]") {
    CHECK(parse_image_assignment("demo=argoproj/rollouts-demo:yellow") ==
          ImageAssignment{"demo", "argoproj/rollouts-demo:yellow"});
    CHECK(parse_image_assignment("*=nginx") == ImageAssignment{"*", "nginx"});
    CHECK(parse_image_assignment("web=localhost:5000/web@sha256:" + std::string(64, '0')).image ==
          "localhost:5000/web@sha256:" + std::string(64, '0'));
    CHECK(usage_error("demo") == R"(expected CONTAINER=IMAGE, got "demo")");
    CHECK(usage_error("=nginx") ==
          R"(expected CONTAINER=IMAGE with both sides given, got "=nginx")");
    CHECK(usage_error("demo=") == R"(expected CONTAINER=IMAGE with both sides given, got "demo=")");
    CHECK(usage_error("demo=Nginx:1") ==
          R"(invalid image "Nginx:1" for container "demo": repository name must be lowercase)");
    CHECK(usage_error("demo=nginx=1") ==
          R"(invalid image "nginx=1" for container "demo": invalid reference format)");
    CHECK(usage_error("demo=nginx:") ==
          R"(invalid image "nginx:" for container "demo": invalid reference format)");
}

TEST_CASE("set image: one container by name, the rest of the object untouched", "[rollouts]") {
    const auto update = set_images(demo_rollout(), {{"demo", "demo:yellow"}});
    CHECK(update.unmatched.empty());
    auto expected = demo_rollout();
    expected["spec"]["template"]["spec"]["containers"][0]["image"] = "demo:yellow";
    CHECK(update.object == expected);
}

TEST_CASE("set image: init, regular and ephemeral containers, several pairs", "[rollouts]") {
    const auto update = set_images(
        demo_rollout(), {{"setup", "busybox:2"}, {"sidecar", "envoy:2"}, {"debug", "alpine"}});
    CHECK(update.unmatched.empty());
    CHECK(image_of(update.object, "initContainers", 0) == "busybox:2");
    CHECK(image_of(update.object, "containers", 0) == "demo:blue");
    CHECK(image_of(update.object, "containers", 1) == "envoy:2");
    CHECK(image_of(update.object, "ephemeralContainers", 0) == "alpine");
}

TEST_CASE("set image: * sets every container, a later pair wins", "[rollouts]") {
    const auto update = set_images(demo_rollout(), {{"*", "all:1"}, {"demo", "demo:green"}});
    CHECK(update.unmatched.empty());
    CHECK(image_of(update.object, "initContainers", 0) == "all:1");
    CHECK(image_of(update.object, "containers", 0) == "demo:green");
    CHECK(image_of(update.object, "containers", 1) == "all:1");
    CHECK(image_of(update.object, "ephemeralContainers", 0) == "all:1");
}

TEST_CASE("set image: pairs that match no container are reported", "[rollouts]") {
    const auto update =
        set_images(demo_rollout(), {{"nope", "x"}, {"demo", "demo:green"}, {"other", "y"}});
    CHECK(update.unmatched == std::vector<std::string>{"nope", "other"});
    CHECK(unmatched_message({"nope"}) == R"(unable to find container named "nope")");
    CHECK(unmatched_message(update.unmatched) ==
          R"(unable to find containers named "nope", "other")");
    CHECK(unmatched_message({}).empty());
    // No template, a template of the wrong shape: nothing matches, nothing breaks.
    CHECK(set_images(json::object(), {{"*", "x"}}).unmatched.size() == 1);
    CHECK(set_images(R"({"spec": {"template": {"spec": {"containers": "x"}}}})"_json, {{"*", "x"}})
              .unmatched.size() == 1);
    CHECK(
        set_images(R"({"spec": {"template": {"spec": {"containers": [3, {"image": "a"}]}}}})"_json,
                   {{"*", "b"}})
            .object["spec"]["template"]["spec"]["containers"][1]["image"] == "b");
}

TEST_CASE("set image: a workloadRef Deployment is what gets updated", "[rollouts]") {
    CHECK_FALSE(set_image_deployment(demo_rollout()));
    auto rollout = demo_rollout();
    rollout["spec"]["workloadRef"] = R"({"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": "web"})"_json;
    CHECK(set_image_deployment(rollout).value().name == "web");
    rollout["spec"]["workloadRef"].erase("apiVersion");
    CHECK(set_image_deployment(rollout).value().name == "web");

    rollout["spec"]["workloadRef"] = R"({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                        "name": "web-rs"})"_json;
    CHECK(error_of(rollout) ==
          R"(rollout "demo" takes its pod template from a ReplicaSet "web-rs" (spec.workloadRef); )"
          R"(set image updates only a referenced Deployment)");
    rollout["spec"]["workloadRef"] = R"({"apiVersion": "extensions/v1beta1", "kind":
                                        "Deployment", "name": "old"})"_json;
    CHECK(error_of(rollout) ==
          R"(rollout "demo" takes its pod template from an extensions/v1beta1 Deployment "old" )"
          R"((spec.workloadRef); set image updates only a referenced Deployment)");
    rollout["spec"]["workloadRef"] = R"({"kind": "Deployment", "name": 3})"_json;
    CHECK(error_of(rollout) == R"(spec.workloadRef.name of rollout "demo" is not a name: 3)");
}

TEST_CASE("workload references: kinds, descriptions and template locations", "[rollouts]") {
    const auto reference = [](const json& workload_ref) {
        return workload_reference(json{{"spec", {{"workloadRef", workload_ref}}}});
    };
    CHECK_FALSE(workload_reference(json::object()));
    CHECK_FALSE(workload_reference(R"({"spec": {"workloadRef": null}})"_json));

    const auto deployment = reference({{"kind", "Deployment"}, {"name", "web"}});
    REQUIRE(deployment);
    CHECK(deployment->kind == WorkloadReference::Kind::deployment);
    CHECK(deployment->describe() == R"(a Deployment "web")");
    CHECK(deployment->template_pointer() == "/spec/template");

    const auto replica_set =
        reference({{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"name", "web"}});
    REQUIRE(replica_set);
    CHECK(replica_set->kind == WorkloadReference::Kind::replica_set);

    const auto pod_template =
        reference({{"apiVersion", "v1"}, {"kind", "PodTemplate"}, {"name", "tpl"}});
    REQUIRE(pod_template);
    CHECK(pod_template->kind == WorkloadReference::Kind::pod_template);
    CHECK(pod_template->template_pointer() == "/template");
    const json tpl = R"({"template": {"spec": {"containers": []}}})"_json;
    REQUIRE(pod_template->find_template(tpl) != nullptr);
    CHECK(*pod_template->find_template(tpl) == tpl["template"]);
    CHECK(deployment->find_template(tpl) == nullptr);

    const auto stateful =
        reference({{"apiVersion", "apps/v1"}, {"kind", "StatefulSet"}, {"name", "db"}});
    REQUIRE(stateful);
    CHECK(stateful->kind == WorkloadReference::Kind::other);
    CHECK(stateful->describe() == R"(an apps/v1 StatefulSet "db")");
    CHECK(reference({{"apiVersion", "apps/v1"}, {"kind", "PodTemplate"}, {"name", "x"}})->kind ==
          WorkloadReference::Kind::other);
    CHECK(reference({{"name", "x"}})->describe() == R"(a workload "x")");
    CHECK_THROWS_AS(reference({{"kind", "Deployment"}}), Error);
    CHECK_THROWS_AS(reference({{"kind", "Deployment"}, {"name", ""}}), Error);
}

TEST_CASE("workload references: a name that would change the URL is refused", "[rollouts]") {
    const auto message = [](const std::string& name) -> std::string {
        try {
            (void)workload_reference(
                json{{"metadata", {{"name", "demo"}}},
                     {"spec", {{"workloadRef", {{"kind", "Deployment"}, {"name", name}}}}}});
        } catch (const Error& error) {
            CHECK(error.code() == nova::core::ExitCode::failure);
            return error.what();
        }
        return "";
    };
    CHECK(message("web/status") ==
          R"(rollout "demo": invalid spec.workloadRef.name "web/status": may not contain '/')");
    CHECK(message("") == R"(rollout "demo": invalid spec.workloadRef.name "": must not be empty)");
    CHECK(message("..") ==
          R"(rollout "demo": invalid spec.workloadRef.name "..": may not be '..')");
    CHECK(
        message("web?dryRun=All")
            .starts_with(
                R"(rollout "demo": invalid spec.workloadRef.name "web?dryRun=All": must consist of )"));
    CHECK(message("web.v2").empty());
}

TEST_CASE("workload references: the kind and a missing object are named", "[rollouts]") {
    const auto reference = [](const json& workload_ref) {
        return workload_reference(
            json{{"metadata", {{"name", "demo"}}}, {"spec", {{"workloadRef", workload_ref}}}});
    };
    const auto pod_template = reference({{"kind", "PodTemplate"}, {"name", "pt"}});
    REQUIRE(pod_template);
    CHECK(pod_template->lower_kind() == "podtemplate");
    CHECK(pod_template->not_found_message("demo") ==
          R"(podtemplate "pt" (the workloadRef of rollout "demo") not found)");
    CHECK(reference({{"kind", "Deployment"}, {"name", "web"}})->not_found_message("x") ==
          R"(deployment "web" (the workloadRef of rollout "x") not found)");
    // Fields of the wrong type are refused, not read as "".
    CHECK_THROWS_WITH(reference({{"kind", 5}, {"name", "web"}}),
                      R"(invalid rollout "demo": spec.workloadRef.kind must be a string, not 5)");
    CHECK_THROWS_WITH(
        reference({{"kind", "Deployment"}, {"apiVersion", true}, {"name", "web"}}),
        R"(invalid rollout "demo": spec.workloadRef.apiVersion must be a string, not true)");
    CHECK_THROWS_WITH(reference("web"),
                      R"(invalid rollout "demo": spec.workloadRef must be an object, not "web")");
    // A template that is not an object.
    CHECK_THROWS_WITH(pod_template->find_template(R"({"template": [1]})"_json),
                      R"(invalid podtemplate "pt": template must be an object, not [1])");
    CHECK_THROWS_WITH(reference({{"kind", "Deployment"}, {"name", "web"}})
                          ->find_template(R"({"spec": "x"})"_json),
                      R"(invalid deployment "web": spec must be an object, not "x")");
}

TEST_CASE("set image: containers of the wrong type are refused, not reported missing",
          "[rollouts]") {
    const auto refused = [](const json& object) -> std::string {
        try {
            check_containers(object, R"(rollout "demo")");
        } catch (const Error& error) {
            CHECK(error.code() == ExitCode::failure);
            return error.what();
        }
        return "no error";
    };
    CHECK(refused(demo_rollout()) == "no error");
    CHECK(refused(json::object()) == "no error");
    json object = demo_rollout();
    object["spec"]["template"]["spec"]["containers"] = "demo";
    CHECK(refused(object) ==
          R"(invalid rollout "demo": spec.template.spec.containers must be a list, not "demo")");
    object = demo_rollout();
    object["spec"]["template"]["spec"]["initContainers"] = json::array({1});
    CHECK(
        refused(object) ==
        R"(invalid rollout "demo": spec.template.spec.initContainers[0] must be an object, not 1)");
    object = demo_rollout();
    object["spec"]["template"]["spec"]["ephemeralContainers"] = json::array({{{"name", 7}}});
    CHECK(
        refused(object) ==
        R"(invalid rollout "demo": spec.template.spec.ephemeralContainers[0].name must be a string, not 7)");
    // A long value is cut short, as every strict field's is.
    object = demo_rollout();
    object["spec"]["template"]["spec"]["containers"][0]["name"] = json::array();
    for (int i = 0; i < 50; ++i) {
        object["spec"]["template"]["spec"]["containers"][0]["name"].push_back(1000 + i);
    }
    CHECK(refused(object) == "invalid rollout \"demo\": spec.template.spec.containers[0].name must "
                             "be a string, not [1000,1001,1002,1003,1004,1005,1006,1007...");
    object = demo_rollout();
    object["spec"]["template"] = "x";
    CHECK(refused(object) == R"(invalid rollout "demo": spec.template must be an object, not "x")");
}
