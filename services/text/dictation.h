// Two ways people's text arrives shaped by how it was typed or spoken, read
// back into ordinary sentences before anything else looks at the message:
//
// - Speech-to-text transcripts that spell punctuation out ("my knee hurts
//   full stop it started on sunday question mark").
// - Messages written one or two words to a line, where a line break is not
//   the end of a sentence ("took\nthem\nall").
//
// Internal to the tokeniser (services/text/tokenizer.cc); pure functions,
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "services/text/tokenizer.h"

namespace kneechat::text_internal {

// True when the text is written a word or two to a line: at least four
// non-blank lines, and at least three quarters of them one or two words
// long. Its line breaks then separate words, not sentences.
bool WrittenWordPerLine(std::string_view text);

// Replaces spoken punctuation in dictated text by the punctuation itself:
// "full stop" and "new paragraph" become ".", "question mark" "?",
// "exclamation mark" (or point) "!", and "comma" ",", each with the boundary
// that punctuation carries. "a full stop" or "the full stop" (the noun, as in
// "came to a full stop") is left alone. Tokens keep their byte offsets; the
// punctuation token spans the words it replaces.
void ReadSpokenPunctuation(std::vector<Token>* tokens);

}  // namespace kneechat::text_internal
