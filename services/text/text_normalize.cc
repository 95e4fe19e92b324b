#include "services/text/text_normalize.h"

#include <xapian.h>

#include "re2/re2.h"

namespace kneechat {
namespace {

const RE2& WordPattern() {
  static const RE2* const kWord = new RE2(R"(([\pL\pN]+(?:'[\pL\pN]+)*))");
  return *kWord;
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
  re2::StringPiece input(folded);
  std::string word;
  while (RE2::FindAndConsume(&input, WordPattern(), &word)) {
    words.push_back(word);
  }
  return words;
}

int CountWords(std::string_view text) {
  const std::string folded = FoldForMatching(text);
  re2::StringPiece input(folded);
  int count = 0;
  while (RE2::FindAndConsume(&input, WordPattern())) ++count;
  return count;
}

std::string FoldReply(std::string_view text) {
  std::string out;
  for (const std::string& word : SplitWords(text)) {
    if (!out.empty()) out.push_back(' ');
    for (char c : word) {
      if (c != '\'') out.push_back(c);
    }
  }
  return out;
}

}  // namespace kneechat
