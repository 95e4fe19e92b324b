// Evaluates a red-flag Condition (red_flags.proto) over the patient's Facts,
// in three-valued logic. Internal to triage.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kneechat/knowledge/v1/red_flags.pb.h"
#include "services/triage/facts.h"

namespace kneechat {

struct Match {
  Truth truth = Truth::kFalse;
  // Finding ids that made it hold, in rule order, without repeats.
  std::vector<std::string> support;
};

class ConditionEvaluator {
 public:
  // `definitions` by name and `history_counts` must outlive the evaluator.
  ConditionEvaluator(
      const Facts& facts,
      const std::map<std::string, const knowledge::v1::RedFlagCondition*>&
          definitions,
      const std::set<std::string>* history_counts)
      : facts_(facts),
        definitions_(definitions),
        history_counts_(history_counts) {}

  // Conjunction of every part that is set; an empty condition is false.
  Match Evaluate(const knowledge::v1::RedFlagCondition& condition) const;

 private:
  const Facts& facts_;
  const std::map<std::string, const knowledge::v1::RedFlagCondition*>&
      definitions_;
  const std::set<std::string>* history_counts_;
};

}  // namespace kneechat
