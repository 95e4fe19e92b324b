// The Telegram channel: POST /webhooks/telegram receives Bot API updates,
// and replies go out through sendMessage.
//
// Pipeline per update: check X-Telegram-Bot-Api-Secret-Token (constant
// time; 401 and nothing else when wrong or missing) -> size limit (413) ->
// parse (400) -> drop repeated update_ids (200, no second turn) -> queue
// and answer 200 at once. Worker threads then play the turn on the engine
// and send the rendered reply; updates from one chat are handled one at a
// time, in arrival order.
//
// Shared state: delivered update_ids and each chat's record (its session
// and last buttons) live in a ChannelStateStore -- in memory by default, or
// on Redis so that every replica sees them: a redelivered update is played
// once whichever replica receives it, and one chat's updates are handled one
// at a time across replicas. When the store cannot be reached the webhook
// answers 503 (Telegram delivers again later).
//
// Conversations: each private chat maps to a kneechat session, created on
// the first message or on /start ("/start" erases the old session and
// starts again; "/forget" erases it). A session that expired is replaced by
// a fresh one and the message is played there. Message text becomes a
// SendMessage with message_id "telegram:<update_id>", so the engine's
// idempotency also guards against repeats. A button press is acknowledged
// with answerCallbackQuery and its quick reply's title is played as the
// turn; buttons from earlier replies than the last one have expired.
// Group chats and non-text messages start no turn. No message text is
// logged.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/telegram_bot_api.h"
#include "services/channels/telegram_update.h"
#include "services/channels/webhook_response.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"
#include "services/http/http_message.h"

namespace kneechat {

// What kneechat itself says on Telegram, outside the engine's replies.
struct TelegramNotices {
  std::string non_text =
      "I can only read text messages. Please type your question.";
  std::string expired_button =
      "That button has expired. Please type your answer.";
  std::string unreadable =
      "Sorry, I couldn't read that message. Please send a shorter text "
      "message.";
  std::string busy =
      "Sorry, I'm very busy right now. Please try again in a few minutes.";
  std::string failure =
      "Sorry, something went wrong on our side. Please try again.";
  std::string forgotten =
      "Your conversation has been erased. Send /start to begin again.";
};

struct TelegramWebhookOptions {
  // Expected in X-Telegram-Bot-Api-Secret-Token (setWebhook's
  // secret_token). Empty rejects every request.
  std::string secret_token;
  std::string bot_token;
  std::string api_base_url = "https://api.telegram.org";
  size_t max_body_bytes = 64 * 1024;
  // update_ids remembered for deduplication (Telegram keeps updates 24 h).
  size_t dedup_capacity = 100000;
  absl::Duration dedup_ttl = absl::Hours(48);
  // Chat -> session mappings kept, and how long an idle one is kept.
  size_t max_chats = 100000;
  absl::Duration chat_idle_ttl = absl::Hours(24);
  int worker_threads = 2;
  // Updates waiting for a worker; beyond this the webhook answers 503 so
  // that Telegram delivers the update again later.
  size_t queue_capacity = 1000;
  // Not owned; null means Clock::Real().
  Clock* clock = nullptr;
  // Per-chat budgets (the telegram channel). Not owned; null: no limits. An
  // update over the budget is acknowledged and dropped (counted in
  // rate_limited); a new session over it gets the busy notice.
  FairUse* fair_use = nullptr;
  TelegramNotices notices;
  // Where update_ids and chat records live; null means in memory, bounded by
  // the dedup_* and *_chats options above.
  std::shared_ptr<ChannelStateStore> state_store;
};

struct TelegramWebhookStats {
  uint64_t accepted = 0;      // queued for a turn
  uint64_t duplicates = 0;    // repeated update_id, dropped
  uint64_t unauthorized = 0;  // wrong or missing secret
  uint64_t rejected = 0;      // malformed or oversized
  uint64_t turns = 0;         // engine turns played
  uint64_t send_failures = 0;
  uint64_t store_failures = 0;  // state store unreachable or busy
  uint64_t rate_limited = 0;    // over the chat's budget, dropped
};

// Thread-safe.
class TelegramWebhook {
 public:
  static constexpr char kPath[] = "/webhooks/telegram";
  static constexpr char kSecretHeader[] = "X-Telegram-Bot-Api-Secret-Token";

  // `engine` is not owned and must outlive this object. `bot_api` null
  // means an HttpTelegramBotApi built from the options.
  TelegramWebhook(Engine& engine, TelegramWebhookOptions options,
                  std::unique_ptr<TelegramBotApi> bot_api = nullptr);
  // Finishes the updates already accepted, then stops the workers.
  ~TelegramWebhook();

  TelegramWebhook(const TelegramWebhook&) = delete;
  TelegramWebhook& operator=(const TelegramWebhook&) = delete;

  // The HTTP route for POST kPath. The HTTP server running it must stop
  // before this object is destroyed.
  HttpRoute Route();

  // One webhook request: `secret` is the header's value (nullopt when
  // absent), `body` the raw request body.
  WebhookResponse Handle(std::optional<std::string_view> secret,
                         std::string_view body);

  // Blocks until every accepted update has been handled.
  void Flush();

  TelegramWebhookStats stats() const;

 private:
  struct ChatState;

  bool Authorized(std::optional<std::string_view> secret) const;
  void WorkerLoop(size_t shard);
  void Process(const TelegramUpdate& update);
  void ProcessInChat(const TelegramUpdate& update, ChatState& chat);
  void PlayTurn(int64_t chat_id, ChatState& chat, const std::string& text,
                const std::string& message_id);
  bool StartSession(int64_t chat_id, ChatState& chat);
  void SendReply(int64_t chat_id, ChatState& chat, const v1::Reply& reply);
  void SendNotice(int64_t chat_id, const std::string& text);
  void SendNoticeFor(int64_t chat_id, const absl::Status& status);

  Engine& engine_;
  const TelegramWebhookOptions options_;
  std::unique_ptr<TelegramBotApi> bot_api_;
  const std::shared_ptr<ChannelStateStore> store_;

  absl::Mutex mu_;
  std::vector<std::deque<TelegramUpdate>> queues_ ABSL_GUARDED_BY(mu_);
  size_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  size_t pending_ ABSL_GUARDED_BY(mu_) = 0;  // queued or being handled
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;

  std::atomic<uint64_t> accepted_{0}, duplicates_{0}, unauthorized_{0},
      rejected_{0}, turns_{0}, send_failures_{0}, store_failures_{0},
      rate_limited_{0};
};

}  // namespace kneechat
