// Turns a scraped article into clean text blocks: headings, paragraphs and
// bullet items, with everything that is not medical content removed by the
// rules in CleaningRules (site chrome, advertising, clinic promotion, image
// captions, editor's notes, reference stubs, page metadata) and with repeated
// drafts of the same text dropped (NearDuplicateFinder).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "index/cleaning_rules.h"

namespace kneechat {

struct TextBlock {
  enum class Kind { kHeading, kParagraph, kBullet };
  Kind kind = Kind::kParagraph;
  std::string text;     // single line, spaces normalised, bullet mark removed
  int line_number = 0;  // first source line, 1-based
};

// Something the cleaner removed, and why (for review: kneechat-index
// --explain prints these). A heading put back by lost_headings.tsv is noted
// the same way, with the heading as `text`.
struct DroppedText {
  int line_number = 0;
  std::string text;
  std::string why;
  std::string rule;  // "file:line" of the rule, or the built-in step
};

struct CleanedArticle {
  std::vector<TextBlock> blocks;
  std::vector<DroppedText> dropped;
};

// Cleans one article. `raw` must be valid UTF-8. Lines are separated by '\n';
// blank lines separate blocks; consecutive lines of one block are joined.
CleanedArticle CleanArticle(std::string_view raw, const CleaningRules& rules);

// Whether a (normalised) line has the shape of a heading: short, starting
// with a capital, and without closing punctuation, or a short question, or a
// Title-Case line ending in ':'. Title-Case lines may be longer.
bool LooksLikeHeading(std::string_view line);

}  // namespace kneechat
