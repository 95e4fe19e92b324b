// Readers for kneechat's curated data files (corpus/*). Every file is UTF-8
// text; lines starting with '#' and blank lines are comments.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kneechat {

// Reads a whole file. kNotFound naming the path if it cannot be opened.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// One data line split on tabs, with its 1-based line number for messages.
struct DataLine {
  int line_number = 0;
  std::vector<std::string> fields;
};

// The non-comment lines of a tab-separated file, each split on tabs (fields
// are not trimmed). kNotFound if missing, kInvalidArgument if not UTF-8.
absl::StatusOr<std::vector<DataLine>> ReadDataLines(const std::string& path);

// A rule file: "<rule> TAB <why>" per line, where the reason is mandatory so
// that every rule explains itself. kInvalidArgument naming file:line when a
// line has no reason.
struct Rule {
  std::string rule;
  std::string why;
  int line_number = 0;
};
absl::StatusOr<std::vector<Rule>> ReadRuleFile(const std::string& path);

// A word list: the first tab-separated field of each line, trimmed.
absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path);

}  // namespace kneechat
