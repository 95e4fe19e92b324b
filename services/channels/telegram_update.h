// Telegram Bot API webhook payloads (core.telegram.org/bots/api#update):
// the fields kneechat acts on, parsed from an Update's JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kneechat {

struct TelegramUpdate {
  enum class Kind {
    kMessage,        // a new message in a chat (text or not)
    kCallbackQuery,  // an inline keyboard button press
    kOther,          // edits, channel posts, polls...: ignored
  };

  int64_t update_id = 0;
  Kind kind = Kind::kOther;
  int64_t chat_id = 0;
  // "private", "group", "supergroup" or "channel"; kneechat only talks in
  // private chats.
  std::string chat_type;
  // kMessage: whether the message has text (not a photo, sticker...).
  bool has_text = false;
  std::string text;
  // kCallbackQuery.
  std::string callback_query_id;
  std::string callback_data;
};

// Parses an Update. kInvalidArgument when `json` is not a JSON object with
// an integer update_id, or a message / callback_query lacks the ids needed
// to answer it. Unknown fields are ignored.
absl::StatusOr<TelegramUpdate> ParseTelegramUpdate(std::string_view json);

}  // namespace kneechat
