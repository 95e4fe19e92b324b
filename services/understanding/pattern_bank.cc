#include "services/understanding/pattern_bank.h"

#include "absl/strings/str_cat.h"

namespace kneechat::understanding_internal {

RE2::Options LexiconOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

namespace {

// The combined set gets more memory than one pattern: it holds them all.
RE2::Options SetOptions() {
  RE2::Options options = LexiconOptions();
  options.set_max_mem(64 << 20);
  return options;
}

}  // namespace

absl::Status PatternBank::Add(std::string_view pattern, int payload,
                              std::string_view where_view) {
  const std::string where(where_view);
  auto re = std::make_unique<RE2>(
      re2::StringPiece(pattern.data(), pattern.size()), LexiconOptions());
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": bad pattern: ", re->error()));
  }
  if (re->Match("", 0, 0, RE2::UNANCHORED, nullptr, 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": pattern matches empty text"));
  }
  patterns_.push_back(std::move(re));
  payloads_.push_back(payload);
  return absl::OkStatus();
}

absl::Status PatternBank::Compile() {
  std::vector<const RE2*> patterns;
  patterns.reserve(patterns_.size());
  for (const auto& re : patterns_) patterns.push_back(re.get());
  set_ = PatternSet(std::move(patterns), SetOptions());
  return absl::OkStatus();
}

std::vector<PatternHit> PatternBank::FindAll(std::string_view text) const {
  std::vector<PatternHit> hits;
  if (patterns_.empty() || text.empty()) return hits;
  const re2::StringPiece input(text.data(), text.size());
  const std::vector<int> which = set_.Occurring(text);
  hits.reserve(which.size());
  re2::StringPiece match;
  for (int i : which) {
    size_t pos = 0;
    while (pos <= text.size() &&
           patterns_[i]->Match(input, pos, text.size(), RE2::UNANCHORED, &match,
                               1)) {
      const size_t begin = match.data() - text.data();
      const size_t end = begin + match.size();
      if (end > begin) hits.push_back({i, begin, end});
      pos = end > begin ? end : begin + 1;
    }
  }
  return hits;
}

bool PatternBank::Matches(std::string_view text) const {
  return set_.Any(text);
}

}  // namespace kneechat::understanding_internal
