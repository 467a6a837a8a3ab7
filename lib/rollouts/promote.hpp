#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

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

// The line for a promote whose status patch was made and whose spec patch then failed (`why`,
// the error's message, kept on the line even when a server's Status message has line breaks):
// what was changed, and `resume` to finish.
std::string half_promoted_message(std::string_view rollout_name, std::string_view status_patch,
                                  std::string_view why);

} // namespace nova::rollouts
