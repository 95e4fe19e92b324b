// Plain-text rendering of kneechat replies and search passages for a
// terminal. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat::cli {

// Word-wraps `text` so that no line is longer than `width` code points,
// counting `indent`, which starts every line. A word longer than a line
// stays whole. Newlines in `text` are kept. The result ends with '\n'
// unless `text` is empty.
std::string Wrap(absl::string_view text, size_t width,
                 absl::string_view indent);

// "ANSWER", "REFERRAL", ...; the number for a value this build does not know.
std::string ReplyKindName(v1::ReplyKind kind);
// "SELF_CARE" ... "EMERGENCY", or "UNSPECIFIED".
std::string TriageLevelName(v1::TriageLevel level);

// A bot turn as the chat shows it: the text, then for a referral (or any
// reply carrying red flags) the triage level, red flags and action,
// then the citations as `[n] title (passage_id): "excerpt"`, then the quick
// replies numbered from 1.
std::string RenderReply(const v1::Reply& reply, size_t width);

// One search hit: rank, score, ids, title (and heading), then the text.
std::string RenderPassage(int rank, const v1::Passage& passage, size_t width);

}  // namespace kneechat::cli
