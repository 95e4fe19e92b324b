#include "services/dialogue/question_terms.h"

#include <algorithm>
#include <cmath>

#include "index/index_format.h"
#include "index/text_normalize.h"

namespace kneechat {
namespace {

bool HoldsPhrase(const std::vector<std::string>& words,
                 const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > words.size()) return false;
  return std::search(words.begin(), words.end(), phrase.begin(),
                     phrase.end()) != words.end();
}

}  // namespace

std::vector<std::string> WordStems(std::string_view text) {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  std::vector<std::string> out;
  for (const std::string& word : SplitWords(text)) out.push_back(stem(word));
  return out;
}

std::set<std::string> ContentStems(std::string_view text,
                                   const QueryAnalyzer& analyzer) {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  std::set<std::string> out;
  for (const std::string& word : SplitWords(text)) {
    if (!analyzer.IsStopword(word)) out.insert(stem(word));
  }
  return out;
}

int CountStems(const std::vector<std::string>& words,
               const std::set<std::string>& stems) {
  int n = 0;
  for (const std::string& w : words) n += stems.count(w);
  return n;
}

ArticleVocabulary::ArticleVocabulary(const std::vector<PassageHit>& passages) {
  passages_.reserve(passages.size());
  for (const PassageHit& p : passages) passages_.push_back(WordStems(p.text));
}

int ArticleVocabulary::PassagesHolding(
    const std::vector<std::vector<std::string>>& alternatives) const {
  int n = 0;
  for (const auto& words : passages_) {
    for (const auto& phrase : alternatives) {
      if (HoldsPhrase(words, phrase)) {
        ++n;
        break;
      }
    }
  }
  return n;
}

std::vector<QuestionTerm> AnalyzeQuestion(std::string_view question,
                                          const QueryAnalyzer& analyzer,
                                          const ArticleVocabulary& vocabulary) {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  std::vector<QuestionTerm> terms;
  for (QueryUnit& unit : analyzer.Analyze(question, stem)) {
    QuestionTerm term;
    for (const std::string& w : unit.typed) {
      term.typed += (term.typed.empty() ? "" : " ") + w;
    }
    term.alternatives = std::move(unit.alternatives);
    term.generic = unit.generic;
    term.concept = !unit.concept_ids.empty();
    term.passages = vocabulary.PassagesHolding(term.alternatives);
    term.weight =
        std::log((vocabulary.passages() + 1.0) / (term.passages + 1.0));
    terms.push_back(std::move(term));
  }
  return terms;
}

bool Holds(const std::vector<std::string>& words, const QuestionTerm& term) {
  for (const auto& phrase : term.alternatives) {
    if (HoldsPhrase(words, phrase)) return true;
  }
  return false;
}

double MatchedWeight(const std::vector<std::string>& words,
                     const std::vector<QuestionTerm>& terms) {
  double sum = 0;
  for (const QuestionTerm& t : terms) {
    if (!t.generic && Holds(words, t)) sum += t.weight;
  }
  return sum;
}

}  // namespace kneechat
