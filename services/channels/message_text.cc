#include "services/channels/message_text.h"

namespace kneechat {
namespace {

// Length in bytes of the sequence starting with `lead`; 1 for bytes that
// cannot start one, so that any input is walked safely.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF8) return 4;
  return 1;
}

// Advances over one code point starting at `i`; returns its UTF-16 units.
size_t Step(std::string_view text, size_t* i) {
  const auto lead = static_cast<unsigned char>(text[*i]);
  size_t len = SequenceLength(lead);
  if (*i + len > text.size()) len = text.size() - *i;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[*i + k]) & 0xC0) != 0x80) {
      len = k;
      break;
    }
  }
  *i += len;
  return len == 4 ? 2 : 1;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) units += Step(text, &i);
  return units;
}

std::string_view Utf16Prefix(std::string_view text, size_t max_units) {
  size_t units = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t next = i;
    const size_t u = Step(text, &next);
    if (units + u > max_units) break;
    units += u;
    i = next;
  }
  return text.substr(0, i);
}

std::vector<std::string> SplitMessage(std::string_view text, size_t max_units) {
  if (max_units < 2) max_units = 2;
  std::vector<std::string> pieces;
  std::string_view rest = TrimSpace(text);
  while (!rest.empty()) {
    std::string_view head = Utf16Prefix(rest, max_units);
    if (head.size() < rest.size()) {
      const size_t half = head.size() / 2;
      size_t cut = std::string_view::npos;
      for (std::string_view sep : {"\n\n", "\n", " "}) {
        const size_t at = head.rfind(sep);
        if (at != std::string_view::npos && at >= half && at > 0) {
          cut = at;
          break;
        }
      }
      if (cut != std::string_view::npos) head = head.substr(0, cut);
    }
    rest.remove_prefix(head.size());
    head = TrimSpace(head);
    if (!head.empty()) pieces.emplace_back(head);
    rest = TrimSpace(rest);
  }
  return pieces;
}

std::string Abbreviate(std::string_view text, size_t max_chars) {
  text = TrimSpace(text);
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size() && chars < max_chars) {
    Step(text, &i);
    ++chars;
  }
  if (i >= text.size()) return std::string(text);
  if (max_chars == 0) return "";
  // Leave room for the ellipsis.
  size_t end = 0;
  chars = 0;
  for (size_t j = 0; j < text.size() && chars + 1 < max_chars; ++chars) {
    Step(text, &j);
    end = j;
  }
  std::string_view head = text.substr(0, end);
  const size_t space = head.rfind(' ');
  if (space != std::string_view::npos && space >= head.size() * 2 / 3) {
    head = head.substr(0, space);
  }
  head = TrimSpace(head);
  while (!head.empty() &&
         (head.back() == ',' || head.back() == ';' || head.back() == ':')) {
    head.remove_suffix(1);
  }
  return std::string(head) + "\u2026";
}

}  // namespace kneechat
