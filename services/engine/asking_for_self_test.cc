// "It's about my knees" (the writer is the patient): another adult's signs
// told in a later message beside the writer's own ("his was hot and he was
// shivering ... mine look normal") are background, as they are when both
// are told in one message. A child's signs, and a message that only tells
// of someone else, are still read.
#include <string>

#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class AskingForSelfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.clock = &clock_;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::CreateSessionRequest request;
    request.set_channel("test");
    auto created = engine_->CreateSession(request);
    ASSERT_TRUE(created.ok()) << created.status();
    session_ = created->session_id();
  }

  v1::Reply Send(const std::string& text) {
    v1::SendMessageRequest request;
    request.set_session_id(session_);
    request.set_text(text);
    request.set_message_id("m" + std::to_string(++counter_));
    auto response = engine_->SendMessage(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->reply() : v1::Reply();
  }

  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::string session_;
  int counter_ = 0;
};

TEST_F(AskingForSelfTest, AnotherAdultsSignsBesideMineAreBackground) {
  Send("hello, it's about my knees, both of them. they ache after gardening");
  const v1::Reply reply = Send(
      "nothing like my brother's last year, his was red hot and he had "
      "a fever. mine look normal, just stiff in the mornings");
  EXPECT_LT(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

TEST_F(AskingForSelfTest, AChildsSignsAreStillRead) {
  Send("hello, it's about my knees, both of them. they ache after gardening");
  const v1::Reply reply = Send(
      "also my son has a fever and his knee is hot and swollen, mine "
      "are fine");
  EXPECT_GE(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

TEST_F(AskingForSelfTest, AMessageOnlyAboutSomeoneElseIsStillRead) {
  Send("hello, it's about my knees, both of them. they ache after gardening");
  const v1::Reply reply =
      Send("my husband is on warfarin and just hit his head on the cupboard");
  EXPECT_EQ(reply.triage().level(), v1::TRIAGE_LEVEL_EMERGENCY) << reply.text();
}

}  // namespace
}  // namespace kneechat
