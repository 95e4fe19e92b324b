// The articles' passages split into sentences, computed once when the index
// is loaded: each sentence's stems, whether it can stand as a quote (not a
// heading, a fragment or a bare list item), the answer shapes it has,
// whether it announces the sentence after it, and
// which sentences hold each stem and each lexicon phrase. Follow-up
// questions are answered from this table without splitting, stemming or
// counting anything in the articles again.
//
// Immutable after construction; thread-safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/retrieval/lexicon.h"
#include "services/retrieval/question_reader.h"
#include "services/retrieval/searcher.h"

namespace kneechat {

struct IndexedSentence {
  uint32_t passage = 0;  // index in SentenceIndex::passages()
  // Bytes of the passage text, ends trimmed and any list bullet left out.
  uint32_t begin = 0;
  uint32_t end = 0;
  // Can be quoted on its own: a whole sentence (ends with . or !, starts
  // with a capital, at least five words), not a heading, question or
  // fragment.
  bool quotable = false;
  // Introduces what follows and ends in ':' ("You might notice it:"); only
  // quoted with what it introduces.
  bool lead_in = false;
  // Announces what the next sentence gives ("There are several easy tips
  // ..."): quoted with it.
  bool announces = false;
  bool list_item = false;  // a bulleted line
  // A line break (or the passage start) comes before / after it.
  bool line_start = false;
  bool line_end = false;
  uint32_t shapes = 0;  // QuestionType bits (QuestionReader::AnswerShapes)
  std::vector<std::string> stems;  // every word, stemmed as the index does
  // The same stems as ids (SentenceIndex::StemId), for comparing by number.
  std::vector<uint32_t> stem_ids;
};

class SentenceIndex {
 public:
  // Splits and indexes `passages` (the Searcher's, in its order). Lexicon
  // phrases are located once here.
  SentenceIndex(std::vector<PassageHit> passages, const Lexicon& lexicon,
                const QuestionReader& reader);

  const std::vector<PassageHit>& passages() const { return passages_; }
  const std::vector<IndexedSentence>& sentences() const { return sentences_; }
  std::string_view Text(const IndexedSentence& s) const;
  // Stems of a passage's title and heading.
  const std::vector<std::string>& HeadingStems(uint32_t passage) const {
    return heading_stems_[passage];
  }

  // Stems of a passage's title and heading, as ids (StemId).
  const std::vector<uint32_t>& HeadingStemIds(uint32_t passage) const {
    return heading_stem_ids_[passage];
  }

  // A stem's id: the same number wherever a sentence or heading holds the
  // stem; kUnknownStem for a stem none holds.
  static constexpr uint32_t kUnknownStem = UINT32_MAX;
  // Stems numbered: ids run from 0 to stem_count() - 1.
  size_t stem_count() const { return stem_ids_.size(); }
  uint32_t StemId(std::string_view stem) const {
    auto it = stem_ids_.find(absl::string_view(stem.data(), stem.size()));
    return it == stem_ids_.end() ? kUnknownStem : it->second;
  }

  // Ids of the sentences holding `phrase` (stems, in order), ascending.
  // Single stems and lexicon phrases are looked up; any other phrase is
  // searched for in the sentences holding its first stem.
  std::vector<uint32_t> Holding(const std::vector<std::string>& phrase) const;

  // Whether some article holds this folded word.
  bool Knows(const std::string& folded_word) const {
    return word_counts_.count(folded_word) != 0;
  }
  // The article word most often used among those one edit away (two for
  // words of nine letters or more) from an unknown folded word of at least
  // six letters, starting with the same letter, or "" if none is. Shorter
  // and inflected words ("-ing", "-ed", "-ly") are left alone: too many real
  // words are one letter from an article word.
  std::string Correct(const std::string& folded_word) const;

 private:
  std::vector<PassageHit> passages_;
  std::vector<IndexedSentence> sentences_;
  std::vector<std::vector<std::string>> heading_stems_;
  std::vector<std::vector<uint32_t>> heading_stem_ids_;
  absl::flat_hash_map<std::string, uint32_t> stem_ids_;
  std::unordered_map<std::string, std::vector<uint32_t>> holding_;
  std::unordered_map<std::string, int> word_counts_;
};

}  // namespace kneechat
