#pragma once

// The pieces of generated Kubernetes names that the store and the simulated controllers share:
// apimachinery's alphabet (no vowels, no lookalikes), its safe encoding and a stable hash.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace nova::sim {

inline constexpr std::string_view name_alphabet = "bcdfghjklmnpqrstvwxz2456789";

// FNV-1a, 32 bits, as Kubernetes hashes pod templates; `hash` continues an earlier one.
std::uint32_t fnv1a(std::string_view data, std::uint32_t hash = 2166136261U);

// apimachinery's rand.SafeEncodeString: every character becomes one of name_alphabet.
std::string safe_encode(std::string_view text);

// The five random characters generateName and pod names end with.
std::string random_name_suffix(std::mt19937_64& random);

} // namespace nova::sim
