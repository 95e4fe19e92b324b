#include "services/channels/telegram_render.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/message_text.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

v1::Reply Question() {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_text("Did it start suddenly or gradually?");
  for (const auto& [id, title] : {std::pair{"onset:sudden", "Sudden"},
                                  std::pair{"onset:gradual", "Gradual"}}) {
    v1::QuickReply* qr = reply.add_quick_replies();
    qr->set_id(id);
    qr->set_title(title);
  }
  return reply;
}

v1::Reply Answer(const std::string& text, int citations) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text(text);
  for (int i = 1; i <= citations; ++i) {
    v1::Citation* c = reply.add_citations();
    c->set_number(i);
    c->set_title("Patellofemoral knee pain");
    c->set_excerpt(std::string(500, 'e'));
  }
  return reply;
}

// The text an entity covers.
std::string Covered(const TelegramMessage& m, const TelegramEntity& e) {
  const std::string_view head = Utf16Prefix(m.text, e.offset);
  const std::string_view rest = std::string_view(m.text).substr(head.size());
  return std::string(Utf16Prefix(rest, e.length));
}

TEST(TelegramRenderTest, QuickRepliesBecomeAnInlineKeyboard) {
  const TelegramRendering r = RenderTelegramReply(Question());
  ASSERT_THAT(r.messages, SizeIs(1));
  EXPECT_EQ(r.messages[0].text, "Did it start suddenly or gradually?");
  ASSERT_THAT(r.messages[0].keyboard, SizeIs(1));  // short titles: one row
  ASSERT_THAT(r.messages[0].keyboard[0], SizeIs(2));
  EXPECT_EQ(r.messages[0].keyboard[0][0].text, "Sudden");
  EXPECT_EQ(r.messages[0].keyboard[0][0].callback_data, "onset:sudden");
  EXPECT_THAT(r.buttons, SizeIs(2));
  EXPECT_EQ(r.buttons[1].first, "onset:gradual");
  EXPECT_EQ(r.buttons[1].second, "Gradual");
}

TEST(TelegramRenderTest, CallbackDataNeverExceeds64Bytes) {
  v1::Reply reply = Question();
  v1::QuickReply* long_id = reply.add_quick_replies();
  long_id->set_id(std::string(65, 'x'));
  long_id->set_title("Somewhere else entirely");
  v1::QuickReply* exactly = reply.add_quick_replies();
  exactly->set_id(std::string(64, 'y'));
  exactly->set_title("Edge");
  const TelegramRendering r = RenderTelegramReply(reply);
  // A long title puts every button on its own row.
  ASSERT_THAT(r.messages[0].keyboard, SizeIs(4));
  for (const auto& row : r.messages[0].keyboard) {
    for (const TelegramButton& b : row) {
      EXPECT_GE(b.callback_data.size(), 1u);
      EXPECT_LE(b.callback_data.size(), kTelegramMaxCallbackDataBytes);
    }
  }
  EXPECT_EQ(r.messages[0].keyboard[2][0].callback_data, "qr:2");
  EXPECT_EQ(r.messages[0].keyboard[3][0].callback_data, std::string(64, 'y'));
}

TEST(TelegramRenderTest, CitationsFollowAsSources) {
  const TelegramRendering r =
      RenderTelegramReply(Answer("Rest and ice help [1].", 1));
  ASSERT_THAT(r.messages, SizeIs(1));
  const TelegramMessage& m = r.messages[0];
  EXPECT_THAT(m.text, StartsWith("Rest and ice help [1].\n\nSources:\n[1] "
                                 "Patellofemoral knee pain \u2014 \u201C"));
  EXPECT_THAT(m.text, HasSubstr("\u2026\u201D"));  // excerpt abbreviated
  ASSERT_THAT(m.entities, SizeIs(1));
  EXPECT_EQ(Covered(m, m.entities[0]), "Sources:");
  EXPECT_TRUE(m.keyboard.empty());
}

TEST(TelegramRenderTest, ReferralStartsWithBoldBanner) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_REFERRAL);
  reply.set_text("You can't put weight on it after a fall.");
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  reply.mutable_triage()->set_action("Call 999 now.");
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_THAT(r.messages, SizeIs(1));
  const TelegramMessage& m = r.messages[0];
  EXPECT_THAT(m.text, StartsWith("\U0001F6A8 EMERGENCY \u2014 Call 999 now."
                                 "\n\nYou can't put weight"));
  ASSERT_THAT(m.entities, SizeIs(1));
  EXPECT_EQ(m.entities[0].offset, 0u);
  EXPECT_EQ(Covered(m, m.entities[0]),
            "\U0001F6A8 EMERGENCY \u2014 Call 999 now.");
}

