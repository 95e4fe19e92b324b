// Stable identifiers for a session's handoff, derived (SHA-256) from the
// session id so that the id itself -- a bearer secret for the session --
// never leaves kneechat, and the same handoff always gets the same ids.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace kneechat {

// 32 lower-case hex characters naming the handoff of `session_id` for
// `occasion` ("consent:<unix seconds>", "transfer"): the Idempotency-Key of
// its delivery and the FHIR Bundle's identifier.
std::string HandoffKey(absl::string_view session_id,
                       absl::string_view occasion);

// A name-based UUID (RFC 4122 layout, version 5 bits set over SHA-256)
// for the resource `name` of the session's bundle, as "urn:uuid:...".
std::string HandoffResourceUrn(absl::string_view session_id,
                               absl::string_view name);

}  // namespace kneechat
