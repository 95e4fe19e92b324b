#include "services/channels/sms_text.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/message_text.h"

namespace kneechat {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(SmsKeywordTest, TwilioKeywordsInAnyCase) {
  for (const char* word :
       {"STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "CANCEL", "end",
        "Quit", "OPTOUT", "revoke", "stop."}) {
    EXPECT_EQ(TwilioKeyword(word, ""), SmsKeyword::kOptOut) << word;
  }
  EXPECT_EQ(TwilioKeyword("START", ""), SmsKeyword::kOptIn);
  EXPECT_EQ(TwilioKeyword("unstop", ""), SmsKeyword::kOptIn);
  EXPECT_EQ(TwilioKeyword("HELP", ""), SmsKeyword::kHelp);
  EXPECT_EQ(TwilioKeyword("info!", ""), SmsKeyword::kHelp);
}

TEST(SmsKeywordTest, SentencesAndYesAreOrdinaryMessages) {
  for (const char* text :
       {"yes", "YES", "Yes.", "stop it hurts", "it hurts when I stop running",
        "help me please", "the end of the run", "", "no", "1"}) {
    EXPECT_EQ(TwilioKeyword(text, ""), SmsKeyword::kNone) << text;
  }
}

TEST(SmsKeywordTest, OptOutTypeFromTwilioWins) {
  EXPECT_EQ(TwilioKeyword("yes", "START"), SmsKeyword::kOptIn);
  EXPECT_EQ(TwilioKeyword("arret", "STOP"), SmsKeyword::kOptOut);
  EXPECT_EQ(TwilioKeyword("aide", "help"), SmsKeyword::kHelp);
  EXPECT_EQ(TwilioKeyword("whatever", "SOMETHING_NEW"), SmsKeyword::kHelp);
}

TEST(SmsTextTest, TypographyBecomesAsciiAndEmojiGo) {
  EXPECT_EQ(ToSmsText("It\u2019s \u201Cfine\u201D \u2014 rest\u2026"),
            "It's \"fine\" - rest...");
  EXPECT_EQ(ToSmsText("\u2022 Ice it \U0001F9CA now\n\u2022 Rest"),
            "- Ice it now\n- Rest");
  EXPECT_EQ(ToSmsText("\u26A0\uFE0F URGENT"), "URGENT");
  EXPECT_EQ(ToSmsText("caf\u00E9 \u00A35 \u20AC3"),
            "caf\u00E9 \u00A35 \u20AC3");
  EXPECT_EQ(ToSmsText("bad \xff\xfe bytes\x01"), "bad bytes");
}

TEST(SmsTextTest, OptionNumbers) {
  EXPECT_EQ(SmsOptionNumber("2", 3), 2);
  EXPECT_EQ(SmsOptionNumber(" 3. ", 3), 3);
  EXPECT_EQ(SmsOptionNumber("1)", 3), 1);
  EXPECT_EQ(SmsOptionNumber("4", 3), 0);
  EXPECT_EQ(SmsOptionNumber("0", 3), 0);
  EXPECT_EQ(SmsOptionNumber("45", 3), 0);  // an age, not an option
  EXPECT_EQ(SmsOptionNumber("2 weeks", 3), 0);
  EXPECT_EQ(SmsOptionNumber("1", 0), 0);
}

v1::Reply Question() {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking("onset");
  reply.set_text("Did the pain start suddenly or gradually?");
  for (const char* title : {"Sudden", "Gradual", "Not sure"}) {
    v1::QuickReply* qr = reply.add_quick_replies();
    qr->set_id(title);
    qr->set_title(title);
  }
  return reply;
}

TEST(SmsRenderTest, QuickRepliesAreNumbered) {
  const SmsRendering r = RenderSmsReply(Question(), "Hello, I'm kneechat.");
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0],
            "Hello, I'm kneechat.\n\nDid the pain start suddenly or "
            "gradually?\n\nReply 1 for Sudden, 2 for Gradual, 3 for Not sure.");
  EXPECT_EQ(r.options,
            (std::vector<std::string>{"Sudden", "Gradual", "Not sure"}));
}

TEST(SmsRenderTest, AnswerHasShortReferences) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text("Rest and ice help [1].");
  v1::Citation* c = reply.add_citations();
  c->set_title("Patellofemoral knee pain");
  c->set_excerpt(std::string(3000, 'e'));
  c->set_number(1);
  const SmsRendering r = RenderSmsReply(reply);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0],
            "Rest and ice help [1].\n\nSources:\n[1] Patellofemoral knee pain");
  EXPECT_TRUE(r.options.empty());
}

TEST(SmsRenderTest, ReferralOpensWithWhatToDo) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_REFERRAL);
  reply.set_text("You should be seen today.");
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  reply.mutable_triage()->set_action("Call 999 now.");
  const SmsRendering r = RenderSmsReply(reply);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_THAT(r.messages[0], StartsWith("EMERGENCY - Call 999 now."));
}

TEST(SmsRenderTest, LongRepliesAreSplitThenCutKeepingTheOptions) {
  v1::Reply reply = Question();
  std::string text;
  for (int i = 0; i < 150; ++i) absl::StrAppend(&text, "Sentence ", i, ". ");
  reply.set_text(text);  // about 2000 characters
  SmsRendering r = RenderSmsReply(reply);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_THAT(r.messages[1], HasSubstr("Sentence 149."));
  EXPECT_THAT(r.messages[1], EndsWith("3 for Not sure."));

  for (int i = 150; i < 1000; ++i) absl::StrAppend(&text, "Sentence ", i, ". ");
  reply.set_text(text);  // about 13000 characters
  r = RenderSmsReply(reply);
  ASSERT_EQ(r.messages.size(), kSmsMaxMessages);
  for (const std::string& m : r.messages) {
    EXPECT_LE(Utf16Length(m), kSmsMaxMessageChars);
  }
  EXPECT_THAT(r.messages.back(), HasSubstr("..."));
  EXPECT_THAT(r.messages.back(), EndsWith("3 for Not sure."));
  EXPECT_THAT(r.messages[0], StartsWith("Sentence 0. Sentence 1."));

  reply.clear_quick_replies();
  r = RenderSmsReply(reply);
  ASSERT_EQ(r.messages.size(), kSmsMaxMessages);
  EXPECT_THAT(r.messages.back(), EndsWith("..."));
  for (const std::string& m : r.messages) {
    EXPECT_LE(Utf16Length(m), kSmsMaxMessageChars);
  }
}

TEST(SmsRenderTest, EmptyReplyAndNotices) {
  EXPECT_TRUE(RenderSmsReply(v1::Reply()).messages.empty());
  EXPECT_EQ(RenderSmsText("Please type \u201Ctext\u201D.").messages,
            std::vector<std::string>{"Please type \"text\"."});
}

}  // namespace
}  // namespace kneechat
