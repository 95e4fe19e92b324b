#include "services/channels/whatsapp_payload.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace kneechat {
namespace {

using Json = nlohmann::json;

// The member `key` of `object` when it has `type`; null otherwise.
const Json* Member(const Json& object, const char* key, Json::value_t type) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->type() != type) return nullptr;
  return &*it;
}

std::string String(const Json& object, const char* key) {
  const Json* value = Member(object, key, Json::value_t::string);
  return value == nullptr ? "" : value->get<std::string>();
}

const Json* Array(const Json& object, const char* key) {
  return Member(object, key, Json::value_t::array);
}

const Json* Object(const Json& object, const char* key) {
  return Member(object, key, Json::value_t::object);
}

bool IsMessageId(const std::string& id) {
  return !id.empty() && id.size() <= kWhatsAppMaxIdBytes &&
         std::all_of(id.begin(), id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

bool IsWaId(const std::string& wa_id) {
  return !wa_id.empty() && wa_id.size() <= kWhatsAppMaxWaIdBytes &&
         std::all_of(wa_id.begin(), wa_id.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

// Meta sends "timestamp" as a string of digits; a number is accepted too.
int64_t Timestamp(const Json& message) {
  auto it = message.find("timestamp");
  if (it == message.end()) return 0;
  int64_t seconds = 0;
  if (it->is_string() && absl::SimpleAtoi(it->get<std::string>(), &seconds) &&
      seconds > 0) {
    return seconds;
  }
  if (it->is_number_unsigned()) {
    const uint64_t value = it->get<uint64_t>();
    return value > static_cast<uint64_t>(INT64_MAX)
               ? 0
               : static_cast<int64_t>(value);
  }
  return 0;
}

void ReadContent(const Json& message, WhatsAppInbound* inbound) {
  inbound->type_name = String(message, "type");
  const std::string& type = inbound->type_name;
  if (type == "text") {
    if (const Json* text = Object(message, "text")) {
      inbound->type = WhatsAppInbound::Type::kText;
      inbound->text = String(*text, "body");
    }
    return;
  }
  if (type == "interactive") {
    const Json* interactive = Object(message, "interactive");
    if (interactive == nullptr) return;
    const std::string kind = String(*interactive, "type");
    if (kind != "button_reply" && kind != "list_reply") return;
    const Json* reply = Object(*interactive, kind.c_str());
    if (reply == nullptr) return;
    inbound->type = WhatsAppInbound::Type::kInteractive;
    inbound->reply_id = String(*reply, "id");
    inbound->reply_title = String(*reply, "title");
    return;
  }
  if (type == "button") {
    // A quick-reply button of a template message: its text is the answer.
    if (const Json* button = Object(message, "button")) {
      inbound->type = WhatsAppInbound::Type::kText;
      inbound->text = String(*button, "text");
    }
    return;
  }
  if (type == "reaction") inbound->type = WhatsAppInbound::Type::kReaction;
}

void ReadValue(const Json& value, WhatsAppNotification* out) {
  std::string phone_number_id;
  if (const Json* metadata = Object(value, "metadata")) {
    phone_number_id = String(*metadata, "phone_number_id");
  }
  if (const Json* statuses = Array(value, "statuses")) {
    out->statuses += static_cast<int>(statuses->size());
  }
  const Json* messages = Array(value, "messages");
  if (messages == nullptr) return;
  for (const Json& message : *messages) {
    WhatsAppInbound inbound;
    inbound.id = String(message, "id");
    inbound.from = String(message, "from");
    if (!IsMessageId(inbound.id) || !IsWaId(inbound.from)) {
      out->skipped++;
      continue;
    }
    inbound.phone_number_id = phone_number_id;
    inbound.timestamp = Timestamp(message);
    ReadContent(message, &inbound);
    out->messages.push_back(std::move(inbound));
  }
}

}  // namespace

absl::StatusOr<WhatsAppNotification> ParseWhatsAppNotification(
    std::string_view json) {
  const Json root = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return absl::InvalidArgumentError("notification is not a JSON object");
  }
  const Json* entries = Array(root, "entry");
  if (entries == nullptr) {
    return absl::InvalidArgumentError("notification has no entry array");
  }
  WhatsAppNotification notification;
  for (const Json& entry : *entries) {
    const Json* changes = Array(entry, "changes");
    if (changes == nullptr) continue;
    for (const Json& change : *changes) {
      if (!change.is_object()) continue;
      const std::string field = String(change, "field");
      if (!field.empty() && field != "messages") continue;
      if (const Json* value = Object(change, "value")) {
        ReadValue(*value, &notification);
      }
    }
  }
  return notification;
}

}  // namespace kneechat
