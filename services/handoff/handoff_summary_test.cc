#include "services/handoff/handoff_summary.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/handoff/handoff_test_data.h"

namespace kneechat {
namespace {

using ::kneechat::testing::TestCatalog;
using ::kneechat::testing::TestState;

class SummaryTest : public ::testing::Test {
 protected:
  std::string Summary(const engine::v1::SessionState& state) {
    return BuildHandoffSummary(ReadHandoffView(state), catalog_);
  }
  QuestionCatalog catalog_ = TestCatalog();
};

TEST_F(SummaryTest, SbarSectionsInOrder) {
  const std::string text = Summary(TestState());
  size_t last = 0;
  for (const char* heading :
       {"S - Situation", "B - Background", "A - Assessment",
        "R - Recommendation", "Questions asked and why", "Transcript"}) {
    const size_t at = text.find(heading);
    ASSERT_NE(at, std::string::npos) << heading << "\n" << text;
    EXPECT_GT(at, last) << heading;
    last = at;
  }
}

TEST_F(SummaryTest, SituationHasLevelActionAndRedFlagInTheirWords) {
  const std::string text = Summary(TestState());
  EXPECT_TRUE(absl::StrContains(text, "Triage: URGENT - to be seen today"));
  EXPECT_TRUE(absl::StrContains(text,
                                "- Possible broken bone: \"I fell off the "
                                "ladder and can't stand on it\""));
  EXPECT_TRUE(absl::StrContains(
      text, "Told to: Get seen today at an urgent care centre."));
  EXPECT_TRUE(absl::StrContains(
      text, "Why: Not bearing weight after a fall can mean a broken bone."));
}

TEST_F(SummaryTest, BackgroundShowsSlotsAsTitledWithTheirWords) {
  const std::string text = Summary(TestState());
  EXPECT_TRUE(absl::StrContains(text, "Where: Inside (\"on the inside\")"));
  EXPECT_TRUE(absl::StrContains(
      text, "Weight bearing: Can't take 4 steps (\"can't stand on it\")"));
  EXPECT_TRUE(absl::StrContains(text, "How long: 2 days"));
  EXPECT_TRUE(absl::StrContains(text, "Age: not asked"));
}

TEST_F(SummaryTest, FindingsGroupedPresentUnsureAbsent) {
  const std::string text = Summary(TestState());
  EXPECT_TRUE(absl::StrContains(
      text,
      "Present: fell: \"I fell off the ladder\"; cannot bear weight: "
      "\"can't stand on it\""));
  EXPECT_TRUE(
      absl::StrContains(text, "Unsure: knee feels hot: \"maybe a bit warm\""));
  EXPECT_TRUE(absl::StrContains(text, "Absent: fever\n"));
}

TEST_F(SummaryTest, QuestionsWithTheirWhyEachOnce) {
  const std::string text = Summary(TestState());
  EXPECT_TRUE(absl::StrContains(
      text,
      "- Where does it hurt?\n  Why: Where it hurts tells the likely "
      "cause."));
  EXPECT_TRUE(absl::StrContains(
      text,
      "- Since the fall, can you take four steps?\n  Why: It decides "
      "where to send you."));
  // The deciding question asked the slot: the slot question is not listed.
  EXPECT_FALSE(absl::StrContains(text, "Can you take four steps?"));
  EXPECT_TRUE(absl::StrContains(
      text,
      "- Any of these: a hot or red knee, a fever, a numb foot?\n"
      "  Why: Some signs need a doctor quickly."));
}

TEST_F(SummaryTest, ConsentContactAndTranscript) {
  const std::string text = Summary(TestState());
  EXPECT_TRUE(absl::StrContains(
      text,
      "Consent to share with the clinic: yes (22:15 UTC). Contact: "
      "07700 900123"));
  EXPECT_TRUE(absl::StrContains(text, "2 earlier turns are no longer kept"));
  EXPECT_TRUE(absl::StrContains(
      text, "[22:14] Person: I fell off the ladder and can't stand on it"));
  EXPECT_TRUE(
      absl::StrContains(text, "[22:14] kneechat: Please get seen today."));
}

TEST_F(SummaryTest, AdviceIsQuotedWithItsCitation) {
  engine::v1::SessionState state = TestState();
  v1::Turn* turn = state.mutable_session()->add_transcript();
  turn->set_role(v1::Turn::ROLE_ASSISTANT);
  turn->mutable_reply()->set_kind(v1::REPLY_KIND_ANSWER);
  v1::Citation* c = turn->mutable_reply()->add_citations();
  c->set_number(1);
  c->set_title("Patellofemoral knee pain");
  c->set_passage_id("patellofemoral-pain#2");
  c->set_excerpt("Strengthen the hip muscles.");
  const std::string text = Summary(state);
  EXPECT_TRUE(absl::StrContains(
      text,
      "[1] \"Strengthen the hip muscles.\" - Patellofemoral knee pain "
      "(patellofemoral-pain#2)"));
}

TEST_F(SummaryTest, TheLastReferralCountsWhenTheLastReplyForgotIt) {
  engine::v1::SessionState state = TestState();
  *state.mutable_handoff_referral() = state.session().triage();
  state.mutable_session()->mutable_triage()->Clear();  // a "thanks" reply
  state.mutable_session()->mutable_triage()->set_level(v1::TRIAGE_LEVEL_URGENT);
  const std::string text = Summary(state);
  EXPECT_TRUE(absl::StrContains(text, "- Possible broken bone: "));
  EXPECT_TRUE(absl::StrContains(
      text, "Told to: Get seen today at an urgent care centre."));
}

TEST_F(SummaryTest, AnEmptyConversationSaysSo) {
  engine::v1::SessionState state;
  state.mutable_session()->set_channel("web");
  const std::string text = Summary(state);
  EXPECT_TRUE(absl::StrContains(text, "Triage: NOT DECIDED"));
  EXPECT_TRUE(absl::StrContains(text, "Red flags: none raised"));
  EXPECT_TRUE(absl::StrContains(text, "No advice given yet."));
  EXPECT_TRUE(
      absl::StrContains(text, "Consent to share with the clinic: not given"));
}

}  // namespace
}  // namespace kneechat
