// What a follow-up question asks about, for judging whether a passage
// answers it: the question's words and lexicon phrases (each with its
// synonyms, so "ibuprofen" is answered by "anti-inflammatory drugs"),
// weighted by how rare they are in the articles, so that "warm up" counts
// for more than "running" in "should I warm up before running?".
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "services/retrieval/query_analyzer.h"
#include "services/retrieval/searcher.h"

namespace kneechat {

// Stemmed words of `text` in order, split as the index splits them (no stop
// words dropped). Thread-safe.
std::vector<std::string> WordStems(std::string_view text);

// How many passages of the articles hold a phrase. Immutable after
// construction; thread-safe to share.
class ArticleVocabulary {
 public:
  explicit ArticleVocabulary(const std::vector<PassageHit>& passages);

  // Passages holding `phrase` (stemmed words, in order) or, for the rest of
  // `alternatives`, any of them.
  int PassagesHolding(
      const std::vector<std::vector<std::string>>& alternatives) const;
  int passages() const { return static_cast<int>(passages_.size()); }

 private:
  std::vector<std::vector<std::string>> passages_;  // WordStems of each
};

struct QuestionTerm {
  std::string typed;  // as typed, for tests and debugging
  std::vector<std::vector<std::string>> alternatives;  // stemmed phrases
  bool generic = false;  // "knee", "pain": says nothing specific
  bool concept = false;  // a lexicon phrase ("insoles", "warm up", "rest")
  int passages = 0;      // how many passages hold it
  double weight = 0;     // log((N + 1) / (passages + 1)), N passages in all
};

// The terms of `question`, in the order typed. Stop words are dropped;
// generic terms are kept but marked.
std::vector<QuestionTerm> AnalyzeQuestion(std::string_view question,
                                          const QueryAnalyzer& analyzer,
                                          const ArticleVocabulary& vocabulary);

// Whether `words` (from WordStems) hold `term`: any alternative, as a
// phrase.
bool Holds(const std::vector<std::string>& words, const QuestionTerm& term);

// Stemmed words of `text` that are not stop words of `analyzer`
// (corpus/retrieval/stopwords.txt), split and stemmed as the index does.
// Thread-safe.
std::set<std::string> ContentStems(std::string_view text,
                                   const QueryAnalyzer& analyzer);

// How many of `words` (from WordStems) are among `stems`.
int CountStems(const std::vector<std::string>& words,
               const std::set<std::string>& stems);

// Sum of the weights of the specific (non-generic) terms `words` hold.
double MatchedWeight(const std::vector<std::string>& words,
                     const std::vector<QuestionTerm>& terms);

}  // namespace kneechat
