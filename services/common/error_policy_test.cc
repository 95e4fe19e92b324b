#include "services/common/error_policy.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(ErrorPolicyTest, InternalDetailsAreLoggedAndNotSent) {
  for (absl::StatusCode code :
       {absl::StatusCode::kInternal, absl::StatusCode::kUnknown,
        absl::StatusCode::kDataLoss}) {
    ::testing::internal::CaptureStderr();
    const absl::Status sent =
        ForClient(absl::Status(code,
                               "cannot open index /srv/kneechat/index: "
                               "DatabaseOpeningError: No such file"),
                  "Search");
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(sent.code(), code);
    EXPECT_EQ(sent.message(), "internal error");
    EXPECT_NE(log.find("\"event\":\"internal_error\",\"where\":\"Search\""),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("/srv/kneechat/index"), std::string::npos) << log;
  }
}

TEST(ErrorPolicyTest, ClientErrorsPassUnchangedAndUnlogged) {
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kAlreadyExists, absl::StatusCode::kResourceExhausted,
        absl::StatusCode::kUnavailable}) {
    ::testing::internal::CaptureStderr();
    const absl::Status sent =
        ForClient(absl::Status(code, "text is empty"), "SendMessage");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    EXPECT_EQ(sent, absl::Status(code, "text is empty"));
  }
  EXPECT_TRUE(ForClient(absl::OkStatus(), "x").ok());
}

}  // namespace
}  // namespace kneechat
