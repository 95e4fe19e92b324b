// Splits a cleaned article into paragraph-sized passages that read well when
// quoted: each paragraph is a passage, short neighbours under the same
// heading are merged (one-line paragraphs, a list with its lead-in line), and
// nothing crosses a heading.
#pragma once

#include <vector>

#include "index/cleaner.h"
#include "index/manifest.h"
#include "index/passage.h"

namespace kneechat {

struct SplitOptions {
  // A passage keeps taking the next block of its section until it has at
  // least this many words; a short tail is merged into the passage before.
  int min_words = 30;
  // Never merge past this many words.
  int max_words = 150;
};

// Passage ids are "<document_id>#<n>" numbered from 1 in article order, so
// they are stable as long as the article and the cleaning rules are.
std::vector<Passage> SplitPassages(const ArticleEntry& article,
                                   const std::vector<TextBlock>& blocks,
                                   const SplitOptions& options = {});

}  // namespace kneechat
