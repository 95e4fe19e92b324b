#include "services/understanding/word_classes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace kneechat::understanding_internal {
namespace {

bool IsNameChar(char c) { return absl::ascii_islower(c) || c == '_'; }

bool IsName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

}  // namespace

absl::Status WordClasses::Define(std::string_view name,
                                 std::string_view members) {
  if (!IsName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "word class name '", std::string(name), "' is not [a-z_]+"));
  }
  if (classes_.count(name) > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("word class '", std::string(name), "' defined twice"));
  }
  absl::StatusOr<std::string> expanded = Expand(members);
  if (!expanded.ok()) return expanded.status();
  classes_.emplace(std::string(name), *std::move(expanded));
  return absl::OkStatus();
}

absl::StatusOr<std::string> WordClasses::Expand(
    std::string_view pattern) const {
  std::string out;
  out.reserve(pattern.size());
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {  // an escaped "{" stays
      out.append(pattern.substr(i, 2));
      i += 2;
      continue;
    }
    if (c == '{') {
      const size_t close = pattern.find('}', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = pattern.substr(i + 1, close - i - 1);
        if (IsName(name)) {
          auto it = classes_.find(name);
          if (it == classes_.end()) {
            return absl::InvalidArgumentError(
                absl::StrCat("unknown word class {", std::string(name), "}"));
          }
          absl::StrAppend(&out, "(?:", it->second, ")");
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace kneechat::understanding_internal
