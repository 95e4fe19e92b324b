// What triage knows about the patient, finding by finding: the session's
// findings and slots folded into three-valued facts. Internal to triage.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kneechat/knowledge/v1/red_flags.pb.h"
#include "services/understanding/understanding.h"

namespace kneechat {

// Kleene truth: kPossible is an UNSURE finding counted as maybe present.
enum class Truth { kFalse = 0, kPossible = 1, kTrue = 2 };

class Facts {
 public:
  // Folds `findings` and the slot values that stand for findings
  // (`slot_findings`). HYPOTHETICAL findings are ignored; HISTORICAL ones are
  // kept apart; experiencer OTHER counts like SELF. Where sources disagree
  // the most serious wins (PRESENT > UNSURE > ABSENT).
  //
  // Screening: when the red_flags slot is "none", each screening finding not
  // otherwise mentioned is absent. A single "not sure" spanning several
  // screening items (UNSURE findings sharing one piece of evidence across two
  // or more items) is a blanket hedge: those findings are left unknown and
  // reported by BlanketUnsure(), to be asked one item at a time.
  Facts(const std::vector<Finding>& findings,
        const std::map<std::string, SlotValue>& slots,
        const google::protobuf::RepeatedPtrField<
            knowledge::v1::RedFlagSlotFinding>& slot_findings,
        const knowledge::v1::RedFlagScreening& screening);

  // Whether `id` holds now; a historical mention counts when
  // `history_counts` holds it.
  Truth Get(const std::string& id,
            const std::set<std::string>* history_counts) const;
  // The person's words behind Get(id, history_counts), "" if none.
  std::string Evidence(const std::string& id,
                       const std::set<std::string>* history_counts) const;
  // Position of the first mention of `id` (findings first, then slots), so
  // that evidence reads in the order the person said it.
  int Order(const std::string& id) const;
  // Mentioned now in any polarity (including absent or unsure).
  bool Known(const std::string& id) const;
  // Explicitly absent now.
  bool Absent(const std::string& id) const;

  // Screening findings left unknown because of a blanket "not sure".
  bool BlanketUnsure(const std::string& id) const {
    return blanket_unsure_.count(id) > 0;
  }

  // Age in years from the age slot.
  std::optional<int> age() const { return age_; }
  // The slot's value, "" when unset.
  std::string Slot(const std::string& name) const;

 private:
  struct Fact {
    bool present = false;
    bool unsure = false;
    bool absent = false;
    std::string evidence;  // of the most serious mention
  };
  static void Add(Fact* fact, Polarity polarity, const std::string& evidence);
  static Truth TruthOf(const Fact& fact);

  std::map<std::string, Fact> now_;
  std::map<std::string, Fact> past_;
  std::map<std::string, int> order_;
  std::set<std::string> blanket_unsure_;
  std::map<std::string, SlotValue> slots_;
  std::optional<int> age_;
};

}  // namespace kneechat
