#include "services/text/text_normalize.h"

#include <xapian.h>

#include "re2/re2.h"

namespace kneechat {
namespace {

const RE2& WordPattern() {
  static const RE2* const kWord = new RE2(R"(([\pL\pN]+(?:'[\pL\pN]+)*))");
  return *kWord;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Calls `word(begin, end)` for each match of WordPattern() in ASCII `text`,
// in order: what the pattern matches there, without running it.
template <typename F>
void ForEachAsciiWord(std::string_view text, F word) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsAsciiAlnum(text[i])) {
      ++i;
      continue;
    }
    const size_t begin = i;
    while (i < text.size() && IsAsciiAlnum(text[i])) ++i;
    while (i + 1 < text.size() && text[i] == '\'' &&
           IsAsciiAlnum(text[i + 1])) {
      i += 2;
      while (i < text.size() && IsAsciiAlnum(text[i])) ++i;
    }
    word(begin, i);
  }
}

}  // namespace

std::string NormalizeSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    bool is_space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (c == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      is_space = true;  // U+00A0 no-break space
      ++i;
    }
    if (is_space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool ApostropheAt(std::string_view s, size_t i, size_t* length) {
  const unsigned char c = s[i];
  if (c == '\'' || c == '`') {
    *length = 1;
    return true;
  }
  // ’ U+2019, ‘ U+2018 (E2 80 99 / 98), ´ U+00B4 (C2 B4), ʼ U+02BC (CA BC)
  if (c == 0xE2 && s.size() - i >= 3 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0x99 ||
       static_cast<unsigned char>(s[i + 2]) == 0x98)) {
    *length = 3;
    return true;
  }
  if (s.size() - i >= 2 &&
      ((c == 0xC2 && static_cast<unsigned char>(s[i + 1]) == 0xB4) ||
       (c == 0xCA && static_cast<unsigned char>(s[i + 1]) == 0xBC))) {
    *length = 2;
    return true;
  }
  return false;
}

std::string FoldForMatching(std::string_view text) {
  if (IsAscii(text)) {  // what Xapian's lower-casing does to ASCII
    std::string out(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c == '`') c = '\'';
    }
    return out;
  }
  std::string lowered = Xapian::Unicode::tolower(std::string(text));
  std::string out;
  out.reserve(lowered.size());
  for (size_t i = 0; i < lowered.size();) {
    size_t length = 0;
    if (ApostropheAt(lowered, i, &length)) {
      out.push_back('\'');
      i += length;
      continue;
    }
    out.push_back(lowered[i]);
    ++i;
  }
  return out;
}

std::vector<std::string> SplitWords(std::string_view text) {
  const std::string folded = FoldForMatching(text);
  std::vector<std::string> words;
  if (IsAscii(folded)) {
    ForEachAsciiWord(folded, [&](size_t begin, size_t end) {
      words.emplace_back(folded, begin, end - begin);
    });
    return words;
  }
  re2::StringPiece input(folded);
  std::string word;
  while (RE2::FindAndConsume(&input, WordPattern(), &word)) {
    words.push_back(word);
  }
  return words;
}

int CountWords(std::string_view text) {
  const std::string folded = FoldForMatching(text);
  if (IsAscii(folded)) {
    int count = 0;
    ForEachAsciiWord(folded, [&](size_t, size_t) { ++count; });
    return count;
  }
  re2::StringPiece input(folded);
  int count = 0;
  while (RE2::FindAndConsume(&input, WordPattern())) ++count;
  return count;
}

std::string FoldReply(std::string_view text) {
  std::string out;
  const std::string folded = FoldForMatching(text);
  if (IsAscii(folded)) {
    out.reserve(folded.size());
    ForEachAsciiWord(folded, [&](size_t begin, size_t end) {
      if (!out.empty()) out.push_back(' ');
      for (size_t i = begin; i < end; ++i) {
        if (folded[i] != '\'') out.push_back(folded[i]);
      }
    });
    return out;
  }
  for (const std::string& word : SplitWords(text)) {
    if (!out.empty()) out.push_back(' ');
    for (char c : word) {
      if (c != '\'') out.push_back(c);
    }
  }
  return out;
}

}  // namespace kneechat
