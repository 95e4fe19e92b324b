#include "services/triage/facts.h"

#include <climits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace kneechat::triage_internal {
namespace {

Polarity FromProto(knowledge::v1::RedFlagRules::FindingPolarity polarity) {
  switch (polarity) {
    case knowledge::v1::RedFlagRules::FINDING_POLARITY_ABSENT:
      return Polarity::kAbsent;
    case knowledge::v1::RedFlagRules::FINDING_POLARITY_UNSURE:
      return Polarity::kUnsure;
    default:
      return Polarity::kPresent;
  }
}

int Rank(Polarity polarity) {
  switch (polarity) {
    case Polarity::kPresent:
      return 3;
    case Polarity::kUnsure:
      return 2;
    case Polarity::kAbsent:
      return 1;
  }
  return 0;
}

const std::string& NoWords() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

// A current UNSURE mention of a screening finding: one piece of evidence
// and the screening item it speaks to.
struct Hedge {
  const std::string* evidence;
  int item;
};

// How many screening items the unsure evidence `words` speaks to.
int ItemsOfHedge(const std::vector<Hedge>& hedges, const std::string& words) {
  int count = 0;
  for (size_t i = 0; i < hedges.size(); ++i) {
    if (*hedges[i].evidence != words) continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j) {
      seen = hedges[j].item == hedges[i].item && *hedges[j].evidence == words;
    }
    count += !seen;
  }
  return count;
}

// A slot's value as a whole number of at least 0 ("67"); none when unset or
// not a number ("unknown", "unsure").
std::optional<int> WholeNumber(const SlotValue* slot) {
  int n = 0;
  if (slot == nullptr || !absl::SimpleAtoi(slot->value, &n) || n < 0) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

void Facts::Add(uint8_t* bits, const std::string** evidence, Polarity polarity,
                const std::string& words) {
  const int before = (*bits & kPresentBit)  ? 3
                     : (*bits & kUnsureBit) ? 2
                     : (*bits & kAbsentBit) ? 1
                                            : 0;
  switch (polarity) {
    case Polarity::kPresent:
      *bits |= kPresentBit;
      break;
    case Polarity::kUnsure:
      *bits |= kUnsureBit;
      break;
    case Polarity::kAbsent:
      *bits |= kAbsentBit;
      break;
  }
  if (Rank(polarity) > before || *evidence == nullptr || (*evidence)->empty()) {
    *evidence = &words;
  }
}

Facts::Facts(const CompiledRules& rules, const std::vector<Finding>& findings,
             const std::map<std::string, SlotValue>& slots)
    : rules_(rules),
      entries_(rules.finding_count()),
      slot_values_(rules.slot_value_count(), 0),
      slot_set_(rules.slots().size(), 0) {
  // Slots: which of the values the rules test each one holds.
  // Per slot index, the slot's entry in `slots` (nullptr when unset).
  std::vector<const SlotValue*> entry(rules.slots().size(), nullptr);
  for (size_t s = 0; s < rules.slots().size(); ++s) {
    const CompiledSlot& slot = rules.slots()[s];
    auto it = slots.find(slot.name);
    if (it != slots.end()) entry[s] = &it->second;
    // Not a default string_view: splitting that would give no part at all,
    // where an unset slot reads as one empty value.
    const absl::string_view value =
        it == slots.end() ? absl::string_view("") : it->second.value;
    slot_set_[s] = !value.empty();
    if (slot.values.empty()) continue;
    for (absl::string_view part : absl::StrSplit(value, ',')) {
      part = absl::StripAsciiWhitespace(part);
      for (size_t i = 0; i < slot.values.size(); ++i) {
        if (part == slot.values[i]) slot_values_[slot.value_ids[i]] = 1;
      }
    }
  }

  const std::vector<int>& item_of = rules.item_of_finding();
  std::vector<Hedge> hedges;
  std::vector<int> index(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    index[i] = rules.FindingIndex(f.id);
    if (index[i] >= 0 && item_of[index[i]] >= 0 &&
        f.polarity == Polarity::kUnsure &&
        f.temporality == Temporality::kCurrent) {
      hedges.push_back({&f.evidence, item_of[index[i]]});
    }
  }
  constexpr int kUnordered = INT_MAX;
  for (Entry& e : entries_) e.order = kUnordered;
  int next_order = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const int id = index[i];
    if (id < 0) continue;  // No rule names it.
    Entry& e = entries_[id];
    if (f.polarity == Polarity::kUnsure &&
        f.temporality == Temporality::kCurrent && item_of[id] >= 0 &&
        ItemsOfHedge(hedges, f.evidence) >= 2) {
      e.blanket = true;
      continue;
    }
    if (e.order == kUnordered) e.order = next_order++;
    switch (f.temporality) {
      case Temporality::kHypothetical:
        break;
      case Temporality::kHistorical:
        Add(&e.past, &e.past_evidence, f.polarity, f.evidence);
        break;
      case Temporality::kCurrent:
        Add(&e.now, &e.now_evidence, f.polarity, f.evidence);
        break;
    }
  }
  for (const CompiledSlotFinding& sf : rules.slot_findings()) {
    if (!SlotHas(sf.slot_value)) continue;
    if (entry[sf.slot] == nullptr) continue;
    Entry& e = entries_[sf.finding];
    if (e.order == kUnordered) e.order = next_order++;
    Add(&e.now, &e.now_evidence, FromProto(sf.polarity),
        entry[sf.slot]->evidence);
  }
  const SlotValue* red_flags = entry[rules.red_flags_slot()];
  if (red_flags != nullptr &&
      (red_flags->value == "none" || red_flags->value == "none_other")) {
    for (int id : rules.screening_findings()) {
      Entry& e = entries_[id];
      if (e.now == 0) {
        Add(&e.now, &e.now_evidence, Polarity::kAbsent, red_flags->evidence);
        e.implied = true;
      }
    }
  }
  age_ = WholeNumber(entry[rules.age_slot()]);
  if (age_ && *age_ >= 130) age_.reset();
  injury_days_ = WholeNumber(entry[rules.injury_days_slot()]);
  duration_days_ = WholeNumber(entry[rules.duration_slot()]);
}

bool Facts::InjuryDatedWithinDays(int days) const {
  if (injury_days_.has_value()) return *injury_days_ <= days;
  // "When did it happen?" (or "how long has it been?") asked and not
  // known: "unsure", "unknown". A knee that has hurt only that long
  // ("since this afternoon"; the fall told later) was hurt no earlier.
  if (SlotSet(rules_.injury_days_slot())) return true;
  if (duration_days_.has_value()) return *duration_days_ <= days;
  return SlotSet(rules_.duration_slot());
}

const std::string& Facts::Evidence(int f, int history_set) const {
  const Entry& e = entries_[f];
  if (history_set != 0 && rules_.history_sets()[history_set][f] &&
      e.past != 0 && TruthOf(e.past) > TruthOf(e.now)) {
    return *e.past_evidence;
  }
  return e.now != 0 ? *e.now_evidence : NoWords();
}

}  // namespace kneechat::triage_internal
