// The Telegram channel: POST /webhooks/telegram receives Bot API updates
// and answers each with its reply.
//
// Pipeline per update, all within the webhook request: check
// X-Telegram-Bot-Api-Secret-Token (constant time; 401 and nothing else when
// wrong or missing) -> size limit (413) -> parse (400) -> under the chat's
// lock, play the turn on the engine and write the chat's record, which
// keeps the answer -> remember the update_id -> answer 200 with the reply
// as the webhook's answer: a JSON sendMessage call
// ({"method":"sendMessage",...}) that Telegram makes on kneechat's behalf.
//
// No update is lost when a replica dies: nothing is acknowledged before its
// turn is played and its record written, and the reply travels in the
// acknowledgement itself, so either Telegram has both or it has neither
// and delivers the update again -- to any replica. Telegram delivers an
// update again only when it did not get the answer, so a redelivery is
// answered again, and played once: when the chat's record holds the
// update's answer, that answer is given again without a turn; when the
// dead replica had only played the turn, the engine's idempotency by
// message_id ("telegram:<update_id>") returns the same reply without
// advancing the dialogue (a new chat's first turn cut short this way
// leaves an unused session behind, which expires). A record keeps the
// answer to the chat's latest update only: an update redelivered after a
// later one of the same chat was played gets 200 and no answer (counted in
// duplicates). Telegram does not report whether a call made as a
// webhook's answer succeeded.
//
// What goes through the outbound queue (TelegramBotApi; sent by its own
// workers, so a slow Bot API never holds a webhook request): the
// answerCallbackQuery of a button press, and, when a reply needs more than
// one message (over 4096 characters; a greeting that cannot share the
// first message), all but its last message, which the request waits for
// (at most `prior_messages_wait`) so that the answer comes last. Those
// earlier messages are sent at least once: a redelivery after a replica
// died between sending them and answering sends them again. When the queue
// is full they are dropped (logged, counted in send_failures) and the
// answer still goes.
//
// Shared state: answered update_ids and each chat's record (its session,
// last buttons and last answer) live in a ChannelStateStore -- in memory by
// default, or on Redis so that every replica sees them, and one chat's
// updates are played one at a time across replicas. When the store cannot
// be reached, or the engine answers UNAVAILABLE, the webhook answers 503
// and changes nothing (Telegram delivers again later).
//
// Conversations: each private chat maps to a kneechat session, created on
// the first message or on /start ("/start" erases the old session and
// starts again; "/forget" erases it). A session that expired is replaced by
// a fresh one and the message is played there. A button press plays its
// quick reply's title as the turn -- the "Why do you ask?" button under a
// question too, which the engine answers with the question's reason and the
// same question, `asking` unchanged; buttons from earlier replies than the
// last one have expired. Group chats and non-text messages start no turn.
// No message text is logged.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/telegram_bot_api.h"
#include "services/channels/telegram_render.h"
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
  // The outbound queue of the Bot API client built from these options
  // (ignored when one is passed in): its capacity, workers, retries.
  OutboundQueueOptions outbound;
  // How long a request waits for the earlier messages of a reply that
  // needs several before answering with the last.
  absl::Duration prior_messages_wait = absl::Seconds(5);
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
  // Called at each stage of an update's handling, on the request's thread:
  // "received" (authorised and parsed), "played" (the turn played, the
  // chat's record not yet written, its lock held), "written" (the record
  // written, the answer not yet given). Tests stop or fail a replica here.
  std::function<void(std::string_view stage)> at_stage_for_test;
};

struct TelegramWebhookStats {
  uint64_t accepted = 0;        // answered after playing them
  uint64_t duplicates = 0;      // answered, answer no longer kept: dropped
  uint64_t replays = 0;         // redelivered: answered again, no turn
  uint64_t unauthorized = 0;    // wrong or missing secret
  uint64_t rejected = 0;        // malformed or oversized
  uint64_t turns = 0;           // engine turns played
  uint64_t send_failures = 0;   // outbound calls refused or dropped
  uint64_t store_failures = 0;  // store or engine unavailable: 503
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
  // Sends what the outbound queue holds for a few seconds more.
  ~TelegramWebhook();

  TelegramWebhook(const TelegramWebhook&) = delete;
  TelegramWebhook& operator=(const TelegramWebhook&) = delete;

  // The HTTP route for POST kPath. The HTTP server running it must stop
  // before this object is destroyed.
  HttpRoute Route();

  // One webhook request: `secret` is the header's value (nullopt when
  // absent), `body` the raw request body. Plays the update's turn before
  // returning; the answer's body, when there is a reply, is the JSON of its
  // sendMessage call with "method":"sendMessage".
  WebhookResponse Handle(std::optional<std::string_view> secret,
                         std::string_view body);

  // Blocks until every outbound call queued so far was sent or dropped.
  void Flush();

  TelegramWebhookStats stats() const;

 private:
  struct ChatState;
  // What one update is answered with.
  struct Outcome {
    std::vector<TelegramMessage> messages;  // in sending order
    // Not OK: answer 503 and keep nothing, so Telegram delivers again.
    absl::Status retry;
  };

  bool Authorized(std::optional<std::string_view> secret) const;
  void AtStage(std::string_view stage) const;
  Outcome ProcessInChat(const TelegramUpdate& update, ChatState& chat);
  void PlayTurn(int64_t chat_id, ChatState& chat, const std::string& text,
                const std::string& message_id, Outcome& out);
  bool StartSession(int64_t chat_id, ChatState& chat, Outcome& out);
  void AddReply(ChatState& chat, const v1::Reply& reply, Outcome& out);
  void AddNotice(const std::string& text, Outcome& out);
  void AddNoticeFor(const absl::Status& status, Outcome& out);
  WebhookResponse Answer(const std::vector<nlohmann::json>& calls);

  Engine& engine_;
  const TelegramWebhookOptions options_;
  std::unique_ptr<TelegramBotApi> bot_api_;
  const std::shared_ptr<ChannelStateStore> store_;

  std::atomic<uint64_t> accepted_{0}, duplicates_{0}, replays_{0},
      unauthorized_{0}, rejected_{0}, turns_{0}, send_failures_{0},
      store_failures_{0}, rate_limited_{0};
};

}  // namespace kneechat
