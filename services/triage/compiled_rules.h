// Red-flag rules compiled once at load into the form Triage::Assess works
// on: every finding id the rules name interned as a small integer, slot
// values the rules test interned likewise, conditions as trees over those
// integers, definitions referred to by index, and each rule's
// history_counts as one of a few shared sets. Internal to triage.
//
// Immutable once built; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "kneechat/knowledge/v1/red_flags.pb.h"

namespace kneechat::triage_internal {

// A RedFlagCondition over interned ids. Parts are conjoined in the order
// below (the order support is collected in).
struct CompiledCondition {
  std::vector<int> all_of;   // finding indices
  std::vector<int> any_of;   // finding indices
  std::vector<int> none_of;  // finding indices
  std::vector<int> is;       // definition indices; -1 for an unknown name
  std::optional<int> age_at_least;
  std::optional<int> age_below;
  std::optional<int> injury_within_days;        // days
  std::optional<int> injury_dated_within_days;  // days
  // One entry per slot match: the slot-value indices any of which matches.
  std::vector<std::vector<int>> slot_values;
  std::vector<CompiledCondition> either;
  // False when no part is set (such a condition never holds).
  bool has_parts = false;
};

// A slot the rules read, with the values they compare it against.
struct CompiledSlot {
  std::string name;
  std::vector<std::string> values;  // each with its index in value_ids
  std::vector<int> value_ids;       // slot-value indices
};

struct CompiledSlotFinding {
  int slot = 0;        // slot index
  int slot_value = 0;  // slot-value index
  int finding = 0;     // finding index
  knowledge::v1::RedFlagRules::FindingPolarity polarity =
      knowledge::v1::RedFlagRules::FINDING_POLARITY_UNSPECIFIED;
};

struct CompiledQuestion {
  CompiledCondition when;
  std::vector<int> finding_ids;  // finding indices
  int slot = -1;  // index of the slot that answers it (`fills`, else a
                  // `slot` other than red_flags), else -1
  // For a findings_only question, the index of the slot it is asked as
  // (asked as red_flags once that slot has a value), else -1.
  int asked_as = -1;
};

struct CompiledRule {
  std::vector<CompiledCondition> triggers;  // as RedFlagRule::trigger
  std::vector<CompiledQuestion> questions;  // as RedFlagRule::question
  int history_set = 0;  // index in CompiledRules::history_sets
};

class CompiledRules {
 public:
  // Compiles validated rules (see ValidateRedFlagRules). Never fails: a name
  // that is not a definition compiles to a condition that never holds.
  explicit CompiledRules(const knowledge::v1::RedFlagRules& rules);

  // The finding index of `id`, -1 when the rules never name it.
  int FindingIndex(absl::string_view id) const;
  int finding_count() const { return static_cast<int>(finding_ids_.size()); }
  const std::string& finding_id(int index) const { return finding_ids_[index]; }

  // Per definition index, as RedFlagRules::definition.
  const std::vector<CompiledCondition>& definitions() const {
    return definitions_;
  }
  // Per rule index, as RedFlagRules::rule.
  const std::vector<CompiledRule>& rules() const { return rules_; }
  // Distinct history_counts sets; set 0 is the empty one. Each holds one
  // flag per finding index.
  const std::vector<std::vector<bool>>& history_sets() const {
    return history_sets_;
  }

  const std::vector<CompiledSlot>& slots() const { return slots_; }
  int slot_value_count() const { return slot_value_count_; }
  const std::vector<CompiledSlotFinding>& slot_findings() const {
    return slot_findings_;
  }
  // Slot indices of the red_flags and age slots.
  int red_flags_slot() const { return red_flags_slot_; }
  int age_slot() const { return age_slot_; }
  int injury_days_slot() const { return injury_days_slot_; }
  int duration_slot() const { return duration_slot_; }

  // Screening finding indices in screening order, each once.
  const std::vector<int>& screening_findings() const {
    return screening_findings_;
  }
  // Per screening item, its finding indices.
  const std::vector<std::vector<int>>& screening_items() const {
    return screening_items_;
  }
  // Per finding index, the first screening item naming it, or -1.
  const std::vector<int>& item_of_finding() const { return item_of_finding_; }

 private:
  int InternFinding(const std::string& id);
  int InternSlot(const std::string& name);
  int InternSlotValue(const std::string& slot, const std::string& value);
  std::vector<int> InternFindings(
      const google::protobuf::RepeatedPtrField<std::string>& ids);
  CompiledCondition Compile(const knowledge::v1::RedFlagCondition& condition);

  std::vector<std::string> finding_ids_;
  absl::flat_hash_map<std::string, int> finding_index_;
  absl::flat_hash_map<std::string, int> definition_index_;
  std::vector<CompiledCondition> definitions_;
  std::vector<CompiledRule> rules_;
  std::vector<std::vector<bool>> history_sets_;
  std::vector<CompiledSlot> slots_;
  int slot_value_count_ = 0;
  std::vector<CompiledSlotFinding> slot_findings_;
  int red_flags_slot_ = -1;
  int age_slot_ = -1;
  int injury_days_slot_ = -1;
  int duration_slot_ = -1;
  std::vector<int> screening_findings_;
  std::vector<std::vector<int>> screening_items_;
  std::vector<int> item_of_finding_;
};

}  // namespace kneechat::triage_internal
