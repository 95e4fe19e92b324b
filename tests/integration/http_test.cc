// kneechat-server with --http-listen: the HTTP side runs in the same process
// as gRPC, over the same engine.
#include <signal.h>

#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/integration/child_process.h"

namespace kneechat {
namespace {

using ::kneechat::testing::ServerProcess;
using ::testing::AnyOf;

constexpr char kHttpLine[] = "kneechat-server http listening on 127.0.0.1:";

TEST(HttpSideTest, ServesConnectJsonAndWebhooksAlongsideGrpc) {
  auto server = ServerProcess::Start(
      KNEECHAT_SERVER_BINARY,
      {"--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"},
      absl::Seconds(60));
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string& banner = (*server)->banner();
  const size_t at = banner.find(kHttpLine);
  ASSERT_NE(at, std::string::npos) << banner;
  const size_t begin = at + sizeof(kHttpLine) - 1;
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      banner.substr(begin, banner.find('\n', begin) - begin), &port))
      << banner;

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  auto created = client.Post("/kneechat.v1.KneeChat/CreateSession",
                             R"({"channel": "web"})", "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 200);
  const nlohmann::json session = nlohmann::json::parse(created->body);
  EXPECT_FALSE(session.value("sessionId", "").empty()) << created->body;
  EXPECT_EQ(session["reply"]["kind"], "REPLY_KIND_GREETING");

  auto unknown =
      client.Post("/kneechat.v1.KneeChat/SendMessage",
                  R"({"sessionId": "nope", "text": "hi"})", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(nlohmann::json::parse(unknown->body)["code"], "not_found");

  // Channel webhooks are routed; without a valid secret or signature they
  // refuse the request.
  auto telegram = client.Post(
      "/webhooks/telegram",
      R"({"update_id": 1, "message": {"chat": {"id": 1}, "text": "hi"}})",
      "application/json");
  ASSERT_TRUE(telegram);
  EXPECT_THAT(telegram->status, AnyOf(401, 403));
  auto voice = client.Post("/webhooks/twilio/voice", "CallSid=CA1",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(voice);
  EXPECT_THAT(voice->status, AnyOf(401, 403));

  absl::StatusOr<int> exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*server)->Stderr();
}

}  // namespace
}  // namespace kneechat
