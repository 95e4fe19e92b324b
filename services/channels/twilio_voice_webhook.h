// The clinic phone line: POST /webhooks/twilio/voice answers Twilio
// Programmable Voice webhooks with TwiML.
//
// Each request: size limit (413) -> form parse (400) -> X-Twilio-Signature
// over public_base_url + the request target and the form parameters
// (constant time; 403 and no turn on a forgery, a missing header or an
// unconfigured token) -> a replay of a request already answered (a Twilio
// retry: same CallSid, URL and parameters) gets the same TwiML again
// without a second turn -> the turn:
//   - a new CallSid starts a kneechat session; its greeting is spoken;
//   - SpeechResult is played as the person's message; Digits 1-9 pick the
//     last reply's quick replies (announced "press 1 for ..."), digits
//     without a menu are played as typed (an age), "*" repeats the last
//     prompt, "0" transfers to the clinic with <Dial>;
//   - a REFERRAL says what to do and offers "press 0 to be put through";
//   - with a clinic handoff configured (`handoff`), that offer says the
//     clinic will get a summary of the call, and a transfer ("0", at any
//     point) hands the session's summary (Engine::GetHandoff) to the
//     delivery as the call is put through: on the phone, asking to be put
//     through to the clinic is the consent to its getting the summary (the
//     chat channels ask in words, services/handoff/consent_dialogue.h);
//   - no input re-prompts; after max_silent_prompts silences in a row the
//     line says goodbye and hangs up;
//   - a status callback with a final CallStatus erases the session.
// Only Reply.speech (or, if empty, Reply.text) is spoken, always passed
// through SanitizeForSpeech and XML-escaped. Every prompt's URLs carry a
// turn number so that identical answers to successive questions are told
// apart from retries. Nothing the caller says is logged.
//
// Shared state: each call's record (session, turn number, silences, last
// prompt) and the answered requests kept for retries live in a
// ChannelStateStore -- in memory by default, or on Redis so that any
// replica can take a call's next request and a retried request is answered
// once whichever replica receives it. Requests of one call are handled one
// at a time across replicas. When the store cannot be reached the webhook
// answers 503 (Twilio then uses the number's fallback URL).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/twiml.h"
#include "services/channels/webhook_response.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"
#include "services/handoff/handoff_delivery.h"
#include "services/http/http_message.h"

