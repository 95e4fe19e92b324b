#include "services/observability/observed_engine.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/request_facts.h"
#include "services/common/server_log.h"
#include "services/grpc/testing/fake_engine.h"

namespace kneechat {
namespace {

constexpr char kSession[] = "0123456789abcdef0123456789abcdef";
constexpr char kCanary[] = "CANARY-7f3a my knee is swollen";

class ObservedEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.on_create_session = [](const v1::CreateSessionRequest&) {
      v1::CreateSessionResponse response;
      response.set_session_id(kSession);
      response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
      return response;
    };
    fake_.on_send_message = [this](const v1::SendMessageRequest& request)
        -> absl::StatusOr<v1::SendMessageResponse> {
      if (request.text() == "unavailable") {
        return absl::UnavailableError("session store unavailable; retry");
      }
      RequestFacts* facts = CurrentRequestFacts();
      facts->channel = "telegram";
      facts->replayed = replay_;
      facts->questions_before_first_answer = first_answer_after_;
      { ScopedStage understanding(TurnStage::kUnderstanding); }
      v1::SendMessageResponse response;
      *response.mutable_reply() = reply_;
      return response;
    };
  }

  FakeEngine fake_;
  KneechatMetrics metrics_;
  ObservedEngine engine_{fake_, metrics_};
  v1::Reply reply_;
  bool replay_ = false;
  int first_answer_after_ = -1;
};

v1::SendMessageRequest Message(const std::string& text) {
  v1::SendMessageRequest request;
  request.set_session_id(kSession);
  request.set_text(text);
  return request;
}

TEST_F(ObservedEngineTest, SessionsAndTurnsAreCountedByChannelAndKind) {
  v1::CreateSessionRequest create;
  create.set_channel("web");
  ASSERT_TRUE(engine_.CreateSession(create).ok());
  EXPECT_EQ(metrics_.sessions_created.Value({"web"}), 1);
  EXPECT_EQ(metrics_.requests.Value({"CreateSession", "OK"}), 1);

  reply_.set_kind(v1::REPLY_KIND_ANSWER);
  reply_.mutable_triage()->set_level(v1::TRIAGE_LEVEL_SELF_CARE);
  first_answer_after_ = 3;
  ASSERT_TRUE(engine_.SendMessage(Message("none of those")).ok());
  EXPECT_EQ(metrics_.turns.Value({"telegram", "ANSWER"}), 1);
  EXPECT_EQ(metrics_.questions_before_first_answer.Count({"telegram"}), 1u);
  EXPECT_EQ(metrics_.stage_seconds.Count({"understanding"}), 1u);
  EXPECT_EQ(metrics_.request_seconds.Count({"SendMessage"}), 1u);
}

TEST_F(ObservedEngineTest, ReferralsByLevelAndRule) {
  reply_.set_kind(v1::REPLY_KIND_REFERRAL);
  reply_.mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  reply_.mutable_triage()->add_red_flags()->set_id("dvt");
  reply_.mutable_triage()->mutable_red_flags(0)->set_evidence(kCanary);
  ASSERT_TRUE(engine_.SendMessage(Message(kCanary)).ok());
  EXPECT_EQ(metrics_.referrals.Value({"EMERGENCY", "dvt"}), 1);
  EXPECT_EQ(metrics_.registry.Render().find("CANARY"), std::string::npos);
}

TEST_F(ObservedEngineTest, RetriesAnsweredFromMemoryAreNotTurns) {
  reply_.set_kind(v1::REPLY_KIND_QUESTION);
  replay_ = true;
  ASSERT_TRUE(engine_.SendMessage(Message("again")).ok());
  EXPECT_EQ(metrics_.turns.Value({"telegram", "QUESTION"}), 0);
  EXPECT_EQ(metrics_.requests.Value({"SendMessage", "OK"}), 1);
}

TEST_F(ObservedEngineTest, OneJsonLinePerRequestWithoutUserText) {
  reply_.set_kind(v1::REPLY_KIND_QUESTION);
  reply_.mutable_triage()->set_level(v1::TRIAGE_LEVEL_UNSPECIFIED);
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(engine_.SendMessage(Message(kCanary)).ok());
  EXPECT_FALSE(engine_.SendMessage(Message("unavailable")).ok());
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(log.find("CANARY"), std::string::npos) << log;
  EXPECT_EQ(log.find(kSession), std::string::npos) << log;
  EXPECT_NE(log.find("\"level\":\"info\",\"event\":\"request\",\"rpc\":"
                     "\"SendMessage\",\"channel\":\"telegram\",\"status\":"
                     "\"OK\",\"latency_ms\":"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"reply_kind\":\"QUESTION\",\"triage_level\":"
                     "\"UNSPECIFIED\",\"session_hash\":\"" +
                     HashedId(kSession) + "\"}\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"level\":\"warning\",\"event\":\"request\",\"rpc\":"
                     "\"SendMessage\",\"status\":\"UNAVAILABLE\""),
            std::string::npos)
      << log;
  EXPECT_EQ(metrics_.requests.Value({"SendMessage", "UNAVAILABLE"}), 1);
}

TEST_F(ObservedEngineTest, AChannelNameAClientChoseIsNotLogged) {
  v1::CreateSessionRequest create;
  create.set_channel("canary-channel");
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(engine_.CreateSession(create).ok());
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(log.find("canary"), std::string::npos) << log;
  EXPECT_NE(log.find("\"channel\":\"other\""), std::string::npos) << log;
  EXPECT_EQ(metrics_.sessions_created.Value({"other"}), 1);
}

}  // namespace
}  // namespace kneechat
