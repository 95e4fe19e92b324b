// kneechat's one error policy for what crosses to a client (gRPC, Connect
// JSON, webhooks): a status a client can act on passes as it is; an
// internal-class status (internal, unknown, data loss — a broken index, a
// Xapian exception, a bug) is written to the server log with where it
// happened and reaches the client only as "internal error".
//
// Status messages are written by kneechat and never hold user text, so the
// log line holds none either.
//
// Thread-safety: both functions may be called from any thread.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace kneechat {

// True for the codes whose messages are server details: kInternal,
// kUnknown, kDataLoss (and any code outside the canonical set).
bool IsInternalError(absl::StatusCode code);

// The status a client may see. An internal-class status is logged as
// "<where>: <code>: <message>" and replaced by one with the same code and
// the message "internal error". OK and client-class statuses are returned
// unchanged and not logged.
absl::Status ForClient(const absl::Status& status, std::string_view where);

}  // namespace kneechat
