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

std::vector<std::unique_ptr<Controller>> simulated_controllers(SimSettings& settings) {
    std::vector<std::unique_ptr<Controller>> controllers;
    (void)settings; // each controller below takes the knobs it reads
    controllers.push_back(make_nova_controller());
    controllers.push_back(std::make_unique<ClusterController>(settings));
    controllers.push_back(make_argo_controller(settings));
    return controllers;
}

} // namespace nova::sim
