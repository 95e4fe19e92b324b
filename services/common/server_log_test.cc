#include "services/common/server_log.h"

#include <google/protobuf/wrappers.pb.h>

#include <regex>
#include <string>

#include "absl/strings/str_format.h"
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
    EXPECT_NE(log.find("\"level\":\"error\",\"event\":\"libprotobuf\""),
              std::string::npos)
        << log;
  }
}

TEST(ServerLogTest, LinesAreJsonObjects) {
  ::testing::internal::CaptureStderr();
  LogLine("started");
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(std::regex_match(
      log, std::regex("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:"
                      "\\d\\d\\.\\d{3}Z\",\"level\":\"warning\",\"event\":"
                      "\"message\",\"message\":\"started\"\\}\n")))
      << log;
}

TEST(ServerLogTest, FieldsAreEscapedAndTyped) {
  ::testing::internal::CaptureStderr();
  LogEvent(LogLevel::kError, "request",
           LogFields()
               .Add("rpc", "Search")
               .Add("text", "a \"quote\"\n\x01")
               .Add("count", 3)
               .Add("latency_ms", 1.23456)
               .Add("replayed", false));
  EXPECT_NE(::testing::internal::GetCapturedStderr().find(
                "\"event\":\"request\",\"rpc\":\"Search\",\"text\":"
                "\"a \\\"quote\\\"\\n\\u0001\",\"count\":3,\"latency_ms\":"
                "1.235,\"replayed\":false}\n"),
            std::string::npos);
}

TEST(ServerLogTest, DecimalsAreThoseOfPrintf) {
  for (double value :
       {0.0, -0.0, 0.0005, 0.0015, 0.0625, 1.0005, 2.5e-4, 0.123456, 7.9995,
        -3.14159, 123456789.0125, 1e20, 1e300, -1e300, 5e-324}) {
    ::testing::internal::CaptureStderr();
    LogEvent(LogLevel::kError, "x", LogFields().Add("v", value));
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(log.find(absl::StrFormat(",\"v\":%.3f}\n", value)),
              std::string::npos)
        << value << " " << log;
  }
}

TEST(ServerLogTest, JsonStringEscapesOnlyWhatItMust) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("plain text, é"), "\"plain text, é\"");
  EXPECT_EQ(JsonString("\"a\\b\"\r\t\x7f\x1f"),
            "\"\\\"a\\\\b\\\"\\r\\t\\u007f\\u001f\"");
  EXPECT_EQ(JsonString("x\ny"), "\"x\\ny\"");
}

TEST(ServerLogTest, LevelsFilter) {
  LogLevel level;
  ASSERT_TRUE(ParseLogLevel("warning", &level));
  EXPECT_EQ(level, LogLevel::kWarning);
  EXPECT_TRUE(ParseLogLevel("warn", &level));
  EXPECT_FALSE(ParseLogLevel("loud", &level));
  SetLogLevel(LogLevel::kWarning);
  ::testing::internal::CaptureStderr();
  LogEvent(LogLevel::kInfo, "request");
  LogEvent(LogLevel::kDebug, "request");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  SetLogLevel(LogLevel::kInfo);
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo));
}

TEST(ServerLogTest, SessionIdsAreHashed) {
  const std::string id = "0123456789abcdef0123456789abcdef";
  const std::string hashed = HashedId(id);
  EXPECT_EQ(hashed.size(), 16u);
  EXPECT_EQ(hashed, HashedId(id));  // the same on every replica
  EXPECT_NE(hashed, HashedId("0123456789abcdef0123456789abcdee"));
  EXPECT_EQ(id.find(hashed), std::string::npos);
  EXPECT_EQ(HashedId(""), "");
}

TEST(ServerLogTest, LogTimeIsFormatTimeToTheMillisecond) {
  const absl::Time base = absl::FromUnixSeconds(1796290426);  // 2026-12-03
  for (const absl::Time t :
       {base, base + absl::Microseconds(999), base + absl::Milliseconds(7),
        base + absl::Microseconds(123456), base + absl::Microseconds(999999),
        base + absl::Seconds(1), base + absl::Hours(30) + absl::Nanoseconds(1),
        absl::UnixEpoch(), absl::UnixEpoch() - absl::Microseconds(1500),
        absl::FromUnixSeconds(4102444799) + absl::Milliseconds(999)}) {
    EXPECT_EQ(LogTime(t),
              absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone()))
        << t;
  }
}

TEST(ServerLogTest, HashedIdIsTheFirstBytesOfSha256) {
  // SHA-256("kneechat-session:abc"), first 8 bytes, computed apart.
  EXPECT_EQ(HashedId("abc"), "ac402de8c15f2a79");
}

}  // namespace
}  // namespace kneechat
