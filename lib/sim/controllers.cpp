#include "lib/sim/controllers.hpp"

#include "lib/sim/argo_controller.hpp"
#include "lib/sim/cluster_controller.hpp"
#include "lib/sim/nova_controller.hpp"
#include "lib/sim/resources.hpp"

#include <cmath>
#include <exception>
#include <iostream>

namespace nova::sim {

std::chrono::milliseconds SimTime::real(std::chrono::milliseconds simulated) const {
    if (scale <= 0) {
        return simulated;
    }
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(std::llround(static_cast<double>(simulated.count()) / scale)));
}

bool SimTime::elapsed(core::Clock::time_point since, std::chrono::milliseconds simulated) const {
    return now - since >= real(simulated);
}

Store* Fleet::workload(std::string_view cluster) const {
    for (const auto& [name, store] : workloads) {
        if (name == cluster) {
            return store;
        }
    }
    return nullptr;
}

ControllerRunner::ControllerRunner(Fleet fleet, double time_scale, std::chrono::milliseconds tick)
    : m_fleet(std::move(fleet)), m_time_scale(time_scale), m_tick(tick),
      m_log([](const std::string& line) { std::cerr << line << '\n'; }) {}

ControllerRunner::~ControllerRunner() {
    stop();
}

void ControllerRunner::add(std::unique_ptr<Controller> controller) {
    m_controllers.push_back(std::move(controller));
}

void ControllerRunner::start() {
    if (m_thread.joinable()) {
        return;
    }
    m_stopping = false;
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            lock.unlock();
            step(core::Clock::now());
            lock.lock();
            m_wake.wait_for(lock, m_tick, [this] { return m_stopping; });
        }
    });
}

void ControllerRunner::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void ControllerRunner::step(core::Clock::time_point now) {
    const SimTime time{now, m_time_scale};
    for (const auto& controller : m_controllers) {
        try {
            controller->reconcile(m_fleet, time);
        } catch (const ApiError&) {
            // A write raced with a client (Conflict) or a deletion (NotFound): next tick.
        } catch (const std::exception& error) {
            // Once per distinct problem, not once per tick.
            std::string line =
                "nova-sim: controller " + std::string(controller->name()) + ": " + error.what();
            if (m_reported.insert(line).second) {
                m_log(line);
            }
        }
    }
}

bool SimSettings::paused(std::string_view controller) const {
    std::lock_guard lock(m_switches);
    return m_paused.contains(std::string(controller));
}

void SimSettings::set_paused(const std::string& controller, bool paused) {
    std::lock_guard lock(m_switches);
    if (paused) {
        m_paused.insert(controller);
    } else {
        m_paused.erase(controller);
    }
}

bool SimSettings::pull_fails(const std::string& cluster, const std::string& image) const {
    std::lock_guard lock(m_switches);
    return m_failing_images.contains({cluster, image});
}

void SimSettings::set_pull_fails(const std::string& cluster, const std::string& image) {
    std::lock_guard lock(m_switches);
    if (image.empty()) {
        std::erase_if(m_failing_images, [&](const auto& entry) { return entry.first == cluster; });
    } else {
        m_failing_images.insert({cluster, image});
    }
}

namespace {

// A controller that skips its ticks while `ctl pause` says so.
class Pausable final : public Controller {
public:
    Pausable(std::unique_ptr<Controller> inner, const SimSettings& settings)
        : m_inner(std::move(inner)), m_settings(settings) {}
    [[nodiscard]] std::string_view name() const override { return m_inner->name(); }
    void reconcile(const Fleet& fleet, const SimTime& time) override {
        if (!m_settings.paused(m_inner->name())) {
            m_inner->reconcile(fleet, time);
        }
    }

private:
    std::unique_ptr<Controller> m_inner;
    const SimSettings& m_settings;
};

} // namespace

std::vector<std::unique_ptr<Controller>> simulated_controllers(SimSettings& settings) {
    std::vector<std::unique_ptr<Controller>> controllers;
    // each controller below takes the knobs it reads
    controllers.push_back(std::make_unique<Pausable>(make_nova_controller(), settings));
    controllers.push_back(
        std::make_unique<Pausable>(std::make_unique<ClusterController>(settings), settings));
    controllers.push_back(std::make_unique<Pausable>(make_argo_controller(settings), settings));
    return controllers;
}

} // namespace nova::sim
