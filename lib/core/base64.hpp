#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nova::core {

// Standard base64 with padding (Go's StdEncoding): kubeconfig *-data fields, basic auth.
std::string encode_base64(std::string_view bytes);

// Decodes standard base64, skipping \r and \n as Go does. Throws core::Error
// "illegal base64 data at input byte N" with Go's offset, so kubeconfig errors read as kubectl's.
std::string decode_base64(std::string_view text);

// base64url without padding, as the API server encodes continue tokens.
std::string encode_base64url(std::string_view bytes);
// Accepts either alphabet, with or without padding; nullopt for anything else.
std::optional<std::string> decode_base64url(std::string_view text);

} // namespace nova::core
