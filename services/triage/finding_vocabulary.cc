#include "services/triage/finding_vocabulary.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "services/common/text_proto.h"

namespace kneechat {

absl::StatusOr<std::set<std::string>> ParseFindingIds(
    absl::string_view text, absl::string_view origin) {
  static const RE2* const kId = new RE2("[a-z][a-z0-9_]*");
  std::set<std::string> ids;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> columns = absl::StrSplit(line, '\t');
    if (columns[0] == "id") continue;  // The header.
    if (columns.size() < 2 ||
        !RE2::FullMatch(re2::StringPiece(columns[0].data(), columns[0].size()),
                        *kId)) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ":", number, ": expected id<TAB>group<TAB>meaning"));
    }
    if (!ids.emplace(columns[0]).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ":", number, ": duplicate finding id '", columns[0], "'"));
    }
  }
  if (ids.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": no findings"));
  }
  return ids;
}

absl::StatusOr<std::set<std::string>> LoadFindingIds(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseFindingIds(*text, path);
}

}  // namespace kneechat
