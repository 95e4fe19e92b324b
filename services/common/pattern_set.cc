#include "services/common/pattern_set.h"

#include <algorithm>

namespace kneechat {

PatternSet::PatternSet(std::vector<const RE2*> patterns,
                       const RE2::Options& options)
    : patterns_(std::move(patterns)) {
  if (patterns_.empty()) return;
  RE2::Options set_options = options;
  set_options.set_log_errors(false);
  set_ = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const RE2* re : patterns_) {
    if (set_->Add(re->pattern(), nullptr) < 0) {
      set_.reset();
      return;
    }
  }
  if (!set_->Compile()) set_.reset();
}

std::vector<int> PatternSet::Occurring(std::string_view text) const {
  std::vector<int> found;
  if (patterns_.empty()) return found;
  const re2::StringPiece input(text.data(), text.size());
  if (set_ != nullptr) {
    RE2::Set::ErrorInfo error;
    if (set_->Match(input, &found, &error)) {
      std::sort(found.begin(), found.end());
      return found;
    }
    found.clear();
    if (error.kind == RE2::Set::kNoError) return found;
    // The DFA ran out of memory: each pattern alone, as below.
  }
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (RE2::PartialMatch(input, *patterns_[i])) {
      found.push_back(static_cast<int>(i));
    }
  }
  return found;
}

bool PatternSet::Any(std::string_view text) const {
  if (patterns_.empty()) return false;
  const re2::StringPiece input(text.data(), text.size());
  if (set_ != nullptr) {
    RE2::Set::ErrorInfo error;
    if (set_->Match(input, nullptr, &error)) return true;
    if (error.kind == RE2::Set::kNoError) return false;
  }
  for (const RE2* re : patterns_) {
    if (RE2::PartialMatch(input, *re)) return true;
  }
  return false;
}

}  // namespace kneechat
