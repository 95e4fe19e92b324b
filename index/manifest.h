// The corpus manifest, corpus/manifest.tsv: one article per line,
// "file TAB id TAB title", after a header line "file id title". Adding an
// article means dropping its file in corpus/articles/ and adding a line here.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kneechat {

struct ArticleEntry {
  std::string file;         // file name inside <corpus>/articles/
  std::string document_id;  // stable id, [a-z0-9-]+
  std::string title;
};

// Reads and validates the manifest (unique ids of [a-z0-9-]+, non-empty
// titles, plain file names). kNotFound if missing, kInvalidArgument naming
// file:line when malformed.
absl::StatusOr<std::vector<ArticleEntry>> LoadManifest(
    const std::string& manifest_path);

}  // namespace kneechat
