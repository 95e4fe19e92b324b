// What the engine tells its front ends about each request
// (services/common/request_facts.h), over the real corpus and index: the
// session's channel, stage times, the questions before the first answer,
// and retries answered from memory.
#include "services/common/request_facts.h"

#include <string>

#include "gtest/gtest.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class EngineFactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = CreateKneechatEngine(EngineOptions());
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::CreateSessionRequest create;
    create.set_channel("web");
    auto created = engine_->CreateSession(create);
    ASSERT_TRUE(created.ok());
    session_ = created->session_id();
  }

  // Sends `text` inside its own request scope; returns the reply kind.
  v1::ReplyKind Send(const std::string& text, const std::string& id,
                     RequestFacts* facts) {
    ScopedRequestFacts scope;
    v1::SendMessageRequest request;
    request.set_session_id(session_);
    request.set_text(text);
    request.set_message_id(id);
    auto response = engine_->SendMessage(request);
    *facts = scope.facts();
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->reply().kind()
                         : v1::REPLY_KIND_UNSPECIFIED;
  }

  std::unique_ptr<Engine> engine_;
  std::string session_;
};

TEST_F(EngineFactsTest, ChannelStagesAndQuestionsBeforeTheFirstAnswer) {
  RequestFacts facts;
  int questions = 0;
  v1::ReplyKind kind =
      Send("my knee is sore at the front whenever I run", "m1", &facts);
  EXPECT_EQ(facts.channel, "web");
  EXPECT_TRUE(facts.stages_timed);
  EXPECT_GT(facts.stage_seconds[static_cast<size_t>(TurnStage::kUnderstanding)],
            0);
  EXPECT_EQ(facts.questions_before_first_answer, -1);
  const char* answers[] = {"three weeks", "none of those", "no", "31"};
  for (int i = 0; kind == v1::REPLY_KIND_QUESTION && i < 4; ++i) {
    ++questions;
    kind = Send(answers[i], "a" + std::to_string(i), &facts);
  }
  ASSERT_EQ(kind, v1::REPLY_KIND_ANSWER);
  EXPECT_EQ(facts.questions_before_first_answer, questions);
  // A first answer's quotes were chosen at start-up: no retrieval now.
  EXPECT_EQ(facts.stage_seconds[static_cast<size_t>(TurnStage::kRetrieval)], 0);
  EXPECT_GT(facts.stage_seconds[static_cast<size_t>(TurnStage::kComposing)], 0);

  // A follow-up answer is not a first answer, and is looked up now.
  Send("how do I stretch my quads?", "f1", &facts);
  EXPECT_EQ(facts.questions_before_first_answer, -1);
  EXPECT_GT(facts.stage_seconds[static_cast<size_t>(TurnStage::kRetrieval)], 0);
}

TEST_F(EngineFactsTest, ARetryAnsweredFromMemoryIsMarked) {
  RequestFacts facts;
  Send("my knee is sore at the front whenever I run", "same", &facts);
  EXPECT_FALSE(facts.replayed);
  Send("my knee is sore at the front whenever I run", "same", &facts);
  EXPECT_TRUE(facts.replayed);
  EXPECT_FALSE(facts.stages_timed);
}

}  // namespace
}  // namespace kneechat
