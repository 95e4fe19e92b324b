#include "services/channels/twilio_voice_webhook.h"

#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "absl/synchronization/mutex.h"
#include "kneechat/engine/v1/channel_state.pb.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/speech_text.h"
#include "services/channels/webhook_http.h"
#include "services/common/server_log.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

constexpr char kChannel[] = "voice";
constexpr size_t kMaxCallSidBytes = 64;
constexpr int kMaxMenuOptions = 9;  // digits 1-9

const std::set<std::string>& FinalCallStatuses() {
  static const auto* statuses = new std::set<std::string>{
      "completed", "canceled", "failed", "busy", "no-answer"};
  return *statuses;
}

WebhookResponse Xml(std::string twiml) {
  return {200, "text/xml", std::move(twiml)};
}
WebhookResponse Forbidden() { return {403, "text/plain", "forbidden\n"}; }
WebhookResponse TooLarge() { return {413, "text/plain", "body too large\n"}; }
WebhookResponse BadRequest() { return {400, "text/plain", "bad request\n"}; }

std::string Param(const FormParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "";
}

bool IsCallSid(std::string_view sid) {
  return !sid.empty() && sid.size() <= kMaxCallSidBytes &&
         std::all_of(sid.begin(), sid.end(),
                     [](char c) { return absl::ascii_isalnum(c); });
}

// Identifies a request: the target and every parameter, sorted, so that a
// retry maps to the same key and anything else does not.
std::string Fingerprint(std::string_view target, const FormParams& params) {
  FormParams sorted = params;
  std::sort(sorted.begin(), sorted.end());
  std::string data(target);
  for (const auto& [name, value] : sorted) {
    absl::StrAppend(&data, "\n", name.size(), ":", name, "=", value.size(), ":",
                    value);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 16));
}

// 1-9 for "3", "three", "option three", "number 3"; 0 otherwise.
int SpokenDigit(const std::string& normalized) {
  static const auto* words = new std::map<std::string, int>{
      {"1", 1},     {"2", 2},     {"3", 3},    {"4", 4},    {"5", 5},
      {"6", 6},     {"7", 7},     {"8", 8},    {"9", 9},    {"one", 1},
      {"two", 2},   {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
      {"seven", 7}, {"eight", 8}, {"nine", 9}};
  std::string_view word = normalized;
  for (std::string_view prefix : {"option ", "number ", "press "}) {
    if (word.substr(0, prefix.size()) == prefix) {
      word.remove_prefix(prefix.size());
    }
  }
  auto it = words->find(std::string(word));
  return it == words->end() ? 0 : it->second;
}

std::string JoinSentences(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(part);
  }
  return out;
}

}  // namespace

struct TwilioVoiceWebhook::Prompt {
  std::string speech;
  std::vector<std::string> options;  // digit i+1 -> options[i]
  bool offer_transfer = false;
};

// A call's record while one request is handled (the store holds its lock).
struct TwilioVoiceWebhook::CallState {
  std::string session_id;
  int next_turn = 1;
  int silences = 0;
  Prompt last;
};

namespace {

using CallRecord = engine::v1::VoiceCallState;

std::shared_ptr<ChannelStateStore> StoreOrMemory(
    const TwilioVoiceOptions& options) {
  if (options.state_store != nullptr) return options.state_store;
  MemoryChannelStateOptions memory;
  memory.remember_capacity = options.replay_capacity;
  memory.remember_ttl = options.replay_ttl;
  memory.max_records = options.max_calls;
  memory.record_idle_ttl = options.call_idle_ttl;
  memory.clock = options.clock;
  return std::make_shared<MemoryChannelStateStore>(memory);
}

WebhookResponse Unavailable() { return {503, "text/plain", "unavailable\n"}; }

}  // namespace

TwilioVoiceWebhook::TwilioVoiceWebhook(Engine& engine,
                                       TwilioVoiceOptions options)
    : engine_(engine),
      options_(std::move(options)),
      action_url_(absl::StrCat(absl::StripSuffix(options_.public_base_url, "/"),
                               kPath)),
      store_(StoreOrMemory(options_)) {}

TwilioVoiceWebhook::~TwilioVoiceWebhook() = default;

HttpRoute TwilioVoiceWebhook::Route() {
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
    WriteWebhookResponse(
        Handle(req.target, req.get_header_value(kSignatureHeader), req.body),
        res);
  };
  return route;
}

TwilioVoiceStats TwilioVoiceWebhook::stats() const {
  TwilioVoiceStats s;
  s.forged = forged_;
  s.rate_limited = rate_limited_;
  s.rejected = rejected_;
  s.replays = replays_count_;
  s.turns = turns_;
  s.transfers = transfers_;
  s.handoffs = handoffs_;
  s.store_failures = store_failures_;
  return s;
}

