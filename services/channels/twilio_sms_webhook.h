// The SMS line: POST /webhooks/twilio/sms answers Twilio Programmable
// Messaging webhooks with TwiML <Message> replies.
//
// Each request: X-Twilio-Signature missing -> 403 before the body is read;
// size limit (413) -> form parse (400) -> the signature over
// public_base_url + the request target and every form parameter (constant
// time; 403 and no turn on a forgery or an unconfigured token) -> a
// MessageSid and From are required (400) -> then:
//   - a keyword Twilio's opt-out handling owns (STOP and its synonyms,
//     START, UNSTOP, HELP, INFO, or any message Twilio marks with
//     OptOutType) gets an empty <Response/> and no turn: Twilio sends its
//     own confirmation. An opt-out also erases the person's kneechat
//     session. A bare "yes" is an answer to kneechat's question unless
//     Twilio marks it (see sms_text.h);
//   - a MessageSid answered before (Twilio retries when it got no answer)
//     gets the same TwiML again, without a second turn;
//   - otherwise the message is played on the engine (message_id
//     "sms:<MessageSid>") in the sender's conversation and answered with
//     the reply (RenderSmsReply: at most 3 <Message>s of 1600 characters,
//     plain GSM text, numbered options). A reply of just a number picks
//     that option of the last reply. A message with no text (a picture)
//     gets a notice asking for text.
// Nothing the person writes is logged or kept here.
//
// Conversations: one kneechat session per From number, created on the
// first message (its greeting leads the first reply, unless that is a
// referral: where to get care comes first) and replaced when it
// expired. Shared state -- each number's record (session, last options)
// and the answered MessageSids with their TwiML -- lives in a
// ChannelStateStore: in memory by default, or on Redis so that any replica
// can take the next message and a retry is answered once. Messages of one
// number are handled one at a time across replicas. When the store cannot
// be reached, or the engine answers UNAVAILABLE, the webhook answers 503
// and plays nothing (Twilio retries, or uses the number's fallback URL).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/sms_text.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/webhook_response.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"
#include "services/http/http_message.h"

namespace kneechat {

// What kneechat itself texts, outside the engine's replies.
struct SmsNotices {
  std::string non_text =
      "Sorry, I can only read text messages. Please type your question.";
  std::string unreadable =
      "Sorry, I couldn't read that message. Please send a shorter message.";
  std::string busy =
      "Sorry, I'm very busy right now. Please try again in a few minutes.";
  std::string failure =
      "Sorry, something went wrong on our side. Please try again.";
};

struct TwilioSmsOptions {
  // The account's Auth Token. Empty rejects every request.
  std::string auth_token;
  // The externally visible origin Twilio calls (as TwilioVoiceOptions): the
  // number's messaging webhook must be public_base_url + kPath. Empty
  // rejects every request.
  std::string public_base_url;
  size_t max_body_bytes = 16 * 1024;
  // Conversations kept, and how long an idle one is kept.
  size_t max_conversations = 100000;
  absl::Duration conversation_idle_ttl = absl::Hours(24);
  // Answered MessageSids (with their TwiML) kept for Twilio's retries.
  size_t replay_capacity = 100000;
  absl::Duration replay_ttl = absl::Hours(48);
  // Not owned; null means Clock::Real().
  Clock* clock = nullptr;
  // Per-number budgets (the voice channel's, shared with calls). Not owned;
  // null: no limits. A message over the budget gets an empty <Response/>.
  FairUse* fair_use = nullptr;
  SmsNotices notices;
  // Where records and answered MessageSids live; null means in memory,
  // bounded by the options above.
  std::shared_ptr<ChannelStateStore> state_store;
};

struct TwilioSmsStats {
  uint64_t accepted = 0;        // messages answered after a turn or notice
  uint64_t replays = 0;         // retried MessageSids answered again
  uint64_t forged = 0;          // bad or missing signature
  uint64_t rejected = 0;        // malformed or oversized
  uint64_t keywords = 0;        // STOP/START/HELP...: left to Twilio
  uint64_t turns = 0;           // engine turns played
  uint64_t store_failures = 0;  // store or engine unavailable: 503
  uint64_t rate_limited = 0;    // over the number's budget
};

// Thread-safe; messages of one number are handled one at a time.
class TwilioSmsWebhook {
 public:
  static constexpr char kPath[] = "/webhooks/twilio/sms";
  static constexpr char kSignatureHeader[] = "X-Twilio-Signature";

  // `engine` is not owned and must outlive this object.
  TwilioSmsWebhook(Engine& engine, TwilioSmsOptions options);
  ~TwilioSmsWebhook();

  TwilioSmsWebhook(const TwilioSmsWebhook&) = delete;
  TwilioSmsWebhook& operator=(const TwilioSmsWebhook&) = delete;

  // The HTTP route for POST kPath. The HTTP server running it must stop
  // before this object is destroyed.
  HttpRoute Route();

  // One webhook request: `target` is the request's path and query as
  // received, `signature` the header (nullopt when absent), `body` the raw
  // form body.
  WebhookResponse Handle(std::string_view target,
                         std::optional<std::string_view> signature,
                         std::string_view body);

  TwilioSmsStats stats() const;

 private:
  struct Conversation;

  // The TwiML answering `text`; a non-OK status means 503.
  absl::StatusOr<std::string> Turn(Conversation& conversation,
                                   const std::string& text,
                                   const std::string& message_sid,
                                   const std::string& from);
  absl::StatusOr<std::string> Notice(const std::string& text);
  absl::StatusOr<std::string> NoticeFor(const absl::Status& status);
  std::string Reply(Conversation& conversation, const v1::Reply& reply,
                    std::string_view lead);

  Engine& engine_;
  const TwilioSmsOptions options_;
  const std::shared_ptr<ChannelStateStore> store_;
  std::atomic<uint64_t> accepted_{0}, replays_{0}, forged_{0}, rejected_{0},
      keywords_{0}, turns_{0}, store_failures_{0}, rate_limited_{0};
};

}  // namespace kneechat
