// Spelling suggestions restricted to kneechat's own vocabulary, with
// Hunspell (Debian's libhunspell): a word that is neither in the domain
// vocabulary nor a correct English word is replaced by the closest domain
// word Hunspell suggests ("clopidogral" -> "clopidogrel", "todler" ->
// "toddler"). Real English words are never changed, so a correction can
// only turn an unknown word into one the lexicon's patterns use.
//
// The domain vocabulary is the set of whole words in the lexicon's patterns
// (see CollectPatternWords) plus <corpus>/understanding/domain.dic; the
// general dictionary is Debian's hunspell-en-gb.
//
// Thread-safety: Correct() is safe to call from many threads (Hunspell is
// not, so calls are serialised on a mutex; results are cached).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

class Hunspell;

namespace kneechat::understanding_internal {

class SpellingCorrector {
 public:
  // `general_*` are a Hunspell .aff/.dic pair for English; `domain_*` the
  // project's (its .dic may be short: `vocabulary` is added at load).
  // Errors: kNotFound when a file is missing.
  static absl::StatusOr<std::unique_ptr<SpellingCorrector>> Create(
      const std::string& general_aff, const std::string& general_dic,
      const std::string& domain_aff, const std::string& domain_dic,
      const std::set<std::string>& vocabulary);
  ~SpellingCorrector();

  // The domain word `word` (lower case, letters only) is a misspelling of,
  // or nullopt when it is known, a real English word, too short, or has no
  // close domain suggestion. A word ending in "in" that is not a word but
  // is one with a g ("shakin", "splittin") gives the -ing form, domain word
  // or not.
  std::optional<std::string> Correct(const std::string& word) const;

 private:
  SpellingCorrector();

  absl::flat_hash_set<std::string> vocabulary_;
  std::unique_ptr<Hunspell> general_;
  std::unique_ptr<Hunspell> domain_;
  mutable std::mutex mu_;
  mutable absl::flat_hash_map<std::string, std::optional<std::string>> cache_;
};

// Adds to `words` every whole lower-case word of four or more letters that
// the RE2 pattern names literally ("\b(calf|calves)\b" gives calf, calves);
// stems continued by a character class ("arthroscop\w*") are left out.
void CollectPatternWords(const std::string& pattern,
                         std::set<std::string>* words);

}  // namespace kneechat::understanding_internal
