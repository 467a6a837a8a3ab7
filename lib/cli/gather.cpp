#include "lib/cli/gather.hpp"

#include "lib/core/error.hpp"
#include "lib/core/label_selector.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/file_read.hpp"
#include "lib/kube/wire.hpp"
#include "lib/nova/cluster.hpp"
#include "lib/rollouts/experiment_info.hpp"
#include "lib/rollouts/rollout_info.hpp"
#include "version_info.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

namespace nova::cli {

using kube::SteadyClock;
using nlohmann::json;

Connection connect(const kube::Overrides& overrides) {
    Connection connection;
    connection.env = kube::Environment::process();
    connection.overrides = overrides;
    connection.kubeconfig = kube::load_kubeconfig(overrides, connection.env);
    connection.control_plane = std::make_shared<const kube::RestConfig>(
        kube::resolve(connection.kubeconfig, overrides, connection.env));
    connection.namespace_name = connection.control_plane->namespace_name;
    if (connection.namespace_name.empty()) {
        connection.namespace_name = "default";
    }
    return connection;
}

void add_cluster_flags(CLI::App& command, ClusterFlags& flags) {
    command
        .add_option("--cluster-context", flags.cluster_contexts,
                    "Kubeconfig context of a workload cluster (repeatable); overrides "
                    "NOVA_ROLLOUTS_CLUSTER_CONTEXTS, the config file and the same-name default")
        ->type_name("NAME=CONTEXT")
        ->take_all()
        ->expected(1);
    command
        .add_option("--workload-contexts", flags.workload_contexts,
                    "Read these contexts as the workload clusters, without Nova's Cluster "
                    "objects")
        ->type_name("CONTEXT,...")
        ->take_all()
        ->expected(1);
}

std::unique_ptr<kube::Client> make_client(const Connection& connection) {
    kube::ClientOptions options;
    options.version = std::string("v") + NOVA_VERSION;
    options.verbosity = connection.overrides.verbosity;
    return std::make_unique<kube::Client>(std::move(options));
}

namespace {

constexpr const char* argo_api = "/apis/argoproj.io/v1alpha1";
constexpr const char* clusters_path = nova_clusters_path;
constexpr const char* policies_path = "/apis/policy.elotl.co/v1alpha1/schedulepolicies";

std::string namespaced(std::string_view api, const std::string& namespace_name,
                       std::string_view resource) {
    return std::string(api) + "/namespaces/" + namespace_name + "/" + std::string(resource);
}

std::string rollouts_path(const std::string& namespace_name) {
    return namespace_name.empty() ? std::string(argo_api) + "/rollouts"
                                  : namespaced(argo_api, namespace_name, "rollouts");
}

// Where a collection's objects go.
enum class Bucket {
    rollouts,
    replica_sets,
    pods,
    analysis_runs,
    experiments,
    clusters,
    deployment,
    job_pods,
    schedule_policies,
    namespaces,
    jobs
};

// List items come without kind; the model (and the watch events) have it.
const char* kind_of(Bucket bucket) {
    switch (bucket) {
    case Bucket::rollouts:
        return "Rollout";
    case Bucket::replica_sets:
        return "ReplicaSet";
    case Bucket::pods:
    case Bucket::job_pods:
        return "Pod";
    case Bucket::analysis_runs:
        return "AnalysisRun";
    case Bucket::experiments:
        return "Experiment";
    case Bucket::clusters:
        return "Cluster";
    case Bucket::deployment:
        return "Deployment";
    case Bucket::schedule_policies:
        return "SchedulePolicy";
    case Bucket::namespaces:
        return "Namespace";
    case Bucket::jobs:
        return "Job";
    }
    return "";
}

// One collection being read: listed once, then watched from the list's resourceVersion.
struct Collection {
    Bucket bucket = Bucket::pods;
    int cluster = -1; // index into the cluster states; -1: the control plane
    std::shared_ptr<const kube::RestConfig> config;
    std::string path;
    bool single = false; // a GET of one object (the Deployment): never watched
    std::optional<std::chrono::milliseconds> timeout; // a workload cluster's round
    std::vector<json> items;
    std::string resource_version;
    bool watchable = false; // listed, and its watch has not failed for good
};

void set_kind(json& object, Bucket bucket) {
    if (object.is_object() && !object.contains("kind")) {
        object["kind"] = kind_of(bucket);
    }
}

// Fills `collection` from its LIST (or GET) reply.
void take_list(Collection& collection, const json& reply) {
    collection.items.clear();
    if (collection.single) {
        if (reply.is_object()) {
            collection.items.push_back(reply);
            set_kind(collection.items.back(), collection.bucket);
        }
        return;
    }
    if (const auto items = reply.find("items"); items != reply.end() && items->is_array()) {
        for (const auto& item : *items) {
            collection.items.push_back(item);
            set_kind(collection.items.back(), collection.bucket);
        }
    }
    collection.resource_version = kube::resource_version_of(reply);
    collection.watchable = true;
}

void take_list(Collection& collection, const kube::Response& response) {
    take_list(collection, response.json);
}

kube::Request request_for(const Collection& collection) {
    kube::Request request = kube::Request::get(collection.config, collection.path);
    request.timeout = collection.timeout;
    return request;
}

std::string uid_of(const json& object) {
    const auto& meta = object.value("metadata", json::object());
    const auto uid = meta.value("uid", std::string());
    return uid.empty()
               ? meta.value("namespace", std::string()) + "/" + meta.value("name", std::string())
               : uid;
}

// Applies one watch event to the collection's objects; false when nothing changed.
bool apply_event(Collection& collection, const kube::WatchEvent& event) {
    if (event.type != kube::EventType::added && event.type != kube::EventType::modified &&
        event.type != kube::EventType::deleted) {
        return false;
    }
    const std::string uid = uid_of(event.object);
    auto it = std::find_if(collection.items.begin(), collection.items.end(),
                           [&](const json& item) { return uid_of(item) == uid; });
    if (event.type == kube::EventType::deleted) {
        if (it == collection.items.end()) {
            return false;
        }
        collection.items.erase(it);
        return true;
    }
    json object = event.object;
    set_kind(object, collection.bucket);
    if (it == collection.items.end()) {
        collection.items.push_back(std::move(object));
    } else if (*it == object) {
        return false;
    } else {
        *it = std::move(object);
    }
    return true;
}

// A rollout's or experiment template's selector in its string form; "" when it has none that
// can select anything narrower than the whole namespace (never list every pod).
std::string selector_text(const json& selector) {
    try {
        const auto parsed = core::LabelSelector::from_json(selector);
        return parsed.empty() ? std::string() : parsed.to_string();
    } catch (const core::Error&) {
        return {};
    }
}

// status.selector ("app=demo") in its canonical string form; "" when absent, invalid or empty.
std::string status_selector_text(const json& rollout) {
    const auto status = rollout.value("status", json::object());
    const auto found = status.is_object() ? status.find("selector") : status.end();
    if (!status.is_object() || found == status.end() || !found->is_string()) {
        return {};
    }
    try {
        const auto parsed = core::LabelSelector::parse(found->get<std::string>());
        return parsed.empty() ? std::string() : parsed.to_string();
    } catch (const core::Error&) {
        return {};
    }
}

// What round 2 asks each workload cluster for.
struct Plan {
    std::vector<fleet::ClusterTarget> targets;
    std::vector<std::string> selectors; // ReplicaSets and pods: the rollout's, its experiments'
    std::vector<std::string> job_names; // pods of these analysis Jobs
    bool found = false;                 // the subject exists

