#include "services/dialogue/condition_matcher.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace kneechat {
namespace {

std::string SlotOr(const std::map<std::string, SlotValue>& slots,
                   const std::string& id) {
  auto it = slots.find(id);
  return it == slots.end() ? "" : it->second.value;
}

std::vector<std::string> Activities(
    const std::map<std::string, SlotValue>& slots) {
  std::vector<std::string> out;
  for (absl::string_view a :
       absl::StrSplit(SlotOr(slots, "activity"), ',', absl::SkipEmpty())) {
    out.emplace_back(absl::StripAsciiWhitespace(a));
  }
  return out;
}

std::string DurationPhrase(const std::string& days_text) {
  int days = 0;
  if (!absl::SimpleAtoi(days_text, &days) || days <= 0) return "";
  if (days == 1) return "since yesterday";
  if (days < 7) return absl::StrCat("for ", days, " days");
  if (days < 14) return "for about a week";
  if (days < 60) return absl::StrCat("for about ", (days + 3) / 7, " weeks");
  if (days < 730)
    return absl::StrCat("for about ", (days + 15) / 30, " months");
  return absl::StrCat("for about ", days / 365, " years");
}

std::string HitKey(const ConditionSpec& spec, size_t index) {
  return absl::StrCat(spec.id(), "#", index);
}

}  // namespace

std::vector<std::string> KeywordHits(const DialogueKnowledge& knowledge,
                                     std::string_view text) {
  std::vector<std::string> hits;
  for (const auto& [c, i] : knowledge.KeywordsIn(text)) {
    hits.push_back(HitKey(*knowledge.conditions()[c].spec, i));
  }
  return hits;
}

const ConditionSpec* MatchCondition(
    const DialogueKnowledge& knowledge,
    const std::map<std::string, SlotValue>& slots,
    const std::set<std::string>& keyword_hits) {
  const std::string location = SlotOr(slots, "location");
  const std::vector<std::string> activities = Activities(slots);
  int age = -1, duration = -1;
  (void)absl::SimpleAtoi(SlotOr(slots, "age"), &age);
  (void)absl::SimpleAtoi(SlotOr(slots, "duration"), &duration);

  const ConditionSpec* best = nullptr;
  int best_score = 0;
  for (const auto& c : knowledge.conditions()) {
    const ConditionSpec& spec = *c.spec;
    if (spec.max_duration_days() > 0 && duration > spec.max_duration_days()) {
      continue;
    }
    int score = 0;
    for (const auto& l : spec.locations()) score += (l == location) ? 3 : 0;
    for (const auto& a : spec.activities()) {
      score += std::count(activities.begin(), activities.end(), a) ? 1 : 0;
    }
    for (size_t i = 0; i < c.keywords.size(); ++i) {
      if (keyword_hits.count(HitKey(spec, i))) score += 2;
    }
    if (spec.min_age() > 0 && age >= spec.min_age()) score += 2;
    if (score > best_score) {
      best_score = score;
      best = &spec;
    }
  }
  if (best == nullptr) {
    best = knowledge.FindCondition(knowledge.text().fallback_condition());
  }
  return best;
}

std::string SummariseSlots(const DialogueKnowledge& knowledge,
                           const std::map<std::string, SlotValue>& slots) {
  std::vector<std::string> parts;
  std::string location =
      knowledge.Phrase("location", SlotOr(slots, "location"));
  parts.push_back(location.empty() ? "knee pain" : location);
  std::vector<std::string> acts;
  for (const auto& a : Activities(slots)) {
    std::string p = knowledge.Phrase("activity", a);
    if (!p.empty()) acts.push_back(p);
  }
  if (!acts.empty()) {
    std::string joined;
    for (size_t i = 0; i < acts.size(); ++i) {
      if (i > 0) joined += (i + 1 == acts.size()) ? " and " : ", ";
      joined += acts[i];
    }
    parts.back() += " with " + joined;
  }
  std::string duration = DurationPhrase(SlotOr(slots, "duration"));
  if (!duration.empty()) parts.back() += " " + duration;
  for (const char* slot : {"onset", "swelling", "red_flags"}) {
    std::string p = knowledge.Phrase(slot, SlotOr(slots, slot));
    if (!p.empty()) parts.push_back(p);
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace kneechat
