// Reads the whole corpus directory into passages: manifest.tsv, the articles
// in articles/, the cleaning rules in cleaning/. This is everything the index
// is built from.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/cleaner.h"
#include "index/manifest.h"
#include "index/passage.h"

namespace kneechat {

struct LoadedCorpus {
  std::vector<ArticleEntry> articles;
  std::vector<Passage> passages;  // in manifest order, then passage order
  // What cleaning removed, per article (same order as `articles`).
  std::vector<std::vector<DroppedText>> dropped;
};

// kNotFound / kInvalidArgument naming the file when the manifest, an article
// or a rule file is missing or malformed (articles must be UTF-8), and
// kInvalidArgument if an article is left with no passage.
absl::StatusOr<LoadedCorpus> LoadCorpus(const std::string& corpus_dir);

}  // namespace kneechat
