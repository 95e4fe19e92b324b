// Text for SMS (Twilio Programmable Messaging): keywords that Twilio's
// opt-out handling owns, text that travels as plain GSM-7 where it can, and
// a kneechat Reply as at most a few SMS messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

// Twilio's message body limit (characters), and how many <Message>
// replies kneechat sends to one message at most.
inline constexpr size_t kSmsMaxMessageChars = 1600;
inline constexpr size_t kSmsMaxMessages = 3;
// Quick replies offered as numbered options ("Reply 1 for ...").
inline constexpr size_t kSmsMaxOptions = 9;

enum class SmsKeyword {
  kNone,    // an ordinary message: kneechat answers it
  kOptOut,  // STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE
  kOptIn,   // START, UNSTOP (YES only when Twilio marks it)
  kHelp,    // HELP, INFO
};

// The keyword `body` is for Twilio's opt-out handling, or kNone. Twilio
// matches a whole message that is one keyword, in any case, so does this
// (surrounding spaces and a final '.' or '!' are ignored). `opt_out_type`
// is Twilio's OptOutType parameter ("STOP", "START", "HELP"), present when
// Twilio itself treated the message as a keyword: any non-empty value makes
// it one. "YES" is an opt-in keyword for Twilio too, but kneechat asks
// yes/no questions, so a bare "yes" is an answer unless Twilio marks it.
// Thread-safe.
SmsKeyword TwilioKeyword(std::string_view body, std::string_view opt_out_type);

// `text` as plain SMS text: typographic quotes, dashes, ellipses, bullets
// and unusual spaces become their ASCII forms, other characters outside
// the GSM 03.38 alphabet (emoji, symbols) are dropped, as are control
// characters and invalid UTF-8. Newlines stay. Thread-safe.
std::string ToSmsText(std::string_view text);

// The 1-based option a reply of just a number picks ("2", " 2. ", "2)"),
// or 0 when `body` is not one or is outside 1..`options`.
int SmsOptionNumber(std::string_view body, size_t options);

struct SmsRendering {
  // 1..kSmsMaxMessages messages of at most kSmsMaxMessageChars each (none
  // only for an empty reply).
  std::vector<std::string> messages;
  // The options offered, in order: a reply "n" plays options[n-1].
  std::vector<std::string> options;
};

// Renders `reply` after `lead` (a greeting, or ""): a REFERRAL opens with
// what to do and how fast, the cited sources follow as short "[n] title"
// references, and quick replies end the last message as "Reply 1 for ...,
// 2 for ...". Text too long for one message is split at paragraph, line or
// word breaks into at most kSmsMaxMessages; beyond that it is cut with
// "...", the options always kept.
SmsRendering RenderSmsReply(const v1::Reply& reply, std::string_view lead = "");

// kneechat's own notices, as one message.
SmsRendering RenderSmsText(std::string_view text);

}  // namespace kneechat
