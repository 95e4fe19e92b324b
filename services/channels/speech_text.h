// Text for a voice line's text-to-speech: nothing that reads badly or
// wrongly aloud.
#pragma once

#include <string>
#include <string_view>

namespace kneechat {

// `text` made safe to speak: removes [n] citation markers, URLs
// (scheme://... and www....), markup tags, markdown and bracket characters,
// emoji and other pictographs, variation selectors, joiners, control
// characters and invalid UTF-8; collapses whitespace and drops spaces left
// before punctuation. The result is plain text (still to be XML-escaped).
// Thread-safe.
std::string SanitizeForSpeech(std::string_view text);

// True for code points SanitizeForSpeech removes as pictographs (emoji,
// dingbats, symbols, arrows, variation selectors, joiners, tags).
bool IsPictograph(char32_t code_point);

}  // namespace kneechat
