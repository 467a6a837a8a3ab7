#include "lib/rollouts/icons.hpp"

namespace nova::rollouts::icons {

std::string_view for_rollout(std::string_view status) {
    if (status == "Progressing") {
        return progressing;
    }
    if (status == "Error" || status == "InvalidSpec") {
        return warning;
    }
    if (status == "Paused") {
        return paused;
    }
    if (status == "Healthy") {
        return ok;
    }
    if (status == "Degraded") {
        return bad;
    }
    if (status == "Unknown") {
        return unknown;
    }
    if (status == "ScaledDown") {
        return neutral;
    }
    return none;
}

std::string_view for_replica_set(std::string_view status) {
    if (status == "Progressing") {
        return progressing;
    }
    if (status == "Healthy") {
        return ok;
    }
    if (status == "ReplicaFailure") {
        return bad;
    }
    if (status == "ScaledDown") {
        return neutral;
    }
    return none;
}

std::string_view for_pod(std::string_view status) {
    if (status.starts_with("Init:")) {
        return progressing;
    }
    if (status.starts_with("Signal:") || status.starts_with("ExitCode:")) {
        return bad;
    }
    // Kubelet's image and container error reasons (ErrImagePull, CreateContainerError, ...).
    if (status.ends_with("Error") || status.starts_with("Err")) {
        return warning;
    }
    if (status == "Pending" || status == "Terminating" || status == "ContainerCreating") {
        return progressing;
    }
    if (status == "Running" || status == "Completed") {
        return ok;
    }
    if (status == "Failed" || status == "InvalidImageName" || status == "CrashLoopBackOff") {
        return bad;
    }
    if (status == "ImagePullBackOff" || status == "RegistryUnavailable") {
        return warning;
    }
    if (status == "Unknown") {
        return unknown;
    }
    return none;
}

std::string_view for_analysis(std::string_view phase) {
    if (phase == "Successful") {
        return ok;
    }
    if (phase == "Inconclusive") {
        return unknown;
    }
    if (phase == "Failed") {
        return bad;
    }
    if (phase == "Error") {
        return warning;
    }
    if (phase == "Running") {
        return progressing;
    }
    if (phase == "Pending") {
        return waiting;
    }
    return none;
}

} // namespace nova::rollouts::icons