TEST(TelegramRenderTest, LongRepliesAreSplitWithinTheLimit) {
  std::string text;
  for (int i = 0; i < 700; ++i) text += "R\u00E9st \U0001F9CA your knee [1]. ";
  v1::Reply reply = Answer(text, 5);
  v1::QuickReply* qr = reply.add_quick_replies();
  qr->set_id("more");
  qr->set_title("Tell me more");
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_GE(r.messages.size(), 3u);
  for (size_t i = 0; i < r.messages.size(); ++i) {
    const TelegramMessage& m = r.messages[i];
    EXPECT_LE(Utf16Length(m.text), kTelegramMaxTextUnits);
    EXPECT_LE(Utf8Length(m.text), kTelegramMaxTextUnits);
    EXPECT_TRUE(IsValidUtf8(m.text));
    EXPECT_EQ(m.keyboard.empty(), i + 1 < r.messages.size());
  }
  const TelegramMessage& sources = r.messages.back();
  EXPECT_THAT(sources.text, StartsWith("Sources:\n[1]"));
  ASSERT_THAT(sources.entities, SizeIs(1));
  EXPECT_EQ(Covered(sources, sources.entities[0]), "Sources:");
}

TEST(TelegramRenderTest, UserTextIsSentAsPlainText) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text("You said <b>ouch</b> *and* [link](http://x) & _more_");
  const TelegramRendering r = RenderTelegramReply(reply);
  const nlohmann::json body = TelegramSendMessageBody(42, r.messages[0]);
  EXPECT_FALSE(body.contains("parse_mode"));
  EXPECT_EQ(body["chat_id"], 42);
  EXPECT_EQ(body["text"], reply.text());
  EXPECT_EQ(body["link_preview_options"]["is_disabled"], true);
}

TEST(TelegramRenderTest, SendMessageBodyCarriesKeyboardAndEntities) {
  TelegramMessage m;
  m.text = "Hi";
  m.entities.push_back({"bold", 0, 2});
  m.keyboard.push_back({{"Yes", "yn:y"}, {"No", "yn:n"}});
  const nlohmann::json body = TelegramSendMessageBody(-7, m);
  EXPECT_EQ(body, nlohmann::json::parse(R"({
    "chat_id": -7, "text": "Hi",
    "link_preview_options": {"is_disabled": true},
    "entities": [{"type": "bold", "offset": 0, "length": 2}],
    "reply_markup": {"inline_keyboard": [[
      {"text": "Yes", "callback_data": "yn:y"},
      {"text": "No", "callback_data": "yn:n"}]]}})"));
}

TEST(TelegramRenderTest, ButtonsOnlyReplyStillHasText) {
  v1::Reply reply = Question();
  reply.clear_text();
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_THAT(r.messages, SizeIs(1));
  EXPECT_FALSE(r.messages[0].text.empty());
  EXPECT_FALSE(r.messages[0].keyboard.empty());
}

TEST(TelegramRenderTest, AQuestionWithAReasonOffersWhyBelowItsQuickReplies) {
  v1::Reply reply = Question();
  reply.set_why("How it started tells an injury from overuse.");
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_THAT(r.messages, SizeIs(1));
  const auto& keyboard = r.messages[0].keyboard;
  ASSERT_THAT(keyboard, SizeIs(2));
  EXPECT_THAT(keyboard[0], SizeIs(2));  // the quick replies, as before
  ASSERT_THAT(keyboard[1], SizeIs(1));
  EXPECT_EQ(keyboard[1][0].text, "Why do you ask?");
  EXPECT_EQ(keyboard[1][0].callback_data, kTelegramWhyCallbackData);
  EXPECT_LE(std::string(kTelegramWhyCallbackData).size(),
            kTelegramMaxCallbackDataBytes);
  // A press plays the button's title as the person's message.
  EXPECT_THAT(r.buttons,
              ::testing::Contains(std::pair<std::string, std::string>(
                  kTelegramWhyCallbackData, "Why do you ask?")));
  EXPECT_THAT(r.buttons, SizeIs(3));
  // The reason itself is not in the text until asked for.
  EXPECT_THAT(r.messages[0].text, ::testing::Not(HasSubstr("injury from")));
  const nlohmann::json body = TelegramSendMessageBody(7, r.messages[0]);
  EXPECT_EQ(body["reply_markup"]["inline_keyboard"][1][0]["callback_data"],
            "kneechat:why");
}

TEST(TelegramRenderTest, WhyWithoutQuickRepliesIsTheOnlyButton) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_text("How old are you?");
  reply.set_why("Some knee problems belong to certain ages.");
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_THAT(r.messages, SizeIs(1));
  ASSERT_THAT(r.messages[0].keyboard, SizeIs(1));
  EXPECT_EQ(r.messages[0].keyboard[0][0].callback_data,
            kTelegramWhyCallbackData);
}

TEST(TelegramRenderTest, NoWhyButtonWithoutAReasonOrWhenTheTextGivesIt) {
  // No reason: the keyboard is the quick replies alone.
  EXPECT_THAT(RenderTelegramReply(Question()).messages[0].keyboard, SizeIs(1));
  EXPECT_THAT(RenderTelegramReply(Answer("Rest it.", 0)).messages[0].keyboard,
              SizeIs(0));
  // The answer to a "why?": the reason leads the text already.
  v1::Reply reply = Question();
  reply.set_why("How it started tells an injury from overuse.");
  reply.set_text(absl::StrCat(reply.why(), "\n\n", reply.text()));
  const TelegramRendering r = RenderTelegramReply(reply);
  ASSERT_THAT(r.messages[0].keyboard, SizeIs(1));
  for (const auto& [data, title] : r.buttons) {
    EXPECT_NE(data, kTelegramWhyCallbackData);
  }
}

}  // namespace
}  // namespace kneechat