    bool operator==(const Plan&) const = default;
};

void add_unique(std::vector<std::string>& values, const std::string& value) {
    if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
    }
}

void add_template_selectors(const json& experiment, std::vector<std::string>& selectors) {
    const auto spec = experiment.value("spec", json::object());
    const auto templates = spec.value("templates", json::array());
    if (!templates.is_array()) {
        return;
    }
    for (const auto& entry : templates) {
        if (entry.is_object() && entry.contains("selector")) {
            add_unique(selectors, selector_text(entry["selector"]));
        }
    }
}

void add_job_names(const std::vector<rollouts::AnalysisRunInfo>& runs,
                   std::vector<std::string>& names) {
    for (const auto& run : runs) {
        for (const auto& job : run.jobs) {
            add_unique(names, job.meta.name);
        }
    }
}

// The selectors and Jobs of the subject, read from the control plane's objects.
void plan_subject(const TreeRequest& request, const rollouts::ObjectSet& objects, Plan& plan) {
    if (request.subject == TreeRequest::Subject::rollout) {
        const json* rollout = rollouts::find_named(objects.rollouts, request.name);
        if (rollout == nullptr) {
            return;
        }
        plan.found = true;
        const auto spec = rollout->value("spec", json::object());
        std::string selector = selector_text(spec.value("selector", json()));
        if (selector.empty()) {
            // A workloadRef rollout has no spec.selector; the controller writes the
            // Deployment's into status.selector (string form), as for the scale subresource.
            selector = status_selector_text(*rollout);
        }
        add_unique(plan.selectors, selector);
        const auto info = rollouts::make_rollout_info(*rollout, objects);
        for (const auto& name : fleet::analysis_job_names(info)) {
            add_unique(plan.job_names, name);
        }
        for (const auto& experiment : info.experiments) {
            if (const json* object =
                    rollouts::find_named(objects.experiments, experiment.meta.name)) {
                add_template_selectors(*object, plan.selectors);
            }
        }
        return;
    }
    const json* experiment = rollouts::find_named(objects.experiments, request.name);
    if (experiment == nullptr) {
        return;
    }
    plan.found = true;
    add_template_selectors(*experiment, plan.selectors);
    add_job_names(rollouts::make_experiment_info(*experiment, objects).analysis_runs,
                  plan.job_names);
}

} // namespace

