#include "services/common/server_log.h"

#include <google/protobuf/wrappers.pb.h>

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

// A proto3 string field holding invalid UTF-8: libprotobuf logs an ERROR.
bool ParseBadUtf8() {
  google::protobuf::StringValue value;
  return value.ParseFromString(std::string("\x0a\x02\xff\xfe", 4));
}

TEST(ServerLogTest, ProtobufMessagesGoToTheServerLogThrottled) {
  RouteProtobufLogging();
  const long before = ProtobufLogMessagesForTest();
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(ParseBadUtf8());
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(ProtobufLogMessagesForTest() - before, 100);
  // One line for the burst, in kneechat's format; not a line per request.
  EXPECT_EQ(log.find("[libprotobuf"), std::string::npos) << log;
  size_t lines = 0;
  for (char c : log) lines += c == '\n';
  EXPECT_LE(lines, 1u) << log;
  if (lines == 1) {
    EXPECT_EQ(log.rfind("kneechat: libprotobuf ERROR ", 0), 0u) << log;
  }
}

TEST(ServerLogTest, LinesArePrefixed) {
  ::testing::internal::CaptureStderr();
  LogLine("started");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "kneechat: started\n");
}

}  // namespace
}  // namespace kneechat
