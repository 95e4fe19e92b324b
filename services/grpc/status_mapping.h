// Maps the engine's absl::Status to the grpc::Status a client sees.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace kneechat {

// Returns a grpc::Status with the same canonical code as `status` (absl and
// gRPC both number their codes after google.rpc.Code) and the same message.
// Callers pass a status already through ForClient
// (services/common/error_policy.h), so no internal detail is in it.
// An OK status maps to grpc::Status::OK; a code outside the canonical set
// maps to UNKNOWN. Thread-safe.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace kneechat
