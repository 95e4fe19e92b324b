// Text functions shared by the corpus cleaner, the indexer and the
// searcher, so that articles and queries are split into words the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// Replaces no-break spaces and tabs with plain spaces, collapses runs of
// spaces and trims both ends. `text` must be valid UTF-8.
std::string NormalizeSpaces(std::string_view text);

// Lower-cases `text` (Unicode-aware) and turns typographic apostrophes
// (U+2019, U+2018) into ASCII ones, so "Runner’s" and "runner's" compare equal.
std::string FoldForMatching(std::string_view text);

// The words of `text` after FoldForMatching: runs of letters and digits, with
// inner apostrophes kept ("don't"). Hyphens and other punctuation split words,
// as Xapian's TermGenerator does.
std::vector<std::string> SplitWords(std::string_view text);

// Number of words SplitWords would return, without allocating them.
int CountWords(std::string_view text);

}  // namespace kneechat
