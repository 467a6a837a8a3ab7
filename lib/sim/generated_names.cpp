#include "lib/sim/generated_names.hpp"

namespace nova::sim {

std::uint32_t fnv1a(std::string_view data, std::uint32_t hash) {
    for (const unsigned char c : data) {
        hash ^= c;
        hash *= 16777619U;
    }
    return hash;
}

std::string safe_encode(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = name_alphabet[static_cast<unsigned char>(c) % name_alphabet.size()];
    }
    return out;
}

std::string random_name_suffix(std::mt19937_64& random) {
    std::string out;
    for (int i = 0; i < 5; ++i) {
        out += name_alphabet[random() % name_alphabet.size()];
    }
    return out;
}

} // namespace nova::sim
