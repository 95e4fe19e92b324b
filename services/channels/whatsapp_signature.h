// WhatsApp (Meta Graph API) webhook authentication: every POST carries
// X-Hub-Signature-256: sha256=<hex>, the HMAC-SHA256 of the raw request
// body keyed with the Meta app's App Secret. It is checked on the bytes as
// received, before any JSON is read (re-serialised JSON would not match).
#pragma once

#include <string>
#include <string_view>

namespace kneechat {

// "sha256=" followed by the lower-case hex HMAC-SHA256 of `body` under
// `app_secret`: the header value Meta sends. Thread-safe.
std::string WhatsAppSignature(std::string_view app_secret,
                              std::string_view body);

// True if `header` is the signature of `body` under `app_secret`. The hex
// digits may be in either case; anything else (no "sha256=" prefix, wrong
// length) is false, as is an empty secret. Constant-time comparison
// (SecureEquals). Thread-safe.
bool IsValidWhatsAppSignature(std::string_view app_secret,
                              std::string_view body, std::string_view header);

}  // namespace kneechat
