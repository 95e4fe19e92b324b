#include "index/data_files.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/utf8.h"

namespace kneechat {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return content.str();
}

absl::StatusOr<std::vector<DataLine>> ReadDataLines(const std::string& path) {
  absl::StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) return content.status();
  if (!IsValidUtf8(*content)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not UTF-8"));
  }
  std::vector<DataLine> lines;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*content, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const absl::string_view stripped = absl::StripAsciiWhitespace(line);
    if (stripped.empty() || stripped.front() == '#') continue;
    DataLine data;
    data.line_number = line_number;
    data.fields = absl::StrSplit(line, '\t');
    lines.push_back(std::move(data));
  }
  return lines;
}

absl::StatusOr<std::vector<Rule>> ReadRuleFile(const std::string& path) {
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(path);
  if (!lines.ok()) return lines.status();
  std::vector<Rule> rules;
  for (const DataLine& line : *lines) {
    if (line.fields.size() != 2 || line.fields[0].empty() ||
        absl::StripAsciiWhitespace(line.fields[1]).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line.line_number, ": expected \"<rule> TAB <why>\""));
    }
    rules.push_back({line.fields[0],
                     std::string(absl::StripAsciiWhitespace(line.fields[1])),
                     line.line_number});
  }
  return rules;
}

absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path) {
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(path);
  if (!lines.ok()) return lines.status();
  std::vector<std::string> words;
  for (const DataLine& line : *lines) {
    words.emplace_back(absl::StripAsciiWhitespace(line.fields[0]));
  }
  return words;
}

}  // namespace kneechat
