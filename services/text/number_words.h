// Numbers written in words ("three", "twenty one", "a hundred and one").
// Internal to the tokeniser.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "services/text/tokenizer.h"

namespace kneechat::text_internal {

// Value of a decade word used for ages ("forties" -> 40), if it is one.
std::optional<int> DecadeWordValue(std::string_view norm);

// Replaces each run of number words in `tokens` (joined by spaces, glued
// hyphens, or "and" after "hundred") with one kNumber token whose norm is the
// words and whose number is their value. `text` is the cleaned message the
// tokens point into.
void MergeNumberWords(std::string_view text, std::vector<Token>* tokens);

}  // namespace kneechat::text_internal
