#pragma once

#include "lib/nova/verify_spread.hpp"
#include "lib/render/palette.hpp"

#include <nlohmann/json.hpp>

#include <string>

// `verify-spread`'s output: a table per object (ROLE, CLUSTER, EXPECTED, DESIRED, READY,
// RESULT) with what decided the expectation above it and the reasons below it, then one verdict
// line; or the same as a document (kind SpreadVerification). Pure.
namespace nova::render {

std::string render_spread_report(const fleet::SpreadReport& report, const Palette& palette);

// The verdict line alone (also what `status --verify-spread` prints when the spread is off).
std::string spread_verdict_line(const fleet::SpreadReport& report);

nlohmann::ordered_json spread_report_document(const fleet::SpreadReport& report);

} // namespace nova::render
