#pragma once

// `set image`: which container gets which image, applied to a Rollout or Deployment held as the
// JSON the server returned (so fields this program does not know survive the PUT).

#include "lib/rollouts/workload_ref.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nova::rollouts {

// One CONTAINER=IMAGE argument; container "*" means every container.
struct ImageAssignment {
    std::string container;
    std::string image;

    bool operator==(const ImageAssignment&) const = default;
};

// Parses "CONTAINER=IMAGE" (split at the first '='). Throws core::usage_error when there is no
// '=', a side is empty, or the image is not a valid image reference (core/image_reference.hpp).
ImageAssignment parse_image_assignment(std::string_view text);

struct ImageUpdate {
    nlohmann::json object;              // the input, images replaced in place
    std::vector<std::string> unmatched; // containers of assignments that matched nothing
};

// Sets the images of spec.template.spec's initContainers, containers and ephemeralContainers,
// in that order, as argo does: every container whose name equals an assignment's container (or
// every one for "*") gets its image. Assignments apply in order, so a later one wins.
ImageUpdate set_images(nlohmann::json object, const std::vector<ImageAssignment>& assignments);

// Refuses (core::Error naming the field and `what`, `rollout "demo"`) an object whose
// spec.template.spec, or a container list in it, or a container or its name, has the wrong type,
// where set_images() would pass over it and report the container as not found.
void check_containers(const nlohmann::json& object, const std::string& what);

// `unable to find container named "x"` (or `containers named "x", "y"`); "" when all matched.
std::string unmatched_message(const std::vector<std::string>& unmatched);

// What set image writes for `rollout`: the rollout itself (nullopt), or the Deployment its
// spec.workloadRef names. Any other workloadRef kind throws core::Error (argo treats every kind
// as a Deployment and updates whatever Deployment has that name).
std::optional<WorkloadReference> set_image_deployment(const nlohmann::json& rollout);

} // namespace nova::rollouts
