// Turns a typed query into search units: each lay phrase found in the
// lexicon becomes one unit with all its synonyms; every other word that is
// not a stop word becomes a unit of its own. Units are what coverage counts.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "services/retrieval/lexicon.h"

namespace kneechat {

struct QueryUnit {
  std::vector<std::string> typed;  // the words as typed (lower-cased)
  // Stemmed word sequences to look for: [0] is what was typed, the rest are
  // lexicon synonyms (empty for a plain word).
  std::vector<std::vector<std::string>> alternatives;
  std::vector<std::string> concept_ids;  // lexicon concepts ({} for a word)
  bool generic = false;  // only generic words ("knee", "pain", "sore" ...)
};

class QueryAnalyzer {
 public:
  // `stopwords`: folded words; `generic_words`: folded words (stemmed here).
  QueryAnalyzer(Lexicon lexicon, const std::vector<std::string>& stopwords,
                const std::vector<std::string>& generic_words);

  // Loads <corpus>/lexicon.tsv, <corpus>/retrieval/stopwords.txt and
  // <corpus>/retrieval/generic_terms.txt. kNotFound / kInvalidArgument
  // naming the file.
  static absl::StatusOr<QueryAnalyzer> Load(const std::string& corpus_dir);

  // The units of `query` (valid UTF-8), in the order they were typed, without
  // repeats. `stem` is the caller's own English stemmer: Xapian::Stem must
  // not be shared between threads. Thread-safe otherwise.
  std::vector<QueryUnit> Analyze(std::string_view query,
                                 const Xapian::Stem& stem) const;

  const Lexicon& lexicon() const { return lexicon_; }

  bool IsStopword(const std::string& folded_word) const {
    return stopwords_.count(folded_word) != 0;
  }

 private:
  Lexicon lexicon_;
  std::unordered_set<std::string> stopwords_;
  std::unordered_set<std::string> generic_stems_;
};

}  // namespace kneechat
