#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

// Which patches `promote` sends (reference/argo-rollouts-plugin.md §2.4): argo's decision table,
// with its literal bodies, spacing included.
namespace nova::rollouts {

struct PromoteFlags {
    bool full = false;              // --full
    bool skip_current_step = false; // -c, deprecated: plain promote does it
    bool skip_all_steps = false;    // -a, deprecated: --full does it
};

// The patches, all merge patches. The status patch goes to the status subresource; when that
// answers 404 (a CRD without it) the unified patch goes to the main resource instead of the
// spec patch.
struct PromotePatches {
    std::optional<std::string> status_patch;
    std::optional<std::string> spec_patch;
    std::optional<std::string> unified_patch;
};

// Throws core::usage_error for -c with -a (checked before anything is read).
void check_promote_flags(const PromoteFlags& flags);

// Throws core::Error when a step flag meets a rollout without canary steps (argo refuses a
// blue-green one and a canary without steps, and panics on a rollout with no strategy), and
// when a field it reads has the wrong type or is out of range (`invalid rollout "demo":
// spec.paused must be true or false, not "yes"`), as argo's typed decode would fail.
PromotePatches promote_patches(const nlohmann::json& rollout, const PromoteFlags& flags);

} // namespace nova::rollouts
