// `create -f FILE...` and `create analysisrun`: argo's POSTs of Rollouts, Experiments,
// AnalysisTemplates, ClusterAnalysisTemplates and AnalysisRuns to the control plane, minus argo's
// traps: every file is read and checked before the first POST, and with several objects the
// server checks each one first (a dry-run create of all of them in one round), so that neither
// bad input nor an object the server refuses leaves half the files created; a
// ClusterAnalysisTemplate goes to its cluster-scoped URL under its own name, and -w really
// watches what was created. Reads as parse → gather → compute → write → report.
#include "lib/cli/command.hpp"
#include "lib/cli/get.hpp"
#include "lib/cli/terminal.hpp"
#include "lib/cli/view_options.hpp"
#include "lib/cli/write.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/names.hpp"
#include "lib/core/text.hpp"
#include "lib/kube/wire.hpp"
#include "lib/rollouts/analysis_run_builder.hpp"
#include "lib/rollouts/analysis_run_phase.hpp"
#include "lib/rollouts/json_fields.hpp"
#include "lib/rollouts/manifests.hpp"

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace nova::cli {
namespace {

using nlohmann::json;

struct CreateOptions {
    std::vector<std::string> files;
    bool watch = false;
    bool until_done = false;
    std::string timeout = "0";
    OutputFlags view; // --no-color, --color: for the -w view
    ClusterFlags clusters;
    WriteFlags write;
};

struct CreateRunOptions {
    std::string name;
    std::string generate_name;
    std::string instance_id;
    std::vector<std::string> arguments;
    std::string from;
    std::string from_file;
    bool global = false;
    WriteFlags write;
    // The usage error for a flag of `create` itself given with `create analysisrun`, or "".
    std::string create_flag;
};

// "-" is stdin.
std::string source_name(const std::string& path) {
    return path == "-" ? "stdin" : path;
}

std::string read_source(const std::string& path) {
    if (path == "-") {
        std::ostringstream text;
        text << std::cin.rdbuf();
        return text.str();
    }
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw core::Error("cannot read " + path + ": it is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw core::Error("cannot read " + path + ": " + core::errno_text(errno));
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        throw core::Error("cannot read " + path + ": " + core::errno_text(errno));
    }
    return text;
}

// The POST that creates `object` in `collection`. fieldValidation=Strict, as kubectl sends it:
// the server refuses unknown and duplicate fields instead of silently dropping them.
Write create_write(const ObjectRef& collection, const json& object) {
    return Write{kube::Method::post, collection, std::string(json_type), object.dump(),
                 "fieldValidation=Strict"};
}

// POSTs one object; a failure names the object it was for. Returns what the server returned
// (nullopt under --dry-run).
std::optional<json> post(WriteSession& session, const Write& create, const std::string& label) {
    try {
        return session.send(create);
    } catch (const core::Error& error) {
        throw core::Error(not_created_message(label, error.what()), error.code());
    }
}

// Every create sent once with dryRun=All, in one concurrent round: the server checks each
// object as it would create it (AlreadyExists, Forbidden, Invalid, a missing namespace) and
// creates none. Throws core::Error naming the first object refused.
void check_creates_with_server(WriteSession& session, const std::vector<Write>& creates,
                               const std::vector<std::string>& labels) {
    const std::vector<kube::Result> results = session.try_server_dry_runs(creates);
    for (std::size_t i = 0; i < results.size() && i < creates.size(); ++i) {
        if (!results[i].ok()) {
            const core::Error error =
                session.error(results[i].error(), creates[i].method, creates[i].target);
            throw core::Error(not_created_message(labels[i], error.what(), "; nothing was created"),
                              error.code());
        }
    }
}

// The name the server gave (generateName), else the one asked for.
std::string returned_name(const std::optional<json>& returned, const std::string& name,
                          const std::string& generate_name) {
    if (returned) {
        const std::string server_name =
            rollouts::fields::string_at(*returned, {"metadata", "name"});
        if (!server_name.empty()) {
            return server_name;
        }
    }
    return name.empty() ? generate_name : name;
}

// -w on an AnalysisRun: a line per phase until it is decided. Successful exits 0; Failed, Error
// and Inconclusive exit 3; the timeout 4; Ctrl-C 0, as for a Rollout or Experiment (get -w).
core::ExitCode watch_analysis_run(Context& context, WriteSession& session,
                                  const std::string& namespace_name, json run,
                                  std::optional<kube::SteadyClock::time_point> deadline,
                                  const std::string& timeout_text) {
    StopSignals signals;
    const std::string name = rollouts::fields::string_at(run, {"metadata", "name"});
    const std::string quoted = "analysisrun " + core::quote(name);
    const ObjectRef object = ObjectRef::argo("analysisruns", namespace_name, name);
    const ObjectRef collection = ObjectRef::argo("analysisruns", namespace_name, "");
    rollouts::AnalysisRunPhaseLines lines;
    auto phase = rollouts::analysis_run_phase(run);
    const auto print = [&]() {
        if (auto line = lines.next(phase)) {
            context.out << *line << '\n' << std::flush;
        }
    };
    print();

    std::string resource_version =
        rollouts::fields::string_at(run, {"metadata", "resourceVersion"});
    kube::WatchEnd end = kube::WatchEnd::stopped;
    bool deleted = false;
    std::optional<kube::ApiError> failure;
    while (!rollouts::analysis_run_finished(phase)) {
        std::vector<kube::Watch> watches(1);
        watches[0].config = session.connection().control_plane;
        watches[0].path =
            kube::append_query(collection.path(), "fieldSelector", "metadata.name=" + name);
        watches[0].resource_version = resource_version;
        bool expired = false;
        end = session.client().watch(
            watches,
            [&](const kube::WatchEvent& event) {
                switch (event.type) {
                case kube::EventType::added:
                case kube::EventType::modified:
                    phase = rollouts::analysis_run_phase(event.object);
                    print();
                    return !rollouts::analysis_run_finished(phase);
                case kube::EventType::deleted:
                    deleted = true;
                    return false;
                case kube::EventType::expired:
                    expired = true;
                    return false;
                case kube::EventType::error:
                    failure = event.error; // reconnected unless permanent
                    return true;
                case kube::EventType::bookmark:
                    return true;
                }
                return true;
            },
            deadline);
        resource_version = watches[0].resource_version;
        if (!expired) {
            break;
        }
        // 410 Gone: read the run again and follow it from there.
        run = session.get(object);
        phase = rollouts::analysis_run_phase(run);
        print();
        resource_version = rollouts::fields::string_at(run, {"metadata", "resourceVersion"});
    }

    if (rollouts::analysis_run_finished(phase)) {
        if (rollouts::analysis_run_successful(phase)) {
            return core::ExitCode::success;
        }
        throw core::Error(quoted + " ended " + rollouts::analysis_run_phase_line(phase),
                          core::ExitCode::bad_state);
    }
    const std::string state =
        phase.phase.empty() ? "no phase yet" : rollouts::analysis_run_phase_line(phase);
    if (deleted) {
        throw core::Error(quoted + " was deleted while it was watched (" + state + ")");
    }
    if (end == kube::WatchEnd::deadline) {
        throw core::Error(quoted + " did not finish within " + timeout_text + ": " + state,
                          core::ExitCode::timeout);
    }
    if (end == kube::WatchEnd::finished && failure) {
        throw session.error(*failure, kube::Method::get, collection);
    }
    if (end == kube::WatchEnd::interrupted) {
        return core::ExitCode::success; // Ctrl-C
    }
    throw core::Error("the watch of " + quoted + " ended before it finished: " + state);
}

// "an AnalysisTemplate", "a Rollout".
std::string with_article(std::string_view kind) {
    const bool vowel =
        !kind.empty() && std::string_view("AEIOU").find(kind.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(kind);
}

// Before any request: -w follows exactly one Rollout, Experiment or AnalysisRun.
void check_watchable(const std::vector<rollouts::Manifest>& manifests,
                     const CreateOptions& options) {
    const std::string flag = options.until_done ? "--until-done" : "-w";
    if (manifests.size() != 1) {
        throw core::usage_error(flag + " watches one object, and the files hold " +
                                std::to_string(manifests.size()));
    }
    const std::string_view kind = manifests.front().kind->kind;
    if (options.until_done && kind != "Rollout") {
        throw core::usage_error("--until-done waits for a Rollout, not " + with_article(kind));
    }
    if (kind != "Rollout" && kind != "Experiment" && kind != "AnalysisRun") {
        throw core::usage_error("-w watches a Rollout, an Experiment or an AnalysisRun, not " +
                                with_article(kind));
    }
}

core::ExitCode create_command(Context& context, const CreateOptions& options) {
    // parse
    if (options.files.empty()) {
        throw core::usage_error("at least one -f FILE is required (-f - reads stdin)");
    }
    const bool watching = options.watch || options.until_done;
    const std::chrono::nanoseconds timeout = parse_wait_timeout(options.timeout);
    if (timeout.count() > 0 && !watching) {
        throw core::usage_error("--timeout limits -w: it needs -w");
    }
    if (watching && options.write.dry_run) {
        throw core::usage_error("-w watches what was created: it cannot be used with --dry-run");
    }
    if (watching && !options.write.output.empty()) {
        throw core::usage_error("-w shows the live view: it cannot be used with -o");
    }
    WriteSession session(context, options.write);

    // gather: every document of every file, checked before the first POST.
    const rollouts::NamespaceChoice where{session.namespace_name(), session.namespace_explicit()};
    std::vector<rollouts::Manifest> manifests;
    for (const auto& file : options.files) {
        auto checked = rollouts::check_manifests(read_source(file), source_name(file), where);
        for (auto& manifest : checked) {
            manifests.push_back(std::move(manifest));
        }
    }
    rollouts::check_no_duplicates(manifests);
    if (watching) {
        check_watchable(manifests, options);
    }

    // compute: the POSTs, and how messages name their objects.
    std::vector<Write> creates;
    std::vector<std::string> labels;
    for (const auto& manifest : manifests) {
        creates.push_back(create_write(
            ObjectRef::argo(std::string(manifest.kind->resource), manifest.namespace_name, ""),
            manifest.object));
        labels.push_back(rollouts::created_name(
            manifest, manifest.name.empty() ? manifest.generate_name : manifest.name));
    }

    // write, report. With several objects, the server checks them all before the first is
    // created (one object's create is all or nothing by itself). --dry-run sends neither.
    if (creates.size() > 1 && !session.dry_run()) {
        check_creates_with_server(session, creates, labels);
    }
    std::vector<json> created;
    std::vector<std::string> created_labels;
    try {
        for (std::size_t i = 0; i < manifests.size(); ++i) {
            const rollouts::Manifest& manifest = manifests[i];
            std::optional<json> returned;
            try {
                returned = post(session, creates[i], labels[i]);
            } catch (const core::Error& error) {
                // Refused after the dry run passed (something changed in between): say what
                // stays created.
                if (created_labels.empty()) {
                    throw;
                }
                throw core::Error(std::string(error.what()) +
                                      "; already created: " + core::join(created_labels, ", "),
                                  error.code());
            }
            const std::string name = returned_name(returned, manifest.name, manifest.generate_name);
            session.done(rollouts::created_name(manifest, name) + " created",
                         returned.value_or(nullptr));
            created.push_back(returned.value_or(nullptr));
            created_labels.push_back(rollouts::created_name(manifest, name));
        }
    } catch (...) {
        session.finish();
        throw;
    }
    session.finish();
    if (!watching) {
        return core::ExitCode::success;
    }

    // -w: the view of what was created, in its namespace; the timeout counts from now.
    const rollouts::Manifest& manifest = manifests.front();
    const std::string name = returned_name(created.front(), manifest.name, manifest.generate_name);
    if (const auto problem = core::subdomain_problem(name)) {
        // It goes into the URLs of the watch.
        throw core::Error("invalid reply from the server: " +
                          core::invalid_name_message("metadata.name", name, *problem) +
                          " of the object created");
    }
    if (manifest.kind->kind == "AnalysisRun") {
        return watch_analysis_run(context, session, manifest.namespace_name, created.front(),
                                  deadline_after(timeout), options.timeout);
    }
    Context view_context = context;
    view_context.kube_overrides.namespace_name = manifest.namespace_name;
    GetOptions view;
    view.name = name;
    view.watch = true;
    view.until_done = options.until_done;
    // get counts whole seconds; a fraction rounds up.
    view.timeout_seconds =
        static_cast<int>(std::chrono::ceil<std::chrono::seconds>(timeout).count());
    view.timeout_fails = true;
    view.output = options.view;
    view.clusters = options.clusters;
    const bool rollout = manifest.kind->kind == "Rollout";
    try {
        return run_get(view_context, view, rollout);
    } catch (const core::Error& error) {
        if (error.code() != core::ExitCode::timeout) {
            throw;
        }
        // In the words of the --timeout given (get counts whole seconds).
        const std::string watched =
            std::string(rollout ? "rollout " : "experiment ") + core::quote(name);
        throw core::Error(options.until_done ? watched + " was not done within " + options.timeout
                                             : "stopped watching " + watched + " after --timeout " +
                                                   options.timeout,
                          core::ExitCode::timeout);
    }
}

core::ExitCode create_run_command(Context& context, const CreateRunOptions& options) {
    // parse
    if (!options.create_flag.empty()) {
        throw core::usage_error(options.create_flag);
    }
    if (options.from.empty() == options.from_file.empty()) {
        throw core::usage_error("one of --from or --from-file must be specified");
    }
    if (!options.name.empty() && !options.generate_name.empty()) {
        throw core::usage_error("--name and --generate-name cannot be used together");
    }
    if (options.global && options.from.empty()) {
        throw core::usage_error("--global reads a ClusterAnalysisTemplate named by --from; a "
                                "--from-file template is used as it is");
    }
    if (!options.name.empty()) {
        check_name_arguments("analysisrun", {options.name});
    }
    if (const auto problem = core::generate_name_problem(options.generate_name);
        !options.generate_name.empty() && problem) {
        throw core::usage_error(
            core::invalid_name_message("--generate-name", options.generate_name, *problem));
    }
    if (!options.from.empty()) {
        check_name_arguments(options.global ? "clusteranalysistemplate" : "analysistemplate",
                             {options.from});
    }
    rollouts::AnalysisRunRequest request;
    request.name = options.name;
    request.generate_name = options.generate_name;
    request.instance_id = options.instance_id;
    request.arguments = rollouts::parse_analysis_arguments(options.arguments);
    WriteSession session(context, options.write);
    request.namespace_name = session.namespace_name();

    // gather: the template (read under --dry-run too: the run is made from it).
    json analysis_template;
    if (!options.from.empty()) {
        analysis_template = session.get(
            options.global
                ? ObjectRef::argo("clusteranalysistemplates", "", options.from)
                : ObjectRef::argo("analysistemplates", session.namespace_name(), options.from));
    } else {
        const std::string source = source_name(options.from_file);
        auto documents = rollouts::parse_manifest(read_source(options.from_file), source);
        if (documents.size() != 1) {
            throw core::Error(source + " holds " + std::to_string(documents.size()) +
                              " documents: --from-file takes one template");
        }
        analysis_template = std::move(documents.front());
    }

    // compute
    const json run = rollouts::build_analysis_run(analysis_template, request);

    // write, report
    const std::string asked = options.name.empty()
                                  ? rollouts::fields::string_at(run, {"metadata", "generateName"})
                                  : options.name;
    const auto returned = post(
        session, create_write(ObjectRef::argo("analysisruns", session.namespace_name(), ""), run),
        "analysisrun.argoproj.io/" + asked);
    session.done("analysisrun.argoproj.io/" +
                     core::one_line(returned_name(returned, options.name, asked)) + " created",
                 returned.value_or(nullptr));
    session.finish();
    return core::ExitCode::success;
}

// A flag of `create` itself (-f, -w, --dry-run...) given with `create analysisrun`, before or
// after its name, would otherwise be silently ignored (a --dry-run!): the usage error it gets,
// or "".
std::string create_flag_problem(const CLI::App& create, const CLI::App& run) {
    for (const CLI::Option* option : create.get_options()) {
        if (option->count() == 0 || option == create.get_help_ptr()) {
            continue;
        }
        if (option->check_lname("filename")) {
            return "-f cannot be used with create analysisrun: create -f FILE creates the objects "
                   "in files, create analysisrun --from-file FILE makes a run from a template file";
        }
        const std::string name = option->get_name();
        for (const CLI::Option* own : run.get_options()) {
            if (own->get_name() == option->get_name()) {
                return name + " was given before analysisrun, where it belongs to create -f: give "
                              "it after analysisrun";
            }
        }
        return "create analysisrun takes no " + name + " (it belongs to create -f)";
    }
    return "";
}

void add_create_analysisrun_command(CLI::App& create, CommandTable& commands, Context& context) {
    auto options = std::make_shared<CreateRunOptions>();
    CLI::App* command = create.add_subcommand(
        "analysisrun",
        "Create an AnalysisRun from an AnalysisTemplate or a ClusterAnalysisTemplate");
    command->alias("ar");
    command->add_option("--name", options->name, "Use the specified name for the run");
    command->add_option("--generate-name", options->generate_name,
                        "Use the specified generateName for the run (default: the template's "
                        "name and a dash)");
    command->add_option("--instance-id", options->instance_id,
                        "Add the controller-instance-id label, for the controller instance that "
                        "should run it");
    command
        ->add_option("-a,--argument", options->arguments,
                     "An argument, NAME=VALUE (repeatable, each NAME once): the value of one "
                     "of the template's args; a template without args takes them as given")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    command->add_option("--from", options->from,
                        "Create the run from this AnalysisTemplate of the namespace (with "
                        "--global: this ClusterAnalysisTemplate)");
    command->add_option("--from-file", options->from_file,
                        "Create the run from the AnalysisTemplate or ClusterAnalysisTemplate in "
                        "this file (- reads stdin)");
    command->add_flag("--global", options->global,
                      "With --from: read a ClusterAnalysisTemplate instead of an AnalysisTemplate "
                      "(not with --from-file)");
    add_write_flags(*command, options->write);
    set_help_notes(*command, "Exit codes: 0 created; 1 failed (template not found, unresolved "
                             "argument, API error); 2 usage.");
    commands.add(command, [&context, options, &create, command]() {
        options->create_flag = create_flag_problem(create, *command);
        return create_run_command(context, *options);
    });
}

} // namespace

void add_create_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<CreateOptions>();
    CLI::App* command = app.add_subcommand(
        "create",
        "Create a Rollout, Experiment, AnalysisTemplate, ClusterAnalysisTemplate, or AnalysisRun "
        "resource");
    command->require_subcommand(0, 1);
    command
        ->add_option("-f,--filename", options->files,
                     "Files to create the resources from, JSON or YAML (repeatable; - reads stdin)")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    command->add_flag("-w,--watch", options->watch,
                      "Watch what was created: the live view of a Rollout or Experiment (until "
                      "Ctrl-C), the phases of an AnalysisRun (until it is decided)");
    command->add_flag("--until-done", options->until_done,
                      "With a Rollout: watch until it is Healthy (exit 0) or Degraded (exit 3); "
                      "implies -w");
    command->add_option("--timeout", options->timeout,
                        "With -w: stop after this long and exit 4, e.g. 30s, 5m (0: never)");
    add_output_flags(*command, options->view, false);
    add_cluster_flags(*command, options->clusters);
    add_write_flags(*command, options->write);
    // Before create's own notes: the subcommand inherits the footer it has at this point.
    add_create_analysisrun_command(*command, commands, context);
    set_help_notes(*command,
                   "Exit codes: 0 created (-w: watched to its end, or stopped with Ctrl-C); 1 "
                   "failed (bad file, API error; nothing is created when a file is bad or the "
                   "server refuses an object); 2 usage; 3 -w: the AnalysisRun did not succeed, "
                   "--until-done: the Rollout is Degraded; 4 -w: timed out.");
    commands.add(command, [&context, options]() { return create_command(context, *options); });
}

} // namespace nova::cli