namespace kneechat {

// What the phone line says outside the engine's replies.
struct VoicePhrases {
  // One menu entry; $0 is the digit, $1 the quick reply's title. Entries
  // are joined with ", ".
  std::string press_option = "press $0 for $1";
  std::string transfer_offer = "Press 0 to be put through to the clinic.";
  // The offer when the clinic also gets the call's summary.
  std::string transfer_offer_with_summary =
      "Press 0 to be put through to the clinic, who will also get a summary "
      "of this call.";
  std::string no_input = "Sorry, I didn't hear anything.";
  std::string how_to_answer =
      "Please say your answer, or press star to hear the question again.";
  std::string not_an_option = "Sorry, that is not one of the options.";
  std::string not_understood = "Sorry, I didn't catch that.";
  std::string goodbye_silence =
      "I haven't heard anything, so I will end the call now. Please call "
      "again any time. Goodbye.";
  std::string transferring = "Putting you through to the clinic now.";
  std::string after_transfer = "The call with the clinic has ended. Goodbye.";
  std::string no_transfer =
      "Sorry, I can't put you through from this line. Please call the "
      "clinic directly.";
  std::string failure =
      "Sorry, something went wrong on our side. Please try again.";
  // Spoken requests to hear the prompt again (compared lower-case, without
  // punctuation).
  std::vector<std::string> repeat_requests = {"repeat", "repeat that",
                                              "say that again", "again"};
};

struct TwilioVoiceOptions {
  // The account's Auth Token. Empty rejects every request.
  std::string auth_token;
  // The externally visible origin (and path prefix, if a proxy strips one)
  // that Twilio calls, e.g. "https://clinic.example.com". The signed URL is
  // this plus the request target, so the number's webhook must be set to
  // public_base_url + kPath. Empty rejects every request.
  std::string public_base_url;
  // E.164 number (or SIP URI) that "0" and referrals transfer to; empty
  // means no transfer is offered.
  std::string clinic_transfer_number;
  int max_silent_prompts = 2;
  TwimlVoice voice;  // <Say voice/language>
  int gather_timeout_seconds = 5;
  size_t max_body_bytes = 16 * 1024;
  size_t max_calls = 10000;
  absl::Duration call_idle_ttl = absl::Hours(2);
  // Answered requests remembered for retries.
  size_t replay_capacity = 20000;
  absl::Duration replay_ttl = absl::Hours(2);
  // Not owned; null means Clock::Real().
  Clock* clock = nullptr;
  VoicePhrases phrases;
  // Per-caller budgets (the voice channel, keyed by the From number). Not
  // owned; null: no limits. A request over the budget is answered 429.
  FairUse* fair_use = nullptr;
  // Where a transferred call's summary goes (services/handoff). Not owned;
  // must outlive the webhook. Null: no summary is sent.
  HandoffDelivery* handoff = nullptr;
  // Where call records and answered requests live; null means in memory,
  // bounded by max_calls, call_idle_ttl and replay_* above.
  std::shared_ptr<ChannelStateStore> state_store;
};

struct TwilioVoiceStats {
  uint64_t forged = 0;    // bad or missing signature
  uint64_t rejected = 0;  // malformed or oversized
  uint64_t replays = 0;   // retries answered from the cache
  uint64_t turns = 0;     // engine turns played
  uint64_t transfers = 0;
  uint64_t handoffs = 0;  // summaries handed to the delivery at a transfer
  uint64_t store_failures = 0;  // state store unreachable or busy
  uint64_t rate_limited = 0;    // over the caller's budget
};

// Thread-safe; requests for one call are handled one at a time.
class TwilioVoiceWebhook {
 public:
  static constexpr char kPath[] = "/webhooks/twilio/voice";
  static constexpr char kSignatureHeader[] = "X-Twilio-Signature";

  // `engine` is not owned and must outlive this object.
  TwilioVoiceWebhook(Engine& engine, TwilioVoiceOptions options);
  ~TwilioVoiceWebhook();

  TwilioVoiceWebhook(const TwilioVoiceWebhook&) = delete;
  TwilioVoiceWebhook& operator=(const TwilioVoiceWebhook&) = delete;

  // The HTTP route for POST kPath. The HTTP server running it must stop
  // before this object is destroyed.
  HttpRoute Route();

  // One webhook request: `target` is the request's path and query as
  // received ("/webhooks/twilio/voice?turn=3"), `signature` the header
  // (nullopt when absent), `body` the raw form body.
  WebhookResponse Handle(std::string_view target,
                         std::optional<std::string_view> signature,
                         std::string_view body);

  TwilioVoiceStats stats() const;

 private:
  struct Prompt;
  struct CallState;

  std::string Turn(CallState& call, const FormParams& params,
                   const std::string& request_key, bool* cacheable);
  std::string RenderReply(CallState& call, const v1::Reply& reply);
  std::string Ask(CallState& call, std::string_view lead_in,
                  bool with_question);
  std::string Transfer(CallState& call);
  // Hands the call's summary to options_.handoff, if configured.
  void SendHandoff(const CallState& call);
  std::string MenuSentence(const Prompt& prompt) const;

  Engine& engine_;
  const TwilioVoiceOptions options_;
  const std::string action_url_;  // public_base_url + kPath
  const std::shared_ptr<ChannelStateStore> store_;
  std::atomic<uint64_t> forged_{0}, rejected_{0}, replays_count_{0}, turns_{0},
      transfers_{0}, store_failures_{0}, rate_limited_{0}, handoffs_{0};
};

}  // namespace kneechat
