#include "clients/cli/render.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(WrapTest, BreaksBetweenWordsWithinTheWidth) {
  EXPECT_EQ(Wrap("one two three four", 10, "  "),
            "  one two\n  three\n  four\n");
}

TEST(WrapTest, CountsCodePointsNotBytes) {
  // Eight code points, sixteen bytes: fits in a width of 10.
  EXPECT_EQ(
      Wrap("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9", 10, ""),
      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\n");
}

TEST(WrapTest, KeepsLongWordsAndNewlines) {
  EXPECT_EQ(Wrap("a supercalifragilistic b\nc", 8, ""),
            "a\nsupercalifragilistic\nb\nc\n");
  EXPECT_EQ(Wrap("", 8, "  "), "");
  EXPECT_EQ(Wrap("a\n\nb", 8, "  "), "  a\n\n  b\n");
}

TEST(NamesTest, StripTheEnumPrefixes) {
  EXPECT_EQ(ReplyKindName(v1::REPLY_KIND_REFERRAL), "REFERRAL");
  EXPECT_EQ(TriageLevelName(v1::TRIAGE_LEVEL_SELF_CARE), "SELF_CARE");
  EXPECT_EQ(TriageLevelName(v1::TRIAGE_LEVEL_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(ReplyKindName(static_cast<v1::ReplyKind>(99)), "99");
}

TEST(RenderReplyTest, AnswerListsCitationsAndQuickReplies) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text("Strengthening the hips helps [1].");
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_SELF_CARE);
  v1::Citation* citation = reply.add_citations();
  citation->set_number(1);
  citation->set_title("Patellofemoral knee pain");
  citation->set_passage_id("patellofemoral-pain#4");
  citation->set_excerpt("Hip strengthening reduces pain.");
  reply.add_quick_replies()->set_title("Yes");
  reply.add_quick_replies()->set_title("Not sure");
  const std::string out = RenderReply(reply, 200);
  EXPECT_THAT(out, HasSubstr("kneechat> Strengthening the hips helps [1]."));
  EXPECT_THAT(out, HasSubstr("Triage: SELF_CARE"));
  EXPECT_THAT(out, HasSubstr("[1] Patellofemoral knee pain "
                             "(patellofemoral-pain#4): \"Hip strengthening "
                             "reduces pain.\""));
  EXPECT_THAT(out, HasSubstr("1) Yes\n"));
  EXPECT_THAT(out, HasSubstr("2) Not sure\n"));
  EXPECT_THAT(out, Not(HasSubstr("!!")));
}

TEST(RenderReplyTest, ReferralShowsLevelRedFlagsAndAction) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_REFERRAL);
  reply.set_text("Please get help now.");
  v1::Triage* triage = reply.mutable_triage();
  triage->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  triage->set_action("Call the emergency number now.");
  triage->set_reason("A hot swollen knee with fever can be an infection.");
  v1::RedFlag* flag = triage->add_red_flags();
  flag->set_id("septic_arthritis");
  flag->set_title("Hot swollen knee with fever");
  flag->set_evidence("temp was 38.9");
  const std::string out = RenderReply(reply, 80);
  EXPECT_THAT(out, HasSubstr("!! TRIAGE: EMERGENCY\n"));
  EXPECT_THAT(out, HasSubstr("!! Red flag: Hot swollen knee with fever (you "
                             "said: \"temp was 38.9\")"));
  EXPECT_THAT(out, HasSubstr("!! What to do: Call the emergency number now."));
  EXPECT_THAT(out, Not(HasSubstr("!! Why")));  // the reply text explains
}

TEST(RenderPassageTest, ShowsRankScoreIdsTitleAndText) {
  v1::Passage passage;
  passage.set_document_id("patellofemoral-pain");
  passage.set_passage_id("patellofemoral-pain#7");
  passage.set_title("Patellofemoral knee pain");
  passage.set_heading("Treatment");
  passage.set_text("A knee brace can help some people.");
  passage.set_score(2.5);
  EXPECT_EQ(RenderPassage(1, passage, 80),
            "1. [score 2.500] Patellofemoral knee pain / Treatment\n"
            "   document patellofemoral-pain, passage patellofemoral-pain#7\n"
            "   A knee brace can help some people.\n");
}

}  // namespace
}  // namespace kneechat::cli
