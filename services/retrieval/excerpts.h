// Choosing what to quote from a passage: split it into sentences and pick
// the short run of sentences that best matches a query.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// Sentences of `text`, each an exact substring (whitespace at the ends
// trimmed). Splits after . ! ? followed by a capital, digit, quote or bullet,
// and at line breaks; leaves "e.g." and "Dr." alone.
std::vector<std::string_view> SplitSentences(std::string_view text);

// The best exact excerpt of `passage` as judged by `score` (the worth of one
// sentence; a run is worth the sum of its sentences): the run of at most
// `max_sentences` consecutive sentences, never across a line break, no
// longer than `max_chars` unless a single sentence is, worth the most
// (earlier wins ties). A passage of at most `max_chars` is quoted whole.
std::string_view BestExcerptBy(
    std::string_view passage,
    const std::function<double(std::string_view sentence)>& score,
    size_t max_sentences = 2, size_t max_chars = 320);

}  // namespace kneechat
