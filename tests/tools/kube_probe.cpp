// kube-probe: a test-only driver of lib/kube (not installed, not a product command). It takes
// kubectl's global flags, resolves the kubeconfig as the plugin does, and performs the requests
// named on its command line in one concurrent round, so that integration tests can exercise the
// transport over TLS against nova-sim:
//
//   kube-probe [kubectl flags] get PATH [get PATH ...]
//   kube-probe --context a --also-context b get PATH      (the same requests against b too)
//   kube-probe patch PATH BODY | post PATH BODY | delete PATH
//   kube-probe watch PATH [watch PATH ...] [--events N] [--relist] [--for DURATION] [--from RV]
//              [--no-bookmarks] [--reflect] [--tick DURATION [--ticks N]]
//     --reflect: relist watches (Watch::relist) that LIST inside watch(), also first
//     --tick: the caller's timer (WatchCallbacks::on_tick) every DURATION; --ticks N: end after N
//   kube-probe --rounds N [--between FILE] get PATH ...   (the same round N times, one Client;
//              before each round after the first, wait for FILE to appear and remove it)
//   kube-probe --service-account-dir DIR ...   (in-cluster files from DIR instead of /var/run/...)
//   kube-probe --show-config ...               (first print: config context=C server=S namespace=N)
//
// Output, one line per result, in request order:
//   <context> <HTTP status> <compact JSON body>      or      <context> error: <message>
// (with --rounds N > 1, each round starts with a line `round K`), and for watches, one line per
// event: <context> <TYPE> <name> <resourceVersion>; `tick K` for each tick, and with --reflect
// `<context> LIST <n> items at <resourceVersion>` for each LIST that watch() made.
// Exit 0 if every request succeeded (watch: N events seen), 1 otherwise, 130 when interrupted.

#include "lib/cli/kube_flags.hpp"
#include "lib/core/duration.hpp"
#include "lib/core/error.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/config.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace kube = nova::kube;

struct Operation {
    std::string verb; // get, post, patch, delete, watch
    std::string path;
    std::string body;
};

std::vector<Operation> parse_operations(const std::vector<std::string>& words) {
    std::vector<Operation> operations;
    for (std::size_t i = 0; i < words.size();) {
        Operation op;
        op.verb = words[i];
        const bool with_body = op.verb == "post" || op.verb == "patch";
        if (op.verb != "get" && op.verb != "delete" && op.verb != "watch" && !with_body) {
            throw nova::core::usage_error("unknown operation " + op.verb +
                                          ": use get, post, patch, delete or watch");
        }
        const std::size_t needed = with_body ? 3 : 2;
        if (i + needed > words.size()) {
            throw nova::core::usage_error(op.verb + " needs PATH" + (with_body ? " BODY" : ""));
        }
        op.path = words[i + 1];
        if (with_body) {
            op.body = words[i + 2];
        }
        operations.push_back(std::move(op));
        i += needed;
    }
    if (operations.empty()) {
        throw nova::core::usage_error("nothing to do: give get PATH, watch PATH, ...");
    }
    return operations;
}

std::string label(const kube::RestConfig& config) {
    return config.context.empty() ? std::string("(no context)") : config.context;
}

void on_signal(int /*signal*/) {
    kube::request_stop();
}

