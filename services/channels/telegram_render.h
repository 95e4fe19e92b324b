// Renders a kneechat Reply as Telegram sendMessage calls: plain text (no
// parse_mode, so nothing a person typed can become markup), bold entities
// for the referral banner and the sources heading, a compact list of the
// cited sources, quick replies as an inline keyboard, and a "Why do you
// ask?" button under a question that carries its reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

// Telegram's limits: message text 1-4096 characters (counted here in
// UTF-16 code units, which is never fewer), callback_data 1-64 bytes.
inline constexpr size_t kTelegramMaxTextUnits = 4096;
inline constexpr size_t kTelegramMaxCallbackDataBytes = 64;
// Each cited excerpt is abbreviated to this many characters.
inline constexpr size_t kTelegramExcerptChars = 200;

// The "Why do you ask?" button offered under a question whose Reply has a
// `why`. Its callback_data is reserved (no quick reply id in corpus/
// starts with "kneechat:"); pressing it plays its title as the person's
// message, which the engine answers with the reason and the same question,
// `asking` unchanged.
inline constexpr char kTelegramWhyCallbackData[] = "kneechat:why";
inline constexpr char kTelegramWhyTitle[] = "Why do you ask?";

struct TelegramButton {
  std::string text;
  std::string callback_data;
};

// A MessageEntity; offset and length in UTF-16 code units.
struct TelegramEntity {
  std::string type;  // "bold"
  size_t offset = 0;
  size_t length = 0;
};

struct TelegramMessage {
  std::string text;  // 1..kTelegramMaxTextUnits UTF-16 units
  std::vector<TelegramEntity> entities;
  std::vector<std::vector<TelegramButton>> keyboard;  // rows; empty = none
};

struct TelegramRendering {
  // In sending order; the keyboard, if any, is on the last one.
  std::vector<TelegramMessage> messages;
  // callback_data -> quick reply title, for every button rendered.
  std::vector<std::pair<std::string, std::string>> buttons;
};

// The callback_data for the quick reply at `index`: its id when that is
// 1..64 bytes, otherwise "qr:<index>".
std::string TelegramCallbackData(const v1::QuickReply& quick_reply, int index);

// Renders `reply`. A REFERRAL starts with a bold banner naming the triage
// level and the action; citations follow the text as "Sources:" with
// "[n] title — excerpt" lines. A reply with a `why` gets the "Why do you
// ask?" button in a row of its own below the quick replies, unless its text
// already starts with that reason (the answer to a "why?"). Text over the limit
// is split across messages at paragraph, line or word breaks, never inside a
// UTF-8 sequence.
TelegramRendering RenderTelegramReply(const v1::Reply& reply);

// Plain text as one or more messages (for kneechat's own notices).
TelegramRendering RenderTelegramText(std::string_view text);

// The JSON body of a sendMessage call for `message` in `chat_id`.
nlohmann::json TelegramSendMessageBody(int64_t chat_id,
                                       const TelegramMessage& message);

}  // namespace kneechat
