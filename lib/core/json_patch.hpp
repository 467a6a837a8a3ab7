#pragma once

#include <nlohmann/json.hpp>

namespace nova::core {

// JSON merge patch, RFC 7386: objects merge recursively, null deletes, anything else replaces.
// Returns the patched document; `target` is not modified.
nlohmann::json apply_merge_patch(const nlohmann::json& target, const nlohmann::json& patch);

// JSON patch, RFC 6902: add, remove, replace, move, copy, test, with RFC 6901 pointers
// ("~0", "~1", "-" for append). Applied atomically: on any failure `target` is untouched and
// core::Error is thrown naming the operation index (0-based), op and path, e.g.
// `json patch operation 2 (test /spec/replicas): value differs`.
nlohmann::json apply_json_patch(const nlohmann::json& target, const nlohmann::json& patch);

// Kubernetes strategic merge patch for the built-in kinds nova-sim serves. Like a merge patch,
// except that lists with a merge key are merged element by element (containers, initContainers,
// ephemeralContainers, env, volumes, imagePullSecrets by name; ports by containerPort, or by port
// for a Service; volumeMounts by mountPath; hostAliases by ip; conditions by type;
// ownerReferences by uid); other lists (finalizers, args, tolerations, ...) are replaced whole.
// The directives "$patch": "delete" / "replace", "$retainKeys" and
// "$deleteFromPrimitiveList/<field>" are honoured; "$setElementOrder/<field>" is accepted and
// ignored. The full list is at the top of the strategic part of json_patch.cpp.
// Throws core::Error on a malformed patch.
nlohmann::json apply_strategic_merge_patch(const nlohmann::json& target,
                                           const nlohmann::json& patch);

} // namespace nova::core
