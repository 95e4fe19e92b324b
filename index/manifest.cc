#include "index/manifest.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "index/data_files.h"
#include "re2/re2.h"

namespace kneechat {

absl::StatusOr<std::vector<ArticleEntry>> LoadManifest(
    const std::string& manifest_path) {
  static const RE2* const kId = new RE2("[a-z0-9]+(?:-[a-z0-9]+)*");
  static const RE2* const kFile = new RE2(R"([A-Za-z0-9_.-]+)");
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(manifest_path);
  if (!lines.ok()) return lines.status();
  std::vector<ArticleEntry> entries;
  std::set<std::string> ids;
  bool header_seen = false;
  for (const DataLine& line : *lines) {
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(manifest_path, ":", line.line_number, ": ", what));
    };
    if (!header_seen) {
      header_seen = true;
      if (line.fields.size() < 3 || line.fields[0] != "file" ||
          line.fields[1] != "id" || line.fields[2] != "title") {
        return error("expected the header \"file TAB id TAB title\"");
      }
      continue;
    }
    if (line.fields.size() < 3) return error("expected file, id and title");
    ArticleEntry entry{line.fields[0], line.fields[1], line.fields[2]};
    if (!RE2::FullMatch(entry.file, *kFile) || entry.file[0] == '.') {
      return error("file must be a plain file name");
    }
    if (!RE2::FullMatch(entry.document_id, *kId)) {
      return error("id must be lower-case words joined by '-'");
    }
    if (entry.title.empty()) return error("empty title");
    if (!ids.insert(entry.document_id).second) return error("duplicate id");
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(manifest_path, ": no articles listed"));
  }
  return entries;
}

}  // namespace kneechat