fleet::ContextSources context_sources(const Connection& connection, const ClusterFlags& flags) {
    fleet::ContextSources sources;
    sources.flag_values = flags.cluster_contexts;
    const auto& getenv = connection.env.getenv;
    sources.environment = getenv(std::string(fleet::cluster_contexts_env));
    const std::string path = fleet::plugin_config_path(getenv("XDG_CONFIG_HOME"), getenv("HOME"));
    std::error_code error;
    if (!path.empty() && std::filesystem::is_regular_file(path, error)) {
        std::string text;
        if (const auto failure = kube::read_file(path, text)) {
            throw core::Error("cannot read the config file: " + failure->message);
        }
        sources.config = fleet::parse_plugin_config(text, path);
    }
    for (const auto& [name, context] : connection.kubeconfig.contexts) {
        sources.kubeconfig_contexts.push_back(name);
    }
    return sources;
}

namespace {

// One workload cluster's round: where it is and whether it answered.
struct ClusterState {
    fleet::ClusterTarget target;
    std::shared_ptr<const kube::RestConfig> config; // null: not asked (unmapped, unresolvable)
    std::string error;                              // why it could not be read
};

} // namespace

struct TreeSource::Impl {
    kube::Client& client;
    const Connection& connection;
    ClusterFlags flags;
    TreeRequest request;
    fleet::ContextSources sources;

    std::vector<Collection> control;       // round 1
    bool nova = false;                     // the control plane serves Nova's clusters
    std::vector<ClusterState> clusters;    // round 2's targets
    std::vector<Collection> cluster_reads; // round 2
    std::optional<Collection> deployment;  // rides along with round 2
    Plan plan;
    TreeData data;

    Impl(kube::Client& client_, const Connection& connection_, ClusterFlags flags_,
         TreeRequest request_)
        : client(client_), connection(connection_), flags(std::move(flags_)),
          request(std::move(request_)) {}

