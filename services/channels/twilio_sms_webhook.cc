#include "services/channels/twilio_sms_webhook.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "kneechat/engine/v1/channel_state.pb.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/twiml.h"
#include "services/channels/webhook_http.h"

namespace kneechat {
namespace {

constexpr char kChannel[] = "sms";
constexpr size_t kMaxSidBytes = 64;
constexpr size_t kMaxFromBytes = 64;

using ConversationRecord = engine::v1::SmsConversationState;

WebhookResponse Xml(std::string twiml) {
  return {200, "text/xml", std::move(twiml)};
}
WebhookResponse Forbidden() { return {403, "text/plain", "forbidden\n"}; }
WebhookResponse TooLarge() { return {413, "text/plain", "body too large\n"}; }
WebhookResponse BadRequest() { return {400, "text/plain", "bad request\n"}; }
WebhookResponse Unavailable() { return {503, "text/plain", "unavailable\n"}; }

std::string Param(const FormParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "";
}

bool IsMessageSid(std::string_view sid) {
  return !sid.empty() && sid.size() <= kMaxSidBytes &&
         std::all_of(sid.begin(), sid.end(),
                     [](char c) { return absl::ascii_isalnum(c); });
}

std::shared_ptr<ChannelStateStore> StoreOrMemory(
    const TwilioSmsOptions& options) {
  if (options.state_store != nullptr) return options.state_store;
  MemoryChannelStateOptions memory;
  memory.remember_capacity = options.replay_capacity;
  memory.remember_ttl = options.replay_ttl;
  memory.max_records = options.max_conversations;
  memory.record_idle_ttl = options.conversation_idle_ttl;
  memory.clock = options.clock;
  return std::make_shared<MemoryChannelStateStore>(memory);
}

}  // namespace

// A number's record while one message is handled (the store holds its
// lock).
struct TwilioSmsWebhook::Conversation {
  std::string session_id;
  std::vector<std::string> options;  // of the last reply
};

TwilioSmsWebhook::TwilioSmsWebhook(Engine& engine, TwilioSmsOptions options)
    : engine_(engine),
      options_(std::move(options)),
      store_(StoreOrMemory(options_)) {}

TwilioSmsWebhook::~TwilioSmsWebhook() = default;

HttpRoute TwilioSmsWebhook::Route() {
  HttpRoute route;
  route.path = kPath;
  route.max_body_bytes = options_.max_body_bytes;
  // Refused before the body is read, so the connection cannot be reused.
  route.screen = [this](const HttpRequest& req, HttpResponse& res) {
    if (req.has_header(kSignatureHeader)) return false;
    forged_++;
    WriteWebhookResponse(Forbidden(), res, /*close=*/true);
    return true;
  };
  route.too_large = [this](HttpResponse& res) {
    rejected_++;
    WriteWebhookResponse(TooLarge(), res, /*close=*/true);
  };
  route.handle = [this](const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> signature;
    if (req.has_header(kSignatureHeader)) {
      signature = req.get_header_value(kSignatureHeader);
    }
    WriteWebhookResponse(Handle(req.target, signature, req.body), res);
  };
  return route;
}

TwilioSmsStats TwilioSmsWebhook::stats() const {
  TwilioSmsStats s;
  s.accepted = accepted_;
  s.replays = replays_;
  s.forged = forged_;
  s.rejected = rejected_;
  s.keywords = keywords_;
  s.turns = turns_;
  s.store_failures = store_failures_;
  s.rate_limited = rate_limited_;
  return s;
}

WebhookResponse TwilioSmsWebhook::Handle(
    std::string_view target, std::optional<std::string_view> signature,
    std::string_view body) {
  if (body.size() > options_.max_body_bytes) {
    rejected_++;
    return TooLarge();
  }
  absl::StatusOr<FormParams> params = ParseFormUrlEncoded(body);
  if (!params.ok()) {
    rejected_++;
    return BadRequest();
  }
  const std::string url =
      absl::StrCat(absl::StripSuffix(options_.public_base_url, "/"),
                   absl::string_view(target.data(), target.size()));
  if (options_.public_base_url.empty() || !signature.has_value() ||
      !IsValidTwilioSignature(options_.auth_token, url, *params, *signature)) {
    forged_++;
    return Forbidden();
  }
  const std::string sid = Param(*params, "MessageSid");
  const std::string from = Param(*params, "From");
  if (!IsMessageSid(sid) || from.empty() || from.size() > kMaxFromBytes) {
    rejected_++;
    return BadRequest();
  }
  const std::string text = Param(*params, "Body");
  const std::string record_key = absl::StrCat("from:", from);

  const SmsKeyword keyword = TwilioKeyword(text, Param(*params, "OptOutType"));
  if (keyword != SmsKeyword::kNone) {
    keywords_++;
    if (keyword == SmsKeyword::kOptOut) {
      // The person asked for no more messages: erase their conversation.
      absl::Status erased =
          store_->Update(record_key, [&](std::string& record) {
            ConversationRecord stored;
            stored.ParseFromString(record);
            if (!stored.session_id().empty()) {
              v1::DeleteSessionRequest request;
              request.set_session_id(stored.session_id());
              engine_.DeleteSession(request).IgnoreError();  // may be gone
            }
            record.clear();
            return absl::OkStatus();
          });
      erased.IgnoreError();  // the record expires by itself
    }
    return Xml(RenderEmptyTwiml());
  }
  if (options_.fair_use != nullptr &&
      !options_.fair_use->AdmitRequest(Channel::kVoice, from).ok()) {
    rate_limited_++;
    return Xml(RenderEmptyTwiml());
  }

  const std::string replay_key = absl::StrCat("sid:", sid);
  std::string twiml;
  bool replayed = false;
  absl::Status status =
      store_->Update(record_key, [&](std::string& record) -> absl::Status {
        absl::StatusOr<std::optional<std::string>> replay =
            store_->Recall(replay_key);
        if (!replay.ok()) return replay.status();
        if (replay->has_value()) {
          replayed = true;
          twiml = **std::move(replay);
          return absl::OkStatus();  // the record stays as it was
        }
        ConversationRecord stored;
        stored.ParseFromString(record);
        Conversation conversation;
        conversation.session_id = stored.session_id();
        conversation.options.assign(stored.options().begin(),
                                    stored.options().end());
        absl::StatusOr<std::string> answer =
            Turn(conversation, text, sid, from);
        if (!answer.ok()) return answer.status();
        twiml = *std::move(answer);
        // Best effort: without it a retry is still answered by the
        // engine's message_id idempotency.
        store_->Remember(replay_key, twiml).IgnoreError();
        stored.Clear();
        stored.set_session_id(conversation.session_id);
        for (const std::string& option : conversation.options) {
          stored.add_options(option);
        }
        record = stored.SerializeAsString();
        return absl::OkStatus();
      });
  if (!status.ok()) {
    store_failures_++;
    return Unavailable();
  }
  if (replayed) {
    replays_++;
  } else {
    accepted_++;
  }
  return Xml(std::move(twiml));
}

absl::StatusOr<std::string> TwilioSmsWebhook::Turn(
    Conversation& conversation, const std::string& body,
    const std::string& message_sid, const std::string& from) {
  std::string text(absl::StripAsciiWhitespace(body));
  if (text.empty()) return Notice(options_.notices.non_text);  // a picture
  if (const int choice = SmsOptionNumber(text, conversation.options.size());
      choice > 0) {
    text = conversation.options[choice - 1];
  }

  std::string lead;
  auto start = [&]() -> absl::Status {
    if (options_.fair_use != nullptr) {
      absl::Status admitted =
          options_.fair_use->AdmitNewSession(Channel::kVoice, from);
      if (!admitted.ok()) {
        rate_limited_++;
        return admitted;
      }
    }
    v1::CreateSessionRequest request;
    request.set_channel(kChannel);
    absl::StatusOr<v1::CreateSessionResponse> created =
        engine_.CreateSession(request);
    if (!created.ok()) return created.status();
    conversation.session_id = created->session_id();
    conversation.options.clear();
    lead = created->reply().text();
    return absl::OkStatus();
  };
  if (conversation.session_id.empty()) {
    if (absl::Status s = start(); !s.ok()) return NoticeFor(s);
  }
  v1::SendMessageRequest request;
  request.set_session_id(conversation.session_id);
  request.set_text(text);
  request.set_message_id(absl::StrCat(kChannel, ":", message_sid));
  absl::StatusOr<v1::SendMessageResponse> response =
      engine_.SendMessage(request);
  if (absl::IsNotFound(response.status())) {  // the session expired
    if (absl::Status s = start(); !s.ok()) return NoticeFor(s);
    request.set_session_id(conversation.session_id);
    response = engine_.SendMessage(request);
  }
  if (!response.ok()) return NoticeFor(response.status());
  turns_++;
  return Reply(conversation, response->reply(), lead);
}

std::string TwilioSmsWebhook::Reply(Conversation& conversation,
                                    const v1::Reply& reply,
                                    std::string_view lead) {
  // Where to get care comes first: a referral drops the greeting.
  SmsRendering rendering = RenderSmsReply(
      reply, reply.kind() == v1::REPLY_KIND_REFERRAL ? "" : lead);
  conversation.options = std::move(rendering.options);
  return RenderMessagesTwiml(rendering.messages);
}

absl::StatusOr<std::string> TwilioSmsWebhook::Notice(const std::string& text) {
  return RenderMessagesTwiml(RenderSmsText(text).messages);
}

absl::StatusOr<std::string> TwilioSmsWebhook::NoticeFor(
    const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      return status;  // the session store: 503, Twilio tries again
    case absl::StatusCode::kInvalidArgument:
      return Notice(options_.notices.unreadable);
    case absl::StatusCode::kResourceExhausted:
      return Notice(options_.notices.busy);
    case absl::StatusCode::kAlreadyExists:
      // Played so long ago that its reply is gone: nothing to repeat.
      return RenderEmptyTwiml();
    default:
      return Notice(options_.notices.failure);
  }
}

}  // namespace kneechat
