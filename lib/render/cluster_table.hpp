#pragma once

#include "lib/nova/cluster_list.hpp"
#include "lib/render/palette.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

// `clusters`: the table and the ClusterList document (docs/output-format.md).
namespace nova::render {

// A probe's latency for people: "0.8ms", "42ms", "1.25s".
std::string format_latency(std::chrono::microseconds latency);

// The table, aligned, with its header:
//   NAME  CONTEXT  SOURCE  READY  IDLE  STANDBY  K8S-VERSION  REGION  ZONE  REACHABLE
// CONTEXT is "-" for an unmapped cluster and SOURCE says where the context came from; READY,
// IDLE and STANDBY are the Cluster object's condition statuses as written ("-" when absent);
// REACHABLE is "✔ <latency>", or "⚠ <error>" / "? <why unmapped>" (the whole line: it is the
// last column). Only the REACHABLE icons are coloured.
std::string render_cluster_table(const std::vector<fleet::ClusterEntry>& entries,
                                 const Palette& palette);

// kind ClusterList.
nlohmann::ordered_json cluster_list_document(const std::vector<fleet::ClusterEntry>& entries);

} // namespace nova::render
