#include "lib/sim/main.hpp"

#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/sim/controllers.hpp"
#include "lib/sim/environment.hpp"
#include "lib/sim/store.hpp"

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace nova::sim {

namespace {

namespace fs = std::filesystem;

constexpr const char* ctl_footer =
    R"(Verbs (CONTEXT is a kubeconfig context nova-sim serves: nova, kind-cp, kind-workload-N;
nova-cert and nova-basic mean nova):
  latency CONTEXT DURATION   delay every request by DURATION (Go syntax: 200ms, 1.5s; 0 clears)
  fail CONTEXT COUNT CODE [--text | --html] [--retry-after N] [--method METHOD]
       [--path-suffix TEXT] [--after N]
                             fail the next COUNT authenticated requests with CODE (401, 403, 409,
                             429, 500, 502 or 503) and a Status body (403 and 409: the apiserver's
                             Forbidden and Conflict for that request, naming its verb, resource,
                             object and user); --text: text/plain "upstream exploded" instead,
                             --html: an HTML page (as a proxy sends); 429 carries Retry-After: 1,
                             --retry-after N puts Retry-After: N on any CODE; CODE reset: close
                             the connection without any response (the request is not executed);
                             --method (GET, POST, PUT, PATCH, DELETE) and --path-suffix (e.g.
                             /status; the path without its query) fail and count only the
                             requests that match both, others pass untouched; --after N lets
                             the next N matching requests pass first; COUNT 0 clears
  warn CONTEXT COUNT [TEXT]  the next COUNT responses carry `Warning: 299 - "TEXT"`; COUNT 0
                             clears
  add-token CONTEXT TOKEN [--user NAME]
                             accept bearer TOKEN as user NAME (default exec-user) from now on
  revoke-token CONTEXT TOKEN stop accepting TOKEN: it gets 401 Unauthorized
  drop-watches CONTEXT       end every open watch stream
  compact CONTEXT            forget the server's event history, as etcd compaction does: a
                             watch resumed from an older resourceVersion gets 410 Expired
  down CONTEXT               stop listening and close every connection (connection refused)
  up CONTEXT                 listen again, on the same port
  requests CONTEXT [--clear] print the requests the server received, one JSON object a line,
                             oldest first: method, path, code (0: reset), user, auth (cert,
                             bearer, basic, other or none; never the secret), impersonate
                             (Impersonate-* header -> list of values), userAgent, accept,
                             acceptEncoding, contentType, body
  status [-o json]           every server: URL, up or down, latency, pending failures (count,
                             CODE, METHOD, *SUFFIX) and warnings; -o json: an object keyed by
                             context (with "port"; failCode, failMethod, failPathSuffix)
  analysis fail-next [N]     the next N (default 1) Jobs that start a pod in a cluster (the
                             analysis Jobs of a canary) fail; N 0 clears (needs --controllers)
  pause CONTROLLER           the simulated controller (nova, cluster or argo-rollouts) skips
                             its ticks until resumed: what it keeps in step can be changed by
                             hand and stays so
  resume CONTROLLER          it runs again
  pull-fail CONTEXT [IMAGE]  the workload cluster's kubelet cannot pull IMAGE: new pods with it
                             stay Pending (ImagePullBackOff); without IMAGE, every image pulls

--dir defaults to $NOVA_SIM_DIR.)";

struct RunOptions {
    std::string dir;
    int workload_clusters = 2;
    int watch_history = 0; // 0: the store's default
    std::vector<std::string> loads;
    std::string load_created_ago; // "": keep the objects' timestamps
    std::string load_now;         // "": keep the objects' timestamps
    long long load_now_at = -1;   // Unix seconds --load-now becomes; -1: when nova-sim starts
    bool exit_with_parent = false;
    bool controllers = false;
    double time_scale = 1.0;
    std::string pod_start = "3s";
    std::string argo_controller = "auto";
};

