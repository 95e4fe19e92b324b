#include "services/channels/speech_text.h"

#include <re2/re2.h>

namespace kneechat {
namespace {

struct Patterns {
  RE2 markers{R"(\[\s*\d+(?:\s*[,;\x{2013}-]\s*\d+)*\s*\])"};
  // A URL ends before spaces and brackets, and not on punctuation.
  RE2 urls{R"((?i)\b(?:https?|ftp)://(?:[^\s<>"()]*[^\s<>"().,;:!?])?)"};
  RE2 www{R"((?i)\bwww\.(?:[^\s<>"()]*[^\s<>"().,;:!?])?)"};
  RE2 tags{R"(<[^<>]{0,200}>)"};
  RE2 markup{R"([*_`#~|\[\]{}<>\\^])"};
  RE2 empty_parens{R"(\(\s*\))"};
  RE2 space_before_punct{R"(\s+([.,;:!?]))"};
  RE2 spaces{R"(\s+)"};
};

const Patterns& GetPatterns() {
  static const Patterns* patterns = new Patterns();
  return *patterns;
}

// Decodes one well-formed UTF-8 sequence at `*i`; returns false (and skips
// one byte) for a malformed one.
bool Decode(std::string_view s, size_t* i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  size_t len;
  char32_t value;
  if (b0 < 0x80) {
    *cp = b0;
    *i += 1;
    return true;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    value = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    value = b0 & 0x07;
  } else {
    *i += 1;
    return false;
  }
  if (*i + len > s.size()) {
    *i += 1;
    return false;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      *i += 1;
      return false;
    }
    value = (value << 6) | (b & 0x3F);
  }
  const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    *i += 1;
    return false;
  }
  *cp = value;
  *i += len;
  return true;
}

// Keeps well-formed, speakable code points; control characters and line
// separators become spaces.
std::string DropUnspeakable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    char32_t cp = 0;
    if (!Decode(text, &i, &cp)) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
        cp == 0x2029) {
      out.push_back(' ');
      continue;
    }
    if (IsPictograph(cp)) continue;
    out.append(text.substr(start, i - start));
  }
  return out;
}

}  // namespace

bool IsPictograph(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) ||  // emoji, symbols, flags
         (cp >= 0x2190 && cp <= 0x21FF) ||    // arrows
         (cp >= 0x2300 && cp <= 0x23FF) ||    // technical (watch, hourglass)
         (cp >= 0x25A0 && cp <= 0x27BF) ||    // shapes, misc, dingbats
         (cp >= 0x2900 && cp <= 0x297F) ||    // supplemental arrows
         (cp >= 0x2B00 && cp <= 0x2BFF) ||    // misc symbols and arrows
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
         (cp >= 0x200B && cp <= 0x200F) ||    // zero-width, joiners, marks
         (cp >= 0x2060 && cp <= 0x206F) ||    // invisible operators
         (cp >= 0xE000 && cp <= 0xF8FF) ||    // private use
         (cp >= 0xE0000 && cp <= 0xE007F) ||  // tags
         cp >= 0xF0000 ||                     // private use planes
         cp == 0x20E3 || cp == 0x3030 || cp == 0x303D || cp == 0x3297 ||
         cp == 0x3299 || cp == 0x00A9 || cp == 0x00AE || cp == 0x2122 ||
         cp == 0x2139 || cp == 0xFFFD;
}

std::string SanitizeForSpeech(std::string_view text) {
  const Patterns& p = GetPatterns();
  std::string s = DropUnspeakable(text);
  RE2::GlobalReplace(&s, p.markers, "");
  RE2::GlobalReplace(&s, p.urls, "");
  RE2::GlobalReplace(&s, p.www, "");
  RE2::GlobalReplace(&s, p.tags, " ");
  RE2::GlobalReplace(&s, p.markup, " ");
  RE2::GlobalReplace(&s, p.empty_parens, "");
  RE2::GlobalReplace(&s, p.space_before_punct, "\\1");
  RE2::GlobalReplace(&s, p.spaces, " ");
  if (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace kneechat
