// kneechat's one way to read words, used by the corpus cleaner and the
// indexer, retrieval, understanding's tokeniser, the dialogue and the
// channels, so that articles, questions, quick replies and speech are split
// and compared the same way. One definition of an apostrophe (' ` ’ ‘ ´ ʼ)
// serves them all.
//
// All functions are thread-safe (patterns are compiled once) and take valid
// UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// Whether an apostrophe of any kind starts at byte `i` of `s`; if so sets
// `*length` to its size in bytes.
bool ApostropheAt(std::string_view s, size_t i, size_t* length);

// Replaces no-break spaces and tabs with plain spaces, collapses runs of
// spaces and trims both ends.
std::string NormalizeSpaces(std::string_view text);

// Lower-cases `text` (Unicode-aware) and turns every apostrophe into an
// ASCII one, so "Runner’s" and "runner's" compare equal.
std::string FoldForMatching(std::string_view text);

// The words of `text` after FoldForMatching: runs of letters and digits, with
// inner apostrophes kept ("don't"). Hyphens and other punctuation split words,
// as Xapian's TermGenerator does (the index's words).
std::vector<std::string> SplitWords(std::string_view text);

// Number of words SplitWords would return, without allocating them.
int CountWords(std::string_view text);

// A short reply as typed or spoken, for comparing with quick-reply titles and
// spoken commands: the words of SplitWords with apostrophes dropped ("can't"
// -> "cant", as the tokeniser's word forms), joined by single spaces.
// "Not sure!" -> "not sure".
std::string FoldReply(std::string_view text);

}  // namespace kneechat
