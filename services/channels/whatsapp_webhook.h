// The WhatsApp channel (WhatsApp Business Cloud API): GET /webhooks/whatsapp
// answers Meta's subscription check, POST /webhooks/whatsapp receives
// message notifications and replies through the Graph API.
//
// GET: hub.mode=subscribe and hub.verify_token equal to the configured
// verify token (constant time) -> 200 with hub.challenge as the body;
// anything else -> 403.
//
// POST, per request: X-Hub-Signature-256 missing -> 401 before the body is
// read; size limit (413) -> HMAC-SHA256 of the raw body under the app
// secret (constant time; 403 and nothing else on a forgery) -> parse (400)
// -> for each message, in order:
//   - sent to another of the app's numbers, or a reaction: ignored;
//   - its wamid seen before (a redelivery): dropped, counted in duplicates;
//   - otherwise, under the sender's lock, the turn is played on the engine
//     (message_id "whatsapp:<digest of the wamid>", so a turn interrupted
//     before its wamid was remembered is not played twice) and the
//     sender's record written, then the wamid is remembered and the reply
//     queued for the Graph API (WhatsAppCloudApi, sent by its own workers:
//     the webhook answers 200 without waiting for Meta).
// Status callbacks (sent, delivered, read) are acknowledged and ignored.
// When the store cannot be reached, or the engine answers UNAVAILABLE, the
// webhook answers 503 after the messages it could play (their wamids are
// remembered), so that Meta delivers the notification again and only the
// rest are played.
//
// Conversations: one kneechat session per WhatsApp user (wa_id), created on
// the first message (its greeting goes first, except before a referral:
// where to get care comes first) and replaced when it expired.
// Text messages and template button texts are played as typed; a reply
// button or list row plays its quick reply's title (an unknown id plays
// the title the person saw). Other message types (image, audio, sticker,
// location...) get a short notice asking for text; reactions get nothing.
//
// The customer-service window: WhatsApp lets a business send free-form and
// interactive messages only within 24 hours of the person's last message.
// Each user's record keeps when they last wrote (the message's own
// timestamp, never later than the clock); a reply falling outside the
// window (a notification redelivered days late) is not sent, and counted.
//
// Shared state: remembered wamids and each user's record (session, last
// options, last message time) live in a ChannelStateStore -- in memory by
// default, or on Redis so that every replica sees them and one user's
// messages are played one at a time across replicas. Nothing a person
// writes is logged or kept here.
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
#include "services/channels/webhook_response.h"
#include "services/channels/whatsapp_cloud_api.h"
#include "services/channels/whatsapp_payload.h"
#include "services/channels/whatsapp_render.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"
#include "services/http/http_message.h"