// --between: the test says when the next round may start by creating `file`.
void wait_for_file(const std::string& file) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(file)) {
        if (kube::stop_requested() || std::chrono::steady_clock::now() >= deadline) {
            throw nova::core::Error("gave up waiting for " + file);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::filesystem::remove(file);
}

int run(int argc, char** argv) {
    CLI::App app("Test driver of lib/kube: performs API requests concurrently", "kube-probe");
    kube::Overrides overrides;
    nova::cli::add_kube_flags(app, overrides);
    std::vector<std::string> also_contexts;
    int events_wanted = 0;
    bool relist = false;
    bool raw = false;
    bool no_bookmarks = false;
    bool show_config = false;
    int rounds = 1;
    std::string between_file;
    std::string service_account_dir;
    std::string watch_for;
    std::string watch_from;
    bool reflect = false;
    std::string tick_every;
    int ticks_wanted = 0;
    std::vector<std::string> words;
    app.add_option("--also-context", also_contexts, "Also send every request to this context")
        ->allow_extra_args(false);
    app.add_option("--events", events_wanted,
                   "watch: stop after this many events (bookmarks "
                   "excluded)");
    app.add_flag("--relist", relist, "watch: on 410 Expired, list again and watch on");
    app.add_option("--for", watch_for, "watch: stop after this long (Go duration)");
    app.add_option("--from", watch_from,
                   "watch: start at this resourceVersion instead of listing first");
    app.add_flag("--no-bookmarks", no_bookmarks, "watch: do not ask for BOOKMARK events");
    app.add_flag("--reflect", reflect,
                 "watch: relist watches, listed inside watch() first and after failures");
    app.add_option("--tick", tick_every, "watch: the caller's timer, every DURATION (Go syntax)");
    app.add_option("--ticks", ticks_wanted, "watch: with --tick, stop after this many ticks")
        ->check(CLI::PositiveNumber);
    app.add_flag("--raw", raw, "Print bodies as received instead of decoding JSON");
    app.add_option("--rounds", rounds, "Perform the requests this many times, one round each")
        ->check(CLI::PositiveNumber);
    app.add_option("--between", between_file,
                   "Before each round after the first, wait for this file, then remove it");
    app.add_option("--service-account-dir", service_account_dir,
                   "Read the in-cluster token, ca.crt and namespace from this directory");
    app.add_flag("--show-config", show_config,
                 "First print the resolved context, server and namespace");
    app.add_option("operations", words,
                   "get PATH | post PATH BODY | patch PATH BODY | "
                   "delete PATH | watch PATH ...");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    // Line by line even into a file: tests wait for lines while the probe runs.
    std::cout << std::unitbuf;
    const std::vector<Operation> operations = parse_operations(words);
    kube::Environment env = kube::Environment::process();
    if (!service_account_dir.empty()) {
        env.service_account_dir = service_account_dir;
    }
    const kube::KubeConfig kubeconfig = kube::load_kubeconfig(overrides, env);
    std::vector<std::shared_ptr<const kube::RestConfig>> configs;
    configs.push_back(
        std::make_shared<const kube::RestConfig>(kube::resolve(kubeconfig, overrides, env)));
    for (const auto& context : also_contexts) {
        configs.push_back(std::make_shared<const kube::RestConfig>(
            kube::resolve_context(kubeconfig, context, overrides, env)));
    }

    if (show_config) {
        const kube::RestConfig& config = *configs.front();
        std::cout << "config context=" << config.context << " server=" << config.server
                  << " namespace=" << config.namespace_name << '\n';
    }

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    kube::ClientOptions options;
    options.version = "v0.0.0-probe";
    kube::Client client(options);

    const bool watching = operations.front().verb == "watch";
    for (const auto& op : operations) {
        if ((op.verb == "watch") != watching) {
            throw nova::core::usage_error("watch cannot be mixed with other operations");
        }
    }

    if (!watching) {
        std::vector<kube::Request> requests;
        for (const auto& config : configs) {
            for (const auto& op : operations) {
                kube::Request request;
                request.config = config;
                request.path = op.path;
                request.body = op.body;
                request.decode_json = !raw;
                if (op.verb == "post") {
                    request.method = kube::Method::post;
                } else if (op.verb == "patch") {
                    request.method = kube::Method::patch;
                    request.content_type = "application/merge-patch+json";
                } else if (op.verb == "delete") {
                    request.method = kube::Method::del;
                }
                requests.push_back(std::move(request));
            }
        }
        int exit_code = 0;
        for (int round = 1; round <= rounds && exit_code != 130; ++round) {
            if (rounds > 1) {
                if (round > 1 && !between_file.empty()) {
                    wait_for_file(between_file);
                }
                std::cout << "round " << round << '\n';
            }
            std::vector<kube::Result> results = client.run(requests);
            for (std::size_t i = 0; i < results.size(); ++i) {
                const std::string& who = label(*requests[i].config);
                if (results[i].ok()) {
                    const kube::Response& response = results[i].response();
                    std::cout << who << ' ' << response.status << ' '
                              << (raw ? response.body : response.json.dump()) << '\n';
                } else {
                    const kube::ApiError& error = results[i].error();
                    std::cout << who << " error: " << error.message << '\n';
                    exit_code = error.kind == kube::ErrorKind::interrupted ? 130 : 1;
                }
            }
        }
        return exit_code;
    }

    std::vector<kube::Watch> watches;
    for (const auto& config : configs) {
        for (const auto& op : operations) {
            kube::Watch watch;
            watch.config = config;
            watch.path = op.path;
            watch.bookmarks = !no_bookmarks;
            watch.relist = reflect;
            watch.list_first = reflect && watch_from.empty();
            watches.push_back(std::move(watch));
        }
    }
    std::optional<kube::SteadyClock::time_point> deadline;
    if (!watch_for.empty()) {
        deadline =
            kube::SteadyClock::now() + std::chrono::duration_cast<kube::SteadyClock::duration>(
                                           nova::core::parse_go_duration(watch_for));
    }
    // List first, as a real caller does, and watch from the list's resourceVersion.
    const auto list = [&](std::size_t index) {
        kube::Result result =
            client.run_one(kube::Request::get(watches[index].config, watches[index].path));
        const kube::Response& response = result.value();
        watches[index].resource_version = kube::resource_version_of(response.json);
        watches[index].state = kube::Watch::State::active;
        std::cout << label(*watches[index].config) << " LIST "
                  << (response.json.contains("items") ? response.json["items"].size() : 0)
                  << " items at " << watches[index].resource_version << '\n';
    };
    for (std::size_t i = 0; i < watches.size(); ++i) {
        if (reflect) {
            watches[i].resource_version = watch_from; // watch() lists first without --from
        } else if (watch_from.empty()) {
            list(i);
        } else {
            watches[i].resource_version = watch_from;
        }
    }

    int seen = 0;
    int ticks = 0;
    std::vector<std::size_t> expired;
    std::optional<kube::SteadyClock::duration> tick_period;
    if (!tick_every.empty()) {
        tick_period = std::chrono::duration_cast<kube::SteadyClock::duration>(
            nova::core::parse_go_duration(tick_every));
    }
    kube::WatchCallbacks callbacks;
    callbacks.on_list = [&](std::size_t index, const nlohmann::json& reply) {
        std::cout << label(*watches[index].config) << " LIST "
                  << (reply.contains("items") ? reply["items"].size() : 0) << " items at "
                  << kube::resource_version_of(reply) << '\n';
        return true;
    };
    callbacks.on_tick = [&]() {
        std::cout << "tick " << ++ticks << '\n';
        callbacks.tick_at = kube::SteadyClock::now() + *tick_period;
        return ticks_wanted <= 0 || ticks < ticks_wanted;
    };
    if (tick_period) {
        callbacks.tick_at = kube::SteadyClock::now() + *tick_period;
    }
    while (true) {
        expired.clear();
        callbacks.on_event = [&](const kube::WatchEvent& event) {
            const std::string who = label(*watches[event.watch].config);
            if (event.type == kube::EventType::error) {
                std::cout << who << " ERROR "
                          << (event.error ? event.error->message : event.object.dump()) << '\n';
                return true;
            }
            if (event.type == kube::EventType::expired) {
                std::cout << who << " EXPIRED " << event.object.value("message", "") << '\n';
                if (reflect) {
                    return true; // watch() lists again by itself
                }
                expired.push_back(event.watch);
                return !relist; // stop to re-list
            }
            const auto& metadata = event.object.value("metadata", nlohmann::json::object());
            std::cout << who << ' ' << kube::event_type_name(event.type) << ' '
                      << metadata.value("name", "-") << ' '
                      << metadata.value("resourceVersion", "-") << '\n';
            if (event.type != kube::EventType::bookmark) {
                ++seen;
            }
            return events_wanted <= 0 || seen < events_wanted;
        };
        const kube::WatchEnd end = client.watch(watches, callbacks, deadline);
        switch (end) {
        case kube::WatchEnd::stopped:
            if (ticks_wanted > 0 && ticks >= ticks_wanted) {
                std::cout << "stopped after " << ticks << " ticks and " << seen << " events\n";
                return 0;
            }
            if (relist && !expired.empty()) {
                for (const std::size_t index : expired) {
                    list(index);
                }
                continue;
            }
            return events_wanted > 0 && seen >= events_wanted ? 0 : 1;
        case kube::WatchEnd::deadline:
            std::cout << "deadline after " << seen << " events\n";
            return events_wanted > 0 ? 1 : 0;
        case kube::WatchEnd::interrupted:
            std::cout << "interrupted after " << seen << " events\n";
            return 130;
        case kube::WatchEnd::finished:
            std::cout << "no watch left after " << seen << " events\n";
            return 1;
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const nova::core::Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        std::cerr << "error: internal error: " << e.what() << '\n';
        return 1;
    }
}
