#include "lib/render/document.hpp"

#include "lib/core/duration.hpp"
#include "lib/rollouts/json_fields.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

namespace nova::render {

namespace {

using Json = nlohmann::ordered_json;

Json string_or_null(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

Json timestamp(const std::optional<core::TimePoint>& time) {
    return time ? Json(core::format_rfc3339(*time)) : Json(nullptr);
}

// argo's weights are strings holding integers; a document gives numbers.
Json integer_or_null(const std::string& text) {
    if (const auto value = rollouts::fields::parse_int(text)) {
        return *value;
    }
    return nullptr;
}

Json pod_count(const fleet::PodCount& count) {
    return Json{{"ready", count.ready}, {"total", count.total}};
}

Json pod_document(const rollouts::PodInfo& pod) {
    return Json{
        {"name", pod.meta.name},
        {"uid", string_or_null(pod.meta.uid)},
        {"cluster", string_or_null(pod.cluster)},
        {"creationTimestamp", timestamp(pod.meta.created)},
        {"status", pod.status},
        {"ready", pod.ready()},
        {"readyContainers", pod.ready_containers},
        {"totalContainers", pod.total_containers},
        {"restarts", pod.restarts},
    };
}

Json pods_document(const std::vector<rollouts::PodInfo>& pods) {
    auto list = Json::array();
    for (const auto& pod : pods) {
        list.push_back(pod_document(pod));
    }
    return list;
}

Json strings(const std::vector<std::string>& values) {
    auto list = Json::array();
    for (const auto& value : values) {
        list.push_back(value);
    }
    return list;
}

// The tree's INFO words, in its order.
std::vector<std::string> tags_of(const rollouts::ReplicaSetInfo& info) {
    std::vector<std::string> tags;
    if (info.stable) {
        tags.emplace_back("stable");
    }
    if (info.canary) {
        tags.emplace_back("canary");
    } else if (info.active) {
        tags.emplace_back("active");
    } else if (info.preview) {
        tags.emplace_back("preview");
    }
    if (info.ping) {
        tags.emplace_back("ping");
    }
    if (info.pong) {
        tags.emplace_back("pong");
    }
    return tags;
}

Json cluster_replica_set_document(const fleet::ClusterReplicaSet& copy) {
    Json document{
        {"cluster", copy.cluster},
        {"state", fleet::to_string(copy.state)},
        {"error", string_or_null(copy.error)},
    };
    if (copy.state != fleet::ReadState::read) {
        return document;
    }
    document["name"] = copy.meta.name;
    document["uid"] = string_or_null(copy.meta.uid);
    document["creationTimestamp"] = timestamp(copy.meta.created);
    document["matchedBy"] = copy.matched_by_hash ? "podTemplateHash" : "name";
    document["status"] = copy.status;
    document["desired"] = copy.desired;
    document["replicas"] = copy.replicas;
    document["ready"] = copy.ready;
    document["available"] = copy.available;
    document["pods"] = pods_document(copy.pods);
    return document;
}

Json replica_set_document(const rollouts::ReplicaSetInfo& info, const fleet::ClusterJoin& join) {
    auto clusters = Json::array();
    if (const auto it = join.replica_sets.find(info.meta.name); it != join.replica_sets.end()) {
        for (const auto& copy : it->second) {
            clusters.push_back(cluster_replica_set_document(copy));
        }
    }
    return Json{
        {"name", info.meta.name},
        {"uid", string_or_null(info.meta.uid)},
        {"creationTimestamp", timestamp(info.meta.created)},
        {"revision", info.revision},
        {"status", info.status},
        {"podTemplateHash", string_or_null(info.pod_template_hash)},
        {"tags", strings(tags_of(info))},
        {"templateName", string_or_null(info.template_name)},
        {"scaleDownDeadline", string_or_null(info.scale_down_deadline)},
        {"replicas", info.replicas},
        {"available", info.available},
        {"images", strings(info.images)},
        {"pods", pods_document(info.pods)},
        {"clusters", std::move(clusters)},
    };
}

Json job_document(const rollouts::JobInfo& job, const fleet::ClusterJoin& join) {
    auto clusters = Json::array();
    if (const auto it = join.jobs.find(job.meta.name); it != join.jobs.end()) {
        for (const auto& copy : it->second) {
            Json document{
                {"cluster", copy.cluster},
                {"state", fleet::to_string(copy.state)},
                {"error", string_or_null(copy.error)},
            };
            if (copy.state == fleet::ReadState::read) {
                document["creationTimestamp"] = timestamp(copy.meta.created);
                document["status"] = copy.status;
                document["pods"] = pods_document(copy.pods);
            }
            clusters.push_back(std::move(document));
        }
    }
    return Json{
        {"name", job.meta.name},
        {"namespace", string_or_null(job.meta.namespace_name)},
        {"metric", job.metric_name},
        {"status", job.status},
        {"startedAt", timestamp(job.meta.created)},
        {"clusters", std::move(clusters)},
    };
}

Json analysis_run_document(const rollouts::AnalysisRunInfo& run, const fleet::ClusterJoin& join) {
    auto jobs = Json::array();
    for (const auto& job : run.jobs) {
        jobs.push_back(job_document(job, join));
    }
    return Json{
        {"name", run.meta.name},
        {"uid", string_or_null(run.meta.uid)},
        {"creationTimestamp", timestamp(run.meta.created)},
        {"revision", run.revision},
        {"status", run.status},
        {"successful", run.successful},
        {"failed", run.failed},
        {"inconclusive", run.inconclusive},
        {"error", run.error},
        {"jobs", std::move(jobs)},
    };
}

Json images_document(const std::vector<rollouts::ImageInfo>& images) {
    auto list = Json::array();
    for (const auto& image : images) {
        list.push_back(Json{{"image", image.image}, {"tags", strings(image.tags)}});
    }
    return list;
}

Json experiment_document(const rollouts::ExperimentInfo& info, const fleet::ClusterJoin& join) {
    auto replica_sets = Json::array();
    for (const auto& replica_set : info.replica_sets) {
        replica_sets.push_back(replica_set_document(replica_set, join));
    }
    auto runs = Json::array();
    for (const auto& run : info.analysis_runs) {
        runs.push_back(analysis_run_document(run, join));
    }
    return Json{
        {"name", info.meta.name},
        {"namespace", info.meta.namespace_name},
        {"uid", string_or_null(info.meta.uid)},
        {"creationTimestamp", timestamp(info.meta.created)},
        {"revision", info.revision},
        {"status", info.status},
        {"message", string_or_null(info.message)},
        {"replicaSets", std::move(replica_sets)},
        {"analysisRuns", std::move(runs)},
    };
}

Json clusters_document(const std::vector<fleet::ClusterSummary>& clusters) {
    auto list = Json::array();
    for (const auto& cluster : clusters) {
        list.push_back(Json{
            {"name", cluster.cluster},
            {"context", string_or_null(cluster.context)},
            {"contextSource", fleet::to_string(cluster.source)},
            {"state", fleet::to_string(cluster.state)},
            {"health", cluster.health ? Json(fleet::to_string(*cluster.health)) : Json(nullptr)},
            {"status", cluster.status},
            {"missing", cluster.missing},
            {"error", string_or_null(cluster.error)},
            {"pods", Json{{"stable", pod_count(cluster.stable)},
                          {"canary", pod_count(cluster.canary)},
                          {"all", pod_count(cluster.pods)}}},
        });
    }
    return list;
}

Json header(std::string_view kind) {
    return Json{{"apiVersion", document_api_version}, {"kind", kind}};
}

Json rollout_document(const rollouts::RolloutInfo& info) {
    return Json{
        {"name", info.meta.name},
        {"namespace", info.meta.namespace_name},
        {"uid", string_or_null(info.meta.uid)},
        {"creationTimestamp", timestamp(info.meta.created)},
        {"generation", info.generation},
        {"status", info.status},
        {"message", string_or_null(info.message)},
        {"aborted", info.aborted},
        {"strategy", string_or_null(info.strategy)},
        {"step", string_or_null(info.step)},
        {"setWeight", integer_or_null(info.set_weight)},
        {"actualWeight", integer_or_null(info.actual_weight)},
        {"images", images_document(rollouts::rollout_images(info))},
        {"replicas", Json{{"desired", info.desired},
                          {"current", info.current},
                          {"updated", info.updated},
                          {"ready", info.ready},
                          {"available", info.available}}},
    };
}

// YAML reads these plain scalars as something other than a string (YAML 1.1, as kubectl's
// go-yaml): they must be quoted. Anything starting like a number, a date or a special float
// is quoted too, which costs a few quotes and is never wrong.
bool needs_quotes(const std::string& text) {
    if (text.empty()) {
        return true;
    }
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const char* const words[] = {"null", "~",  "true", "false", "yes",
                                        "no",   "on", "off",  "y",     "n"};
    for (const auto* word : words) {
        if (lower == word) {
            return true;
        }
    }
    const auto first = static_cast<unsigned char>(text.front());
    return std::isdigit(first) != 0 || first == '-' || first == '+' || first == '.';
}

void emit(YAML::Emitter& out, const Json& value) {
    switch (value.type()) {
    case Json::value_t::object:
        out << YAML::BeginMap;
        for (const auto& [key, item] : value.items()) {
            out << YAML::Key;
            if (needs_quotes(key)) {
                out << YAML::DoubleQuoted;
            }
            out << key << YAML::Value;
            emit(out, item);
        }
        out << YAML::EndMap;
        return;
    case Json::value_t::array:
        if (value.empty()) {
            out << YAML::Flow;
        }
        out << YAML::BeginSeq;
        for (const auto& item : value) {
            emit(out, item);
        }
        out << YAML::EndSeq;
        return;
    case Json::value_t::string: {
        const auto& text = value.get_ref<const std::string&>();
        if (needs_quotes(text)) {
            out << YAML::DoubleQuoted;
        }
        out << text;
        return;
    }
    case Json::value_t::boolean:
        out << value.get<bool>();
        return;
    case Json::value_t::number_integer:
        out << value.get<std::int64_t>();
        return;
    case Json::value_t::number_unsigned:
        out << value.get<std::uint64_t>();
        return;
    case Json::value_t::number_float:
        out << value.get<double>();
        return;
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
        break;
    }
    out << YAML::Null;
}

} // namespace

nlohmann::ordered_json rollout_view_document(const fleet::RolloutView& view) {
    auto document = header("RolloutView");
    document["complete"] = !view.incomplete();
    document["missingClusters"] = strings(view.missing_clusters());
    document["rollout"] = rollout_document(view.info);
    document["clusters"] = clusters_document(view.clusters);
    auto replica_sets = Json::array();
    for (const auto& replica_set : view.info.replica_sets) {
        replica_sets.push_back(replica_set_document(replica_set, view.join));
    }
    auto experiments = Json::array();
    for (const auto& experiment : view.info.experiments) {
        experiments.push_back(experiment_document(experiment, view.join));
    }
    auto runs = Json::array();
    for (const auto& run : view.info.analysis_runs) {
        runs.push_back(analysis_run_document(run, view.join));
    }
    document["replicaSets"] = std::move(replica_sets);
    document["experiments"] = std::move(experiments);
    document["analysisRuns"] = std::move(runs);
    return document;
}

nlohmann::ordered_json experiment_view_document(const fleet::ExperimentView& view) {
    auto document = header("ExperimentView");
    document["complete"] = !view.incomplete();
    document["missingClusters"] = strings(view.missing_clusters());
    auto experiment = experiment_document(view.info, view.join);
    experiment["images"] = images_document(rollouts::experiment_images(view.info));
    document["experiment"] = std::move(experiment);
    document["clusters"] = clusters_document(view.clusters);
    return document;
}

nlohmann::ordered_json rollout_list_document(const std::vector<rollouts::RolloutListRow>& rows) {
    auto document = header("RolloutList");
    auto items = Json::array();
    for (const auto& row : rows) {
        items.push_back(Json{
            {"namespace", row.namespace_name},
            {"name", row.name},
            {"strategy", row.strategy},
            {"status", row.status},
            {"step", row.step == "-" ? Json(nullptr) : Json(row.step)},
            {"setWeight", integer_or_null(row.set_weight)},
            {"ready", row.ready},
            {"desired", row.desired},
            {"upToDate", row.up_to_date},
            {"available", row.available},
        });
    }
    document["items"] = std::move(items);
    return document;
}

StatusOutcome status_outcome(rollouts::StatusVerdict verdict, bool timed_out) {
    switch (verdict) {
    case rollouts::StatusVerdict::healthy:
        return StatusOutcome::healthy;
    case rollouts::StatusVerdict::paused:
        return StatusOutcome::paused;
    case rollouts::StatusVerdict::degraded:
        return StatusOutcome::degraded;
    case rollouts::StatusVerdict::in_progress:
        break;
    }
    return timed_out ? StatusOutcome::timed_out : StatusOutcome::in_progress;
}

std::string_view to_string(StatusOutcome outcome) {
    switch (outcome) {
    case StatusOutcome::healthy:
        return "Healthy";
    case StatusOutcome::paused:
        return "Paused";
    case StatusOutcome::degraded:
        return "Degraded";
    case StatusOutcome::in_progress:
        return "InProgress";
    case StatusOutcome::timed_out:
        break;
    }
    return "TimedOut";
}

nlohmann::ordered_json rollout_status_document(const fleet::RolloutView& view,
                                               StatusOutcome outcome) {
    auto document = header("RolloutStatus");
    document["name"] = view.info.meta.name;
    document["namespace"] = view.info.meta.namespace_name;
    document["status"] = view.info.status;
    document["message"] = string_or_null(view.info.message);
    document["aborted"] = view.info.aborted;
    document["outcome"] = to_string(outcome);
    document["complete"] = !view.incomplete();
    document["missingClusters"] = strings(view.missing_clusters());
    document["clusters"] = clusters_document(view.clusters);
    return document;
}

std::string to_json_text(const nlohmann::ordered_json& document, bool compact) {
    // Server data may hold invalid UTF-8: replaced, never an exception halfway through output.
    return document.dump(compact ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace) +
           '\n';
}

std::string to_yaml_text(const nlohmann::ordered_json& document) {
    YAML::Emitter out;
    out.SetNullFormat(YAML::LowerNull);
    out.SetBoolFormat(YAML::TrueFalseBool);
    out.SetIndent(2);
    emit(out, document);
    return std::string(out.c_str()) + '\n';
}

} // namespace nova::render
