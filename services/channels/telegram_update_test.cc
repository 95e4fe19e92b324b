#include "services/channels/telegram_update.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

using Kind = TelegramUpdate::Kind;

TEST(TelegramUpdateTest, ParsesTextMessage) {
  const auto update = ParseTelegramUpdate(R"({"update_id": 10000,
    "message": {"message_id": 1365, "date": 1441645532,
      "from": {"id": 1111111, "is_bot": false, "first_name": "Test"},
      "chat": {"id": 1111111, "type": "private", "first_name": "Test"},
      "text": "my knee hurts"}})");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->update_id, 10000);
  EXPECT_EQ(update->kind, Kind::kMessage);
  EXPECT_EQ(update->chat_id, 1111111);
  EXPECT_EQ(update->chat_type, "private");
  EXPECT_TRUE(update->has_text);
  EXPECT_EQ(update->text, "my knee hurts");
}

TEST(TelegramUpdateTest, MessageWithoutTextHasNoText) {
  const auto update = ParseTelegramUpdate(R"({"update_id": 5,
    "message": {"message_id": 2, "chat": {"id": -42, "type": "group"},
      "photo": [{"file_id": "x"}]}})");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->kind, Kind::kMessage);
  EXPECT_FALSE(update->has_text);
  EXPECT_EQ(update->chat_id, -42);
  EXPECT_EQ(update->chat_type, "group");
}

TEST(TelegramUpdateTest, ParsesCallbackQuery) {
  const auto update = ParseTelegramUpdate(R"({"update_id": 7,
    "callback_query": {"id": "4382bfdwdsb323b2d9", "chat_instance": "-1",
      "from": {"id": 99, "is_bot": false, "first_name": "A"},
      "message": {"message_id": 3, "chat": {"id": 99, "type": "private"}},
      "data": "onset:sudden"}})");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->kind, Kind::kCallbackQuery);
  EXPECT_EQ(update->callback_query_id, "4382bfdwdsb323b2d9");
  EXPECT_EQ(update->callback_data, "onset:sudden");
  EXPECT_EQ(update->chat_id, 99);
}

TEST(TelegramUpdateTest, CallbackWithoutMessageUsesSender) {
  const auto update = ParseTelegramUpdate(R"({"update_id": 8,
    "callback_query": {"id": "q", "from": {"id": 77}, "data": "x"}})");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->chat_id, 77);
  EXPECT_EQ(update->chat_type, "private");
}

TEST(TelegramUpdateTest, OtherUpdatesAreIgnorable) {
  const auto update = ParseTelegramUpdate(R"({"update_id": 9,
    "edited_message": {"message_id": 1, "chat": {"id": 1, "type": "private"},
      "text": "edited"}})");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->kind, Kind::kOther);
}

TEST(TelegramUpdateTest, RejectsMalformedUpdates) {
  for (const char* json : {
           "", "not json", "[]", R"({"message": {}})", R"({"update_id": "12"})",
           R"({"update_id": 1, "message": {"text": "no chat"}})",
           R"({"update_id": 1, "callback_query": {"data": "no id"}})",
           "{\"update_id\": 1, \"message\": {\"chat\": {\"id\": 1}, "
           "\"text\": \"\xC3\x28\"}}",  // invalid UTF-8
       }) {
    EXPECT_FALSE(ParseTelegramUpdate(json).ok()) << json;
  }
}

}  // namespace
}  // namespace kneechat
