// What triage knows about the patient, finding by finding: the session's
// findings and slots folded into three-valued facts over the finding and
// slot-value indices of CompiledRules. Built once per Assess; internal to
// triage.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/triage/compiled_rules.h"
#include "services/understanding/understanding.h"

namespace kneechat::triage_internal {

// Kleene truth: kPossible is an UNSURE finding counted as maybe present.
enum class Truth { kFalse = 0, kPossible = 1, kTrue = 2 };

class Facts {
 public:
  // Folds `findings` and the slot values that stand for findings (the
  // rules' slot_finding). HYPOTHETICAL findings are ignored; HISTORICAL ones
  // are kept apart; experiencer OTHER counts like SELF. Where sources
  // disagree the most serious wins (PRESENT > UNSURE > ABSENT). Findings
  // whose ids the rules never name are not kept.
  //
  // Screening: when the red_flags slot is "none" (or "none_other": none
  // besides a sign the reply named), each screening finding not otherwise
  // mentioned is absent. A single "not sure" spanning several
  // screening items (UNSURE findings sharing one piece of evidence across two
  // or more items) is a blanket hedge: those findings are left unknown and
  // reported by BlanketUnsure(), to be asked one item at a time.
  //
  // `rules`, `findings` and `slots` must outlive the Facts (evidence is
  // referred to, not copied).
  Facts(const CompiledRules& rules, const std::vector<Finding>& findings,
        const std::map<std::string, SlotValue>& slots);

  // Whether finding `f` holds now; a historical mention counts when the
  // history set (CompiledRules::history_sets) holds it.
  Truth Get(int f, int history_set) const {
    const Entry& e = entries_[f];
    Truth truth = TruthOf(e.now);
    if (e.past != 0 && history_set != 0 &&
        rules_.history_sets()[history_set][f]) {
      truth = std::max(truth, TruthOf(e.past));
    }
    return truth;
  }
  // The person's words behind Get(f, history_set), "" if none.
  const std::string& Evidence(int f, int history_set) const;
  // Position of the first mention of `f` (findings first, then slots), so
  // that evidence reads in the order the person said it; larger than every
  // mentioned finding's for one never mentioned.
  int Order(int f) const { return entries_[f].order; }
  // Mentioned now in any polarity (including absent or unsure).
  bool Known(int f) const { return entries_[f].now != 0; }
  // Explicitly absent now.
  bool Absent(int f) const { return entries_[f].now == kAbsentBit; }
  // Absent only because the screening reply ruled out the list as a whole
  // (the red_flags slot), not in words about this sign: "recent injury" to
  // the checklist implies no other sign, but a rule's deciding question may
  // still ask about it directly ("can you take four steps?").
  bool Implied(int f) const { return entries_[f].implied; }
  // A screening finding left unknown because of a blanket "not sure".
  bool BlanketUnsure(int f) const { return entries_[f].blanket; }

  // Age in years from the age slot.
  std::optional<int> age() const { return age_; }
  // Whether the injury told was at most `days` ago (the injury_days slot):
  // true as well when no time was told with it or it cannot be counted, to
  // be safe.
  bool InjuryWithinDays(int days) const {
    return !injury_days_.has_value() || *injury_days_ <= days;
  }
  // Whether the injury is known to have been at most `days` ago: a count
  // of days at most that, or a time asked and not known (the injury_days
  // or duration slot set without a count, "unsure" or "unknown"), to be
  // safe, or a knee that has hurt for at most `days` (the injury can be no
  // older); false while no time has been told or asked.
  bool InjuryDatedWithinDays(int days) const;
  // Whether slot-value `v` is one of its slot's comma-separated values (an
  // unset slot reads as "").
  bool SlotHas(int v) const { return slot_values_[v] != 0; }
  // Whether slot `s` (CompiledRules::slots) holds a non-empty value.
  bool SlotSet(int s) const { return slot_set_[s] != 0; }

 private:
  static constexpr uint8_t kPresentBit = 1;
  static constexpr uint8_t kUnsureBit = 2;
  static constexpr uint8_t kAbsentBit = 4;

  struct Entry {
    uint8_t now = 0;  // polarity bits of current mentions
    uint8_t past = 0;
    bool blanket = false;
    bool implied = false;
    int order = 0;
    const std::string* now_evidence = nullptr;  // of the most serious mention
    const std::string* past_evidence = nullptr;
  };

  static void Add(uint8_t* bits, const std::string** evidence,
                  Polarity polarity, const std::string& words);
  static Truth TruthOf(uint8_t bits) {
    return (bits & kPresentBit)  ? Truth::kTrue
           : (bits & kUnsureBit) ? Truth::kPossible
                                 : Truth::kFalse;
  }

  const CompiledRules& rules_;
  std::vector<Entry> entries_;        // per finding index
  std::vector<uint8_t> slot_values_;  // per slot-value index
  std::vector<uint8_t> slot_set_;     // per slot index
  std::optional<int> age_;
  std::optional<int> injury_days_;    // unset unless a count of days
  std::optional<int> duration_days_;  // the duration slot's count of days
};

}  // namespace kneechat::triage_internal
