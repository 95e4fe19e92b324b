// A set of RE2 patterns matched together: an RE2::Set finds which patterns
// occur, then each occurring pattern is run alone for its positions.
// Immutable after Compile(); matching is const and thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "re2/re2.h"
#include "services/common/pattern_set.h"

namespace kneechat::understanding_internal {

struct PatternHit {
  int pattern = 0;   // index in the bank
  size_t begin = 0;  // bytes in the matched text
  size_t end = 0;
};

class PatternBank {
 public:
  PatternBank() = default;
  PatternBank(PatternBank&&) = default;
  PatternBank& operator=(PatternBank&&) = default;

  // Adds a case-insensitive pattern. `where` ("file:line") names it in
  // errors. Returns kInvalidArgument for a pattern RE2 rejects.
  absl::Status Add(std::string_view pattern, int payload,
                   std::string_view where);
  // Must be called once, after the last Add(), before matching.
  absl::Status Compile();

  // Every non-overlapping, non-empty match of every pattern in `text`,
  // grouped by pattern in the order the patterns were added.
  std::vector<PatternHit> FindAll(std::string_view text) const;
  // True if any pattern matches somewhere in `text`.
  bool Matches(std::string_view text) const;

  const RE2& pattern(int i) const { return *patterns_[i]; }
  int payload(int i) const { return payloads_[i]; }
  size_t size() const { return patterns_.size(); }

 private:
  std::vector<std::unique_ptr<RE2>> patterns_;
  std::vector<int> payloads_;
  PatternSet set_;  // over patterns_, built by Compile()
};

// The RE2 options every lexicon pattern uses.
RE2::Options LexiconOptions();

}  // namespace kneechat::understanding_internal
