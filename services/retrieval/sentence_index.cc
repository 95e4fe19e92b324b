#include "services/retrieval/sentence_index.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "index/index_format.h"
#include "services/retrieval/excerpts.h"
#include "services/retrieval/question_terms.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

constexpr char kBullet[] = "\xE2\x80\xA2";  // U+2022
constexpr int kMinQuotableWords = 5;
constexpr int kMinLeadInWords = 3;

// Optimal string alignment distance, giving up above `limit`.
int EditDistance(const std::string& a, const std::string& b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_best = limit + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
      row_best = std::min(row_best, d[i][j]);
    }
    if (row_best > limit) return limit + 1;
  }
  return d[n][m];
}

bool Terminal(std::string_view s) {
  while (!s.empty() && (s.back() == '"' || s.back() == ')' ||
                        static_cast<unsigned char>(s.back()) >= 0x80)) {
    // closing quotes and brackets, typographic ones included
    if (static_cast<unsigned char>(s.back()) >= 0x80) {
      if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\x9D") {
        s.remove_suffix(3);
        continue;
      }
      break;
    }
    s.remove_suffix(1);
  }
  return !s.empty() && (s.back() == '.' || s.back() == '!');
}

bool StartsLikeSentence(std::string_view s) {
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  return std::isupper(c) || std::isdigit(c) || c == '"' || c >= 0x80;
}

}  // namespace

SentenceIndex::SentenceIndex(std::vector<PassageHit> passages,
                             const Lexicon& lexicon,
                             const QuestionReader& reader)
    : passages_(std::move(passages)) {
  auto ids_of = [this](const std::vector<std::string>& stems) {
    std::vector<uint32_t> ids;
    ids.reserve(stems.size());
    for (const std::string& stem : stems) {
      ids.push_back(
          stem_ids_.try_emplace(stem, static_cast<uint32_t>(stem_ids_.size()))
              .first->second);
    }
    return ids;
  };
  for (uint32_t p = 0; p < passages_.size(); ++p) {
    const PassageHit& passage = passages_[p];
    heading_stems_.push_back(
        WordStems(passage.title + " . " + passage.heading));
    heading_stem_ids_.push_back(ids_of(heading_stems_.back()));
    const std::string_view text = passage.text;
    const std::vector<std::string_view> split = SplitSentences(text);
    for (size_t i = 0; i < split.size(); ++i) {
      std::string_view s = split[i];
      IndexedSentence sentence;
      sentence.passage = p;
      if (s.substr(0, sizeof(kBullet) - 1) == kBullet) {
        sentence.list_item = true;
        s.remove_prefix(sizeof(kBullet) - 1);
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      }
      sentence.begin = static_cast<uint32_t>(s.data() - text.data());
      sentence.end = static_cast<uint32_t>(sentence.begin + s.size());
      const std::string_view before = text.substr(0, sentence.begin);
      const size_t last_break = before.find_last_of('\n');
      sentence.line_start =
          before.find_first_not_of(
              " \t\xE2\x80\xA2",
              last_break == std::string_view::npos ? 0 : last_break + 1) ==
              std::string_view::npos ||
          sentence.begin == 0;
      const std::string_view after = text.substr(sentence.end);
      const size_t next_break = after.find('\n');
      sentence.line_end =
          after.substr(0, next_break).find_first_not_of(" \t") ==
          std::string_view::npos;
      const int words = CountWords(s);
      sentence.quotable =
          StartsLikeSentence(s) && words >= kMinQuotableWords && Terminal(s);
      sentence.lead_in = StartsLikeSentence(s) && words >= kMinLeadInWords &&
                         !s.empty() && s.back() == ':';
      sentence.shapes = reader.AnswerShapes(s);
      sentence.announces = sentence.quotable && reader.Announces(s);
      sentence.stems = WordStems(s);
      sentence.stem_ids = ids_of(sentence.stems);
      for (const std::string& w : SplitWords(s)) ++word_counts_[w];
      sentences_.push_back(std::move(sentence));
    }
  }
  for (uint32_t i = 0; i < sentences_.size(); ++i) {
    const std::vector<std::string>& stems = sentences_[i].stems;
    for (size_t k = 0; k < stems.size(); ++k) {
      if (k > 0 && std::find(stems.begin(), stems.begin() + k, stems[k]) !=
                       stems.begin() + k) {
        continue;
      }
      holding_[stems[k]].push_back(i);
    }
  }
  for (const LexiconGroup& group : lexicon.groups()) {
    for (const LexiconPhrase& phrase : group.phrases) {
      if (phrase.stems.size() < 2) continue;
      const std::string key = PhraseKey(phrase.stems);
      if (holding_.count(key) == 0) holding_[key] = Holding(phrase.stems);
    }
  }
}

std::string_view SentenceIndex::Text(const IndexedSentence& s) const {
  return std::string_view(passages_[s.passage].text)
      .substr(s.begin, s.end - s.begin);
}

std::vector<uint32_t> SentenceIndex::Holding(
    const std::vector<std::string>& phrase) const {
  if (phrase.empty()) return {};
  auto it = holding_.find(PhraseKey(phrase));
  if (it != holding_.end()) return it->second;
  if (phrase.size() == 1) return {};
  auto first = holding_.find(phrase[0]);
  if (first == holding_.end()) return {};
  std::vector<uint32_t> out;
  for (uint32_t id : first->second) {
    const std::vector<std::string>& stems = sentences_[id].stems;
    if (std::search(stems.begin(), stems.end(), phrase.begin(), phrase.end()) !=
        stems.end()) {
      out.push_back(id);
    }
  }
  return out;
}

std::string SentenceIndex::Correct(const std::string& folded_word) const {
  if (folded_word.size() < 6 || Knows(folded_word)) return "";
  // Inflected words are mostly real words the articles do not use
  // ("taking" is not a slip for "taping").
  for (std::string_view ending : {"ing", "ed", "ly"}) {
    if (folded_word.size() > ending.size() &&
        std::string_view(folded_word)
                .substr(folded_word.size() - ending.size()) == ending) {
      return "";
    }
  }
  const int limit = folded_word.size() >= 9 ? 2 : 1;
  std::string best;
  int best_distance = limit + 1, best_count = 0;
  for (const auto& [word, count] : word_counts_) {
    if (word.size() < 3 || word[0] != folded_word[0]) continue;
    const int d = EditDistance(folded_word, word, limit);
    if (d > limit) continue;
    if (d < best_distance || (d == best_distance && count > best_count)) {
      best = word;
      best_distance = d;
      best_count = count;
    }
  }
  return best;
}

}  // namespace kneechat
