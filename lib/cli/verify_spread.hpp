#pragma once

#include "lib/cli/gather.hpp"
#include "lib/core/error.hpp"
#include "lib/nova/verify_spread.hpp"

#include <optional>
#include <string_view>

// What `verify-spread` and `status --verify-spread` share: the spread check computed from a
// gathering made with TreeRequest::placement, and the error a run ends with when it is off.
namespace nova::cli {

// The spread report of rollout `name`. Throws core::Error when the rollout does not exist (exit
// 1) or when Nova's clusters could not be listed (exit 5: nothing can be expected then).
fleet::SpreadReport spread_report(const TreeData& data, std::string_view name,
                                  const fleet::SpreadOptions& options);

// The error a run ends with: exit 3 for a mismatch, 5 when a cluster could not be read; nullopt
// when the spread is as expected.
std::optional<core::Error> spread_error(const fleet::SpreadReport& report);

} // namespace nova::cli
