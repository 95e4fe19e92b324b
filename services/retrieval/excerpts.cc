#include "services/retrieval/excerpts.h"

#include <cctype>

#include "absl/strings/ascii.h"

namespace kneechat {
namespace {

bool IsAbbreviation(std::string_view before) {
  static const char* kAbbrev[] = {"e.g", "i.e", "dr",  "mr", "mrs",
                                  "ms",  "vs",  "etc", "st", "approx"};
  size_t start = before.find_last_of(" \t\n(");
  std::string word(start == std::string_view::npos ? before
                                                   : before.substr(start + 1));
  word = absl::AsciiStrToLower(word);
  for (const char* a : kAbbrev) {
    if (word == a) return true;
  }
  return word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string_view> SplitSentences(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  auto emit = [&](size_t end) {
    std::string_view s = Trim(text.substr(start, end - start));
    if (!s.empty()) out.push_back(s);
    start = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      emit(i + 1);
      continue;
    }
    if (c != '.' && c != '!' && c != '?') continue;
    size_t j = i + 1;
    while (j < text.size() && (text[j] == '"' || text[j] == ')')) ++j;
    if (j >= text.size() || (text[j] != ' ' && text[j] != '\t')) continue;
    size_t k = j;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    if (k >= text.size()) continue;
    const unsigned char next = static_cast<unsigned char>(text[k]);
    const bool starts_sentence = std::isupper(next) || std::isdigit(next) ||
                                 next == '"' || next == '(' || next >= 0x80;
    if (!starts_sentence) continue;
    if (c == '.' && IsAbbreviation(text.substr(start, i - start))) continue;
    emit(j);
  }
  emit(text.size());
  return out;
}

std::string_view BestExcerptBy(
    std::string_view passage,
    const std::function<double(std::string_view sentence)>& score_of,
    size_t max_sentences, size_t max_chars) {
  passage = Trim(passage);
  if (passage.size() <= max_chars) return passage;
  std::vector<std::string_view> sentences = SplitSentences(passage);
  if (sentences.empty()) return passage;
  std::vector<double> scores;
  for (auto s : sentences) scores.push_back(score_of(s));
  std::string_view best = sentences[0];
  double best_score = -1;
  for (size_t i = 0; i < sentences.size(); ++i) {
    double score = 0;
    for (size_t n = 0; n < max_sentences && i + n < sentences.size(); ++n) {
      const char* begin = sentences[i].data();
      const char* end = sentences[i + n].data() + sentences[i + n].size();
      const size_t len = static_cast<size_t>(end - begin);
      if (n > 0 && len > max_chars) break;
      // A run never crosses a line break (a heading, caption or list item).
      if (n > 0 &&
          std::string_view(begin, len).find('\n') != std::string_view::npos) {
        break;
      }
      score += scores[i + n];
      // Prefer the shorter run unless the longer one adds matches.
      if (score > best_score) {
        best_score = score;
        best = std::string_view(begin, len);
      }
    }
  }
  return best;
}

}  // namespace kneechat
