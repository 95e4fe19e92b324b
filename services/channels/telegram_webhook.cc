#include "services/channels/telegram_webhook.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "kneechat/engine/v1/channel_state.pb.h"
#include "services/channels/memory_channel_state_store.h"
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
    bot_api_ = std::make_unique<HttpTelegramBotApi>(std::move(api));
  }
  const size_t workers =
      options_.worker_threads < 1 ? 1 : options_.worker_threads;
  {
    absl::MutexLock lock(&mu_);
    queues_.resize(workers);
  }
  for (size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  }
}

TelegramWebhook::~TelegramWebhook() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : workers_) t.join();
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
  absl::StatusOr<bool> first = store_->Remember(key, "");
  if (!first.ok()) {
    store_failures_++;
    return {503, "text/plain", "unavailable\n"};  // Telegram delivers again
  }
  if (!*first) {
    duplicates_++;
    return Ok();
  }
  if (update->kind == TelegramUpdate::Kind::kOther) return Ok();
  if (options_.fair_use != nullptr &&
      !options_.fair_use
           ->AdmitRequest(Channel::kTelegram, absl::StrCat(update->chat_id))
           .ok()) {
    rate_limited_++;
    return Ok();  // acknowledged, so Telegram does not deliver it again
  }
  {
    absl::MutexLock lock(&mu_);
    if (queued_ >= options_.queue_capacity || stopping_) {
      // Let Telegram's redelivery through (best effort).
      store_->Forget(key).IgnoreError();
      return {503, "text/plain", "busy\n"};
    }
    const size_t shard =
        static_cast<uint64_t>(update->chat_id) % queues_.size();
    queues_[shard].push_back(*std::move(update));
    ++queued_;
    ++pending_;
  }
  accepted_++;
  return Ok();
}

void TelegramWebhook::WorkerLoop(size_t shard) {
  for (;;) {
    TelegramUpdate update;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this, shard]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queues_[shard].empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (queues_[shard].empty()) return;  // stopping and drained
      update = std::move(queues_[shard].front());
      queues_[shard].pop_front();
      --queued_;
    }
    Process(update);
    absl::MutexLock lock(&mu_);
    --pending_;
  }
}

void TelegramWebhook::Flush() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_ == 0; };
  mu_.Await(absl::Condition(&idle));
}

TelegramWebhookStats TelegramWebhook::stats() const {
  TelegramWebhookStats s;
  s.accepted = accepted_;
  s.duplicates = duplicates_;
  s.unauthorized = unauthorized_;
  s.rejected = rejected_;
  s.turns = turns_;
  s.send_failures = send_failures_;
  s.store_failures = store_failures_;
  s.rate_limited = rate_limited_;
  return s;
}

void TelegramWebhook::Process(const TelegramUpdate& update) {
  if (update.chat_type != "private") return;
  absl::Status status = store_->Update(
      absl::StrCat("chat:", update.chat_id),
      [&](std::string& record) -> absl::Status {
        ChatRecord stored;
        stored.ParseFromString(record);
        ChatState chat;
        chat.session_id = stored.session_id();
        for (const auto& button : stored.buttons()) {
          chat.buttons.emplace_back(button.callback_data(), button.title());
        }
        ProcessInChat(update, chat);
        stored.Clear();
        stored.set_session_id(chat.session_id);
        for (const auto& [data, title] : chat.buttons) {
          ChatRecord::Button* button = stored.add_buttons();
          button->set_callback_data(data);
          button->set_title(title);
        }
        record = stored.SerializeAsString();
        return absl::OkStatus();
      });
  if (!status.ok()) {
    // Already acknowledged to Telegram: tell the person to try again.
    store_failures_++;
    SendNoticeFor(update.chat_id, status);
  }
}

