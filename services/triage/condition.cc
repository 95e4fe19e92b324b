#include "services/triage/condition.h"

#include <algorithm>

namespace kneechat::triage_internal {
namespace {

void AddSupport(const std::vector<int>& from, std::vector<int>* to) {
  for (int id : from) {
    if (std::find(to->begin(), to->end(), id) == to->end()) to->push_back(id);
  }
}

Truth Not(Truth t) {
  switch (t) {
    case Truth::kTrue:
      return Truth::kFalse;
    case Truth::kFalse:
      return Truth::kTrue;
    case Truth::kPossible:
      return Truth::kPossible;
  }
  return Truth::kFalse;
}

bool AgeAtLeast(const Facts& facts, int years) {
  return facts.age().has_value() && *facts.age() >= years;
}

bool AgeBelow(const Facts& facts, int years) {
  return facts.age().has_value() && *facts.age() < years;
}

bool InjuryWithinDays(const Facts& facts, const std::optional<int>& days) {
  return !days.has_value() || facts.InjuryWithinDays(*days);
}

bool InjuryDatedWithinDays(const Facts& facts, const std::optional<int>& days) {
  return !days.has_value() || facts.InjuryDatedWithinDays(*days);
}

bool SlotMatches(const Facts& facts, const std::vector<int>& values) {
  for (int v : values) {
    if (facts.SlotHas(v)) return true;
  }
  return false;
}

// Running conjunction of the parts of one condition, with support.
class Conjunction {
 public:
  void And(Truth truth, const std::vector<int>& support) {
    truth_ = std::min(truth_, truth);
    AddSupport(support, &support_);
  }
  void And(Truth truth) { truth_ = std::min(truth_, truth); }
  Match Result(bool any) {
    Match m;
    m.truth = any ? truth_ : Truth::kFalse;
    if (m.truth != Truth::kFalse) m.support = std::move(support_);
    return m;
  }

 private:
  Truth truth_ = Truth::kTrue;
  std::vector<int> support_;
};

}  // namespace

ConditionEvaluator::ConditionEvaluator(const CompiledRules& rules,
                                       const Facts& facts)
    : rules_(rules),
      facts_(facts),
      definition_truth_(
          rules.definitions().size() * rules.history_sets().size(), -1) {}

Truth ConditionEvaluator::Definition(int definition, int history_set) {
  if (definition < 0) return Truth::kFalse;
  int8_t& known = definition_truth_[definition * rules_.history_sets().size() +
                                    history_set];
  if (known < 0) {
    known = static_cast<int8_t>(
        Evaluate(rules_.definitions()[definition], history_set));
  }
  return static_cast<Truth>(known);
}

// The minimum over the parts; once a part is false nothing can raise it, so
// the rest is skipped.
Truth ConditionEvaluator::Evaluate(const CompiledCondition& condition,
                                   int history_set) {
  if (!condition.has_parts) return Truth::kFalse;
  Truth truth = Truth::kTrue;
  for (int id : condition.all_of) {
    truth = std::min(truth, facts_.Get(id, history_set));
    if (truth == Truth::kFalse) return truth;
  }
  if (!condition.any_of.empty()) {
    Truth best = Truth::kFalse;
    for (int id : condition.any_of) {
      best = std::max(best, facts_.Get(id, history_set));
    }
    truth = std::min(truth, best);
    if (truth == Truth::kFalse) return truth;
  }
  for (int id : condition.none_of) {
    truth = std::min(truth, Not(facts_.Get(id, history_set)));
    if (truth == Truth::kFalse) return truth;
  }
  for (int d : condition.is) {
    truth = std::min(truth, Definition(d, history_set));
    if (truth == Truth::kFalse) return truth;
  }
  if (condition.age_at_least.has_value() &&
      !AgeAtLeast(facts_, *condition.age_at_least)) {
    return Truth::kFalse;
  }
  if (condition.age_below.has_value() &&
      !AgeBelow(facts_, *condition.age_below)) {
    return Truth::kFalse;
  }
  if (!InjuryWithinDays(facts_, condition.injury_within_days) ||
      !InjuryDatedWithinDays(facts_, condition.injury_dated_within_days)) {
    return Truth::kFalse;
  }
  for (const std::vector<int>& values : condition.slot_values) {
    if (!SlotMatches(facts_, values)) return Truth::kFalse;
  }
  if (!condition.either.empty()) {
    Truth best = Truth::kFalse;
    for (const CompiledCondition& alternative : condition.either) {
      best = std::max(best, Evaluate(alternative, history_set));
      if (best == Truth::kTrue) break;
    }
    truth = std::min(truth, best);
  }
  return truth;
}

Match ConditionEvaluator::Explain(const CompiledCondition& condition,
                                  int history_set) const {
  Conjunction result;
  for (int id : condition.all_of) {
    result.And(facts_.Get(id, history_set), {id});
  }
  if (!condition.any_of.empty()) {
    Truth best = Truth::kFalse;
    for (int id : condition.any_of) {
      best = std::max(best, facts_.Get(id, history_set));
    }
    std::vector<int> support;
    for (int id : condition.any_of) {
      if (best != Truth::kFalse && facts_.Get(id, history_set) == best) {
        support.push_back(id);
      }
    }
    result.And(best, support);
  }
  for (int id : condition.none_of) {
    result.And(Not(facts_.Get(id, history_set)));
  }
  for (int d : condition.is) {
    Match m = d < 0 ? Match{} : Explain(rules_.definitions()[d], history_set);
    result.And(m.truth, m.support);
  }
  if (condition.age_at_least.has_value()) {
    result.And(AgeAtLeast(facts_, *condition.age_at_least) ? Truth::kTrue
                                                           : Truth::kFalse);
  }
  if (condition.age_below.has_value()) {
    result.And(AgeBelow(facts_, *condition.age_below) ? Truth::kTrue
                                                      : Truth::kFalse);
  }
  result.And(
      InjuryWithinDays(facts_, condition.injury_within_days) &&
              InjuryDatedWithinDays(facts_, condition.injury_dated_within_days)
          ? Truth::kTrue
          : Truth::kFalse);
  for (const std::vector<int>& values : condition.slot_values) {
    result.And(SlotMatches(facts_, values) ? Truth::kTrue : Truth::kFalse);
  }
  if (!condition.either.empty()) {
    Truth best = Truth::kFalse;
    std::vector<Match> matches;
    for (const CompiledCondition& alternative : condition.either) {
      matches.push_back(Explain(alternative, history_set));
      best = std::max(best, matches.back().truth);
    }
    std::vector<int> support;
    for (const Match& m : matches) {
      if (best != Truth::kFalse && m.truth == best) {
        AddSupport(m.support, &support);
      }
    }
    result.And(best, support);
  }
  return result.Result(condition.has_parts);
}

}  // namespace kneechat::triage_internal
