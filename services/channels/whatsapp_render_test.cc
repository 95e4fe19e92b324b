#include "services/channels/whatsapp_render.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/message_text.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = WhatsAppMessage::Kind;

v1::Reply Question(int options, const std::string& asking = "activity") {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(asking);
  reply.set_text("What brings the pain on?");
  for (int i = 0; i < options; ++i) {
    v1::QuickReply* qr = reply.add_quick_replies();
    qr->set_id(absl::StrCat("activity:", i));
    qr->set_title(absl::StrCat("Option number ", i));
  }
  return reply;
}

// Every message within the Cloud API's limits.
void ExpectWithinLimits(const WhatsAppRendering& rendering) {
  for (const WhatsAppMessage& m : rendering.messages) {
    EXPECT_FALSE(m.body.empty());
    if (m.kind == Kind::kText) {
      EXPECT_LE(Utf16Length(m.body), kWhatsAppMaxTextUnits);
      EXPECT_TRUE(m.options.empty());
      continue;
    }
    EXPECT_LE(Utf16Length(m.body), kWhatsAppMaxInteractiveBodyUnits);
    const bool list = m.kind == Kind::kList;
    EXPECT_LE(m.options.size(), list ? kWhatsAppMaxRows : kWhatsAppMaxButtons);
    std::set<std::string> ids;
    for (const WhatsAppOption& o : m.options) {
      EXPECT_LE(Utf16Length(o.title), list ? kWhatsAppMaxRowTitleUnits
                                           : kWhatsAppMaxButtonTitleUnits);
      EXPECT_FALSE(o.title.empty());
      EXPECT_LE(o.id.size(), kWhatsAppMaxOptionIdBytes);
      EXPECT_TRUE(ids.insert(o.id).second) << "duplicate id " << o.id;
    }
  }
}

TEST(WhatsAppRenderTest, FewQuickRepliesAreButtonsWithWhyWhenRoom) {
  const WhatsAppRendering r = RenderWhatsAppReply(Question(2));
  ASSERT_EQ(r.messages.size(), 1u);
  const WhatsAppMessage& m = r.messages[0];
  EXPECT_EQ(m.kind, Kind::kButtons);
  EXPECT_EQ(m.body, "What brings the pain on?");
  ASSERT_EQ(m.options.size(), 3u);
  EXPECT_EQ(m.options[0].id, "activity:0");
  EXPECT_EQ(m.options[0].text, "Option number 0");
  EXPECT_EQ(m.options[2].id, kWhatsAppWhyId);
  EXPECT_EQ(m.options[2].text, "Why do you ask?");
  ExpectWithinLimits(r);
}

TEST(WhatsAppRenderTest, ThreeQuickRepliesLeaveNoRoomForWhy) {
  const WhatsAppMessage m = RenderWhatsAppReply(Question(3)).messages.back();
  EXPECT_EQ(m.kind, Kind::kButtons);
  ASSERT_EQ(m.options.size(), 3u);
  for (const WhatsAppOption& o : m.options) EXPECT_NE(o.id, kWhatsAppWhyId);
}

TEST(WhatsAppRenderTest, NoWhyOutsideQuestions) {
  v1::Reply answer = Question(2);
  answer.set_kind(v1::REPLY_KIND_ANSWER);
  EXPECT_EQ(RenderWhatsAppReply(answer).messages.back().options.size(), 2u);
  v1::Reply no_slot = Question(0, "");
  EXPECT_EQ(RenderWhatsAppReply(no_slot).messages.back().kind, Kind::kText);
  // A question with no quick replies gets the why button alone.
  const WhatsAppMessage m = RenderWhatsAppReply(Question(0)).messages.back();
  EXPECT_EQ(m.kind, Kind::kButtons);
  ASSERT_EQ(m.options.size(), 1u);
  EXPECT_EQ(m.options[0].title, kWhatsAppWhyTitle);
}

TEST(WhatsAppRenderTest, ManyQuickRepliesAreAListWithWhyLast) {
  const WhatsAppRendering r = RenderWhatsAppReply(Question(5));
  const WhatsAppMessage& m = r.messages.back();
  EXPECT_EQ(m.kind, Kind::kList);
  ASSERT_EQ(m.options.size(), 6u);
  EXPECT_EQ(m.options.back().id, kWhatsAppWhyId);
  ExpectWithinLimits(r);
  const auto body = WhatsAppMessageBody("447700900123", m);
  EXPECT_EQ(body["type"], "interactive");
  EXPECT_EQ(body["interactive"]["type"], "list");
  EXPECT_EQ(body["interactive"]["action"]["sections"][0]["rows"].size(), 6u);
  EXPECT_LE(
      Utf16Length(body["interactive"]["action"]["button"].get<std::string>()),
      kWhatsAppMaxListButtonUnits);

  // Never more than ten rows.
  const WhatsAppRendering many = RenderWhatsAppReply(Question(14));
  EXPECT_EQ(many.messages.back().options.size(), kWhatsAppMaxRows);
  ExpectWithinLimits(many);
}

