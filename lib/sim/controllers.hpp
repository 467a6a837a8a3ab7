#pragma once

// nova-sim's simulated controllers (`run --controllers`): what makes the servers a living Nova
// environment. Each controller is a reconcile function called on every tick with the stores of
// every server; it reads what is there and writes what should change, through the Store (so
// watches see every change, as clients of a real cluster would):
//
//   workload clusters and the hosting cluster: Deployments, ReplicaSets and Jobs get pods
//   Nova, in the control plane: objects a SchedulePolicy selects are copied into the clusters
//     it chooses, and their status is summed back
//   argo-rollouts, in the control plane: canary and blue-green progression
//
// Controllers never block and never sleep: time is read from SimTime, whose scale lets a
// walkthrough with minutes of pauses run in seconds.

#include "lib/core/duration.hpp"
#include "lib/sim/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace nova::sim {

// The simulation's time: the real clock, with every simulated duration (pod start-up, a pause
// step's duration, an analysis interval) divided by `scale`.
struct SimTime {
    core::Clock::time_point now; // full precision: ticks are 50 ms apart
    double scale = 1.0;          // 10: ten simulated seconds pass in one real second

    // How long a simulated duration takes in real time.
    [[nodiscard]] std::chrono::milliseconds real(std::chrono::milliseconds simulated) const;
    // True once `simulated` has passed since `since` (a timestamp the simulation wrote).
    [[nodiscard]] bool elapsed(core::Clock::time_point since,
                               std::chrono::milliseconds simulated) const;
};

// Every server's store, by the part it plays.
struct Fleet {
    Store* control_plane = nullptr; // the Nova control plane ("nova")
    Store* hosting = nullptr;       // the hosting cluster ("kind-cp"), where Nova itself runs
    // The workload clusters: the name of the Cluster object (also the context) and its store.
    std::vector<std::pair<std::string, Store*>> workloads;

    // The workload cluster's store, or nullptr.
    [[nodiscard]] Store* workload(std::string_view cluster) const;
};

// Knobs of the simulated controllers, set by `run` flags and flipped by `nova-sim ctl`.
struct SimSettings {
    // How long a new pod stays Pending (ContainerCreating) before it runs and is Ready.
    std::chrono::milliseconds pod_start{3000};
    // How long an analysis Job's pod runs before it completes.
    std::chrono::milliseconds job_run{5000};
    // The next N analysis Job pods fail (their Job fails, so the AnalysisRun fails).
    std::atomic<int> failing_jobs{0};
    // The argo-rollouts controller runs: "auto" once the tutorial's argo-rollouts Deployment
    // in the hosting cluster's `elotl` namespace is available, "always", or "never".
    std::string argo_controller = "auto";

    // `ctl pause|resume CONTROLLER`: a paused controller (nova, cluster, argo) skips its ticks,
    // so what it keeps in step can be changed by hand and looked at before it is put back.
    [[nodiscard]] bool paused(std::string_view controller) const;
    void set_paused(const std::string& controller, bool paused);
    // `ctl pull-fail CONTEXT IMAGE`: the kubelet of that cluster cannot pull IMAGE, so its new
    // pods stay Pending in ImagePullBackOff ("" as IMAGE: every image pulls again).
    [[nodiscard]] bool pull_fails(const std::string& cluster, const std::string& image) const;
    void set_pull_fails(const std::string& cluster, const std::string& image);

private:
    mutable std::mutex m_switches;
    std::set<std::string> m_paused;
    std::set<std::pair<std::string, std::string>> m_failing_images; // cluster, image
};

// One simulated controller.
class Controller {
public:
    virtual ~Controller() = default;
    [[nodiscard]] virtual std::string_view name() const = 0;
    // Moves the world one step towards what it should be. Called on every tick, so it must be
    // idempotent. An ApiError from a racing write (Conflict, NotFound, AlreadyExists) is fine:
    // the runner reports nothing and the next tick tries again.
    virtual void reconcile(const Fleet& fleet, const SimTime& time) = 0;
};

// Runs the controllers, one after another, on one thread, every `tick`.
class ControllerRunner {
public:
    ControllerRunner(Fleet fleet, double time_scale,
                     std::chrono::milliseconds tick = std::chrono::milliseconds(50));
    ~ControllerRunner();
    ControllerRunner(const ControllerRunner&) = delete;
    ControllerRunner& operator=(const ControllerRunner&) = delete;

    void add(std::unique_ptr<Controller> controller);
    void start();
    void stop();
    // One pass of every controller at `now` (for tests, and what each tick does). Errors other
    // than ApiError are written to `log` (default: stderr) with the controller's name.
    void step(core::Clock::time_point now);

    [[nodiscard]] const Fleet& fleet() const { return m_fleet; }
    void set_log(std::function<void(const std::string&)> log) { m_log = std::move(log); }

private:
    Fleet m_fleet;
    double m_time_scale;
    std::chrono::milliseconds m_tick;
    std::vector<std::unique_ptr<Controller>> m_controllers;
    std::function<void(const std::string&)> m_log;
    std::set<std::string> m_reported;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

// The controllers `run --controllers` starts, in the order they run on each tick.
std::vector<std::unique_ptr<Controller>> simulated_controllers(SimSettings& settings);

} // namespace nova::sim
