// "Why do you ask?" (PRODUCT.md §3): the pending question's reason and the
// same question again, `asking` unchanged. That counts as asking it again:
// asked why a second time, or after a re-ask, kneechat moves on rather than
// put the same question a third time.
#include <string>

#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class WhyAskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.clock = &clock_;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    NewSession();
  }

  void NewSession() {
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

TEST_F(WhyAskTest, GivesTheReasonAndTheSameQuestion) {
  for (const char* why :
       {"why do you ask?", "why?", "how come", "why do you need to know that",
        "what has that got to do with my knee?"}) {
    NewSession();
    const v1::Reply asked = Send("my knee hurts");
    ASSERT_EQ(asked.kind(), v1::REPLY_KIND_QUESTION);
    ASSERT_EQ(asked.asking(), "location");
    const v1::Reply reply = Send(why);
    EXPECT_EQ(reply.kind(), v1::REPLY_KIND_QUESTION) << why;
    EXPECT_EQ(reply.asking(), "location") << why;
    EXPECT_NE(reply.text(), asked.text()) << why;  // the reason comes first
    EXPECT_NE(reply.text().find(asked.text()), std::string::npos) << why;
    EXPECT_EQ(reply.quick_replies_size(), asked.quick_replies_size()) << why;
    // The question is still open: an answer now is taken.
    EXPECT_NE(Send("at the front").asking(), "location") << why;
  }
}

TEST_F(WhyAskTest, AskedWhyAgainMovesOn) {
  ASSERT_EQ(Send("my knee hurts").asking(), "location");
  ASSERT_EQ(Send("why do you ask?").asking(), "location");
  // The reason was given; a third "where?" would be a loop.
  const v1::Reply next = Send("why does that matter");
  EXPECT_NE(next.asking(), "location") << next.text();
  // The person can still say where later: every message is read.
  EXPECT_NE(Send("its at the front").kind(), v1::REPLY_KIND_UNSPECIFIED);
}

TEST_F(WhyAskTest, AWhyAfterAReaskMovesOn) {
  ASSERT_EQ(Send("my knee hurts").asking(), "location");
  ASSERT_EQ(Send("purple elephants").asking(), "location");  // a re-ask
  // Asked twice already: "why?" does not bring it a third time.
  const v1::Reply next = Send("why do you ask?");
  EXPECT_NE(next.asking(), "location") << next.text();
}

TEST_F(WhyAskTest, ExplainsTheSafetyScreening) {
  Send("running makes the front of my knee ache");
  v1::Reply reply = Send("about three weeks");
  for (int i = 0; i < 4 && reply.asking() != "red_flags"; ++i) {
    reply = Send("not sure");
  }
  ASSERT_EQ(reply.asking(), "red_flags");
  const v1::Reply why = Send("why are you asking me that");
  EXPECT_EQ(why.asking(), "red_flags");
  EXPECT_EQ(why.quick_replies_size(), reply.quick_replies_size());
  EXPECT_NE(why.text().find(reply.text()), std::string::npos);
  EXPECT_EQ(why.triage().level(), reply.triage().level());
}

TEST_F(WhyAskTest, AQuestionAboutTheKneeIsNotAWhy) {
  ASSERT_EQ(Send("my knee hurts").asking(), "location");
  // New information answers; "why does my knee hurt" is not about the
  // question.
  const v1::Reply reply = Send("why does my knee hurt at the front?");
  EXPECT_NE(reply.asking(), "location");
}

// Reply.why: every reply that asks a question carries the reason a "why?"
// would get, so a channel can show it without another turn.
TEST_F(WhyAskTest, EveryQuestionCarriesTheReasonAWhyWouldGet) {
  v1::GetSessionRequest get;
  get.set_session_id(session_);
  auto session = engine_->GetSession(get);
  ASSERT_TRUE(session.ok()) << session.status();
  const v1::Reply& greeting = session->session().transcript(0).reply();
  EXPECT_EQ(greeting.why(), "") << "the greeting asks nothing";

  v1::Reply reply = Send("running makes the front of my knee ache");
  int questions = 0;
  for (int i = 0; i < 8 && reply.kind() == v1::REPLY_KIND_QUESTION; ++i) {
    ++questions;
    ASSERT_NE(reply.asking(), "");
    EXPECT_NE(reply.why(), "") << reply.asking();
    // The reason shown on request is the one a typed "why?" gets.
    const v1::Reply explained = Send("why do you ask?");
    EXPECT_EQ(explained.asking(), reply.asking());
    EXPECT_EQ(explained.text().rfind(reply.why(), 0), 0u) << explained.text();
    EXPECT_EQ(explained.why(), reply.why());
    reply =
        Send(reply.asking() == "red_flags" ? "no, none of those" : "not sure");
  }
  EXPECT_GE(questions, 2);
  ASSERT_EQ(reply.kind(), v1::REPLY_KIND_ANSWER) << reply.text();
  EXPECT_EQ(reply.why(), "") << "an answer asks nothing";
}

TEST_F(WhyAskTest, ARedFlagsDecidingQuestionCarriesItsReason) {
  const v1::Reply asked =
      Send("I slipped on the ice and banged my head, and my knee hurts too");
  ASSERT_FALSE(asked.asking().empty()) << asked.text();
  ASSERT_NE(asked.why(), "");
  const v1::Reply explained = Send("why are you asking me that");
  EXPECT_EQ(explained.asking(), asked.asking());
  EXPECT_EQ(explained.text().rfind(asked.why(), 0), 0u) << explained.text();
}

}  // namespace
}  // namespace kneechat