    Collection control_collection(Bucket bucket, std::string path) const {
        Collection collection;
        collection.bucket = bucket;
        collection.config = connection.control_plane;
        collection.path = std::move(path);
        return collection;
    }

    // Round 1: one concurrent round against the control plane. argo lists the whole namespace
    // for these kinds and joins by owner UID (an experiment's ReplicaSets and pods do not carry
    // the rollout's labels), and so do we.
    void read_control_plane() {
        const std::string& ns = connection.namespace_name;
        control.clear();
        if (request.subject == TreeRequest::Subject::rollout) {
            control.push_back(control_collection(
                Bucket::rollouts, kube::append_query(rollouts_path(ns), "fieldSelector",
                                                     "metadata.name=" + request.name)));
        }
        control.push_back(control_collection(Bucket::replica_sets,
                                             namespaced("/apis/apps/v1", ns, "replicasets")));
        control.push_back(control_collection(Bucket::pods, namespaced("/api/v1", ns, "pods")));
        control.push_back(
            control_collection(Bucket::analysis_runs, namespaced(argo_api, ns, "analysisruns")));
        control.push_back(
            control_collection(Bucket::experiments, namespaced(argo_api, ns, "experiments")));
        const bool read_clusters = request.workload_clusters && flags.workload_contexts.empty();
        if (read_clusters) {
            control.push_back(control_collection(Bucket::clusters, clusters_path));
        }
        if (request.placement) {
            control.push_back(control_collection(Bucket::schedule_policies, policies_path));
            control.push_back(control_collection(
                Bucket::namespaces,
                kube::append_query("/api/v1/namespaces", "fieldSelector", "metadata.name=" + ns)));
            control.push_back(
                control_collection(Bucket::jobs, namespaced("/apis/batch/v1", ns, "jobs")));
        }

        std::vector<kube::Request> requests;
        for (const auto& collection : control) {
            requests.push_back(request_for(collection));
        }
        auto results = client.run(std::move(requests));
        nova = false;
        data.clusters_unknown = false;
        data.warnings.clear();
        for (std::size_t i = 0; i < control.size(); ++i) {
            Collection& collection = control[i];
            const kube::Result& result = results[i];
            if (collection.bucket == Bucket::clusters) {
                if (result.ok()) {
                    take_list(collection, result.response());
                    nova = true;
                } else if (!result.error().is_not_found()) {
                    // Without the Cluster objects the clusters are unknown: say so, show the
                    // rest, and exit 5.
                    data.clusters_unknown = true;
                    data.warnings.push_back("cannot read Nova's clusters: " +
                                            result.error().message);
                }
                continue;
            }
            if (collection.bucket == Bucket::schedule_policies && !result.ok() &&
                result.error().is_not_found()) {
                continue; // no Nova here: no policy selects anything
            }
            if (collection.bucket == Bucket::namespaces && !result.ok()) {
                continue; // not allowed to read Namespaces: the caller assumes the default label
            }
            if (!result.ok()) {
                throw result.error().to_error();
            }
            take_list(collection, result.response());
        }
        assemble_objects();
    }

    void assemble_objects() {
        rollouts::ObjectSet objects;
        for (const auto& collection : control) {
            std::vector<json>* target = nullptr;
            switch (collection.bucket) {
            case Bucket::rollouts:
                target = &objects.rollouts;
                break;
            case Bucket::replica_sets:
                target = &objects.replica_sets;
                break;
            case Bucket::pods:
                target = &objects.pods;
                break;
            case Bucket::analysis_runs:
                target = &objects.analysis_runs;
                break;
            case Bucket::experiments:
                target = &objects.experiments;
                break;
            case Bucket::clusters:
                data.clusters = collection.items;
                break;
            case Bucket::schedule_policies:
                data.schedule_policies = collection.items;
                break;
            case Bucket::namespaces:
                data.namespaces = collection.items;
                break;
            case Bucket::jobs:
                data.jobs = collection.items;
                break;
            default:
                break;
            }
            if (target != nullptr) {
                target->insert(target->end(), collection.items.begin(), collection.items.end());
            }
        }
        if (deployment) {
            objects.deployments = deployment->items;
        }
        data.objects = std::move(objects);
    }