WebhookResponse TwilioVoiceWebhook::Handle(
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
  const std::string call_sid = Param(*params, "CallSid");
  if (!IsCallSid(call_sid)) {
    rejected_++;
    return BadRequest();
  }
  if (options_.fair_use != nullptr) {
    const std::string from = Param(*params, "From");
    absl::Status admitted = options_.fair_use->AdmitRequest(
        Channel::kVoice, from.empty() ? call_sid : from);
    if (!admitted.ok()) {
      rate_limited_++;
      return {429, "text/plain", "too many requests\n"};
    }
  }

  const std::string request_key =
      absl::StrCat(call_sid, "/", Fingerprint(target, *params));
  const std::string replay_key = absl::StrCat("reply:", request_key);
  std::string twiml;
  absl::Status status = store_->Update(
      absl::StrCat("call:", call_sid),
      [&](std::string& record) -> absl::Status {
        absl::StatusOr<std::optional<std::string>> replay =
            store_->Recall(replay_key);
        if (!replay.ok()) return replay.status();
        if (replay->has_value()) {
          replays_count_++;
          twiml = **std::move(replay);
          return absl::OkStatus();  // the record stays as it was
        }
        CallRecord stored;
        stored.ParseFromString(record);
        CallState call;
        call.session_id = stored.session_id();
        call.next_turn = stored.next_turn() > 0 ? stored.next_turn() : 1;
        call.silences = stored.silences();
        call.last.speech = stored.last().speech();
        call.last.options.assign(stored.last().options().begin(),
                                 stored.last().options().end());
        call.last.offer_transfer = stored.last().offer_transfer();

        if (FinalCallStatuses().count(Param(*params, "CallStatus")) > 0) {
          if (!call.session_id.empty()) {
            v1::DeleteSessionRequest request;
            request.set_session_id(call.session_id);
            engine_.DeleteSession(request).IgnoreError();  // may have expired
          }
          record.clear();  // the call is over: forget it
          twiml = RenderEmptyTwiml();
          return absl::OkStatus();
        }

        bool cacheable = true;
        twiml = Turn(call, *params, request_key, &cacheable);
        if (cacheable) {
          // Best effort: without it a retry is still answered by the
          // engine's message_id idempotency.
          store_->Remember(replay_key, twiml).IgnoreError();
        }
        stored.Clear();
        stored.set_session_id(call.session_id);
        stored.set_next_turn(call.next_turn);
        stored.set_silences(call.silences);
        stored.mutable_last()->set_speech(call.last.speech);
        for (const std::string& option : call.last.options) {
          stored.mutable_last()->add_options(option);
        }
        stored.mutable_last()->set_offer_transfer(call.last.offer_transfer);
        record = stored.SerializeAsString();
        return absl::OkStatus();
      });
  if (!status.ok()) {
    store_failures_++;
    return Unavailable();
  }
  return Xml(std::move(twiml));
}

std::string TwilioVoiceWebhook::Turn(CallState& call, const FormParams& params,
                                     const std::string& request_key,
                                     bool* cacheable) {
  const std::string digits = Param(params, "Digits");
  const std::string speech(
      absl::StripAsciiWhitespace(Param(params, "SpeechResult")));
  const VoicePhrases& phrases = options_.phrases;

  if (call.session_id.empty()) {
    v1::CreateSessionRequest request;
    request.set_channel(kChannel);
    absl::StatusOr<v1::CreateSessionResponse> session =
        engine_.CreateSession(request);
    if (!session.ok()) {
      *cacheable = false;
      return RenderHangupTwiml(options_.voice, phrases.failure);
    }
    call.session_id = session->session_id();
    // The first request of a call. Input here means the call's state was
    // lost (a restart): the input is played in the new session.
    if (digits.empty() && speech.empty()) {
      return RenderReply(call, session->reply());
    }
  }

  std::string text;
  if (!digits.empty()) {
    call.silences = 0;
    const bool has_menu = !call.last.options.empty();
    if (digits == "*") return Ask(call, "", /*with_question=*/true);
    if (digits == "0") return Transfer(call);
    if (has_menu) {
      const int choice =
          digits.size() == 1 && digits[0] >= '1' && digits[0] <= '9'
              ? digits[0] - '0'
              : 0;
      if (choice == 0 || choice > static_cast<int>(call.last.options.size())) {
        return Ask(call, phrases.not_an_option, /*with_question=*/false);
      }
      text = call.last.options[choice - 1];
    } else if (std::all_of(digits.begin(), digits.end(),
                           [](char c) { return absl::ascii_isdigit(c); })) {
      text = digits;
    } else {
      return Ask(call, phrases.not_understood, /*with_question=*/false);
    }
  } else if (!speech.empty()) {
    call.silences = 0;
    const std::string spoken = FoldReply(speech);
    const auto& repeats = phrases.repeat_requests;
    if (std::find(repeats.begin(), repeats.end(), spoken) != repeats.end()) {
      return Ask(call, "", /*with_question=*/true);
    }
    text = speech;
    const int choice = SpokenDigit(spoken);
    if (choice > 0 && choice <= static_cast<int>(call.last.options.size())) {
      text = call.last.options[choice - 1];
    }
  } else {
    if (++call.silences >= options_.max_silent_prompts) {
      return RenderHangupTwiml(options_.voice, phrases.goodbye_silence);
    }
    return Ask(call, phrases.no_input, /*with_question=*/false);
  }

  v1::SendMessageRequest request;
  request.set_session_id(call.session_id);
  request.set_text(text);
  request.set_message_id(absl::StrCat(kChannel, ":", request_key));
  absl::StatusOr<v1::SendMessageResponse> response =
      engine_.SendMessage(request);
  if (absl::IsNotFound(response.status())) {  // the session expired
    v1::CreateSessionRequest create;
    create.set_channel(kChannel);
    absl::StatusOr<v1::CreateSessionResponse> session =
        engine_.CreateSession(create);
    if (session.ok()) {
      call.session_id = session->session_id();
      request.set_session_id(call.session_id);
      response = engine_.SendMessage(request);
    } else {
      response = session.status();
    }
  }
  if (!response.ok()) {
    *cacheable = false;
    return Ask(call,
               absl::IsInvalidArgument(response.status())
                   ? phrases.not_understood
                   : phrases.failure,
               /*with_question=*/false);
  }
  turns_++;
  return RenderReply(call, response->reply());
}

