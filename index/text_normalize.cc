#include "index/text_normalize.h"

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

std::string FoldForMatching(std::string_view text) {
  std::string lowered = Xapian::Unicode::tolower(std::string(text));
  std::string out;
  out.reserve(lowered.size());
  for (size_t i = 0; i < lowered.size(); ++i) {
    // U+2018 / U+2019 are E2 80 98 / E2 80 99 in UTF-8.
    if (i + 2 < lowered.size() && lowered[i] == '\xE2' &&
        lowered[i + 1] == '\x80' &&
        (lowered[i + 2] == '\x98' || lowered[i + 2] == '\x99')) {
      out.push_back('\'');
      i += 2;
      continue;
    }
    out.push_back(lowered[i]);
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

}  // namespace kneechat