struct CtlOptions {
    std::string dir;
    std::string context;
    std::string duration;
    int count = 0;
    std::string code; // 401, ..., or reset
    bool text_body = false;
    bool html_body = false;
    int retry_after = -1; // -1: not given
    std::string method;   // "": any
    std::string path_suffix;
    int after = 0; // fail --after N
    std::string warning;
    std::string token;
    std::string user{default_added_token_user};
    std::string output;
    bool clear = false;
    int failing_jobs = 1;   // analysis fail-next [N]
    std::string controller; // pause, resume
    std::string image;      // pull-fail
};

// Removes a file when the scope ends, however it ends.
class RemoveOnExit {
public:
    explicit RemoveOnExit(fs::path path) : m_path(std::move(path)) {}
    ~RemoveOnExit() {
        std::error_code ignored;
        fs::remove(m_path, ignored);
    }
    RemoveOnExit(const RemoveOnExit&) = delete;
    RemoveOnExit& operator=(const RemoveOnExit&) = delete;

private:
    fs::path m_path;
};

// One --load: the objects of FILE (or of every manifest of a directory), for the server of
// CONTEXT.
struct Load {
    std::string context;
    std::string file;
    std::vector<nlohmann::json> objects;
};

// Reads every --load file before any server starts, so a bad one costs nothing.
std::vector<Load> read_loads(const std::vector<std::string>& loads,
                             const std::vector<std::string>& contexts) {
    std::vector<Load> result;
    for (const auto& load : loads) {
        const auto equals = load.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == load.size()) {
            throw core::usage_error("--load wants CONTEXT=FILE or CONTEXT=DIR, got \"" + load +
                                    "\"");
        }
        std::string context = load.substr(0, equals);
        if (std::find(contexts.begin(), contexts.end(), context) == contexts.end()) {
            std::string known;
            for (const auto& name : contexts) {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw core::usage_error("--load " + load + ": unknown context \"" + context +
                                    "\" (nova-sim serves " + known + ")");
        }
        for (const auto& file : manifest_files(load.substr(equals + 1))) {
            result.push_back({context, file.string(), read_manifest_file(file)});
        }
    }
    return result;
}

// Two nova-sims on one directory would overwrite each other's kubeconfig and control file.
void refuse_if_running(const fs::path& control_file) {
    std::ifstream in(control_file);
    if (!in) {
        return;
    }
    const nlohmann::json control = nlohmann::json::parse(in, nullptr, false);
    if (!control.is_object() || !control.contains("pid") || !control["pid"].is_number_integer()) {
        return;
    }
    const auto pid = control["pid"].get<pid_t>();
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) == 0) {
        throw core::Error("nova-sim already runs with --dir " +
                          control_file.parent_path().string() + " (pid " + std::to_string(pid) +
                          ")");
    }
}

