// TwiML (twilio.com/docs/voice/twiml) documents for kneechat's phone line:
// a spoken prompt inside <Gather> so callers can barge in, a transfer with
// <Dial>, and a goodbye with <Hangup/>; and for its SMS line, replies as
// <Message> elements. Every value is XML-escaped here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// Escapes & < > " ' and drops characters XML 1.0 cannot carry (controls
// other than tab, newline and carriage return; invalid UTF-8).
std::string XmlEscape(std::string_view text);

struct TwimlVoice {
  std::string voice;               // <Say voice>; empty = Twilio's default
  std::string language = "en-US";  // <Say language>, <Gather language>
};

struct TwimlGather {
  std::string say;         // plain text, spoken inside <Gather>
  std::string action_url;  // where the caller's input is POSTed
  // Where to go when the caller says and presses nothing (a <Redirect>
  // after the <Gather>).
  std::string no_input_url;
  int timeout_seconds = 5;
  // Submit after one key press (a menu); otherwise keys end with # or a
  // pause.
  bool single_digit = false;
  std::string hints;  // speech recognition hints, comma-separated
};

// <Response><Gather input="speech dtmf" action=… method="POST"
// timeout=… speechTimeout="auto" [numDigits="1"] [hints=…] language=…>
// <Say …>…</Say></Gather><Redirect method="POST">…</Redirect></Response>
std::string RenderGatherTwiml(const TwimlVoice& voice,
                              const TwimlGather& gather);

// Says `say`, dials `number` (caller hears ringing until answered), then
// says `after` and hangs up once the clinic's leg ends.
std::string RenderDialTwiml(const TwimlVoice& voice, std::string_view say,
                            std::string_view number, std::string_view after);

// Says `say` and hangs up.
std::string RenderHangupTwiml(const TwimlVoice& voice, std::string_view say);

// An empty <Response/> (for status callbacks, and messages that get no
// reply).
std::string RenderEmptyTwiml();

// <Response><Message>…</Message>…</Response>: one SMS reply per entry, in
// order (Twilio Programmable Messaging). Empty entries are left out; no
// entries gives an empty <Response/>.
std::string RenderMessagesTwiml(const std::vector<std::string>& messages);

}  // namespace kneechat