void TelegramWebhook::ProcessInChat(const TelegramUpdate& update,
                                    ChatState& chat_state) {
  ChatState* chat = &chat_state;
  const int64_t chat_id = update.chat_id;
  const std::string message_id = absl::StrCat(kChannel, ":", update.update_id);

  if (update.kind == TelegramUpdate::Kind::kCallbackQuery) {
    std::optional<std::string> title;  // a copy: the turn replaces buttons
    for (const auto& [data, label] : chat->buttons) {
      if (data == update.callback_data) title = label;
    }
    if (!bot_api_
             ->AnswerCallbackQuery(
                 update.callback_query_id,
                 title.value_or(options_.notices.expired_button))
             .ok()) {
      send_failures_++;
    }
    if (title.has_value()) PlayTurn(chat_id, *chat, *title, message_id);
    return;
  }

  if (!update.has_text) {
    SendNotice(chat_id, options_.notices.non_text);
    return;
  }
  const std::string command = CommandOf(update.text);
  if (command == "/start" || command == "/forget") {
    if (!chat->session_id.empty()) {
      v1::DeleteSessionRequest request;
      request.set_session_id(chat->session_id);
      engine_.DeleteSession(request).IgnoreError();  // may have expired
      chat->session_id.clear();
      chat->buttons.clear();
    }
    if (command == "/start") {
      StartSession(chat_id, *chat);
    } else {
      SendNotice(chat_id, options_.notices.forgotten);
    }
    return;
  }
  PlayTurn(chat_id, *chat, update.text, message_id);
}

bool TelegramWebhook::StartSession(int64_t chat_id, ChatState& chat) {
  if (options_.fair_use != nullptr) {
    absl::Status admitted = options_.fair_use->AdmitNewSession(
        Channel::kTelegram, absl::StrCat(chat_id));
    if (!admitted.ok()) {
      rate_limited_++;
      SendNoticeFor(chat_id, admitted);
      return false;
    }
  }
  v1::CreateSessionRequest request;
  request.set_channel(kChannel);
  absl::StatusOr<v1::CreateSessionResponse> created =
      engine_.CreateSession(request);
  if (!created.ok()) {
    SendNoticeFor(chat_id, created.status());
    return false;
  }
  chat.session_id = created->session_id();
  SendReply(chat_id, chat, created->reply());
  return true;
}

void TelegramWebhook::PlayTurn(int64_t chat_id, ChatState& chat,
                               const std::string& text,
                               const std::string& message_id) {
  if (chat.session_id.empty() && !StartSession(chat_id, chat)) return;
  v1::SendMessageRequest request;
  request.set_session_id(chat.session_id);
  request.set_text(text);
  request.set_message_id(message_id);
  absl::StatusOr<v1::SendMessageResponse> response =
      engine_.SendMessage(request);
  if (absl::IsNotFound(response.status())) {  // the session expired
    chat.session_id.clear();
    if (!StartSession(chat_id, chat)) return;
    request.set_session_id(chat.session_id);
    response = engine_.SendMessage(request);
  }
  if (!response.ok()) {
    SendNoticeFor(chat_id, response.status());
    return;
  }
  turns_++;
  SendReply(chat_id, chat, response->reply());
}

void TelegramWebhook::SendReply(int64_t chat_id, ChatState& chat,
                                const v1::Reply& reply) {
  TelegramRendering rendering = RenderTelegramReply(reply);
  chat.buttons = std::move(rendering.buttons);
  for (const TelegramMessage& message : rendering.messages) {
    if (!bot_api_->SendMessage(TelegramSendMessageBody(chat_id, message))
             .ok()) {
      send_failures_++;
      return;
    }
  }
}

void TelegramWebhook::SendNotice(int64_t chat_id, const std::string& text) {
  for (const TelegramMessage& message : RenderTelegramText(text).messages) {
    if (!bot_api_->SendMessage(TelegramSendMessageBody(chat_id, message))
             .ok()) {
      send_failures_++;
      return;
    }
  }
}

void TelegramWebhook::SendNoticeFor(int64_t chat_id,
                                    const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      SendNotice(chat_id, options_.notices.unreadable);
      break;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      SendNotice(chat_id, options_.notices.busy);
      break;
    default:
      SendNotice(chat_id, options_.notices.failure);
  }
}

}  // namespace kneechat
