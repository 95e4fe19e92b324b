// Length limits for chat messages, measured the way messaging platforms
// measure them (Telegram counts UTF-16 code units), with cuts that never
// fall inside a UTF-8 sequence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kneechat {

// UTF-16 code units of `text`: 2 for code points above U+FFFF, 1 otherwise.
// A byte that cannot start a well-formed sequence counts as 1.
size_t Utf16Length(std::string_view text);

// The longest prefix of `text` that ends on a code-point boundary and is at
// most `max_units` UTF-16 code units long.
std::string_view Utf16Prefix(std::string_view text, size_t max_units);

// Splits `text` into pieces of at most `max_units` UTF-16 code units
// (max_units >= 2), cutting at the last paragraph break, else line break,
// else space found in the second half of the allowance, else at a
// code-point boundary. Whitespace at a cut is dropped. Empty text gives no
// pieces.
std::vector<std::string> SplitMessage(std::string_view text, size_t max_units);

// `text` cut to at most `max_chars` code points, at a word boundary where
// one exists in the last third, ending with "…" when anything was cut.
std::string Abbreviate(std::string_view text, size_t max_chars);

}  // namespace kneechat
