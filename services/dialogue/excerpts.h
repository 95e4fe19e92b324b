// Choosing what to quote from a passage: split it into sentences and pick
// the short run of sentences that best matches a query.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// Stemmed (English) content words of `text`, stop words dropped.
// Thread-safe.
std::set<std::string> ContentStems(std::string_view text);

// Sentences of `text`, each an exact substring (whitespace at the ends
// trimmed). Splits after . ! ? followed by a capital, digit, quote or bullet,
// and at line breaks; leaves "e.g." and "Dr." alone.
std::vector<std::string_view> SplitSentences(std::string_view text);

// The best exact excerpt of `passage` for `query_stems`: the run of at most
// `max_sentences` consecutive sentences, no longer than `max_chars` unless a
// single sentence is, that covers the most query stems (earlier wins ties).
// A passage of at most `max_chars` with any match is quoted whole.
// `context_stems` (may be null) break ties: each query stem counts three,
// each context stem one.
std::string_view BestExcerpt(
    std::string_view passage, const std::set<std::string>& query_stems,
    const std::set<std::string>* context_stems = nullptr,
    size_t max_sentences = 2, size_t max_chars = 320);

// The best exact excerpt of `passage` as judged by `score` (the worth of one
// sentence; a run is worth the sum of its sentences), with the same rules
// for runs and short passages as BestExcerpt.
std::string_view BestExcerptBy(
    std::string_view passage,
    const std::function<double(std::string_view sentence)>& score,
    size_t max_sentences = 2, size_t max_chars = 320);

// How many of `query_stems` occur in `text`.
int CountMatches(std::string_view text,
                 const std::set<std::string>& query_stems);

}  // namespace kneechat
