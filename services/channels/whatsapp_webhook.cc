#include "services/channels/whatsapp_webhook.h"

#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "kneechat/engine/v1/channel_state.pb.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/message_text.h"
#include "services/channels/secure_compare.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/webhook_http.h"
#include "services/channels/whatsapp_signature.h"

namespace kneechat {
namespace {

constexpr char kChannel[] = "whatsapp";

using UserRecord = engine::v1::WhatsAppUserState;

WebhookResponse Ok() { return {200, "text/plain", ""}; }
WebhookResponse Unauthorized() { return {401, "text/plain", "unauthorized\n"}; }
WebhookResponse Forbidden() { return {403, "text/plain", "forbidden\n"}; }
WebhookResponse TooLarge() { return {413, "text/plain", "body too large\n"}; }
WebhookResponse Unavailable() {
  return {503, "text/plain", "unavailable\n"};  // Meta delivers again
}

// The engine's idempotency key for a wamid (which may be longer than a
// message_id may be).
std::string EngineMessageId(const std::string& wamid) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(wamid.data()), wamid.size(),
         digest);
  return absl::StrCat(kChannel, ":",
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(digest), 16)));
}

std::string Param(const FormParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "";
}

// `second` appended to `first` when `first` is plain text and the two fit
// in one message of `second`'s kind.
bool JoinInto(WhatsAppMessage& first, const WhatsAppMessage& second) {
  if (first.kind != WhatsAppMessage::Kind::kText) return false;
  const size_t limit = second.kind == WhatsAppMessage::Kind::kText
                           ? kWhatsAppMaxTextUnits
                           : kWhatsAppMaxInteractiveBodyUnits;
  std::string joined = absl::StrCat(first.body, "\n\n", second.body);
  if (Utf16Length(joined) > limit) return false;
  first.body = std::move(joined);
  first.kind = second.kind;
  first.options = second.options;
  return true;
}

std::shared_ptr<ChannelStateStore> StoreOrMemory(
    const WhatsAppWebhookOptions& options) {
  if (options.state_store != nullptr) return options.state_store;
  MemoryChannelStateOptions memory;
  memory.remember_capacity = options.dedup_capacity;
  memory.remember_ttl = options.dedup_ttl;
  memory.max_records = options.max_users;
  memory.record_idle_ttl = options.user_idle_ttl;
  memory.clock = options.clock;
  return std::make_shared<MemoryChannelStateStore>(memory);
}

}  // namespace

// A user's record while one message is handled (the store holds its lock).
struct WhatsAppWebhook::UserState {
  std::string session_id;
  std::vector<WhatsAppOption> options;  // of the last reply
  int64_t last_inbound = 0;             // Unix seconds
};

// What one message is answered with.
struct WhatsAppWebhook::Outcome {
  std::vector<WhatsAppMessage> messages;  // in sending order
  // Not OK: keep nothing, answer 503 so that Meta delivers again.
  absl::Status retry;
  // A new session's greeting, sent before the reply unless that is a
  // referral (where to get care comes first).
  std::optional<v1::Reply> greeting;
};

WhatsAppWebhook::WhatsAppWebhook(Engine& engine, WhatsAppWebhookOptions options,
                                 std::unique_ptr<WhatsAppCloudApi> api)
    : engine_(engine),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      api_(std::move(api)),
      store_(StoreOrMemory(options_)) {
  if (api_ == nullptr) {
    HttpWhatsAppCloudApiOptions http;
    http.graph_base_url = options_.graph_base_url;
    http.phone_number_id = options_.phone_number_id;
    http.access_token = options_.access_token;
    http.queue = options_.outbound;
    if (http.queue.clock == nullptr) http.queue.clock = options_.clock;
    api_ = std::make_unique<HttpWhatsAppCloudApi>(std::move(http));
  }
}

WhatsAppWebhook::~WhatsAppWebhook() {
  api_.reset();  // its last callbacks count into this object
}

std::vector<HttpRoute> WhatsAppWebhook::Routes() {
  HttpRoute verify;
  verify.method = "GET";
  verify.path = kPath;
  verify.handle = [this](const HttpRequest& req, HttpResponse& res) {
    const size_t question = req.target.find('?');
    WriteWebhookResponse(
        Verify(question == std::string::npos
                   ? std::string_view()
                   : std::string_view(req.target).substr(question + 1)),
        res);
  };

  HttpRoute notify;
  notify.path = kPath;
  notify.max_body_bytes = options_.max_body_bytes;
  // Refused before the body is read, so the connection cannot be reused.
  notify.screen = [this](const HttpRequest& req, HttpResponse& res) {
    if (req.has_header(kSignatureHeader) && !options_.app_secret.empty()) {
      return false;
    }
    unauthorized_++;
    WriteWebhookResponse(Unauthorized(), res, /*close=*/true);
    return true;
  };
  notify.too_large = [this](HttpResponse& res) {
    rejected_++;
    WriteWebhookResponse(TooLarge(), res, /*close=*/true);
  };
  notify.handle = [this](const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> signature;
    if (req.has_header(kSignatureHeader)) {
      signature = req.get_header_value(kSignatureHeader);
    }
    WriteWebhookResponse(Handle(signature, req.body), res);
  };
  return {std::move(verify), std::move(notify)};
}

