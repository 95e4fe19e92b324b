// Which of many RE2 patterns occur in a text, found in one pass.
//
// An RE2::Set answers "which patterns match" with one DFA; when the DFA runs
// out of memory on a long text RE2 reports an error instead of an answer, and
// PatternSet then runs each pattern alone, so the answer is always complete.
// Every reader that matches a list of patterns at once goes through here.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "re2/re2.h"
#include "re2/set.h"

namespace kneechat {

class PatternSet {
 public:
  // An empty set: Occurring() finds nothing.
  PatternSet() = default;
  // Builds a set over `patterns`, which the caller owns and keeps alive (and
  // at the same addresses) for the set's lifetime. `options` must be the
  // options the patterns were compiled with. Every pattern must be ok(); if
  // the combined set does not compile, every call runs the patterns alone.
  PatternSet(std::vector<const RE2*> patterns, const RE2::Options& options);
  PatternSet(PatternSet&&) = default;
  PatternSet& operator=(PatternSet&&) = default;

  // Indices (into the constructor's `patterns`) of every pattern that
  // RE2::PartialMatch finds in `text`, ascending. Thread-safe.
  std::vector<int> Occurring(std::string_view text) const;
  // True if any pattern occurs in `text`. Thread-safe.
  bool Any(std::string_view text) const;

  size_t size() const { return patterns_.size(); }

 private:
  std::vector<const RE2*> patterns_;
  std::unique_ptr<RE2::Set> set_;  // null: run each pattern alone
};

}  // namespace kneechat
