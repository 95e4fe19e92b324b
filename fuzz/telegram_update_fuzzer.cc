// Fuzzes Telegram update parsing (services/channels/telegram_update): any
// webhook body must parse or give INVALID_ARGUMENT, never throw; a parsed
// message or button press carries what is needed to answer it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/channels/telegram_update.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<kneechat::TelegramUpdate> update =
      kneechat::ParseTelegramUpdate(json);
  if (!update.ok()) {
    Check(update.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  if (update->kind == kneechat::TelegramUpdate::Kind::kCallbackQuery) {
    Check(!update->callback_query_id.empty());
  }
  if (!update->has_text) Check(update->text.empty());
  return 0;
}
