#pragma once

// Secrets never reach output or logs (DESIGN §8): every header and body the transport logs goes
// through these functions first, at every verbosity.

#include <string>
#include <string_view>

namespace nova::kube {

inline constexpr std::string_view masked = "<masked>";

// The value of header `name` as it may be logged: Authorization and Proxy-Authorization keep
// their scheme ("Bearer <masked>"); cookies and any header whose name mentions a token, secret,
// password or key are masked whole; everything else is returned unchanged.
std::string redact_header(std::string_view name, std::string_view value);

// True for JSON keys that hold secrets: token, password and secret in any spelling
// (idToken, refresh-token, access_token...), clientKeyData / client-key-data.
bool is_secret_key(std::string_view key);

// `body` with the string value of every secret key masked ("token": "<masked>"). Works on
// text, not on a parsed document, so that truncated or invalid JSON is redacted too: a value
// cut off by the end of the text is masked to the end.
std::string redact_body(std::string_view body);

// The body as logged at `verbosity`: redacted, then cut to 1024 characters below 9
// ("... [truncated 52311 chars]"), whole at 9 and above (client-go's glogBody).
std::string loggable_body(std::string_view body, int verbosity);

} // namespace nova::kube
