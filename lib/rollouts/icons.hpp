#pragma once

#include <string_view>

// The status icons of argo's tree and header (reference/argo-rollouts-plugin.md §3, §4.2) and
// the mappings from a status word to its icon. A status without an icon maps to a single space,
// which keeps the STATUS column aligned.
namespace nova::rollouts::icons {

inline constexpr std::string_view waiting = "\u25f7";     // ◷
inline constexpr std::string_view progressing = "\u25cc"; // ◌
inline constexpr std::string_view warning = "\u26a0";     // ⚠
inline constexpr std::string_view unknown = "?";
inline constexpr std::string_view ok = "\u2714";      // ✔
inline constexpr std::string_view bad = "\u2716";     // ✖
inline constexpr std::string_view paused = "\u0965";  // ॥
inline constexpr std::string_view neutral = "\u2022"; // •
inline constexpr std::string_view none = " ";

std::string_view for_rollout(std::string_view status);
std::string_view for_replica_set(std::string_view status);
std::string_view for_pod(std::string_view status);
// AnalysisRuns, Experiments and Jobs share one mapping (analysis phases).
std::string_view for_analysis(std::string_view phase);

} // namespace nova::rollouts::icons
