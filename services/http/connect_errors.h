// Connect protocol error mapping (connectrpc.com/docs/protocol): status codes
// to Connect code names and HTTP statuses, and the Connect error body.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace kneechat {

// The Connect code name for `code`, e.g. "invalid_argument". kOk has none and
// yields "unknown".
std::string_view ConnectCodeName(absl::StatusCode code);

// The HTTP status the Connect protocol assigns to `code` (invalid_argument
// 400, not_found 404, resource_exhausted 429, unimplemented 501, ...).
int ConnectHttpStatus(absl::StatusCode code);

// The Connect error JSON for a non-OK `status`:
// {"code":"not_found","message":"..."}. Internal-class errors (internal,
// unknown, data_loss) carry a generic message so that file paths and other
// server details never reach a client.
std::string ConnectErrorJson(const absl::Status& status);

}  // namespace kneechat
