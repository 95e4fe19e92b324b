#include "services/text/number_words.h"

#include <string>

#include "absl/container/flat_hash_map.h"

namespace kneechat::text_internal {
namespace {

enum class WordClass { kUnit, kTeen, kTen, kHundred, kThousand };

struct NumberWord {
  int value;
  WordClass word_class;
};

const absl::flat_hash_map<std::string_view, NumberWord>& NumberWords() {
  static const auto* words =
      new absl::flat_hash_map<std::string_view, NumberWord>{
          {"zero", {0, WordClass::kUnit}},
          {"one", {1, WordClass::kUnit}},
          {"two", {2, WordClass::kUnit}},
          {"three", {3, WordClass::kUnit}},
          {"four", {4, WordClass::kUnit}},
          {"five", {5, WordClass::kUnit}},
          {"six", {6, WordClass::kUnit}},
          {"seven", {7, WordClass::kUnit}},
          {"eight", {8, WordClass::kUnit}},
          {"nine", {9, WordClass::kUnit}},
          {"ten", {10, WordClass::kTeen}},
          {"eleven", {11, WordClass::kTeen}},
          {"twelve", {12, WordClass::kTeen}},
          {"thirteen", {13, WordClass::kTeen}},
          {"fourteen", {14, WordClass::kTeen}},
          {"fifteen", {15, WordClass::kTeen}},
          {"sixteen", {16, WordClass::kTeen}},
          {"seventeen", {17, WordClass::kTeen}},
          {"eighteen", {18, WordClass::kTeen}},
          {"nineteen", {19, WordClass::kTeen}},
          {"twenty", {20, WordClass::kTen}},
          {"thirty", {30, WordClass::kTen}},
          {"forty", {40, WordClass::kTen}},
          {"fourty", {40, WordClass::kTen}},
          {"fifty", {50, WordClass::kTen}},
          {"sixty", {60, WordClass::kTen}},
          {"seventy", {70, WordClass::kTen}},
          {"eighty", {80, WordClass::kTen}},
          {"ninety", {90, WordClass::kTen}},
          {"hundred", {100, WordClass::kHundred}},
          {"thousand", {1000, WordClass::kThousand}},
      };
  return *words;
}

const NumberWord* Lookup(const Token& token) {
  if (token.kind != TokenKind::kWord) return nullptr;
  const auto& words = NumberWords();
  auto it = words.find(token.norm);
  return it == words.end() ? nullptr : &it->second;
}

bool IsGluedHyphen(const std::vector<Token>& tokens, size_t i,
                   std::string_view text) {
  return i + 1 < tokens.size() && tokens[i].kind == TokenKind::kPunctuation &&
         text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin) == "-" &&
         !tokens[i].space_before && !tokens[i + 1].space_before;
}

void ApplyWord(const NumberWord& word, long* total, long* current) {
  switch (word.word_class) {
    case WordClass::kHundred:
      *current = (*current == 0 ? 1 : *current) * 100;
      break;
    case WordClass::kThousand:
      *total = (*current == 0 ? 1 : *current) * 1000;
      *current = 0;
      break;
    default:
      *current += word.value;
  }
}

}  // namespace

std::optional<int> DecadeWordValue(std::string_view norm) {
  static const auto* decades = new absl::flat_hash_map<std::string_view, int>{
      {"teens", 10},     {"twenties", 20}, {"thirties", 30},
      {"forties", 40},   {"fifties", 50},  {"sixties", 60},
      {"seventies", 70}, {"eighties", 80}, {"nineties", 90},
  };
  auto it = decades->find(norm);
  if (it == decades->end()) return std::nullopt;
  return it->second;
}

void MergeNumberWords(std::string_view text, std::vector<Token>* tokens) {
  std::vector<Token> out;
  out.reserve(tokens->size());
  const std::vector<Token>& in = *tokens;
  size_t i = 0;
  while (i < in.size()) {
    const NumberWord* first = Lookup(in[i]);
    if (first == nullptr) {
      out.push_back(in[i]);
      ++i;
      continue;
    }
    // total: completed thousands; current: the part below a thousand.
    long total = 0;
    long current = 0;
    WordClass last = first->word_class;
    ApplyWord(*first, &total, &current);
    std::string norm = in[i].norm;
    size_t last_used = i;
    size_t j = i + 1;
    while (j < in.size()) {
      size_t k = j;
      const bool after_hundreds =
          last == WordClass::kHundred || last == WordClass::kThousand;
      bool joiner = false;
      if (in[k].kind == TokenKind::kWord && in[k].norm == "and" &&
          after_hundreds && k + 1 < in.size()) {
        ++k;
        joiner = true;
      } else if (IsGluedHyphen(in, k, text) && last == WordClass::kTen) {
        ++k;
        joiner = true;
      }
      const NumberWord* word = Lookup(in[k]);
      if (word == nullptr) break;
      bool ok = false;
      switch (word->word_class) {
        case WordClass::kUnit:
          ok = after_hundreds || (last == WordClass::kTen && current % 10 == 0);
          break;
        case WordClass::kTeen:
        case WordClass::kTen:
          ok = after_hundreds;
          break;
        case WordClass::kHundred:
          ok =
              !joiner && (last == WordClass::kUnit || last == WordClass::kTeen);
          break;
        case WordClass::kThousand:
          ok = !joiner && total == 0 && last != WordClass::kThousand;
          break;
      }
      if (!ok) break;
      ApplyWord(*word, &total, &current);
      norm += ' ';
      norm += in[k].norm;
      last = word->word_class;
      last_used = k;
      j = k + 1;
    }
    Token merged = in[i];
    merged.kind = TokenKind::kNumber;
    merged.end = in[last_used].end;
    merged.norm = norm;
    merged.number = static_cast<double>(total + current);
    merged.boundary = in[last_used].boundary;
    merged.cue = CueKind::kNone;
    out.push_back(std::move(merged));
    i = last_used + 1;
  }
  *tokens = std::move(out);
}

}  // namespace kneechat::text_internal
