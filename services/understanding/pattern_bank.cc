#include "services/understanding/pattern_bank.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kneechat::understanding_internal {

RE2::Options LexiconOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

namespace {

RE2::Options SetOptions() {
  RE2::Options options = LexiconOptions();
  options.set_max_mem(64 << 20);
  return options;
}

}  // namespace

PatternBank::PatternBank()
    : set_(std::make_unique<RE2::Set>(SetOptions(), RE2::UNANCHORED)) {}

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
  std::string error;
  if (set_->Add(re2::StringPiece(pattern.data(), pattern.size()), &error) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": bad pattern: ", error));
  }
  patterns_.push_back(std::move(re));
  payloads_.push_back(payload);
  return absl::OkStatus();
}

absl::Status PatternBank::Compile() {
  if (patterns_.empty()) return absl::OkStatus();
  if (!set_->Compile()) {
    return absl::ResourceExhaustedError("pattern set too large to compile");
  }
  return absl::OkStatus();
}

std::vector<PatternHit> PatternBank::FindAll(std::string_view text) const {
  std::vector<PatternHit> hits;
  if (patterns_.empty() || text.empty()) return hits;
  const re2::StringPiece input(text.data(), text.size());
  std::vector<int> which;
  RE2::Set::ErrorInfo error;
  if (!set_->Match(input, &which, &error)) {
    if (error.kind == RE2::Set::kNoError) return hits;
    // The set's DFA ran out of memory: fall back to every pattern alone.
    which.resize(patterns_.size());
    for (size_t i = 0; i < which.size(); ++i) which[i] = static_cast<int>(i);
  }
  std::sort(which.begin(), which.end());
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
  if (patterns_.empty()) return false;
  const re2::StringPiece input(text.data(), text.size());
  RE2::Set::ErrorInfo error;
  if (set_->Match(input, nullptr, &error)) return true;
  if (error.kind == RE2::Set::kNoError) return false;
  for (const auto& re : patterns_) {
    if (RE2::PartialMatch(input, *re)) return true;
  }
  return false;
}

}  // namespace kneechat::understanding_internal