namespace kneechat {

// What kneechat itself says on WhatsApp, outside the engine's replies.
struct WhatsAppNotices {
  std::string non_text =
      "Sorry, I can only read text messages. Please type your question.";
  std::string unreadable =
      "Sorry, I couldn't read that message. Please send a shorter text "
      "message.";
  std::string busy =
      "Sorry, I'm very busy right now. Please try again in a few minutes.";
  std::string failure =
      "Sorry, something went wrong on our side. Please try again.";
};

struct WhatsAppWebhookOptions {
  // The Meta app's App Secret (X-Hub-Signature-256). Empty rejects every
  // POST.
  std::string app_secret;
  // Expected as hub.verify_token in the GET check. Empty rejects every GET.
  std::string verify_token;
  // Used to build the Graph API client when none is passed in.
  std::string access_token;
  std::string phone_number_id;
  std::string graph_base_url = "https://graph.facebook.com/v21.0";
  // Meta's notifications are at most 3 MB.
  size_t max_body_bytes = 3 * 1024 * 1024;
  // wamids remembered for deduplication (Meta retries for up to 7 days).
  size_t dedup_capacity = 100000;
  absl::Duration dedup_ttl = absl::Hours(24 * 8);
  // User records kept, and how long an idle one is kept.
  size_t max_users = 100000;
  absl::Duration user_idle_ttl = absl::Hours(25);
  // Replies only within this long of the person's last message.
  absl::Duration service_window = absl::Hours(24);
  // The outbound queue of the Graph API client built from these options.
  OutboundQueueOptions outbound;
  // Not owned; null means Clock::Real().
  Clock* clock = nullptr;
  // Per-user budgets (the whatsapp channel). Not owned; null: no limits. A
  // message over the budget is acknowledged and dropped (rate_limited); a
  // new session over it gets the busy notice.
  FairUse* fair_use = nullptr;
  WhatsAppNotices notices;
  // Where wamids and user records live; null means in memory, bounded by
  // the dedup_* and *_users options above.
  std::shared_ptr<ChannelStateStore> state_store;
};

struct WhatsAppWebhookStats {
  uint64_t accepted = 0;        // messages played (or answered) once
  uint64_t duplicates = 0;      // wamid seen before: dropped
  uint64_t unauthorized = 0;    // no signature
  uint64_t forged = 0;          // a signature that does not match
  uint64_t rejected = 0;        // malformed or oversized
  uint64_t turns = 0;           // engine turns played
  uint64_t statuses = 0;        // delivery and read receipts
  uint64_t unsupported = 0;     // non-text messages (notice sent)
  uint64_t ignored = 0;         // reactions, other numbers, unusable ids
  uint64_t outside_window = 0;  // replies not sent: 24 h window closed
  uint64_t send_failures = 0;   // Graph API calls refused or dropped
  uint64_t store_failures = 0;  // store or engine unavailable: 503
  uint64_t rate_limited = 0;    // over the user's budget, dropped
  uint64_t verify_refused = 0;  // GET checks with a wrong token
};

// Thread-safe.
class WhatsAppWebhook {
 public:
  static constexpr char kPath[] = "/webhooks/whatsapp";
  static constexpr char kSignatureHeader[] = "X-Hub-Signature-256";

  // `engine` is not owned and must outlive this object. `api` null means an
  // HttpWhatsAppCloudApi built from the options.
  WhatsAppWebhook(Engine& engine, WhatsAppWebhookOptions options,
                  std::unique_ptr<WhatsAppCloudApi> api = nullptr);
  // Sends what the outbound queue holds for a few seconds more.
  ~WhatsAppWebhook();

  WhatsAppWebhook(const WhatsAppWebhook&) = delete;
  WhatsAppWebhook& operator=(const WhatsAppWebhook&) = delete;

  // The HTTP routes for GET and POST kPath. The HTTP server running them
  // must stop before this object is destroyed.
  std::vector<HttpRoute> Routes();

  // The GET subscription check; `query` is the request's query string
  // (after the '?').
  WebhookResponse Verify(std::string_view query);

  // One POST: `signature` is the header's value (nullopt when absent),
  // `body` the raw request body. Plays the turns and queues the replies
  // before returning.
  WebhookResponse Handle(std::optional<std::string_view> signature,
                         std::string_view body);

  // Blocks until every outbound call queued so far was sent or dropped.
  void Flush();

  WhatsAppWebhookStats stats() const;

 private:
  struct UserState;
  struct Outcome;

  // Handles one message; false when it must be delivered again (503).
  bool HandleMessage(const WhatsAppInbound& message);
  void Process(const WhatsAppInbound& message, UserState& user, Outcome& out);
  void PlayTurn(const std::string& wa_id, UserState& user,
                const std::string& text, const std::string& message_id,
                Outcome& out);
  bool StartSession(const std::string& wa_id, UserState& user, Outcome& out);
  void AddReply(UserState& user, const v1::Reply& reply, Outcome& out);
  void AddNotice(const std::string& text, Outcome& out);
  void AddNoticeFor(const absl::Status& status, Outcome& out);

  Engine& engine_;
  const WhatsAppWebhookOptions options_;
  Clock* const clock_;
  std::unique_ptr<WhatsAppCloudApi> api_;
  const std::shared_ptr<ChannelStateStore> store_;

  std::atomic<uint64_t> accepted_{0}, duplicates_{0}, unauthorized_{0},
      forged_{0}, rejected_{0}, turns_{0}, statuses_{0}, unsupported_{0},
      ignored_{0}, outside_window_{0}, send_failures_{0}, store_failures_{0},
      rate_limited_{0}, verify_refused_{0};
};

}  // namespace kneechat
