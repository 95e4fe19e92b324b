#include "services/channels/sms_text.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/channels/message_text.h"

namespace kneechat {
namespace {

// GSM 03.38 characters outside ASCII (basic set and the extension's euro).
constexpr char32_t kGsmExtra[] = {
    0xA3,  0xA5,  0xE8,  0xE9,  0xF9,  0xEC,  0xF2,  0xC7,  0xD8,  0xF8,
    0xC5,  0xE5,  0x394, 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3,
    0x398, 0x39E, 0xC6,  0xE6,  0xDF,  0xC9,  0xC4,  0xD6,  0xD1,  0xDC,
    0xA7,  0xBF,  0xE4,  0xF6,  0xF1,  0xFC,  0xE0,  0xA1,  0xA4,  0x20AC};

// ASCII stand-ins for common typography; nullptr when there is none.
const char* AsciiFor(char32_t c) {
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x2032:
    case 0x60:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2033:
    case 0xAB:
    case 0xBB:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0x2022:
    case 0x2023:
    case 0x25CF:
    case 0x25E6:
    case 0x2043:
      return "-";
    case 0x2026:
      return "...";
    case 0xA0:
    case 0x2002:
    case 0x2003:
    case 0x2007:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x9:
      return " ";
    case 0xD7:
      return "x";
    default:
      return nullptr;
  }
}

// Decodes the code point at `*i` and advances; U+FFFD (and one byte) for a
// malformed sequence.
char32_t Next(std::string_view s, size_t* i) {
  const auto lead = static_cast<unsigned char>(s[*i]);
  size_t len = lead < 0x80           ? 1
               : (lead >> 5) == 0x6  ? 2
               : (lead >> 4) == 0xE  ? 3
               : (lead >> 3) == 0x1E ? 4
                                     : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t c = len == 1 ? lead : lead & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *i += len;
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsGsm(char32_t c) {
  if (c == '\n' || (c >= 0x20 && c < 0x7F)) return true;
  return std::find(std::begin(kGsmExtra), std::end(kGsmExtra), c) !=
         std::end(kGsmExtra);
}

std::string_view BannerLabel(v1::TriageLevel level) {
  switch (level) {
    case v1::TRIAGE_LEVEL_EMERGENCY:
      return "EMERGENCY";
    case v1::TRIAGE_LEVEL_URGENT:
      return "URGENT: be seen today";
    case v1::TRIAGE_LEVEL_SOON:
      return "Book an appointment soon";
    default:
      return "Please get this checked";
  }
}

// `text` cut to `max_chars` at a word break where one is near, ending "...".
std::string Cut(std::string_view text, size_t max_chars) {
  if (Utf16Length(text) <= max_chars) return std::string(text);
  std::string_view head = Utf16Prefix(text, max_chars - 3);
  const size_t space = head.find_last_of(" \n");
  if (space != std::string_view::npos && space >= head.size() * 2 / 3) {
    head = head.substr(0, space);
  }
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(
                          absl::string_view(head.data(), head.size())),
                      "...");
}

std::string Join(const std::vector<std::string>& parts) {
  std::vector<std::string> kept;
  for (const std::string& part : parts) {
    if (!part.empty()) kept.push_back(part);
  }
  return absl::StrJoin(kept, "\n\n");
}

// `body` and then `tail` as at most kSmsMaxMessages messages.
std::vector<std::string> Pack(const std::string& body,
                              const std::string& tail) {
  const std::string whole = Join({body, tail});
  if (whole.empty()) return {};
  if (Utf16Length(whole) <= kSmsMaxMessageChars) return {whole};
  std::vector<std::string> pieces = SplitMessage(body, kSmsMaxMessageChars);
  if (tail.empty()) {
    // Nothing to keep after it.
  } else if (!pieces.empty() &&
             Utf16Length(Join({pieces.back(), tail})) <= kSmsMaxMessageChars) {
    pieces.back() = Join({pieces.back(), tail});
  } else {
    pieces.push_back(Cut(tail, kSmsMaxMessageChars));
  }
  if (pieces.size() <= kSmsMaxMessages) return pieces;
  // Too long: the last message keeps the options (the tail), and the last
  // body piece that fits is cut.
  const bool tail_alone = !tail.empty() && pieces.back() == tail;
  std::vector<std::string> kept(pieces.begin(),
                                pieces.begin() + (kSmsMaxMessages - 1));
  if (tail.empty()) {
    kept.push_back(Cut(absl::StrCat(pieces[kSmsMaxMessages - 1], " ..."),
                       kSmsMaxMessageChars));
  } else if (tail_alone) {
    kept.back() = Cut(absl::StrCat(kept.back(), " ..."), kSmsMaxMessageChars);
    kept.push_back(tail);
  } else {
    const size_t room = kSmsMaxMessageChars - Utf16Length(tail) - 2;
    kept.push_back(Join(
        {Cut(absl::StrCat(pieces[kSmsMaxMessages - 1], " ..."), room), tail}));
  }
  return kept;
}

}  // namespace

