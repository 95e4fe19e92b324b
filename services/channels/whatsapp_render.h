// Renders a kneechat Reply as WhatsApp Business Cloud API messages
// (POST /{phone_number_id}/messages bodies): plain text with WhatsApp's own
// *bold* for the referral banner and the sources heading, the cited sources
// as short numbered references, and quick replies as interactive reply
// buttons (up to 3) or a list message (more than 3, up to 10 rows).
//
// A question the person may ask the reason for (a QUESTION or
// CLARIFICATION naming the slot it asks) also offers "Why do you ask?" --
// text the engine reads as a why-question -- as a button or row when there
// is room: never instead of one of the engine's quick replies.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

// The Cloud API's limits, counted here in UTF-16 code units (never fewer
// than characters): text body 4096, interactive body 1024, 3 reply buttons
// with titles of 20, list rows of 24 (at most 10), list button text 20,
// button and row ids 256 bytes.
inline constexpr size_t kWhatsAppMaxTextUnits = 4096;
inline constexpr size_t kWhatsAppMaxInteractiveBodyUnits = 1024;
inline constexpr size_t kWhatsAppMaxButtons = 3;
inline constexpr size_t kWhatsAppMaxButtonTitleUnits = 20;
inline constexpr size_t kWhatsAppMaxRows = 10;
inline constexpr size_t kWhatsAppMaxRowTitleUnits = 24;
inline constexpr size_t kWhatsAppMaxListButtonUnits = 20;
inline constexpr size_t kWhatsAppMaxOptionIdBytes = 256;

// The title and id of the "Why do you ask?" option.
inline constexpr char kWhatsAppWhyTitle[] = "Why do you ask?";
inline constexpr char kWhatsAppWhyId[] = "why";

struct WhatsAppOption {
  std::string id;     // unique within its message, 1..256 bytes
  std::string title;  // as shown, within the button's or row's limit
  std::string text;   // what choosing it plays as the person's message
};

struct WhatsAppMessage {
  enum class Kind { kText, kButtons, kList };
  Kind kind = Kind::kText;
  // kText: 1..4096 units; kButtons and kList: 1..1024 units.
  std::string body;
  std::vector<WhatsAppOption> options;  // kButtons, kList
};

struct WhatsAppRendering {
  // In sending order; options, if any, are on the last one.
  std::vector<WhatsAppMessage> messages;
};

// Renders `reply`. A REFERRAL opens with a banner naming the triage level
// and the action. Text too long for one message is split at paragraph, line
// or word breaks; when the reply has options, the last piece (at most 1024
// units) carries them.
WhatsAppRendering RenderWhatsAppReply(const v1::Reply& reply);

// Plain text (kneechat's own notices) as one or more text messages.
WhatsAppRendering RenderWhatsAppText(std::string_view text);

// The JSON body of the messages call sending `message` to WhatsApp user
// `to` (a wa_id).
nlohmann::json WhatsAppMessageBody(std::string_view to,
                                   const WhatsAppMessage& message);

}  // namespace kneechat
