// The finding ids kneechat knows (corpus/understanding/findings.tsv), used to
// check that curated rules name only real findings.
#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kneechat {

// Parses findings.tsv text: "#" comment lines, a header line starting with
// "id", then one "id<TAB>group<TAB>meaning" line per finding. kInvalidArgument
// naming `origin` and the line on a malformed or duplicate id.
absl::StatusOr<std::set<std::string>> ParseFindingIds(absl::string_view text,
                                                      absl::string_view origin);

// Reads and parses the file. kNotFound when it cannot be read.
absl::StatusOr<std::set<std::string>> LoadFindingIds(const std::string& path);

}  // namespace kneechat