SmsKeyword TwilioKeyword(std::string_view body, std::string_view opt_out_type) {
  std::string type = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(
      absl::string_view(opt_out_type.data(), opt_out_type.size())));
  if (!type.empty()) {
    if (type == "STOP") return SmsKeyword::kOptOut;
    if (type == "START") return SmsKeyword::kOptIn;
    return SmsKeyword::kHelp;  // HELP, or one Twilio adds later
  }
  std::string word = absl::AsciiStrToUpper(
      absl::StripAsciiWhitespace(absl::string_view(body.data(), body.size())));
  while (!word.empty() && (word.back() == '.' || word.back() == '!')) {
    word.pop_back();
  }
  static const auto* const kOptOut =
      new std::set<std::string>{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL",
                                "END",  "QUIT",    "OPTOUT",      "REVOKE"};
  static const auto* const kOptIn =
      new std::set<std::string>{"START", "UNSTOP"};
  static const auto* const kHelp = new std::set<std::string>{"HELP", "INFO"};
  if (kOptOut->count(word) > 0) return SmsKeyword::kOptOut;
  if (kOptIn->count(word) > 0) return SmsKeyword::kOptIn;
  if (kHelp->count(word) > 0) return SmsKeyword::kHelp;
  return SmsKeyword::kNone;
}

std::string ToSmsText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const char32_t c = Next(text, &i);
    if (const char* ascii = AsciiFor(c)) {
      out.append(ascii);
    } else if (IsGsm(c)) {
      AppendUtf8(c, &out);
    }
  }
  // Dropped characters may leave double spaces or a space before a break.
  std::string tidy;
  tidy.reserve(out.size());
  for (char c : out) {
    if (c == ' ' && !tidy.empty() &&
        (tidy.back() == ' ' || tidy.back() == '\n')) {
      continue;
    }
    if (c == '\n' && !tidy.empty() && tidy.back() == ' ') tidy.pop_back();
    tidy.push_back(c);
  }
  return std::string(absl::StripAsciiWhitespace(tidy));
}

int SmsOptionNumber(std::string_view body, size_t options) {
  const absl::string_view stripped =
      absl::StripAsciiWhitespace(absl::string_view(body.data(), body.size()));
  std::string_view s(stripped.data(), stripped.size());
  if (!s.empty() && (s.back() == '.' || s.back() == ')')) s.remove_suffix(1);
  if (s.empty() || s.size() > 2 || !std::all_of(s.begin(), s.end(), [](char c) {
        return absl::ascii_isdigit(c);
      })) {
    return 0;
  }
  const int n = std::stoi(std::string(s));
  return n >= 1 && static_cast<size_t>(n) <= options ? n : 0;
}

SmsRendering RenderSmsReply(const v1::Reply& reply, std::string_view lead) {
  SmsRendering rendering;
  std::string banner;
  if (reply.kind() == v1::REPLY_KIND_REFERRAL) {
    banner = std::string(BannerLabel(reply.triage().level()));
    if (!reply.triage().action().empty()) {
      absl::StrAppend(&banner, " - ", reply.triage().action());
    }
    banner = ToSmsText(banner);
  }
  std::string references;
  for (int i = 0; i < reply.citations_size(); ++i) {
    const v1::Citation& c = reply.citations(i);
    absl::StrAppend(&references, references.empty() ? "Sources:" : "", "\n[",
                    c.number() > 0 ? c.number() : i + 1, "] ",
                    c.title().empty() ? c.document_id() : c.title());
  }
  std::vector<std::string> entries;
  for (const v1::QuickReply& qr : reply.quick_replies()) {
    if (rendering.options.size() == kSmsMaxOptions) break;
    std::string title = ToSmsText(qr.title().empty() ? qr.id() : qr.title());
    if (title.empty()) continue;
    entries.push_back(
        absl::StrCat(rendering.options.size() + 1, " for ", title));
    rendering.options.push_back(std::move(title));
  }
  const std::string menu =
      entries.empty()
          ? ""
          : absl::StrCat("Reply ", absl::StrJoin(entries, ", "), ".");
  const std::string body =
      Join({ToSmsText(lead), banner,
            ToSmsText(reply.text().empty() ? reply.speech() : reply.text()),
            ToSmsText(references)});
  rendering.messages = Pack(body, menu);
  return rendering;
}

SmsRendering RenderSmsText(std::string_view text) {
  SmsRendering rendering;
  rendering.messages = Pack(ToSmsText(text), "");
  return rendering;
}

}  // namespace kneechat
