#include "services/triage/compiled_rules.h"

#include <algorithm>

namespace kneechat::triage_internal {

using knowledge::v1::RedFlagCondition;
using knowledge::v1::RedFlagRules;

int CompiledRules::InternFinding(const std::string& id) {
  auto [it, added] = finding_index_.emplace(id, finding_ids_.size());
  if (added) finding_ids_.push_back(id);
  return it->second;
}

int CompiledRules::InternSlot(const std::string& name) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].name == name) return static_cast<int>(i);
  }
  slots_.push_back(CompiledSlot{name, {}, {}});
  return static_cast<int>(slots_.size()) - 1;
}

int CompiledRules::InternSlotValue(const std::string& slot,
                                   const std::string& value) {
  CompiledSlot& s = slots_[InternSlot(slot)];
  for (size_t i = 0; i < s.values.size(); ++i) {
    if (s.values[i] == value) return s.value_ids[i];
  }
  s.values.push_back(value);
  s.value_ids.push_back(slot_value_count_);
  return slot_value_count_++;
}

std::vector<int> CompiledRules::InternFindings(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<int> out;
  out.reserve(ids.size());
  for (const std::string& id : ids) out.push_back(InternFinding(id));
  return out;
}

CompiledCondition CompiledRules::Compile(const RedFlagCondition& condition) {
  CompiledCondition c;
  c.all_of = InternFindings(condition.all_of());
  c.any_of = InternFindings(condition.any_of());
  c.none_of = InternFindings(condition.none_of());
  for (const std::string& name : condition.is()) {
    auto it = definition_index_.find(name);
    c.is.push_back(it == definition_index_.end() ? -1 : it->second);
  }
  if (condition.has_age_at_least()) c.age_at_least = condition.age_at_least();
  if (condition.has_age_below()) c.age_below = condition.age_below();
  if (condition.has_injury_within_days()) {
    c.injury_within_days = condition.injury_within_days();
  }
  if (condition.has_injury_dated_within_days()) {
    c.injury_dated_within_days = condition.injury_dated_within_days();
  }
  for (const auto& slot : condition.slot()) {
    std::vector<int> values;
    for (const std::string& value : slot.values()) {
      values.push_back(InternSlotValue(slot.slot(), value));
    }
    c.slot_values.push_back(std::move(values));
  }
  for (const RedFlagCondition& alternative : condition.either()) {
    c.either.push_back(Compile(alternative));
  }
  c.has_parts = !c.all_of.empty() || !c.any_of.empty() || !c.none_of.empty() ||
                !c.is.empty() || c.age_at_least.has_value() ||
                c.age_below.has_value() || !c.slot_values.empty() ||
                !c.either.empty();
  return c;
}

CompiledRules::CompiledRules(const RedFlagRules& rules) {
  red_flags_slot_ = InternSlot("red_flags");
  age_slot_ = InternSlot("age");
  injury_days_slot_ = InternSlot("injury_days");
  duration_slot_ = InternSlot("duration");
  // Names first, so that `is` resolves as a lookup by name over the whole
  // file would (validation rejects a name defined twice; the last counts).
  for (int i = 0; i < rules.definition_size(); ++i) {
    definition_index_[rules.definition(i).name()] = i;
  }
  for (const auto& d : rules.definition()) {
    definitions_.push_back(Compile(d.condition()));
  }
  for (const auto& sf : rules.slot_finding()) {
    slot_findings_.push_back({InternSlot(sf.slot()),
                              InternSlotValue(sf.slot(), sf.value()),
                              InternFinding(sf.finding_id()), sf.polarity()});
  }
  for (const auto& item : rules.screening().item()) {
    screening_items_.push_back(InternFindings(item.finding_ids()));
    for (int f : screening_items_.back()) {
      if (std::find(screening_findings_.begin(), screening_findings_.end(),
                    f) == screening_findings_.end()) {
        screening_findings_.push_back(f);
      }
    }
  }
  std::vector<std::vector<int>> history_ids;
  for (const auto& rule : rules.rule()) {
    CompiledRule r;
    for (const auto& trigger : rule.trigger()) {
      r.triggers.push_back(Compile(trigger.when()));
    }
    for (const auto& question : rule.question()) {
      CompiledQuestion q;
      q.when = Compile(question.when());
      q.finding_ids = InternFindings(question.finding_ids());
      if (!question.fills().empty()) {
        q.slot = InternSlot(question.fills());
      } else if (question.findings_only()) {
        q.asked_as = InternSlot(question.slot());
      } else if (!question.slot().empty() && question.slot() != "red_flags") {
        q.slot = InternSlot(question.slot());
      }
      r.questions.push_back(std::move(q));
    }
    history_ids.push_back(InternFindings(rule.history_counts()));
    rules_.push_back(std::move(r));
  }

  // Every id is interned: size the per-finding tables.
  const size_t n = finding_ids_.size();
  history_sets_.emplace_back(n, false);
  for (size_t r = 0; r < rules_.size(); ++r) {
    std::vector<bool> set(n, false);
    for (int f : history_ids[r]) set[f] = true;
    auto it = std::find(history_sets_.begin(), history_sets_.end(), set);
    rules_[r].history_set = static_cast<int>(it - history_sets_.begin());
    if (it == history_sets_.end()) history_sets_.push_back(std::move(set));
  }
  item_of_finding_.assign(n, -1);
  for (size_t i = 0; i < screening_items_.size(); ++i) {
    for (int f : screening_items_[i]) {
      if (item_of_finding_[f] < 0) item_of_finding_[f] = static_cast<int>(i);
    }
  }
}

int CompiledRules::FindingIndex(absl::string_view id) const {
  auto it = finding_index_.find(id);
  return it == finding_index_.end() ? -1 : it->second;
}

}  // namespace kneechat::triage_internal
