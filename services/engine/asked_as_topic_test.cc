// A rule's question that is asked as a slot's topic (RedFlagQuestion
// findings_only): "is the calf on that side swollen, warm or red?" is asked
// as the swelling while the person has said nothing of swelling. An answer
// that names the calf or says no is read; a bare "a bit" could be the knee's
// swelling, so the question is put once more, as a question about the calf
// (asking red_flags), and that answer counts.
#include <string>

#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class AskedAsTopicTest : public ::testing::Test {
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

  // Opens with a long journey and an ache behind the knee: the calf is
  // asked about first, as the swelling.
  v1::Reply AskedAboutTheCalf() {
    const v1::Reply asked = Send(
        "got back from a twelve hour flight on sunday and the back of my "
        "right knee aches");
    EXPECT_EQ(asked.kind(), v1::REPLY_KIND_QUESTION) << asked.text();
    EXPECT_EQ(asked.asking(), "swelling") << asked.text();
    EXPECT_NE(asked.text().find("calf"), std::string::npos) << asked.text();
    return asked;
  }

  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::string session_;
  int counter_ = 0;
};

TEST_F(AskedAsTopicTest, ACalfNamedAnswersIt) {
  AskedAboutTheCalf();
  const v1::Reply reply = Send("yeah the calf on that side is puffy and warm");
  EXPECT_EQ(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

TEST_F(AskedAsTopicTest, ANoAnswersIt) {
  const v1::Reply asked = AskedAboutTheCalf();
  const v1::Reply reply = Send("no");
  EXPECT_LT(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
  EXPECT_NE(reply.text(), asked.text());
}

TEST_F(AskedAsTopicTest, ABareYesIsAskedAgainAboutTheCalf) {
  const v1::Reply asked = AskedAboutTheCalf();
  const v1::Reply again = Send("a bit");
  ASSERT_EQ(again.kind(), v1::REPLY_KIND_QUESTION) << again.text();
  EXPECT_EQ(again.asking(), "red_flags");
  EXPECT_NE(again.text().find("calf"), std::string::npos) << again.text();
  EXPECT_LT(again.triage().level(), v1::TRIAGE_LEVEL_URGENT);
  // Asked about the calf itself, the same words are a yes.
  const v1::Reply reply = Send("a bit");
  EXPECT_EQ(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

TEST_F(AskedAsTopicTest, TheQuickReplyNamingTheCalfAnswersIt) {
  const v1::Reply asked = AskedAboutTheCalf();
  ASSERT_GT(asked.quick_replies_size(), 0);
  const v1::Reply reply = Send(asked.quick_replies(0).title());
  EXPECT_EQ(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

TEST_F(AskedAsTopicTest, ANoAboutTheKneeIsAskedAgainAboutTheCalf) {
  AskedAboutTheCalf();
  const v1::Reply again = Send("no, the knee isn't swollen");
  ASSERT_EQ(again.kind(), v1::REPLY_KIND_QUESTION) << again.text();
  EXPECT_EQ(again.asking(), "red_flags");
  EXPECT_NE(again.text().find("calf"), std::string::npos) << again.text();
  EXPECT_EQ(Send("yes it is").triage().level(), v1::TRIAGE_LEVEL_URGENT);
}

// "Why do you ask?" puts the question again (asking unchanged): that is its
// second ask, so the yes after it counts.
TEST_F(AskedAsTopicTest, AYesAfterWhyCounts) {
  AskedAboutTheCalf();
  const v1::Reply why = Send("why do you ask?");
  ASSERT_EQ(why.kind(), v1::REPLY_KIND_QUESTION) << why.text();
  EXPECT_EQ(why.asking(), "swelling");
  const v1::Reply reply = Send("a bit");
  EXPECT_EQ(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

// "Is the knee swollen as well?" asks about the knee itself: a bare yes
// answers it at once.
TEST_F(AskedAsTopicTest, ABareYesAnswersAQuestionAboutTheKneeItself) {
  const v1::Reply asked = Send("my knee is burning and has gone bright red");
  ASSERT_EQ(asked.kind(), v1::REPLY_KIND_QUESTION) << asked.text();
  ASSERT_EQ(asked.asking(), "swelling") << asked.text();
  const v1::Reply reply = Send("yes");
  EXPECT_GE(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT) << reply.text();
}

}  // namespace
}  // namespace kneechat
