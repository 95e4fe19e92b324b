// A message in the form the lexicon patterns match: lower-case words with
// spelling and slang normalised ("kneee" -> "knee", "n" -> "and", "cant"),
// split into sentences and ConText clauses, each word remembering the token
// it came from. Internal to the understanding layer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "services/text/tokenizer.h"
#include "services/understanding/lexicon.h"

namespace kneechat::understanding_internal {

struct Word {
  std::string text;
  size_t token = 0;       // first source token (index in TokenizedText::tokens)
  size_t last_token = 0;  // last source token ("it is" -> "its" spans two)
};

struct Clause {
  size_t sentence = 0;
  std::vector<Word> words;     // "," kept as a word
  std::string text;            // words joined by single spaces
  std::vector<size_t> starts;  // byte offset of each word in text

  // Index of the word holding byte `offset` of text.
  size_t WordAt(size_t offset) const;
};

struct Sentence {
  std::vector<size_t> clauses;  // indices in CanonicalText::clauses
  std::string text;             // the whole sentence, words joined by spaces
  bool question = false;        // ended with '?'
};

struct CanonicalText {
  std::vector<Sentence> sentences;
  std::vector<Clause> clauses;
  // Every sentence followed by " ." or " ?", joined by spaces: what the
  // intent and topic patterns see.
  std::string message;
  size_t word_count = 0;  // words other than ","
};

CanonicalText Canonicalise(const TokenizedText& text, const Lexicon& lexicon);

// The body parts a clause may say "it" for once split off ("my calf is warm
// and it's sore to squeeze": the second clause is about the calf), as
// canonical words.
bool IsBodyPart(const std::string& word);
// The same, or its plural ("knees", "calves", "feet").
bool IsBodyPartOrPlural(const std::string& word);

}  // namespace kneechat::understanding_internal
