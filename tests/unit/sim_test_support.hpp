#pragma once

// Shared by the unit tests of nova-sim's controllers.

#include "lib/sim/resources.hpp"
#include "lib/sim/store.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nova::sim::testing {

// Every ReplicaSet of `store` with all its replicas ready and available: what the Nova controller
// would sum back from the workload clusters once their pods run.
inline void mark_replica_sets_ready(Store& store) {
    for (const auto& rs : store.list(kinds::replica_sets).items) {
        const auto spec = rs["spec"].value("replicas", 0);
        const nlohmann::json status = {{"replicas", spec},
                                       {"readyReplicas", spec},
                                       {"availableReplicas", spec},
                                       {"observedGeneration", rs["metadata"]["generation"]}};
        if (rs.value("status", nlohmann::json::object()) != status) {
            store.modify(
                kinds::replica_sets, "default", rs["metadata"]["name"].get<std::string>(),
                [&](nlohmann::json& o) { o["status"] = status; }, true);
        }
    }
}

} // namespace nova::sim::testing
