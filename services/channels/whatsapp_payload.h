// WhatsApp Business Cloud API webhook payloads: the fields kneechat acts on,
// read from a notification's JSON ({"object":"whatsapp_business_account",
// "entry":[{"changes":[{"field":"messages","value":{...}}]}]}).
//
// One notification may carry several messages and status updates (sent,
// delivered, read, failed), for one or more of the app's phone numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kneechat {

struct WhatsAppInbound {
  enum class Type {
    kText,         // type "text": `text` holds the body
    kInteractive,  // a reply button or list row chosen: `reply_id`
    kReaction,     // an emoji reaction to an earlier message
    kUnsupported,  // image, audio, sticker, location, contacts...
  };

  // The message id ("wamid.…"), at most kMaxIdBytes.
  std::string id;
  // The sender's WhatsApp id (their phone number, digits only).
  std::string from;
  // The business phone number it was sent to (metadata.phone_number_id).
  std::string phone_number_id;
  // When the person sent it, Unix seconds; 0 when absent or unreadable.
  int64_t timestamp = 0;
  Type type = Type::kUnsupported;
  // The platform's name of the type ("image", "audio"...), for counters.
  std::string type_name;
  std::string text;
  // kInteractive: the id and title of the button or list row chosen.
  std::string reply_id;
  std::string reply_title;
};

struct WhatsAppNotification {
  std::vector<WhatsAppInbound> messages;  // in payload order
  // Delivery and read receipts; kneechat only acknowledges them.
  int statuses = 0;
  // Messages left out because they lacked a usable id or sender.
  int skipped = 0;
};

inline constexpr size_t kWhatsAppMaxIdBytes = 256;
inline constexpr size_t kWhatsAppMaxWaIdBytes = 32;

// Parses a webhook notification. kInvalidArgument when `json` is not a JSON
// object with an "entry" array. Changes other than "messages", unknown
// fields and values of the wrong JSON type are ignored; a message without a
// usable id (1..kWhatsAppMaxIdBytes printable ASCII) or sender (1..32
// digits) is skipped and counted. Never throws. Thread-safe.
absl::StatusOr<WhatsAppNotification> ParseWhatsAppNotification(
    std::string_view json);

}  // namespace kneechat
