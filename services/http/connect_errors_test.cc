#include "services/http/connect_errors.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

struct Case {
  absl::StatusCode code;
  const char* name;
  int http;
};

class ConnectErrorsTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConnectErrorsTest, MapsCodeToNameAndHttpStatus) {
  EXPECT_EQ(ConnectCodeName(GetParam().code), GetParam().name);
  EXPECT_EQ(ConnectHttpStatus(GetParam().code), GetParam().http);
}

// connectrpc.com/docs/protocol, "Error Codes".
INSTANTIATE_TEST_SUITE_P(
    AllCodes, ConnectErrorsTest,
    ::testing::Values(
        Case{absl::StatusCode::kCancelled, "canceled", 499},
        Case{absl::StatusCode::kUnknown, "unknown", 500},
        Case{absl::StatusCode::kInvalidArgument, "invalid_argument", 400},
        Case{absl::StatusCode::kDeadlineExceeded, "deadline_exceeded", 504},
        Case{absl::StatusCode::kNotFound, "not_found", 404},
        Case{absl::StatusCode::kAlreadyExists, "already_exists", 409},
        Case{absl::StatusCode::kPermissionDenied, "permission_denied", 403},
        Case{absl::StatusCode::kResourceExhausted, "resource_exhausted", 429},
        Case{absl::StatusCode::kFailedPrecondition, "failed_precondition", 400},
        Case{absl::StatusCode::kAborted, "aborted", 409},
        Case{absl::StatusCode::kOutOfRange, "out_of_range", 400},
        Case{absl::StatusCode::kUnimplemented, "unimplemented", 501},
        Case{absl::StatusCode::kInternal, "internal", 500},
        Case{absl::StatusCode::kUnavailable, "unavailable", 503},
        Case{absl::StatusCode::kDataLoss, "data_loss", 500},
        Case{absl::StatusCode::kUnauthenticated, "unauthenticated", 401}));

TEST(ConnectErrorJsonTest, CarriesCodeAndMessage) {
  nlohmann::json body = nlohmann::json::parse(
      ConnectErrorJson(absl::NotFoundError("no such \"session\"")));
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["message"], "no such \"session\"");
}

TEST(ConnectErrorJsonTest, HidesInternalDetails) {
  nlohmann::json body = nlohmann::json::parse(
      ConnectErrorJson(absl::InternalError("/srv/index/postlist.glass")));
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["message"], "internal error");
}

TEST(ConnectErrorJsonTest, SurvivesInvalidUtf8InMessage) {
  nlohmann::json body = nlohmann::json::parse(
      ConnectErrorJson(absl::InvalidArgumentError("bad \xC0\xAF byte")));
  EXPECT_EQ(body["code"], "invalid_argument");
}

}  // namespace
}  // namespace kneechat