    const Collection* control_of(Bucket bucket) const {
        for (const auto& collection : control) {
            if (collection.bucket == bucket) {
                return &collection;
            }
        }
        return nullptr;
    }

    Plan make_plan() const {
        Plan next;
        plan_subject(request, data.objects, next);
        if (!request.workload_clusters || !next.found) {
            return next;
        }
        if (!flags.workload_contexts.empty()) {
            next.targets = fleet::workload_context_targets(flags.workload_contexts,
                                                           sources.kubeconfig_contexts);
        } else if (nova) {
            const Collection* listed = control_of(Bucket::clusters);
            next.targets =
                fleet::map_cluster_contexts(fleet::parse_clusters(json(listed->items)), sources)
                    .targets;
        }
        return next;
    }

    std::vector<std::string> unknown_clusters() const {
        if (!nova || !flags.workload_contexts.empty()) {
            return {};
        }
        const Collection* listed = control_of(Bucket::clusters);
        return fleet::map_cluster_contexts(fleet::parse_clusters(json(listed->items)), sources)
            .unknown_clusters;
    }

    // Round 2: every mapped workload cluster at once, label-selected, each with its own
    // deadline; the workloadRef Deployment rides along.
    void read_clusters() {
        clusters.clear();
        cluster_reads.clear();
        deployment.reset();
        for (const auto& target : plan.targets) {
            ClusterState state{target, nullptr, {}};
            if (!target.context.empty() && target.context_exists) {
                try {
                    state.config = std::make_shared<const kube::RestConfig>(
                        kube::resolve_context(connection.kubeconfig, target.context,
                                              connection.overrides, connection.env));
                } catch (const core::Error& error) {
                    state.error = error.what();
                }
            }
            clusters.push_back(std::move(state));
        }
        const std::string& ns = connection.namespace_name;
        for (std::size_t index = 0; index < clusters.size(); ++index) {
            const ClusterState& state = clusters[index];
            if (!state.config) {
                continue;
            }
            const auto timeout = state.config->request_timeout.count() > 0
                                     ? state.config->request_timeout
                                     : std::chrono::milliseconds(default_cluster_timeout);
            const auto add = [&](Bucket bucket, std::string path) {
                Collection collection;
                collection.bucket = bucket;
                collection.cluster = static_cast<int>(index);
                collection.config = state.config;
                collection.path = std::move(path);
                collection.timeout = timeout;
                cluster_reads.push_back(std::move(collection));
            };
            for (const auto& selector : plan.selectors) {
                add(Bucket::replica_sets,
                    kube::append_query(namespaced("/apis/apps/v1", ns, "replicasets"),
                                       "labelSelector", selector));
                add(Bucket::pods, kube::append_query(namespaced("/api/v1", ns, "pods"),
                                                     "labelSelector", selector));
            }
            if (!plan.job_names.empty()) {
                std::string names;
                for (const auto& name : plan.job_names) {
                    names += (names.empty() ? "" : ",") + name;
                }
                add(Bucket::job_pods,
                    kube::append_query(namespaced("/api/v1", ns, "pods"), "labelSelector",
                                       "job-name in (" + names + ")"));
                if (request.placement) {
                    add(Bucket::jobs, namespaced("/apis/batch/v1", ns, "jobs"));
                }
            }
        }
        std::vector<kube::Request> requests;
        for (const auto& collection : cluster_reads) {
            requests.push_back(request_for(collection));
        }
        if (const std::string name = workload_ref_deployment(); !name.empty()) {
            Collection collection = control_collection(
                Bucket::deployment, namespaced("/apis/apps/v1", ns, "deployments") + "/" + name);
            collection.single = true;
            deployment = std::move(collection);
            requests.push_back(request_for(*deployment));
        }
        if (requests.empty()) {
            return;
        }
        auto results = client.run(std::move(requests));
        for (std::size_t i = 0; i < cluster_reads.size(); ++i) {
            Collection& collection = cluster_reads[i];
            ClusterState& state = clusters[static_cast<std::size_t>(collection.cluster)];
            if (results[i].ok()) {
                take_list(collection, results[i].response());
            } else if (state.error.empty()) {
                state.error = results[i].error().message;
            }
        }
        if (deployment && results.back().ok()) {
            take_list(*deployment, results.back().response());
        }
    }