int run(const RunOptions& options) {
    const fs::path dir = fs::absolute(options.dir);
    std::error_code error;
    fs::create_directories(dir, error);
    if (error || !fs::is_directory(dir)) {
        throw core::Error("cannot use " + dir.string() + " as nova-sim's directory: " +
                          (error ? error.message() : "not a directory"));
    }
    const fs::path ready = dir / "ready";
    const fs::path control_file = dir / "control.json";
    refuse_if_running(control_file);
    fs::remove(ready, error); // a stale one from an earlier run would say "ready" too early

    // Block the shutdown signals before any thread exists, so every thread inherits the mask and
    // only sigwait() below sees them. A shell starts background jobs with SIGINT ignored, and an
    // ignored signal never reaches sigwait(): restore the default first.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    if (options.exit_with_parent) {
        // A test harness killed outright (a CTest timeout) cannot stop us; its death can.
        const pid_t parent = ::getppid();
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) {
            ::raise(SIGTERM); // the parent went before prctl(): stop right after start-up
        }
    }

    Environment environment(options.workload_clusters);
    if (options.watch_history > 0) {
        environment.set_watch_history(static_cast<std::size_t>(options.watch_history));
    }
    auto loads = read_loads(options.loads, environment.contexts());
    for (auto& load : loads) {
        for (auto& object : load.objects) {
            upgrade_legacy_api_version(object);
        }
    }
    if (!options.load_now.empty()) {
        const auto then = core::parse_rfc3339(options.load_now);
        const auto at = options.load_now_at >= 0
                            ? core::TimePoint(std::chrono::seconds(options.load_now_at))
                            : std::chrono::floor<std::chrono::seconds>(core::Clock::now());
        const auto offset = at - then;
        for (auto& load : loads) {
            for (auto& object : load.objects) {
                shift_timestamps(object, offset);
            }
        }
    }
    if (!options.load_created_ago.empty()) {
        const auto age = parse_age(options.load_created_ago);
        const auto now = core::Clock::now();
        for (auto& load : loads) {
            for (auto& object : load.objects) {
                backdate(object, age, now);
            }
        }
    }

    environment.start();
    for (const auto& load : loads) {
        ApiServer& api = environment.endpoint(load.context).api();
        for (const auto& object : load.objects) {
            try {
                if (load.context == control_plane_context &&
                    object.value("kind", std::string()) == "Cluster") {
                    // A scenario's own Cluster object (standby, not ready...) replaces the one
                    // nova-sim made for that workload cluster.
                    const GroupResource clusters{"cluster.elotl.co", "clusters"};
                    const auto name = object["metadata"].value("name", std::string());
                    if (api.store().find(clusters, "", name)) {
                        api.store().remove(clusters, "", name);
                    }
                }
                api.load(object);
            } catch (const core::Error& e) {
                throw core::Error("cannot load " + load.file + " into " + load.context + ": " +
                                  e.what());
            }
        }
    }
    if (options.controllers) {
        // After the loads: the controllers find the scenario in place on their first tick.
        SimSettings& settings = environment.settings();
        settings.pod_start = std::chrono::duration_cast<std::chrono::milliseconds>(
            core::parse_go_duration(options.pod_start));
        settings.argo_controller = options.argo_controller;
        environment.start_controllers(options.time_scale, simulated_controllers(settings));
    }
    ControlServer control(environment);
    control.start();

    RemoveOnExit remove_control(control_file);
    RemoveOnExit remove_ready(ready);
    write_file_atomically(dir / "kubeconfig", environment.kubeconfig());
    write_file_atomically(dir / "ports.json", environment.ports().dump(2) + "\n");
    environment.write_service_account(dir / "serviceaccount");
    write_file_atomically(control_file, nlohmann::json{{"port", control.port()},
                                                       {"secret", control.secret()},
                                                       {"pid", static_cast<long>(::getpid())}}
                                                .dump() +
                                            "\n");
    write_file_atomically(ready, std::to_string(::getpid()) + "\n");

    std::string served;
    for (const auto& context : environment.contexts()) {
        served += (served.empty() ? "" : ", ") + context +
                  " (https://127.0.0.1:" + std::to_string(environment.endpoint(context).port()) +
                  ")";
    }
    std::cout << "nova-sim: serving " << served << "\n"
              << "nova-sim: KUBECONFIG=" << (dir / "kubeconfig").string() << std::endl;

    int signal_number = 0;
    sigwait(&signals, &signal_number);
    std::cout << "nova-sim: stopping (" << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ")"
              << std::endl;
    control.stop();
    environment.stop();
    return 0;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    if (!in) {
        throw core::Error("nova-sim is not running with --dir " + path.parent_path().string() +
                          " (cannot read " + path.string() + ")");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int ctl(const std::string& verb, const CtlOptions& options) {
    nlohmann::json command{{"verb", verb}};
    if (verb == "analysis") {
        command["action"] = "fail-next"; // its only verb
        command["count"] = options.failing_jobs;
    } else if (verb == "pause" || verb == "resume") {
        command["controller"] = options.controller;
    } else if (verb != "status") {
        command["context"] = options.context;
    } else if (!options.output.empty()) {
        command["output"] = options.output;
    }
    if (verb == "latency") {
        const auto latency = core::parse_go_duration(options.duration);
        if (latency.count() < 0) {
            throw core::usage_error("latency " + options.duration + " is negative");
        }
        command["milliseconds"] =
            std::chrono::duration_cast<std::chrono::milliseconds>(latency).count();
    } else if (verb == "fail") {
        command["count"] = options.count;
        if (options.code == "reset") {
            if (options.text_body || options.html_body || options.retry_after >= 0) {
                throw core::usage_error("fail ... reset takes no --text, --html or --retry-after");
            }
            command["code"] = "reset";
        } else {
            command["code"] = std::stoi(options.code); // checked by the CLI
        }
        command["body"] = options.text_body ? "text" : options.html_body ? "html" : "status";
        if (options.retry_after >= 0) {
            command["retryAfter"] = options.retry_after;
        }
        if (!options.method.empty()) {
            command["method"] = options.method;
        }
        if (!options.path_suffix.empty()) {
            command["pathSuffix"] = options.path_suffix;
        }
        if (options.after > 0) {
            command["after"] = options.after;
        }
    } else if (verb == "warn") {
        command["count"] = options.count;
        command["text"] = options.warning;
    } else if (verb == "add-token") {
        command["token"] = options.token;
        command["user"] = options.user;
    } else if (verb == "revoke-token") {
        command["token"] = options.token;
    } else if (verb == "requests") {
        command["clear"] = options.clear;
    } else if (verb == "pull-fail") {
        command["image"] = options.image;
    }

    const fs::path control_file = fs::absolute(options.dir) / "control.json";
    nlohmann::json control;
    try {
        control = nlohmann::json::parse(read_text(control_file));
        control.at("port").get<int>();
        control.at("secret").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        throw core::Error(control_file.string() + " is not nova-sim's control file");
    }
    const int port = control["port"].get<int>();
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(60);
    const auto response =
        client.Post("/ctl", {{"Authorization", "Bearer " + control["secret"].get<std::string>()}},
                    command.dump(), "application/json");
    if (!response) {
        throw core::Error("cannot reach nova-sim at 127.0.0.1:" + std::to_string(port) + " (" +
                          httplib::to_string(response.error()) + "); is it still running?");
    }
    nlohmann::json reply = nlohmann::json::parse(response->body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        throw core::Error("nova-sim's control endpoint answered " +
                          std::to_string(response->status) + " with a body that is not JSON");
    }
    if (response->status != 200) {
        throw core::Error(reply.value("error", "nova-sim refused the command"),
                          response->status == 400 ? core::ExitCode::usage
                                                  : core::ExitCode::failure);
    }
    std::cout << reply.value("output", "");
    return 0;
}

int parse_and_run(int argc, char** argv) {
    CLI::App app{"nova-sim: a simulated Nova environment (control plane, hosting cluster, workload "
                 "clusters) of HTTPS API servers on 127.0.0.1, for tests and demos.",
                 "nova-sim"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Print help for every command");

    RunOptions run_options;
    CLI::App* run_command = app.add_subcommand(
        "run", "Serve the API servers in the foreground until SIGINT or SIGTERM. Writes "
               "DIR/kubeconfig (contexts nova, nova-cert, nova-basic, kind-cp, kind-workload-N), "
               "DIR/ports.json (context -> port), DIR/serviceaccount/{token,ca.crt,namespace} "
               "(the control plane's in-cluster credentials), DIR/control.json (for ctl), then "
               "DIR/ready.");
    run_command
        ->add_option("--dir", run_options.dir, "Directory for kubeconfig, control.json and ready")
        ->required();
    run_command
        ->add_option("--workload-clusters", run_options.workload_clusters,
                     "Number of workload clusters (default 2)")
        ->check(CLI::Range(0, 100));
    run_command
        ->add_option("--load", run_options.loads,
                     "Preload the objects of a (multi-document) YAML file, or of every .yaml, "
                     ".yml and .json file of a directory in name order, into a server; "
                     "repeatable")
        ->type_name("CONTEXT=FILE|DIR")
        ->take_all()
        ->expected(1);
    run_command
        ->add_option("--load-created-ago", run_options.load_created_ago,
                     "Make every loaded object this old (creationTimestamp, and an AnalysisRun's "
                     "measurement times, set to now minus AGE), for goldens with fixed AGEs")
        ->type_name("AGE (7d, 90m)");
    run_command
        ->add_option("--load-now", run_options.load_now,
                     "The instant the loaded objects were written for: every timestamp in them "
                     "moves by (now - TIME), so their ages are what they were then")
        ->type_name("TIME (RFC 3339)");
    run_command
        ->add_option("--load-now-at", run_options.load_now_at,
                     "The moment --load-now TIME becomes, in Unix seconds (default: when nova-sim "
                     "starts); a test that runs its command within that second sees the ages "
                     "exactly as they were at TIME")
        ->type_name("UNIX_SECONDS")
        ->check(CLI::NonNegativeNumber);
    run_command
        ->add_option("--watch-history", run_options.watch_history,
                     "Change events each server keeps for watches (default 10000); a watch "
                     "from an older resourceVersion gets 410 Expired")
        ->check(CLI::PositiveNumber);
    run_command->add_flag("--exit-with-parent", run_options.exit_with_parent,
                          "Stop (as on SIGTERM) when the process that started nova-sim exits");
    run_command->add_flag("--controllers", run_options.controllers,
                          "Run the simulated controllers: pods in the clusters, Nova's placement, "
                          "argo-rollouts (without it, objects stay exactly as written)");
    run_command
        ->add_option("--time-scale", run_options.time_scale,
                     "Simulated seconds per real second for the controllers (10: a 30s pause "
                     "takes 3s)")
        ->check(CLI::Range(0.01, 10000.0));
    run_command
        ->add_option("--pod-start", run_options.pod_start,
                     "Simulated time a new pod takes to run and be Ready (Go syntax)")
        ->check([](const std::string& text) {
            try {
                return core::parse_go_duration(text).count() >= 0
                           ? std::string()
                           : std::string("must not be negative");
            } catch (const core::Error& error) {
                return std::string(error.what());
            }
        });
    run_command
        ->add_option("--argo-controller", run_options.argo_controller,
                     "auto: argo-rollouts runs once its Deployment in kind-cp's elotl namespace "
                     "is available (as in the tutorial); always; never")
        ->check(CLI::IsMember({"auto", "always", "never"}));

    CtlOptions ctl_options;
    CLI::App* ctl_command =
        app.add_subcommand("ctl", "Flip the fault switches of a running nova-sim.");
    ctl_command->footer(ctl_footer);
    ctl_command->require_subcommand(1);
    ctl_command->fallthrough();
    ctl_command->add_option("--dir", ctl_options.dir, "The --dir of the running nova-sim")
        ->envname("NOVA_SIM_DIR")
        ->required();
    const auto add_verb = [&](const char* name, const char* description, bool with_context) {
        CLI::App* verb = ctl_command->add_subcommand(name, description);
        if (with_context) {
            verb->add_option("CONTEXT", ctl_options.context, "Context of the server")->required();
        }
        return verb;
    };
    CLI::App* latency = add_verb("latency", "Delay every request (0 clears)", true);
    latency->add_option("DURATION", ctl_options.duration, "Go duration: 200ms, 1.5s, 0")
        ->required();
    CLI::App* fail = add_verb("fail", "Fail the next COUNT requests with CODE", true);
    fail->add_option("COUNT", ctl_options.count, "How many requests")
        ->required()
        ->check(CLI::NonNegativeNumber);
    fail->add_option("CODE", ctl_options.code,
                     "401, 403, 409, 429, 500, 502 or 503; reset: close the connection, no "
                     "response")
        ->required()
        ->check(CLI::IsMember({"401", "403", "409", "429", "500", "502", "503", "reset"}));
    CLI::Option* text_body = fail->add_flag("--text", ctl_options.text_body,
                                            "Send text/plain \"upstream exploded\", not a Status");
    fail->add_flag("--html", ctl_options.html_body, "Send an HTML error page, as a proxy would")
        ->excludes(text_body);
    fail->add_option("--retry-after", ctl_options.retry_after,
                     "Send Retry-After: N (seconds) with each failure")
        ->check(CLI::NonNegativeNumber);
    // IsMember with ignore_case hands on the member as listed: the method in upper case.
    fail->add_option("--method", ctl_options.method,
                     "Fail only requests with this method; others pass and do not count")
        ->check(CLI::IsMember({"GET", "POST", "PUT", "PATCH", "DELETE"}, CLI::ignore_case));
    fail->add_option("--path-suffix", ctl_options.path_suffix,
                     "Fail only requests whose path (without the query) ends with TEXT, e.g. "
                     "/status; others pass and do not count")
        ->type_name("TEXT");
    fail->add_option("--after", ctl_options.after,
                     "Let the next N matching requests pass before the failures start")
        ->check(CLI::NonNegativeNumber);
    CLI::App* warn = add_verb("warn", "The next COUNT responses carry a Warning header", true);
    warn->add_option("COUNT", ctl_options.count, "How many responses")
        ->required()
        ->check(CLI::NonNegativeNumber);
    warn->add_option("TEXT", ctl_options.warning, "The warning's text (not needed for COUNT 0)");
    CLI::App* add_token =
        add_verb("add-token", "Accept a bearer token from now on (for exec plugins)", true);
    add_token->add_option("TOKEN", ctl_options.token, "The token")->required();
    add_token->add_option("--user", ctl_options.user, "Its user (default exec-user)");
    CLI::App* revoke_token = add_verb("revoke-token", "Stop accepting a bearer token", true);
    revoke_token->add_option("TOKEN", ctl_options.token, "The token")->required();
    add_verb("drop-watches", "End every open watch stream", true);
    add_verb("compact", "Forget the event history (older watches get 410 Expired)", true);
    add_verb("down", "Stop listening; clients get connection refused", true);
    add_verb("up", "Listen again on the same port", true);
    CLI::App* requests = add_verb("requests", "Print the recorded requests as JSON lines", true);
    requests->add_flag("--clear", ctl_options.clear, "Forget them afterwards");
    CLI::App* status = add_verb("status", "Every server's URL and state", false);
    status->add_option("-o,--output", ctl_options.output, "json: one object keyed by context")
        ->check(CLI::IsMember({"json"}));
    CLI::App* analysis = add_verb("analysis", "The simulated clusters' analysis Jobs", false);
    analysis->require_subcommand(1);
    analysis->add_subcommand("fail-next", "The next N Jobs fail (default 1; 0: they succeed again)")
        ->add_option("N", ctl_options.failing_jobs, "How many Jobs")
        ->check(CLI::NonNegativeNumber);

    for (const char* name : {"pause", "resume"}) {
        add_verb(name,
                 std::string_view(name) == "pause" ? "A simulated controller skips its ticks"
                                                   : "A paused controller runs again",
                 false)
            ->add_option("CONTROLLER", ctl_options.controller, "nova, cluster or argo-rollouts")
            ->required()
            ->check(CLI::IsMember({"nova", "cluster", "argo-rollouts"}));
    }
    add_verb("pull-fail", "A workload cluster cannot pull an image (ImagePullBackOff)", true)
        ->add_option("IMAGE", ctl_options.image, "The image as pods name it; none: all pull");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        throw core::usage_error(std::string(e.what()) + " (see nova-sim --help)");
    }

    if (run_command->parsed()) {
        return run(run_options);
    }
    // require_subcommand(1) leaves exactly one verb.
    return ctl(ctl_command->get_subcommands().front()->get_name(), ctl_options);
}

} // namespace

int run_main(int argc, char** argv) {
    try {
        return parse_and_run(argc, argv);
    } catch (const core::Error& e) {
        std::cerr << "error: " << e.what() << std::endl;
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << std::endl;
        return static_cast<int>(core::ExitCode::failure);
    }
}

} // namespace nova::sim
