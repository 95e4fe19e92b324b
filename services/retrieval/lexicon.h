// The lay-synonym lexicon (corpus/lexicon.tsv): groups of phrases that mean
// the same thing, e.g. "runner's knee" / "patellofemoral pain" / "PFPS".
// Phrases are kept as sequences of stemmed words so that "squats" matches
// "squat" and "runners knee" matches "runner's knee". Immutable once built;
// safe to share between threads.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "index/data_files.h"

namespace kneechat {

struct LexiconPhrase {
  std::vector<std::string> stems;  // stemmed words, in order
  bool search_only = false;        // written [in brackets]: never a trigger
};

// Stems joined by single spaces: the key a phrase is looked up by.
std::string PhraseKey(const std::vector<std::string>& stems);

struct LexiconGroup {
  std::string concept_id;
  std::vector<LexiconPhrase> phrases;
};

class Lexicon {
 public:
  // Reads "concept TAB phrase TAB phrase ..." lines. kNotFound if missing;
  // kInvalidArgument naming file:line for a line with fewer than two phrases,
  // a duplicate concept id or a phrase without words.
  static absl::StatusOr<Lexicon> Load(const std::string& path);

  // Builds a lexicon from in-memory lines of the same format (for tests).
  static absl::StatusOr<Lexicon> FromLines(
      const std::vector<std::string>& lines);

  // The longest phrase that may be typed (not search-only) starting at
  // `stems[start]`: sets `*length` to its number of words and returns the
  // groups it belongs to, or returns {} if none starts there.
  std::vector<const LexiconGroup*> MatchAt(
      const std::vector<std::string>& stems, size_t start,
      size_t* length) const;

  const std::vector<LexiconGroup>& groups() const { return groups_; }

 private:
  static absl::StatusOr<Lexicon> Build(const std::vector<DataLine>& lines,
                                       const std::string& source);

  std::vector<LexiconGroup> groups_;
  // Trigger phrases, as their stems joined by spaces.
  std::unordered_map<std::string, std::vector<size_t>> triggers_;
  size_t longest_trigger_ = 0;
};

}  // namespace kneechat