std::string TwilioVoiceWebhook::RenderReply(CallState& call,
                                            const v1::Reply& reply) {
  std::string speech =
      SanitizeForSpeech(reply.speech().empty() ? reply.text() : reply.speech());
  if (reply.kind() == v1::REPLY_KIND_GOODBYE) {
    return RenderHangupTwiml(options_.voice, speech);
  }
  Prompt prompt;
  if (reply.kind() == v1::REPLY_KIND_REFERRAL) {
    const std::string action = SanitizeForSpeech(reply.triage().action());
    if (!action.empty() && speech.find(action) == std::string::npos) {
      speech = JoinSentences({speech, action});
    }
    prompt.offer_transfer = !options_.clinic_transfer_number.empty();
  }
  prompt.speech = std::move(speech);
  for (const v1::QuickReply& qr : reply.quick_replies()) {
    if (static_cast<int>(prompt.options.size()) == kMaxMenuOptions) break;
    std::string title = SanitizeForSpeech(qr.title());
    if (!title.empty()) prompt.options.push_back(std::move(title));
  }
  call.last = std::move(prompt);
  return Ask(call, "", /*with_question=*/true);
}

std::string TwilioVoiceWebhook::MenuSentence(const Prompt& prompt) const {
  std::vector<std::string> entries;
  for (size_t i = 0; i < prompt.options.size(); ++i) {
    entries.push_back(absl::Substitute(options_.phrases.press_option, i + 1,
                                       prompt.options[i]));
  }
  std::string menu = absl::StrJoin(entries, ", ");
  if (!menu.empty()) {
    menu[0] = absl::ascii_toupper(menu[0]);
    menu.push_back('.');
  }
  if (prompt.offer_transfer) {
    menu =
        JoinSentences({menu, options_.handoff != nullptr
                                 ? options_.phrases.transfer_offer_with_summary
                                 : options_.phrases.transfer_offer});
  }
  return menu;
}

std::string TwilioVoiceWebhook::Ask(CallState& call, std::string_view lead_in,
                                    bool with_question) {
  const Prompt& prompt = call.last;
  const bool has_menu = !prompt.options.empty() || prompt.offer_transfer;
  const std::string menu = MenuSentence(prompt);
  TwimlGather gather;
  gather.say = JoinSentences(
      {lead_in, with_question ? std::string_view(prompt.speech) : "",
       !with_question && prompt.options.empty()
           ? std::string_view(options_.phrases.how_to_answer)
           : "",
       menu});
  gather.action_url = absl::StrCat(action_url_, "?turn=", call.next_turn++);
  gather.no_input_url = gather.action_url;
  gather.timeout_seconds = options_.gather_timeout_seconds;
  gather.single_digit = has_menu;
  gather.hints = absl::StrJoin(prompt.options, ", ");
  return RenderGatherTwiml(options_.voice, gather);
}

std::string TwilioVoiceWebhook::Transfer(CallState& call) {
  if (options_.clinic_transfer_number.empty()) {
    return Ask(call, options_.phrases.no_transfer, /*with_question=*/false);
  }
  transfers_++;
  SendHandoff(call);
  return RenderDialTwiml(options_.voice, options_.phrases.transferring,
                         options_.clinic_transfer_number,
                         options_.phrases.after_transfer);
}

void TwilioVoiceWebhook::SendHandoff(const CallState& call) {
  if (options_.handoff == nullptr || call.session_id.empty()) return;
  v1::GetHandoffRequest request;
  request.set_session_id(call.session_id);
  absl::StatusOr<v1::GetHandoffResponse> handoff = engine_.GetHandoff(request);
  absl::Status queued = handoff.ok()
                            ? options_.handoff->Deliver(MakeHandoffPackage(
                                  call.session_id, "transfer", *handoff))
                            : handoff.status();
  if (queued.ok()) {
    handoffs_++;
    return;
  }
  // The call is put through all the same; the outcome only is logged.
  LogEvent(LogLevel::kWarning, "handoff_not_queued",
           LogFields()
               .Add("channel", kChannel)
               .Add("code", absl::StatusCodeToString(queued.code())));
}

}  // namespace kneechat
