// How a handoff POST is signed, and how a clinic checks it.
//
// Headers on every delivery:
//   X-Kneechat-Timestamp: <Unix seconds when it was signed>
//   X-Kneechat-Signature: sha256=<lower-case hex HMAC-SHA256>
//   Idempotency-Key:      <32 hex; the same for every retry of a handoff>
// The HMAC's key is the shared secret (deployment handoff.secret) and its
// message the timestamp, a ".", then the raw request body, byte for byte:
//   HMAC-SHA256(secret, timestamp + "." + body)
// A receiver recomputes it, compares in constant time, refuses timestamps
// more than five minutes from its clock (replays) and processes each
// Idempotency-Key once (retries).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kneechat {

inline constexpr char kHandoffTimestampHeader[] = "X-Kneechat-Timestamp";
inline constexpr char kHandoffSignatureHeader[] = "X-Kneechat-Signature";
inline constexpr char kIdempotencyKeyHeader[] = "Idempotency-Key";
// How far a receiver should let the timestamp be from its clock.
inline constexpr absl::Duration kHandoffSignatureTolerance = absl::Minutes(5);

// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)). Thread-safe.
std::string SignHandoff(absl::string_view secret, int64_t timestamp,
                        absl::string_view body);

// The receiver's check. kUnauthenticated when the timestamp is not a
// decimal number, lies more than `tolerance` from `now`, or the signature
// does not match (compared in constant time).
absl::Status VerifyHandoffSignature(
    absl::string_view secret, absl::string_view timestamp,
    absl::string_view signature, absl::string_view body, absl::Time now,
    absl::Duration tolerance = kHandoffSignatureTolerance);

}  // namespace kneechat
