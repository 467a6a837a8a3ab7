#pragma once

// Kubernetes object and namespace names, checked before they go into a URL: a name pasted
// unchecked can address something else ("demo/status", "demo?dryRun=All", "" for the whole
// collection).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nova::core {

// What is wrong with `name` as a DNS-1123 subdomain (the names of rollouts, experiments,
// analysis runs and templates, deployments, replica sets, pod templates): lower-case
// alphanumerics, '-' and '.', dot-separated parts that start and end with an alphanumeric, at
// most 253 characters. nullopt when it is one.
std::optional<std::string> subdomain_problem(std::string_view name);

// What is wrong with `prefix` as a metadata.generateName, by the API server's rule: the prefix
// with a trailing '-' masked (its last two characters replaced by an 'a') must be a DNS-1123
// subdomain of at most 253 characters, and so must the name generated from it (the prefix cut
// to 58 characters, and 5 random alphanumerics). nullopt when the server accepts it.
std::optional<std::string> generate_name_problem(std::string_view prefix);

// How much of a generateName prefix the API server keeps before its 5 random characters (so
// that the name fits in a 63-character label).
inline constexpr std::size_t generate_name_prefix_kept = 58;

// What is wrong with `name` as a DNS-1123 label (namespaces): lower-case alphanumerics and '-',
// starting and ending with an alphanumeric, at most 63 characters. nullopt when it is one.
std::optional<std::string> label_problem(std::string_view name);

// "invalid rollout name \"demo/status\": may not contain '/'"
std::string invalid_name_message(std::string_view what, std::string_view name,
                                 std::string_view problem);

} // namespace nova::core
