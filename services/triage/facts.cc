#include "services/triage/facts.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace kneechat {
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

}  // namespace

void Facts::Add(Fact* fact, Polarity polarity, const std::string& evidence) {
  const int before = fact->present  ? 3
                     : fact->unsure ? 2
                     : fact->absent ? 1
                                    : 0;
  switch (polarity) {
    case Polarity::kPresent:
      fact->present = true;
      break;
    case Polarity::kUnsure:
      fact->unsure = true;
      break;
    case Polarity::kAbsent:
      fact->absent = true;
      break;
  }
  if (Rank(polarity) > before || fact->evidence.empty()) {
    fact->evidence = evidence;
  }
}

Truth Facts::TruthOf(const Fact& fact) {
  if (fact.present) return Truth::kTrue;
  if (fact.unsure) return Truth::kPossible;
  return Truth::kFalse;
}

Facts::Facts(
    const std::vector<Finding>& findings,
    const std::map<std::string, SlotValue>& slots,
    const google::protobuf::RepeatedPtrField<knowledge::v1::RedFlagSlotFinding>&
        slot_findings,
    const knowledge::v1::RedFlagScreening& screening)
    : slots_(slots) {
  std::map<std::string, int> item_of;  // screening finding id -> item
  for (int i = 0; i < screening.item_size(); ++i) {
    for (const auto& id : screening.item(i).finding_ids()) {
      item_of.emplace(id, i);
    }
  }
  // The screening items each piece of unsure evidence speaks to.
  std::map<std::string, std::set<int>> items_of_hedge;
  for (const Finding& f : findings) {
    auto item = item_of.find(f.id);
    if (item != item_of.end() && f.polarity == Polarity::kUnsure &&
        f.temporality == Temporality::kCurrent) {
      items_of_hedge[f.evidence].insert(item->second);
    }
  }
  for (const Finding& f : findings) {
    if (f.polarity == Polarity::kUnsure &&
        f.temporality == Temporality::kCurrent && item_of.count(f.id) > 0 &&
        items_of_hedge[f.evidence].size() >= 2) {
      blanket_unsure_.insert(f.id);
      continue;
    }
    order_.emplace(f.id, static_cast<int>(order_.size()));
    switch (f.temporality) {
      case Temporality::kHypothetical:
        break;
      case Temporality::kHistorical:
        Add(&past_[f.id], f.polarity, f.evidence);
        break;
      case Temporality::kCurrent:
        Add(&now_[f.id], f.polarity, f.evidence);
        break;
    }
  }
  for (const auto& sf : slot_findings) {
    auto it = slots.find(sf.slot());
    if (it == slots.end()) continue;
    for (absl::string_view value : absl::StrSplit(it->second.value, ',')) {
      if (absl::StripAsciiWhitespace(value) == sf.value()) {
        order_.emplace(sf.finding_id(), static_cast<int>(order_.size()));
        Add(&now_[sf.finding_id()], FromProto(sf.polarity()),
            it->second.evidence);
      }
    }
  }
  if (Slot("red_flags") == "none") {
    for (const auto& [id, item] : item_of) {
      if (!Known(id))
        Add(&now_[id], Polarity::kAbsent, slots_["red_flags"].evidence);
    }
  }
  int years = 0;
  if (absl::SimpleAtoi(Slot("age"), &years) && years >= 0 && years < 130) {
    age_ = years;
  }
}

Truth Facts::Get(const std::string& id,
                 const std::set<std::string>* history_counts) const {
  Truth truth = Truth::kFalse;
  if (auto it = now_.find(id); it != now_.end()) truth = TruthOf(it->second);
  if (history_counts != nullptr && history_counts->count(id) > 0) {
    if (auto it = past_.find(id); it != past_.end()) {
      truth = std::max(truth, TruthOf(it->second));
    }
  }
  return truth;
}

std::string Facts::Evidence(const std::string& id,
                            const std::set<std::string>* history_counts) const {
  auto now = now_.find(id);
  const Truth now_truth =
      now == now_.end() ? Truth::kFalse : TruthOf(now->second);
  if (history_counts != nullptr && history_counts->count(id) > 0) {
    auto past = past_.find(id);
    if (past != past_.end() && TruthOf(past->second) > now_truth) {
      return past->second.evidence;
    }
  }
  return now == now_.end() ? "" : now->second.evidence;
}

int Facts::Order(const std::string& id) const {
  auto it = order_.find(id);
  return it == order_.end() ? static_cast<int>(order_.size()) : it->second;
}

bool Facts::Known(const std::string& id) const { return now_.count(id) > 0; }

bool Facts::Absent(const std::string& id) const {
  auto it = now_.find(id);
  return it != now_.end() && it->second.absent && !it->second.present &&
         !it->second.unsure;
}

std::string Facts::Slot(const std::string& name) const {
  auto it = slots_.find(name);
  return it == slots_.end() ? "" : it->second.value;
}

}  // namespace kneechat