WebhookResponse WhatsAppWebhook::Verify(std::string_view query) {
  absl::StatusOr<FormParams> params = ParseFormUrlEncoded(query);
  if (!params.ok() || options_.verify_token.empty() ||
      Param(*params, "hub.mode") != "subscribe" ||
      !SecureEquals(Param(*params, "hub.verify_token"),
                    options_.verify_token)) {
    verify_refused_++;
    return Forbidden();
  }
  return {200, "text/plain", Param(*params, "hub.challenge")};
}

WebhookResponse WhatsAppWebhook::Handle(
    std::optional<std::string_view> signature, std::string_view body) {
  if (!signature.has_value() || options_.app_secret.empty()) {
    unauthorized_++;
    return Unauthorized();
  }
  if (body.size() > options_.max_body_bytes) {
    rejected_++;
    return TooLarge();
  }
  if (!IsValidWhatsAppSignature(options_.app_secret, body, *signature)) {
    forged_++;
    return Forbidden();
  }
  absl::StatusOr<WhatsAppNotification> notification =
      ParseWhatsAppNotification(body);
  if (!notification.ok()) {
    rejected_++;
    return {400, "text/plain", "malformed notification\n"};
  }
  statuses_ += notification->statuses;
  ignored_ += notification->skipped;
  bool retry = false;
  for (const WhatsAppInbound& message : notification->messages) {
    if (!HandleMessage(message)) retry = true;
  }
  if (retry) {
    store_failures_++;
    return Unavailable();
  }
  return Ok();
}

bool WhatsAppWebhook::HandleMessage(const WhatsAppInbound& message) {
  if ((!message.phone_number_id.empty() && !options_.phone_number_id.empty() &&
       message.phone_number_id != options_.phone_number_id) ||
      message.type == WhatsAppInbound::Type::kReaction) {
    ignored_++;
    return true;
  }
  const std::string key = absl::StrCat("wamid:", message.id);
  absl::StatusOr<std::optional<std::string>> seen = store_->Recall(key);
  if (!seen.ok()) return false;
  if (seen->has_value()) {
    duplicates_++;
    return true;
  }
  if (options_.fair_use != nullptr &&
      !options_.fair_use->AdmitRequest(Channel::kWhatsApp, message.from).ok()) {
    rate_limited_++;
    return true;  // acknowledged, so Meta does not deliver it again
  }

  const int64_t now = absl::ToUnixSeconds(clock_->Now());
  bool duplicate = false;
  int64_t last_inbound = 0;
  Outcome outcome;
  absl::Status status = store_->Update(
      absl::StrCat("user:", message.from),
      [&](std::string& record) -> absl::Status {
        // Another replica may have played it since the check above.
        absl::StatusOr<std::optional<std::string>> again = store_->Recall(key);
        if (!again.ok()) return again.status();
        if (again->has_value()) {
          duplicate = true;
          return absl::OkStatus();
        }
        UserRecord stored;
        stored.ParseFromString(record);
        UserState user;
        user.session_id = stored.session_id();
        for (const auto& option : stored.options()) {
          user.options.push_back(
              WhatsAppOption{option.id(), "", option.text()});
        }
        // The window opens when the person wrote, never in the future.
        const int64_t sent_at =
            message.timestamp > 0 ? std::min(message.timestamp, now) : now;
        user.last_inbound =
            std::max(stored.last_inbound_unix_seconds(), sent_at);

        outcome = Outcome();
        Process(message, user, outcome);
        if (!outcome.retry.ok()) return outcome.retry;
        stored.Clear();
        stored.set_session_id(user.session_id);
        for (const WhatsAppOption& option : user.options) {
          UserRecord::Option* kept = stored.add_options();
          kept->set_id(option.id);
          kept->set_text(option.text);
        }
        stored.set_last_inbound_unix_seconds(user.last_inbound);
        last_inbound = user.last_inbound;
        record = stored.SerializeAsString();
        return absl::OkStatus();
      });
  if (!status.ok()) return false;
  if (duplicate) {
    duplicates_++;
    return true;
  }
  // Best effort: without it a redelivery is still answered by the engine's
  // message_id idempotency, without a second turn.
  store_->Remember(key, "").IgnoreError();
  accepted_++;
  if (outcome.messages.empty()) return true;
  if (absl::FromUnixSeconds(now) - absl::FromUnixSeconds(last_inbound) >
      options_.service_window) {
    outside_window_++;
    return true;
  }
  for (const WhatsAppMessage& reply : outcome.messages) {
    absl::Status queued = api_->SendMessage(
        message.from, WhatsAppMessageBody(message.from, reply),
        [this](const absl::Status& sent) {
          if (!sent.ok()) send_failures_++;
        });
    if (!queued.ok()) send_failures_++;
  }
  return true;
}

