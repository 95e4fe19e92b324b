#include "services/text/dictation.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_split.h"

namespace kneechat::text_internal {
namespace {

struct Spoken {
  std::string_view first;
  std::string_view second;  // empty for a one-word name
  std::string_view punctuation;
  Boundary boundary;
};

constexpr Spoken kSpoken[] = {
    {"full", "stop", ".", Boundary::kSentence},
    {"new", "paragraph", ".", Boundary::kSentence},
    {"question", "mark", "?", Boundary::kSentence},
    {"exclamation", "mark", "!", Boundary::kSentence},
    {"exclamation", "point", "!", Boundary::kSentence},
    {"comma", "", ",", Boundary::kClause},
};

bool IsWord(const std::vector<Token>& tokens, size_t i, std::string_view w) {
  return i < tokens.size() && tokens[i].kind == TokenKind::kWord &&
         tokens[i].norm == w;
}

// The spoken punctuation starting at tokens[i], if any.
const Spoken* SpokenAt(const std::vector<Token>& tokens, size_t i) {
  for (const Spoken& s : kSpoken) {
    if (!IsWord(tokens, i, s.first)) continue;
    if (!s.second.empty() && !IsWord(tokens, i + 1, s.second)) continue;
    return &s;
  }
  return nullptr;
}

}  // namespace

bool WrittenWordPerLine(std::string_view text) {
  int lines = 0, short_lines = 0;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    int words = 0;
    for (absl::string_view word :
         absl::StrSplit(line, ' ', absl::SkipWhitespace())) {
      (void)word;
      ++words;
    }
    if (words == 0) continue;
    ++lines;
    if (words <= 2) ++short_lines;
  }
  return lines >= 4 && short_lines * 4 >= lines * 3;
}

void ReadSpokenPunctuation(std::vector<Token>* tokens) {
  std::vector<Token>& in = *tokens;
  // Most messages name no punctuation: left as they are, not copied.
  size_t i = 0;
  while (i < in.size() && SpokenAt(in, i) == nullptr) ++i;
  if (i == in.size()) return;
  std::vector<Token> out;
  out.reserve(in.size());
  for (i = 0; i < in.size(); ++i) {
    const Spoken* found = SpokenAt(in, i);
    // "came to a full stop": the noun, not dictation.
    if (found != nullptr && !out.empty() &&
        (IsWord(out, out.size() - 1, "a") ||
         IsWord(out, out.size() - 1, "the"))) {
      found = nullptr;
    }
    if (found == nullptr) {
      out.push_back(std::move(in[i]));
      continue;
    }
    const size_t last = !found->second.empty() ? i + 1 : i;
    Token punctuation;
    punctuation.kind = TokenKind::kPunctuation;
    punctuation.space_before = in[i].space_before;
    punctuation.begin = in[i].begin;
    punctuation.end = in[last].end;
    punctuation.norm = std::string(found->punctuation);
    punctuation.boundary = found->boundary;
    out.push_back(std::move(punctuation));
    i = last;
  }
  *tokens = std::move(out);
}

}  // namespace kneechat::text_internal
