#include "services/channels/telegram_update.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace kneechat {
namespace {

using Json = nlohmann::json;

bool GetInt(const Json& object, const char* key, int64_t* out) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return false;
  *out = it->get<int64_t>();
  return true;
}

std::string GetString(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The chat of a Message object: id and type.
bool GetChat(const Json& message, int64_t* id, std::string* type) {
  auto chat = message.find("chat");
  if (chat == message.end() || !chat->is_object()) return false;
  if (!GetInt(*chat, "id", id)) return false;
  *type = GetString(*chat, "type");
  return true;
}

}  // namespace

absl::StatusOr<TelegramUpdate> ParseTelegramUpdate(std::string_view json) {
  const Json root = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return absl::InvalidArgumentError("update is not a JSON object");
  }
  TelegramUpdate update;
  if (!GetInt(root, "update_id", &update.update_id)) {
    return absl::InvalidArgumentError("update has no integer update_id");
  }
  if (auto message = root.find("message");
      message != root.end() && message->is_object()) {
    update.kind = TelegramUpdate::Kind::kMessage;
    if (!GetChat(*message, &update.chat_id, &update.chat_type)) {
      return absl::InvalidArgumentError("message has no chat id");
    }
    auto text = message->find("text");
    if (text != message->end() && text->is_string()) {
      update.has_text = true;
      update.text = text->get<std::string>();
    }
    return update;
  }
  if (auto query = root.find("callback_query");
      query != root.end() && query->is_object()) {
    update.kind = TelegramUpdate::Kind::kCallbackQuery;
    update.callback_query_id = GetString(*query, "id");
    if (update.callback_query_id.empty()) {
      return absl::InvalidArgumentError("callback_query has no id");
    }
    update.callback_data = GetString(*query, "data");
    // The button's message gives the chat; without it (a button on an
    // inline-mode message) the private chat id equals the user id.
    auto message = query->find("message");
    if (message == query->end() || !message->is_object() ||
        !GetChat(*message, &update.chat_id, &update.chat_type)) {
      auto from = query->find("from");
      if (from == query->end() || !from->is_object() ||
          !GetInt(*from, "id", &update.chat_id)) {
        return absl::InvalidArgumentError("callback_query has no chat");
      }
      update.chat_type = "private";
    }
    return update;
  }
  return update;
}

}  // namespace kneechat