TEST(WhatsAppRenderTest, LongTitlesAndBadIdsAreFitted) {
  v1::Reply reply = Question(0);
  const std::pair<std::string, std::string> quick[] = {
      {std::string(300, 'x'), "A title far longer than twenty characters"},
      {"dup",
       "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"
       "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"},
      {"dup", "Same id"}};
  for (const auto& [id, title] : quick) {
    v1::QuickReply* qr = reply.add_quick_replies();
    qr->set_id(id);
    qr->set_title(title);
  }
  const WhatsAppRendering r = RenderWhatsAppReply(reply);
  ExpectWithinLimits(r);
  const WhatsAppMessage& m = r.messages.back();
  ASSERT_EQ(m.options.size(), 3u);
  EXPECT_EQ(m.options[0].id, "qr:0");
  EXPECT_EQ(m.options[0].text, "A title far longer than twenty characters");
  EXPECT_EQ(m.options[2].id, "qr:2");
}

TEST(WhatsAppRenderTest, LongTextIsSplitAndOptionsGoLast) {
  v1::Reply reply = Question(2);
  std::string text;
  for (int i = 0; i < 400; ++i) absl::StrAppend(&text, "Sentence ", i, ". ");
  reply.set_text(text);  // about 5000 characters
  const WhatsAppRendering r = RenderWhatsAppReply(reply);
  ASSERT_GE(r.messages.size(), 2u);
  ExpectWithinLimits(r);
  EXPECT_EQ(r.messages.back().kind, Kind::kButtons);
  for (size_t i = 0; i + 1 < r.messages.size(); ++i) {
    EXPECT_EQ(r.messages[i].kind, Kind::kText);
  }
  std::string joined;
  for (const WhatsAppMessage& m : r.messages) absl::StrAppend(&joined, m.body);
  EXPECT_THAT(joined, HasSubstr("Sentence 399."));
  EXPECT_THAT(joined, HasSubstr("Sentence 0."));
}

TEST(WhatsAppRenderTest, AnswerHasShortReferences) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text("Rest and ice help [1].");
  v1::Citation* c = reply.add_citations();
  c->set_title("Patellofemoral knee pain");
  c->set_excerpt(std::string(2000, 'e'));
  c->set_number(1);
  const WhatsAppRendering r = RenderWhatsAppReply(reply);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body,
            "Rest and ice help [1].\n\n*Sources:*\n[1] Patellofemoral knee "
            "pain");
  const auto body = WhatsAppMessageBody("1", r.messages[0]);
  EXPECT_EQ(body["type"], "text");
  EXPECT_EQ(body["text"]["body"], r.messages[0].body);
  EXPECT_EQ(body["text"]["preview_url"], false);
  EXPECT_EQ(body["messaging_product"], "whatsapp");
}

TEST(WhatsAppRenderTest, ReferralOpensWithTheBanner) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_REFERRAL);
  reply.set_text("Because you can't walk on it, you should be seen today.");
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_URGENT);
  reply.mutable_triage()->set_action("Go to an urgent care centre today.");
  const WhatsAppRendering r = RenderWhatsAppReply(reply);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_THAT(r.messages[0].body, HasSubstr("*\u26A0\uFE0F URGENT"));
  EXPECT_THAT(r.messages[0].body,
              HasSubstr("Go to an urgent care centre today."));
  EXPECT_THAT(r.messages[0].body, Not(HasSubstr("Why do you ask")));
}

TEST(WhatsAppRenderTest, ButtonsBodyJson) {
  const WhatsAppMessage m = RenderWhatsAppReply(Question(1)).messages.back();
  const auto body = WhatsAppMessageBody("447700900123", m);
  EXPECT_EQ(body["to"], "447700900123");
  EXPECT_EQ(body["interactive"]["type"], "button");
  const auto& buttons = body["interactive"]["action"]["buttons"];
  ASSERT_EQ(buttons.size(), 2u);
  EXPECT_EQ(buttons[0]["type"], "reply");
  EXPECT_EQ(buttons[0]["reply"]["id"], "activity:0");
  EXPECT_EQ(buttons[1]["reply"]["title"], "Why do you ask?");
  EXPECT_EQ(body["interactive"]["body"]["text"], "What brings the pain on?");
}

TEST(WhatsAppRenderTest, EmptyTextWithOptionsStillHasABody) {
  v1::Reply reply = Question(2);
  reply.clear_text();
  const WhatsAppRendering r = RenderWhatsAppReply(reply);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(r.messages[0].body.empty());
  EXPECT_TRUE(RenderWhatsAppText("").messages.empty());
}

}  // namespace
}  // namespace kneechat