    // The Deployment a rollout's workloadRef names, when the caller wants it.
    std::string workload_ref_deployment() const {
        if (!request.deployment || request.subject != TreeRequest::Subject::rollout) {
            return {};
        }
        const json* rollout = rollouts::find_named(data.objects.rollouts, request.name);
        if (rollout == nullptr) {
            return {};
        }
        const auto ref = rollout->value("spec", json::object()).value("workloadRef", json());
        return ref.is_object() ? ref.value("name", std::string()) : std::string();
    }

    void assemble_readings() {
        data.readings.clear();
        for (std::size_t index = 0; index < clusters.size(); ++index) {
            const ClusterState& state = clusters[index];
            fleet::ClusterReading reading = fleet::make_reading(state.target);
            if (reading.state == fleet::ReadState::read && !state.error.empty()) {
                reading.state = fleet::ReadState::unreachable;
                reading.error = state.error;
            }
            if (reading.state == fleet::ReadState::read) {
                std::set<std::string> seen; // an object two selectors both matched, once
                for (const auto& collection : cluster_reads) {
                    if (collection.cluster != static_cast<int>(index)) {
                        continue;
                    }
                    auto& target = collection.bucket == Bucket::replica_sets ? reading.replica_sets
                                   : collection.bucket == Bucket::job_pods   ? reading.job_pods
                                   : collection.bucket == Bucket::jobs       ? reading.jobs
                                                                             : reading.pods;
                    for (const auto& item : collection.items) {
                        if (seen.insert(std::string(kind_of(collection.bucket)) + uid_of(item))
                                .second) {
                            target.push_back(item);
                        }
                    }
                }
            }
            data.readings.push_back(std::move(reading));
        }
        assemble_objects();
    }

    void gather_clusters() {
        plan = make_plan();
        read_clusters();
        assemble_readings();
    }
};

TreeSource::TreeSource(kube::Client& client, const Connection& connection, ClusterFlags flags,
                       TreeRequest request)
    : m_impl(std::make_unique<Impl>(client, connection, std::move(flags), std::move(request))) {}

TreeSource::~TreeSource() = default;

const TreeData& TreeSource::gather() {
    Impl& impl = *m_impl;
    if (impl.request.workload_clusters) {
        impl.sources = context_sources(impl.connection, impl.flags);
    }
    impl.read_control_plane();
    impl.gather_clusters();
    for (const auto& name : impl.unknown_clusters()) {
        impl.data.warnings.push_back("a context is given for " + core::quote(name) +
                                     ", which is not one of Nova's clusters");
    }
    return impl.data;
}

