#include "services/grpc/status_mapping.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(StatusMappingTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusMappingTest, EveryCanonicalCodeKeepsItsNumberAndMessage) {
  const absl::StatusCode codes[] = {absl::StatusCode::kCancelled,
                                    absl::StatusCode::kUnknown,
                                    absl::StatusCode::kInvalidArgument,
                                    absl::StatusCode::kDeadlineExceeded,
                                    absl::StatusCode::kNotFound,
                                    absl::StatusCode::kAlreadyExists,
                                    absl::StatusCode::kPermissionDenied,
                                    absl::StatusCode::kResourceExhausted,
                                    absl::StatusCode::kFailedPrecondition,
                                    absl::StatusCode::kAborted,
                                    absl::StatusCode::kOutOfRange,
                                    absl::StatusCode::kUnimplemented,
                                    absl::StatusCode::kInternal,
                                    absl::StatusCode::kUnavailable,
                                    absl::StatusCode::kDataLoss,
                                    absl::StatusCode::kUnauthenticated};
  for (absl::StatusCode code : codes) {
    const grpc::Status mapped =
        ToGrpcStatus(absl::Status(code, "session not found"));
    EXPECT_EQ(static_cast<int>(mapped.error_code()), static_cast<int>(code))
        << absl::StatusCodeToString(code);
    EXPECT_EQ(mapped.error_message(), "session not found");
  }
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(absl::InvalidArgumentError("x")).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(StatusMappingTest, CodeOutsideTheCanonicalSetIsUnknown) {
  const grpc::Status mapped =
      ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(42), "odd"));
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(mapped.error_message(), "odd");
}

}  // namespace
}  // namespace kneechat
