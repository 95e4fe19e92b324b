#include "services/channels/telegram_webhook.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "kneechat/engine/v1/channel_state.pb.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/message_text.h"
#include "services/channels/secure_compare.h"
#include "services/channels/telegram_render.h"
#include "services/channels/webhook_http.h"

namespace kneechat {
namespace {

constexpr char kChannel[] = "telegram";

// "/start", "/start@kneechat_bot", "/start payload" -> "/start"; "" when
// `text` is not a command.
std::string CommandOf(const std::string& text) {
  const size_t start = text.find_first_not_of(" \n\t\r");
  if (start == std::string::npos || text[start] != '/') return "";
  const size_t end = text.find_first_of(" @\n\t\r", start);
  return absl::AsciiStrToLower(text.substr(start, end - start));
}

WebhookResponse Unauthorized() { return {401, "text/plain", "unauthorized\n"}; }
WebhookResponse TooLarge() { return {413, "text/plain", "body too large\n"}; }
WebhookResponse Ok() { return {200, "text/plain", ""}; }
WebhookResponse Unavailable() {
  return {503, "text/plain", "unavailable\n"};  // Telegram delivers again
}

// `second` appended to `first` as one message when `first` has no buttons
// and both fit; nullopt otherwise.
std::optional<TelegramMessage> Joined(const TelegramMessage& first,
                                      const TelegramMessage& second) {
  if (!first.keyboard.empty()) return std::nullopt;
  TelegramMessage joined;
  joined.text = absl::StrCat(first.text, "\n\n", second.text);
  if (Utf16Length(joined.text) > kTelegramMaxTextUnits) return std::nullopt;
  joined.entities = first.entities;
  const size_t shift = Utf16Length(first.text) + 2;
  for (TelegramEntity entity : second.entities) {
    entity.offset += shift;
    joined.entities.push_back(entity);
  }
  joined.keyboard = second.keyboard;
  return joined;
}

}  // namespace

// A chat's record while one update is handled (the store holds its lock).
struct TelegramWebhook::ChatState {
  std::string session_id;
  // callback_data -> title for the buttons of the last reply.
  std::vector<std::pair<std::string, std::string>> buttons;
};

namespace {

using ChatRecord = engine::v1::TelegramChatState;

std::shared_ptr<ChannelStateStore> StoreOrMemory(
    const TelegramWebhookOptions& options) {
  if (options.state_store != nullptr) return options.state_store;
  MemoryChannelStateOptions memory;
  memory.remember_capacity = options.dedup_capacity;
  memory.remember_ttl = options.dedup_ttl;
  memory.max_records = options.max_chats;
  memory.record_idle_ttl = options.chat_idle_ttl;
  memory.clock = options.clock;
  return std::make_shared<MemoryChannelStateStore>(memory);
}

}  // namespace

TelegramWebhook::TelegramWebhook(Engine& engine, TelegramWebhookOptions options,
                                 std::unique_ptr<TelegramBotApi> bot_api)
    : engine_(engine),
      options_(std::move(options)),
      bot_api_(std::move(bot_api)),
      store_(StoreOrMemory(options_)) {
  if (bot_api_ == nullptr) {
    HttpTelegramBotApiOptions api;
    api.api_base_url = options_.api_base_url;
    api.bot_token = options_.bot_token;
    api.queue = options_.outbound;
    if (api.queue.clock == nullptr) api.queue.clock = options_.clock;
    bot_api_ = std::make_unique<HttpTelegramBotApi>(std::move(api));
  }
}

TelegramWebhook::~TelegramWebhook() {
  bot_api_.reset();  // its last callbacks count into this object
}

HttpRoute TelegramWebhook::Route() {
  HttpRoute route;
  route.path = kPath;
  route.max_body_bytes = options_.max_body_bytes;
  // Refused before the body is read, so the connection cannot be reused.
  route.screen = [this](const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> secret;
    if (req.has_header(kSecretHeader)) {
      secret = req.get_header_value(kSecretHeader);
    }
    if (Authorized(secret)) return false;
    unauthorized_++;
    WriteWebhookResponse(Unauthorized(), res, /*close=*/true);
    return true;
  };
  route.too_large = [this](HttpResponse& res) {
    rejected_++;
    WriteWebhookResponse(TooLarge(), res, /*close=*/true);
  };
  route.handle = [this](const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> secret;
    if (req.has_header(kSecretHeader)) {
      secret = req.get_header_value(kSecretHeader);
    }
    WriteWebhookResponse(Handle(secret, req.body), res);
  };
  return route;
}

bool TelegramWebhook::Authorized(std::optional<std::string_view> secret) const {
  return !options_.secret_token.empty() && secret.has_value() &&
         SecureEquals(*secret, options_.secret_token);
}

void TelegramWebhook::AtStage(std::string_view stage) const {
  if (options_.at_stage_for_test) options_.at_stage_for_test(stage);
}

WebhookResponse TelegramWebhook::Handle(std::optional<std::string_view> secret,
                                        std::string_view body) {
  if (!Authorized(secret)) {
    unauthorized_++;
    return Unauthorized();
  }
  if (body.size() > options_.max_body_bytes) {
    rejected_++;
    return TooLarge();
  }
  absl::StatusOr<TelegramUpdate> update = ParseTelegramUpdate(body);
  if (!update.ok()) {
    rejected_++;
    return {400, "text/plain", "malformed update\n"};
  }
  const std::string key = absl::StrCat("update:", update->update_id);
  absl::StatusOr<std::optional<std::string>> seen = store_->Recall(key);
  if (!seen.ok()) {
    store_failures_++;
    return Unavailable();
  }
  // Answered before. Telegram delivers an update again only when it did not
  // get the answer (the replica died after remembering the update_id, or
  // the connection broke), so the chat's last answer is given again below.
  const bool answered = seen->has_value();
  if (update->kind == TelegramUpdate::Kind::kOther ||
      update->chat_type != "private") {
    return Ok();
  }
  if (!answered && options_.fair_use != nullptr &&
      !options_.fair_use
           ->AdmitRequest(Channel::kTelegram, absl::StrCat(update->chat_id))
           .ok()) {
    rate_limited_++;
    return Ok();  // acknowledged, so Telegram does not deliver it again
  }
  AtStage("received");

  // The turn, under the chat's lock; the record keeps the answer.
  std::vector<nlohmann::json> calls;
  bool replayed = false, dropped = false;
  absl::Status status = store_->Update(
      absl::StrCat("chat:", update->chat_id),
      [&](std::string& record) -> absl::Status {
        ChatRecord stored;
        stored.ParseFromString(record);
        if (!record.empty() && stored.last_update_id() == update->update_id) {
          // The chat's last update, delivered again: Telegram did not get
          // its answer (the replica that played it died, or the connection
          // broke). The same answer, no second turn.
          for (const std::string& call : stored.last_answer()) {
            calls.push_back(nlohmann::json::parse(call, nullptr, false));
          }
          replayed = true;
          return absl::OkStatus();  // the record stays as it is
        }
        if (answered) {
          // Answered before this chat's last update: its answer is gone.
          dropped = true;
          return absl::OkStatus();
        }
        ChatState chat;
        chat.session_id = stored.session_id();
        for (const auto& button : stored.buttons()) {
          chat.buttons.emplace_back(button.callback_data(), button.title());
        }
        Outcome outcome = ProcessInChat(*update, chat);
        if (!outcome.retry.ok()) return outcome.retry;
        stored.Clear();
        stored.set_session_id(chat.session_id);
        for (const auto& [data, title] : chat.buttons) {
          ChatRecord::Button* button = stored.add_buttons();
          button->set_callback_data(data);
          button->set_title(title);
        }
        stored.set_last_update_id(update->update_id);
        calls.clear();
        for (const TelegramMessage& message : outcome.messages) {
          calls.push_back(TelegramSendMessageBody(update->chat_id, message));
          stored.add_last_answer(calls.back().dump(
              -1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
        record = stored.SerializeAsString();
        AtStage("played");
        return absl::OkStatus();
      });
  if (!status.ok()) {
    store_failures_++;
    return Unavailable();
  }
  AtStage("written");
  if (dropped) {
    duplicates_++;
    return Ok();
  }
  if (replayed) {
    replays_++;
    return Answer(calls);
  }
  // Best effort: the chat's record already answers a redelivery.
  store_->Remember(key, "").IgnoreError();
  accepted_++;
  return Answer(calls);
}

WebhookResponse TelegramWebhook::Answer(
    const std::vector<nlohmann::json>& calls) {
  if (calls.empty()) return Ok();
  // Earlier messages go first, through the queue; the last is the answer.
  if (calls.size() > 1) {
    struct Pending {
      absl::Mutex mu;
      size_t left ABSL_GUARDED_BY(mu) = 0;
    };
    auto pending = std::make_shared<Pending>();
    {
      absl::MutexLock lock(&pending->mu);
      pending->left = calls.size() - 1;
    }
    for (size_t i = 0; i + 1 < calls.size(); ++i) {
      absl::Status queued = bot_api_->SendMessage(
          calls[i], [this, pending](const absl::Status& s) {
            if (!s.ok()) send_failures_++;
            absl::MutexLock lock(&pending->mu);
            --pending->left;
          });
      if (!queued.ok()) {
        send_failures_++;
        absl::MutexLock lock(&pending->mu);
        --pending->left;
      }
    }
    absl::MutexLock lock(&pending->mu);
    auto sent = [&pending]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pending->mu) {
      return pending->left == 0;
    };
    pending->mu.AwaitWithTimeout(absl::Condition(&sent),
                                 options_.prior_messages_wait);
  }
  nlohmann::json answer = calls.back();
  answer["method"] = "sendMessage";
  return {
      200, "application/json",
      answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

void TelegramWebhook::Flush() { bot_api_->Flush(); }

TelegramWebhookStats TelegramWebhook::stats() const {
  TelegramWebhookStats s;
  s.accepted = accepted_;
  s.duplicates = duplicates_;
  s.replays = replays_;
  s.unauthorized = unauthorized_;
  s.rejected = rejected_;
  s.turns = turns_;
  s.send_failures = send_failures_;
  s.store_failures = store_failures_;
  s.rate_limited = rate_limited_;
  return s;
}

TelegramWebhook::Outcome TelegramWebhook::ProcessInChat(
    const TelegramUpdate& update, ChatState& chat) {
  Outcome out;
  const int64_t chat_id = update.chat_id;
  const std::string message_id = absl::StrCat(kChannel, ":", update.update_id);

  if (update.kind == TelegramUpdate::Kind::kCallbackQuery) {
    std::optional<std::string> title;  // a copy: the turn replaces buttons
    for (const auto& [data, label] : chat.buttons) {
      if (data == update.callback_data) title = label;
    }
    if (!bot_api_
             ->AnswerCallbackQuery(
                 chat_id, update.callback_query_id,
                 title.value_or(options_.notices.expired_button))
             .ok()) {
      send_failures_++;
    }
    if (title.has_value()) PlayTurn(chat_id, chat, *title, message_id, out);
    return out;
  }

  if (!update.has_text) {
    AddNotice(options_.notices.non_text, out);
    return out;
  }
  const std::string command = CommandOf(update.text);
  if (command == "/start" || command == "/forget") {
    if (!chat.session_id.empty()) {
      v1::DeleteSessionRequest request;
      request.set_session_id(chat.session_id);
      absl::StatusOr<v1::DeleteSessionResponse> deleted =
          engine_.DeleteSession(request);
      if (absl::IsUnavailable(deleted.status())) {
        out.retry = deleted.status();
        return out;
      }
      chat.session_id.clear();  // deleted, or had expired
      chat.buttons.clear();
    }
    if (command == "/start") {
      StartSession(chat_id, chat, out);
    } else {
      AddNotice(options_.notices.forgotten, out);
    }
    return out;
  }
  PlayTurn(chat_id, chat, update.text, message_id, out);
  return out;
}

bool TelegramWebhook::StartSession(int64_t chat_id, ChatState& chat,
                                   Outcome& out) {
  if (options_.fair_use != nullptr) {
    absl::Status admitted = options_.fair_use->AdmitNewSession(
        Channel::kTelegram, absl::StrCat(chat_id));
    if (!admitted.ok()) {
      rate_limited_++;
      AddNoticeFor(admitted, out);
      return false;
    }
  }
  v1::CreateSessionRequest request;
  request.set_channel(kChannel);
  absl::StatusOr<v1::CreateSessionResponse> created =
      engine_.CreateSession(request);
  if (!created.ok()) {
    AddNoticeFor(created.status(), out);
    return false;
  }
  chat.session_id = created->session_id();
  AddReply(chat, created->reply(), out);
  return true;
}

void TelegramWebhook::PlayTurn(int64_t chat_id, ChatState& chat,
                               const std::string& text,
                               const std::string& message_id, Outcome& out) {
  if (chat.session_id.empty() && !StartSession(chat_id, chat, out)) return;
  v1::SendMessageRequest request;
  request.set_session_id(chat.session_id);
  request.set_text(text);
  request.set_message_id(message_id);
  absl::StatusOr<v1::SendMessageResponse> response =
      engine_.SendMessage(request);
  if (absl::IsNotFound(response.status())) {  // the session expired
    chat.session_id.clear();
    if (!StartSession(chat_id, chat, out)) return;
    request.set_session_id(chat.session_id);
    response = engine_.SendMessage(request);
  }
  if (absl::IsAlreadyExists(response.status())) {
    // Answered so long ago that its reply is gone: nothing to repeat.
    duplicates_++;
    return;
  }
  if (!response.ok()) {
    AddNoticeFor(response.status(), out);
    return;
  }
  turns_++;
  AddReply(chat, response->reply(), out);
}

void TelegramWebhook::AddReply(ChatState& chat, const v1::Reply& reply,
                               Outcome& out) {
  TelegramRendering rendering = RenderTelegramReply(reply);
  chat.buttons = std::move(rendering.buttons);
  for (TelegramMessage& message : rendering.messages) {
    // A greeting and the reply that follows it share a message when they
    // fit.
    if (&message == &rendering.messages.front() && !out.messages.empty()) {
      std::optional<TelegramMessage> joined =
          Joined(out.messages.back(), message);
      if (joined.has_value()) {
        out.messages.back() = *std::move(joined);
        continue;
      }
    }
    out.messages.push_back(std::move(message));
  }
}

void TelegramWebhook::AddNotice(const std::string& text, Outcome& out) {
  for (TelegramMessage& message : RenderTelegramText(text).messages) {
    out.messages.push_back(std::move(message));
  }
}

void TelegramWebhook::AddNoticeFor(const absl::Status& status, Outcome& out) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      // The session store or the session's lock: Telegram tries again.
      out.retry = status;
      break;
    case absl::StatusCode::kInvalidArgument:
      AddNotice(options_.notices.unreadable, out);
      break;
    case absl::StatusCode::kResourceExhausted:
      AddNotice(options_.notices.busy, out);
      break;
    default:
      AddNotice(options_.notices.failure, out);
  }
}

}  // namespace kneechat
