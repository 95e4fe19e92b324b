#include "services/channels/twiml.h"

#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

constexpr char kHeader[] = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr int kDialTimeoutSeconds = 20;

std::string Say(const TwimlVoice& voice, std::string_view text) {
  std::string out = "<Say";
  if (!voice.voice.empty()) {
    absl::StrAppend(&out, " voice=\"", XmlEscape(voice.voice), "\"");
  }
  if (!voice.language.empty()) {
    absl::StrAppend(&out, " language=\"", XmlEscape(voice.language), "\"");
  }
  absl::StrAppend(&out, ">", XmlEscape(text), "</Say>");
  return out;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  // Invalid UTF-8 would make the whole document unreadable: drop such
  // bytes one by one until the rest is valid.
  std::string valid;
  if (IsValidUtf8(text)) {
    valid.assign(text);
  } else {
    for (size_t i = 0; i < text.size();) {
      size_t len = 1;
      const auto lead = static_cast<unsigned char>(text[i]);
      if (lead >= 0xF0) {
        len = 4;
      } else if (lead >= 0xE0) {
        len = 3;
      } else if (lead >= 0xC0) {
        len = 2;
      }
      if (i + len <= text.size() && IsValidUtf8(text.substr(i, len))) {
        valid.append(text.substr(i, len));
        i += len;
      } else {
        i += 1;
      }
    }
  }
  std::string out;
  out.reserve(valid.size() + valid.size() / 8);
  for (char c : valid) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' &&
            c != '\r') {
          break;  // not allowed in XML 1.0
        }
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderGatherTwiml(const TwimlVoice& voice,
                              const TwimlGather& gather) {
  std::string out = absl::StrCat(
      kHeader, "<Response><Gather input=\"speech dtmf\" action=\"",
      XmlEscape(gather.action_url), "\" method=\"POST\" timeout=\"",
      gather.timeout_seconds, "\" speechTimeout=\"auto\"");
  if (gather.single_digit) absl::StrAppend(&out, " numDigits=\"1\"");
  if (!gather.hints.empty()) {
    absl::StrAppend(&out, " hints=\"", XmlEscape(gather.hints), "\"");
  }
  if (!voice.language.empty()) {
    absl::StrAppend(&out, " language=\"", XmlEscape(voice.language), "\"");
  }
  absl::StrAppend(&out, ">", Say(voice, gather.say), "</Gather>");
  if (!gather.no_input_url.empty()) {
    absl::StrAppend(&out, "<Redirect method=\"POST\">",
                    XmlEscape(gather.no_input_url), "</Redirect>");
  }
  absl::StrAppend(&out, "</Response>");
  return out;
}

std::string RenderDialTwiml(const TwimlVoice& voice, std::string_view say,
                            std::string_view number, std::string_view after) {
  return absl::StrCat(kHeader, "<Response>", Say(voice, say),
                      "<Dial timeout=\"", kDialTimeoutSeconds,
                      "\" answerOnBridge=\"true\"><Number>", XmlEscape(number),
                      "</Number></Dial>", Say(voice, after),
                      "<Hangup/></Response>");
}

std::string RenderHangupTwiml(const TwimlVoice& voice, std::string_view say) {
  return absl::StrCat(kHeader, "<Response>", Say(voice, say),
                      "<Hangup/></Response>");
}

std::string RenderEmptyTwiml() { return absl::StrCat(kHeader, "<Response/>"); }

std::string RenderMessagesTwiml(const std::vector<std::string>& messages) {
  std::string body;
  for (const std::string& message : messages) {
    if (message.empty()) continue;
    absl::StrAppend(&body, "<Message>", XmlEscape(message), "</Message>");
  }
  if (body.empty()) return RenderEmptyTwiml();
  return absl::StrCat(kHeader, "<Response>", body, "</Response>");
}

}  // namespace kneechat
