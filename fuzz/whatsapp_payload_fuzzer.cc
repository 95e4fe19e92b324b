// Fuzzes WhatsApp webhook parsing (services/channels/whatsapp_payload): any
// body must parse or give INVALID_ARGUMENT, never throw; every message kept
// has a usable wamid and sender. Each text is also rendered as an outgoing
// message, which must stay within the Cloud API's limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/channels/message_text.h"
#include "services/channels/whatsapp_payload.h"
#include "services/channels/whatsapp_render.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<kneechat::WhatsAppNotification> notification =
      kneechat::ParseWhatsAppNotification(json);
  if (!notification.ok()) {
    Check(notification.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(notification->statuses >= 0 && notification->skipped >= 0);
  for (const kneechat::WhatsAppInbound& message : notification->messages) {
    Check(!message.id.empty() &&
          message.id.size() <= kneechat::kWhatsAppMaxIdBytes);
    Check(!message.from.empty() &&
          message.from.size() <= kneechat::kWhatsAppMaxWaIdBytes);
    Check(message.timestamp >= 0);
    for (const kneechat::WhatsAppMessage& out :
         kneechat::RenderWhatsAppText(message.text).messages) {
      Check(!out.body.empty());
      Check(kneechat::Utf16Length(out.body) <= kneechat::kWhatsAppMaxTextUnits);
      kneechat::WhatsAppMessageBody(message.from, out)
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  return 0;
}
