#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nova::core {

// Checks a container image reference against the grammar of github.com/distribution/reference
// (what Docker and containerd accept), so that a typo is refused before it reaches a pod spec:
//
//   reference := name [":" tag] ["@" digest]
//   name      := [domain "/"] path-component ["/" path-component]*       (at most 255 characters)
//   domain    := (domain-name | "[" IPv6 "]") [":" port]
//   domain-name := [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? ("." the same)*
//   path-component := [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
//   tag       := [\w][\w.-]{0,127}
//   digest    := algorithm ":" hex, algorithm := [A-Za-z][A-Za-z0-9]* ([+._-] the same)*,
//                hex := [0-9a-fA-F]{32,}; then, as go-digest does: sha256, sha384 or sha512
//                only, with exactly 64, 96 or 128 lower-case hex digits.
//
// Returns nullopt for a valid reference, else why not, in distribution's words ("invalid
// reference format", "repository name must be lowercase", ...).
std::optional<std::string> image_reference_problem(std::string_view reference);

} // namespace nova::core