kube::WatchEnd TreeSource::follow(const OnChange& on_change, const FollowOptions& options) {
    Impl& impl = *m_impl;
    auto last_report = SteadyClock::now();
    bool pending = false; // changes not reported yet
    bool stop = false;    // the caller wants no more
    bool replan = false;  // new selectors, Jobs or clusters: round 2 again

    // Reports the current data; the caller may say stop, and what it shows may need a new plan.
    const auto report = [&]() {
        pending = false;
        last_report = SteadyClock::now();
        impl.assemble_readings();
        if (!on_change(impl.data)) {
            stop = true;
        } else if (impl.make_plan() != impl.plan) {
            replan = true;
        }
    };
    // When the next report is due without further changes: a burst's, or the ages' refresh.
    const auto next_tick = [&]() -> std::optional<SteadyClock::time_point> {
        if (pending) {
            return last_report + options.min_interval;
        }
        if (options.refresh.count() > 0) {
            return last_report + options.refresh;
        }
        return std::nullopt;
    };
    // A workload cluster reads again once each of its collections has been listed since its
    // last failure.
    const auto all_listed = [&](int cluster) {
        return std::all_of(
            impl.cluster_reads.begin(), impl.cluster_reads.end(),
            [&](const Collection& c) { return c.cluster != cluster || c.watchable; });
    };

    while (true) {
        replan = false;
        // The collections being watched, and which one each watch reads. A workload cluster's
        // collection that could not be listed is listed again by its watch (relist), from one
        // second on with the reconnect backoff, so that a cluster that comes back is shown.
        std::vector<Collection*> sources;
        std::vector<kube::Watch> watches;
        const auto add_watches = [&](std::vector<Collection>& collections) {
            for (auto& collection : collections) {
                if (collection.single || (!collection.watchable && collection.cluster < 0)) {
                    continue;
                }
                kube::Watch watch;
                watch.config = collection.config;
                watch.path = collection.path;
                watch.resource_version = collection.resource_version;
                watch.relist = true;
                watch.list_first = !collection.watchable;
                watch.failures = watch.list_first ? 2 : 0; // its read just failed: 1 s
                watch.list_timeout = collection.timeout;
                watches.push_back(std::move(watch));
                sources.push_back(&collection);
            }
        };
        add_watches(impl.control);
        add_watches(impl.cluster_reads);

        kube::WatchCallbacks callbacks;
        // A change is reported at once, or at the tick when the last report is too recent.
        const auto changed = [&]() {
            pending = true;
            if (SteadyClock::now() - last_report >= options.min_interval) {
                report();
            }
            callbacks.tick_at = next_tick();
            return !stop && !replan; // a new plan needs round 2: leave watch()
        };
        callbacks.on_event = [&](const kube::WatchEvent& event) {
            Collection& collection = *sources[event.watch];
            if (event.type == kube::EventType::expired) {
                return true; // the watch lists the collection again by itself
            }
            if (collection.cluster < 0) {
                // The control plane's errors: its watches reconnect or list again by themselves.
                return !apply_event(collection, event) || changed();
            }
            auto& state = impl.clusters[static_cast<std::size_t>(collection.cluster)];
            if (event.type == kube::EventType::error) {
                if (watches[event.watch].list_first) {
                    collection.watchable = false; // until its new LIST
                }
                if (!event.error || state.error == event.error->message) {
                    return true;
                }
                // The tree says why the cluster is unreachable while it is.
                state.error = event.error->message;
                return changed();
            }
            bool change = apply_event(collection, event);
            if (!state.error.empty() && all_listed(collection.cluster)) {
                state.error.clear(); // an error event that did not end the stream
                change = true;
            }
            return !change || changed();
        };
        callbacks.on_list = [&](std::size_t index, const json& list) {
            Collection& collection = *sources[index];
            take_list(collection, list);
            if (collection.cluster >= 0) {
                auto& state = impl.clusters[static_cast<std::size_t>(collection.cluster)];
                if (all_listed(collection.cluster)) {
                    state.error.clear(); // back
                }
            }
            return changed();
        };
        callbacks.on_tick = [&]() {
            const auto now = SteadyClock::now();
            if (pending || (options.refresh.count() > 0 && now - last_report >= options.refresh)) {
                report();
            }
            callbacks.tick_at = next_tick();
            return !stop && !replan;
        };
        callbacks.tick_at = next_tick();

        const kube::WatchEnd end = impl.client.watch(watches, callbacks, options.deadline);
        for (std::size_t i = 0; i < watches.size(); ++i) {
            sources[i]->resource_version = watches[i].resource_version;
            if (watches[i].list_first && sources[i]->cluster >= 0) {
                // Listed again first next time. (A control-plane collection is watched again
                // from its last version, which fails the same way and lists it then.)
                sources[i]->watchable = false;
            }
        }
        if (stop) {
            return kube::WatchEnd::stopped;
        }
        if (end == kube::WatchEnd::interrupted) {
            return end;
        }
        if (end == kube::WatchEnd::deadline) {
            if (pending) {
                report();
            }
            return end;
        }
        if (replan) {
            // New selectors, Jobs or clusters: gather round 2 again and watch the new set.
            impl.gather_clusters();
            report();
            if (stop) {
                return kube::WatchEnd::stopped;
            }
            continue;
        }
        // Nothing left to watch (relist watches never end by themselves).
        return end;
    }
}

