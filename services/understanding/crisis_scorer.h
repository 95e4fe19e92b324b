// The crisis safety net: a linear score (logistic regression weights) over
// the words and word pairs of one message, with the weights and threshold of
// <corpus>/understanding/crisis_weights.tsv (generated from kneechat's own
// tuning sets and phrasing rows by tests/triage/train_crisis_weights.py). It
// backs up the patterns of crisis.tsv for wordings no pattern names; a flagged
// message is read as a crisis thought, the mildest crisis tier.
//
// Words: ASCII lower case, apostrophes dropped, runs of a-z; a pair is
// "first_second". A message longer than kWindow words scores its best
// window (windows start every kStep words, and the last one ends at the
// last word), so length alone never adds up
// to an alarm. The trainer uses the same rules.
//
// Thread-safety: immutable after Load; Score and Flags are const.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace kneechat::understanding_internal {

class CrisisScorer {
 public:
  // Errors: kNotFound for a missing file, kInvalidArgument (naming the
  // line) for a malformed one or one without a threshold.
  static absl::StatusOr<std::unique_ptr<CrisisScorer>> Load(
      const std::string& path);

  static constexpr size_t kWindow = 30;
  static constexpr size_t kStep = 10;

  // The summed weight of the words and pairs of the message's best window.
  double Score(std::string_view message) const;
  // Score above the threshold.
  bool Flags(std::string_view message) const;

 private:
  // Indexes weights_ by word: a word is a feature without "_", a pair
  // "first_second"; a message's words (a-z only) can match nothing else.
  void IndexWeights();
  int WordId(const std::string& word);
  static uint64_t PairKey(int first, int second) {
    return (static_cast<uint64_t>(first) << 32) | static_cast<uint32_t>(second);
  }

  absl::flat_hash_map<std::string, double> weights_;
  double threshold_ = 0;
  // Every word a feature names, its own weight (nullptr: none), and the
  // weights of pairs by PairKey; pointers into weights_.
  absl::flat_hash_map<std::string, int> word_ids_;
  std::vector<const double*> word_weights_;
  absl::flat_hash_map<uint64_t, const double*> pair_weights_;
};

}  // namespace kneechat::understanding_internal
