#include "services/common/error_policy.h"

#include "absl/strings/str_cat.h"
#include "services/common/server_log.h"

namespace kneechat {

bool IsInternalError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kUnauthenticated:
      return false;
    default:  // kInternal, kUnknown, kDataLoss, anything else
      return true;
  }
}

absl::Status ForClient(const absl::Status& status, std::string_view where) {
  if (!IsInternalError(status.code())) return status;
  LogEvent(LogLevel::kError, "internal_error",
           LogFields()
               .Add("where", where)
               .Add("status", absl::StatusCodeToString(status.code()))
               .Add("message", status.message()));
  return absl::Status(status.code(), "internal error");
}

}  // namespace kneechat