RolloutList list_rollouts(kube::Client& client, const Connection& connection,
                          const RolloutListRequest& request) {
    std::string path = rollouts_path(request.all_namespaces ? "" : connection.namespace_name);
    if (!request.name.empty()) {
        path = kube::append_query(path, "fieldSelector", "metadata.name=" + request.name);
    }
    const kube::Result result = client.run_one(kube::Request::get(connection.control_plane, path));
    const kube::Response& response = result.value();
    RolloutList list;
    if (const auto items = response.json.find("items");
        items != response.json.end() && items->is_array()) {
        for (const auto& item : *items) {
            list.items.push_back(item);
        }
    }
    list.resource_version = kube::resource_version_of(response.json);
    return list;
}

kube::WatchEnd follow_rollouts(kube::Client& client, const Connection& connection,
                               const RolloutListRequest& request, RolloutList& list,
                               const std::function<bool(const json&)>& on_rollout,
                               std::optional<SteadyClock::time_point> deadline) {
    std::string path = rollouts_path(request.all_namespaces ? "" : connection.namespace_name);
    if (!request.name.empty()) {
        path = kube::append_query(path, "fieldSelector", "metadata.name=" + request.name);
    }
    while (true) {
        std::vector<kube::Watch> watches(1);
        watches[0].config = connection.control_plane;
        watches[0].path = path;
        watches[0].resource_version = list.resource_version;
        bool expired = false;
        bool stop = false;
        const auto end = client.watch(
            watches,
            [&](const kube::WatchEvent& event) {
                if (event.type == kube::EventType::expired) {
                    expired = true;
                    return false;
                }
                if (event.type == kube::EventType::added ||
                    event.type == kube::EventType::modified) {
                    if (!on_rollout(event.object)) {
                        stop = true;
                        return false;
                    }
                }
                return true;
            },
            deadline);
        list.resource_version = watches[0].resource_version;
        if (stop || !expired) {
            return stop ? kube::WatchEnd::stopped : end;
        }
        // 410 Gone: list again; every rollout is offered again, and the caller's row tracker
        // prints only those that changed meanwhile.
        list = list_rollouts(client, connection, request);
        for (const auto& rollout : list.items) {
            if (!on_rollout(rollout)) {
                return kube::WatchEnd::stopped;
            }
        }
    }
}

std::vector<json> list_experiments(kube::Client& client, const Connection& connection,
                                   bool all_namespaces) {
    const std::string path = all_namespaces
                                 ? std::string(argo_api) + "/experiments"
                                 : namespaced(argo_api, connection.namespace_name, "experiments");
    const kube::Result result = client.run_one(kube::Request::get(connection.control_plane, path));
    const kube::Response& response = result.value();
    std::vector<json> items;
    if (const auto found = response.json.find("items");
        found != response.json.end() && found->is_array()) {
        for (const auto& item : *found) {
            items.push_back(item);
            set_kind(items.back(), Bucket::experiments);
        }
    }
    return items;
}

} // namespace nova::cli
