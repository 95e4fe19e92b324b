#include "services/dialogue/excerpts.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "re2/re2.h"
#include "xapian.h"

namespace kneechat {
namespace {

const std::set<std::string>& StopWords() {
  static const auto* words = new std::set<std::string>{
      "a",      "an",     "and",    "are",   "as",    "at",    "be",   "but",
      "by",     "can",    "could",  "do",    "does",  "did",   "for",  "from",
      "had",    "has",    "have",   "how",   "i",     "if",    "in",   "into",
      "is",     "it",     "its",    "it's",  "me",    "my",    "of",   "on",
      "or",     "should", "so",     "that",  "the",   "their", "them", "then",
      "there",  "these",  "they",   "this",  "to",    "up",    "was",  "we",
      "what",   "when",   "where",  "which", "while", "who",   "why",  "will",
      "with",   "would",  "you",    "your",  "about", "any",   "all",  "also",
      "am",     "been",   "get",    "got",   "just",  "more",  "much", "need",
      "not",    "than",   "too",    "very",  "help",  "helps", "good", "best",
      "really", "thing",  "things", "some",  "other", "those", "being"};
  return *words;
}

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

std::set<std::string> ContentStems(std::string_view text) {
  static const RE2* word = new RE2("([\\p{L}][\\p{L}\\p{N}'’]*)");
  thread_local Xapian::Stem stemmer("english");
  std::set<std::string> stems;
  re2::StringPiece input(text.data(), text.size());
  std::string token;
  while (RE2::FindAndConsume(&input, *word, &token)) {
    std::string lower = absl::AsciiStrToLower(token);
    // Drop possessive/contraction tails: runner's -> runner.
    for (const char* tail : {"'s", "’s"}) {
      std::string t(tail);
      if (lower.size() > t.size() &&
          lower.compare(lower.size() - t.size(), t.size(), t) == 0) {
        lower.resize(lower.size() - t.size());
      }
    }
    if (lower.size() < 2 || StopWords().count(lower) > 0) continue;
    stems.insert(stemmer(lower));
  }
  return stems;
}

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

int CountMatches(std::string_view text,
                 const std::set<std::string>& query_stems) {
  int n = 0;
  for (const auto& stem : ContentStems(text)) n += query_stems.count(stem);
  return n;
}

std::string_view BestExcerpt(std::string_view passage,
                             const std::set<std::string>& query_stems,
                             const std::set<std::string>* context_stems,
                             size_t max_sentences, size_t max_chars) {
  return BestExcerptBy(
      passage,
      [&](std::string_view s) {
        return 3.0 * CountMatches(s, query_stems) +
               (context_stems ? CountMatches(s, *context_stems) : 0);
      },
      max_sentences, max_chars);
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
