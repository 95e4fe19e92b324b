// Durations, ages and temperatures read from a token stream. Internal to the
// tokeniser; see Measure in tokenizer.h for units.
#pragma once

#include <vector>

#include "services/text/tokenizer.h"

namespace kneechat::text_internal {

// Finds every measure in `tokens` (number words already merged), in text
// order. A token belongs to at most one measure.
std::vector<Measure> FindMeasures(const std::vector<Token>& tokens);

}  // namespace kneechat::text_internal
