#include "services/triage/condition.h"

#include <algorithm>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace kneechat {
namespace {

void AddSupport(const std::vector<std::string>& from,
                std::vector<std::string>* to) {
  for (const std::string& id : from) {
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

// Running conjunction of the parts of one condition.
class Conjunction {
 public:
  void And(Truth truth, const std::vector<std::string>& support) {
    any_ = true;
    truth_ = std::min(truth_, truth);
    AddSupport(support, &support_);
  }
  Match Result() const {
    Match m;
    m.truth = any_ ? truth_ : Truth::kFalse;
    if (m.truth != Truth::kFalse) m.support = support_;
    return m;
  }

 private:
  bool any_ = false;
  Truth truth_ = Truth::kTrue;
  std::vector<std::string> support_;
};

}  // namespace

Match ConditionEvaluator::Evaluate(
    const knowledge::v1::RedFlagCondition& condition) const {
  Conjunction result;
  for (const std::string& id : condition.all_of()) {
    result.And(facts_.Get(id, history_counts_), {id});
  }
  if (condition.any_of_size() > 0) {
    Truth best = Truth::kFalse;
    for (const std::string& id : condition.any_of()) {
      best = std::max(best, facts_.Get(id, history_counts_));
    }
    std::vector<std::string> support;
    for (const std::string& id : condition.any_of()) {
      if (best != Truth::kFalse && facts_.Get(id, history_counts_) == best) {
        support.push_back(id);
      }
    }
    result.And(best, support);
  }
  for (const std::string& id : condition.none_of()) {
    result.And(Not(facts_.Get(id, history_counts_)), {});
  }
  for (const std::string& name : condition.is()) {
    auto it = definitions_.find(name);
    Match m = it == definitions_.end() ? Match{} : Evaluate(*it->second);
    result.And(m.truth, m.support);
  }
  if (condition.has_age_at_least()) {
    result.And(
        facts_.age().has_value() && *facts_.age() >= condition.age_at_least()
            ? Truth::kTrue
            : Truth::kFalse,
        {});
  }
  if (condition.has_age_below()) {
    result.And(facts_.age().has_value() && *facts_.age() < condition.age_below()
                   ? Truth::kTrue
                   : Truth::kFalse,
               {});
  }
  for (const auto& slot : condition.slot()) {
    bool matched = false;
    const std::string value = facts_.Slot(slot.slot());
    for (absl::string_view v : absl::StrSplit(value, ',')) {
      v = absl::StripAsciiWhitespace(v);
      for (const std::string& want : slot.values()) matched |= (v == want);
    }
    result.And(matched ? Truth::kTrue : Truth::kFalse, {});
  }
  if (condition.either_size() > 0) {
    Truth best = Truth::kFalse;
    std::vector<Match> matches;
    for (const auto& alternative : condition.either()) {
      matches.push_back(Evaluate(alternative));
      best = std::max(best, matches.back().truth);
    }
    std::vector<std::string> support;
    for (const Match& m : matches) {
      if (best != Truth::kFalse && m.truth == best)
        AddSupport(m.support, &support);
    }
    result.And(best, support);
  }
  return result.Result();
}

}  // namespace kneechat