void WhatsAppWebhook::Process(const WhatsAppInbound& message, UserState& user,
                              Outcome& out) {
  const std::string message_id = EngineMessageId(message.id);
  switch (message.type) {
    case WhatsAppInbound::Type::kText:
      PlayTurn(message.from, user, message.text, message_id, out);
      return;
    case WhatsAppInbound::Type::kInteractive: {
      std::string text = message.reply_title;
      for (const WhatsAppOption& option : user.options) {
        if (option.id == message.reply_id) text = option.text;
      }
      if (text.empty()) {
        AddNotice(options_.notices.non_text, out);
        return;
      }
      PlayTurn(message.from, user, text, message_id, out);
      return;
    }
    default:
      unsupported_++;
      AddNotice(options_.notices.non_text, out);
  }
}

bool WhatsAppWebhook::StartSession(const std::string& wa_id, UserState& user,
                                   Outcome& out) {
  if (options_.fair_use != nullptr) {
    absl::Status admitted =
        options_.fair_use->AdmitNewSession(Channel::kWhatsApp, wa_id);
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
  user.session_id = created->session_id();
  out.greeting = created->reply();  // goes before the turn's reply
  return true;
}

void WhatsAppWebhook::PlayTurn(const std::string& wa_id, UserState& user,
                               const std::string& text,
                               const std::string& message_id, Outcome& out) {
  if (user.session_id.empty() && !StartSession(wa_id, user, out)) return;
  v1::SendMessageRequest request;
  request.set_session_id(user.session_id);
  request.set_text(text);
  request.set_message_id(message_id);
  absl::StatusOr<v1::SendMessageResponse> response =
      engine_.SendMessage(request);
  if (absl::IsNotFound(response.status())) {  // the session expired
    user.session_id.clear();
    if (!StartSession(wa_id, user, out)) return;
    request.set_session_id(user.session_id);
    response = engine_.SendMessage(request);
  }
  if (absl::IsAlreadyExists(response.status())) {
    // Played so long ago that its reply is gone: nothing to repeat.
    duplicates_++;
    return;
  }
  if (!response.ok()) {
    if (out.greeting.has_value()) AddReply(user, *out.greeting, out);
    out.greeting.reset();
    AddNoticeFor(response.status(), out);
    return;
  }
  turns_++;
  if (out.greeting.has_value() &&
      response->reply().kind() != v1::REPLY_KIND_REFERRAL) {
    AddReply(user, *out.greeting, out);
  }
  out.greeting.reset();
  AddReply(user, response->reply(), out);
}

void WhatsAppWebhook::AddReply(UserState& user, const v1::Reply& reply,
                               Outcome& out) {
  WhatsAppRendering rendering = RenderWhatsAppReply(reply);
  user.options = rendering.messages.empty() ? std::vector<WhatsAppOption>()
                                            : rendering.messages.back().options;
  for (WhatsAppMessage& message : rendering.messages) {
    // A greeting and the reply that follows it share a message when they
    // fit.
    if (&message == &rendering.messages.front() && !out.messages.empty() &&
        JoinInto(out.messages.back(), message)) {
      continue;
    }
    out.messages.push_back(std::move(message));
  }
}

void WhatsAppWebhook::AddNotice(const std::string& text, Outcome& out) {
  for (WhatsAppMessage& message : RenderWhatsAppText(text).messages) {
    out.messages.push_back(std::move(message));
  }
}

void WhatsAppWebhook::AddNoticeFor(const absl::Status& status, Outcome& out) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      out.retry = status;  // the session store: Meta delivers again
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

void WhatsAppWebhook::Flush() { api_->Flush(); }

WhatsAppWebhookStats WhatsAppWebhook::stats() const {
  WhatsAppWebhookStats s;
  s.accepted = accepted_;
  s.duplicates = duplicates_;
  s.unauthorized = unauthorized_;
  s.forged = forged_;
  s.rejected = rejected_;
  s.turns = turns_;
  s.statuses = statuses_;
  s.unsupported = unsupported_;
  s.ignored = ignored_;
  s.outside_window = outside_window_;
  s.send_failures = send_failures_;
  s.store_failures = store_failures_;
  s.rate_limited = rate_limited_;
  s.verify_refused = verify_refused_;
  return s;
}

}  // namespace kneechat
