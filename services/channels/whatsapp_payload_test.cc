#include "services/channels/whatsapp_payload.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

using Type = WhatsAppInbound::Type;

// A notification with `messages` (a JSON array's content) for number 1065.
std::string Notification(const std::string& messages,
                         const std::string& extra = "") {
  return R"({"object":"whatsapp_business_account","entry":[{"id":"8856",)"
         R"("changes":[{"field":"messages","value":{)"
         R"("messaging_product":"whatsapp","metadata":{)"
         R"("display_phone_number":"15550001","phone_number_id":"1065"},)"
         R"("contacts":[{"profile":{"name":"Sam"},"wa_id":"447700900123"}],)"
         R"("messages":[)" +
         messages + "]" + extra + "}}]}]}";
}

TEST(WhatsAppPayloadTest, ReadsATextMessage) {
  auto parsed = ParseWhatsAppNotification(Notification(
      R"({"from":"447700900123","id":"wamid.HBgL1","timestamp":"1700000000",)"
      R"("type":"text","text":{"body":"my knee hurts"}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->messages.size(), 1u);
  const WhatsAppInbound& m = parsed->messages[0];
  EXPECT_EQ(m.type, Type::kText);
  EXPECT_EQ(m.id, "wamid.HBgL1");
  EXPECT_EQ(m.from, "447700900123");
  EXPECT_EQ(m.phone_number_id, "1065");
  EXPECT_EQ(m.timestamp, 1700000000);
  EXPECT_EQ(m.text, "my knee hurts");
}

TEST(WhatsAppPayloadTest, ReadsButtonAndListReplies) {
  auto parsed = ParseWhatsAppNotification(Notification(
      R"({"from":"1","id":"wamid.a","timestamp":"1","type":"interactive",)"
      R"("interactive":{"type":"button_reply","button_reply":{)"
      R"("id":"onset:sudden","title":"Sudden"}}},)"
      R"({"from":"1","id":"wamid.b","timestamp":"2","type":"interactive",)"
      R"("interactive":{"type":"list_reply","list_reply":{)"
      R"("id":"qr:4","title":"Stairs","description":""}}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->messages.size(), 2u);
  EXPECT_EQ(parsed->messages[0].type, Type::kInteractive);
  EXPECT_EQ(parsed->messages[0].reply_id, "onset:sudden");
  EXPECT_EQ(parsed->messages[0].reply_title, "Sudden");
  EXPECT_EQ(parsed->messages[1].reply_id, "qr:4");
  EXPECT_EQ(parsed->messages[1].reply_title, "Stairs");
}

TEST(WhatsAppPayloadTest, OtherTypesAreUnsupportedOrReactions) {
  auto parsed = ParseWhatsAppNotification(Notification(
      R"({"from":"1","id":"wamid.i","type":"image","image":{"id":"9"}},)"
      R"({"from":"1","id":"wamid.r","type":"reaction",)"
      R"("reaction":{"message_id":"wamid.x","emoji":"\ud83d\udc4d"}},)"
      R"({"from":"1","id":"wamid.t","type":"text","text":"not an object"},)"
      R"({"from":"1","id":"wamid.n","type":"interactive",)"
      R"("interactive":{"type":"nfm_reply"}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->messages.size(), 4u);
  EXPECT_EQ(parsed->messages[0].type, Type::kUnsupported);
  EXPECT_EQ(parsed->messages[0].type_name, "image");
  EXPECT_EQ(parsed->messages[1].type, Type::kReaction);
  EXPECT_EQ(parsed->messages[2].type, Type::kUnsupported);
  EXPECT_EQ(parsed->messages[3].type, Type::kUnsupported);
  EXPECT_EQ(parsed->messages[0].timestamp, 0);
}

TEST(WhatsAppPayloadTest, CountsStatusesAndSkipsMessagesWithoutIds) {
  auto parsed = ParseWhatsAppNotification(Notification(
      R"({"from":"1","type":"text","text":{"body":"no id"}},)"
      R"({"id":"wamid.c","type":"text","text":{"body":"no sender"}},)"
      R"({"from":"+44 7700","id":"wamid.d","type":"text","text":{"body":"x"}},)"
      R"(17, "text")",
      R"(,"statuses":[{"id":"wamid.z","status":"read","timestamp":"3",)"
      R"("recipient_id":"1"},{"id":"wamid.y","status":"delivered"}])"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->messages.empty());
  EXPECT_EQ(parsed->skipped, 5);
  EXPECT_EQ(parsed->statuses, 2);
}

TEST(WhatsAppPayloadTest, IgnoresOtherFieldsAndOddShapes) {
  auto parsed = ParseWhatsAppNotification(
      R"({"entry":[{"changes":[{"field":"account_update","value":{)"
      R"("messages":[{"from":"1","id":"wamid.q","type":"text",)"
      R"("text":{"body":"x"}}]}}, 3, {"value":[]}]}, "x", {"changes":{}}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->messages.empty());
}

TEST(WhatsAppPayloadTest, RejectsWhatIsNotANotification) {
  for (const char* bad :
       {"", "[]", "null", "{", R"({"entry":{}})",
        R"({"object":"whatsapp_business_account"})", "\xff\xfe"}) {
    EXPECT_FALSE(ParseWhatsAppNotification(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace kneechat
