// Evaluates a compiled red-flag condition (red_flags.proto, compiled by
// CompiledRules) over the patient's Facts, in three-valued logic. One
// evaluator per Assess: it remembers each definition's truth per history
// set. Internal to triage; not thread-safe (use one per thread).
#pragma once

#include <cstdint>
#include <vector>

#include "services/triage/compiled_rules.h"
#include "services/triage/facts.h"

namespace kneechat::triage_internal {

struct Match {
  Truth truth = Truth::kFalse;
  // Finding indices that made it hold, in rule order, without repeats;
  // empty when it does not hold.
  std::vector<int> support;
};

class ConditionEvaluator {
 public:
  // `rules` and `facts` must outlive the evaluator.
  ConditionEvaluator(const CompiledRules& rules, const Facts& facts);

  // Conjunction of every part that is set; an empty condition is false.
  // `history_set` is the rule's (CompiledRule::history_set).
  Truth Evaluate(const CompiledCondition& condition, int history_set);

  // As Evaluate, with the findings that made it hold.
  Match Explain(const CompiledCondition& condition, int history_set) const;

 private:
  Truth Definition(int definition, int history_set);

  const CompiledRules& rules_;
  const Facts& facts_;
  // Per (definition, history set): -1 not yet evaluated, else a Truth.
  std::vector<int8_t> definition_truth_;
};

}  // namespace kneechat::triage_internal
