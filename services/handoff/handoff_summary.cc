#include "services/handoff/handoff_summary.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

namespace kneechat {
namespace {

constexpr char kRule[] = "----------------------------------------\n";

// The order and labels of the slots a clinician looks for.
struct SlotLabel {
  const char* id;
  const char* label;
};
constexpr SlotLabel kSlotLabels[] = {
    {"location", "Where"},
    {"duration", "How long"},
    {"onset", "Onset"},
    {"activity", "Brought on by"},
    {"age", "Age"},
    {"swelling", "Swelling"},
    {"weight_bearing", "Weight bearing"},
};

std::string Clock(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::UnixEpoch()) return "--:--";
  return absl::FormatTime("%H:%M", t, absl::UTCTimeZone());
}

// One line of the person's words, quoted; newlines folded.
std::string Quote(const std::string& words) {
  return absl::StrCat(
      "\"", absl::StrReplaceAll(words, {{"\r", " "}, {"\n", " "}}), "\"");
}

const HandoffView::Slot* FindSlot(const HandoffView& view, const char* id) {
  for (const auto& s : view.slots) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

void AppendConsent(const HandoffView& view, std::string* out) {
  switch (view.consent) {
    case v1::HANDOFF_CONSENT_GRANTED:
      absl::StrAppend(out, "Consent to share with the clinic: yes (",
                      Clock(view.consent_time), " UTC). Contact: ",
                      view.contact.empty() ? "none given" : view.contact, "\n");
      break;
    case v1::HANDOFF_CONSENT_DECLINED:
      absl::StrAppend(out, "Consent to share with the clinic: declined\n");
      break;
    default:
      absl::StrAppend(out, "Consent to share with the clinic: not given\n");
  }
}

void AppendSituation(const HandoffView& view, std::string* out) {
  absl::StrAppend(out, "\nS - Situation\n",
                  "Triage: ", TriageLevelName(view.level), " - ",
                  TriageLevelMeaning(view.level), "\n");
  if (view.red_flags.empty()) {
    absl::StrAppend(out, "Red flags: none raised\n");
    return;
  }
  absl::StrAppend(out, "Red flags:\n");
  for (const auto& flag : view.red_flags) {
    absl::StrAppend(out, "- ", flag.title().empty() ? flag.id() : flag.title());
    if (!flag.evidence().empty()) {
      absl::StrAppend(out, ": ", Quote(flag.evidence()));
    }
    absl::StrAppend(out, "\n");
  }
}

void AppendBackground(const HandoffView& view, const QuestionCatalog& catalog,
                      std::string* out) {
  absl::StrAppend(out, "\nB - Background\n");
  for (const SlotLabel& label : kSlotLabels) {
    const HandoffView::Slot* slot = FindSlot(view, label.id);
    absl::StrAppend(out, label.label, ": ");
    if (slot == nullptr) {
      absl::StrAppend(out, "not asked\n");
      continue;
    }
    std::string value = catalog.SlotValueTitle(slot->id, slot->value);
    if (slot->id == "duration" && !value.empty() &&
        value.find_first_not_of("0123456789") == std::string::npos) {
      absl::StrAppend(&value, value == "1" ? " day" : " days");
    }
    absl::StrAppend(out, value);
    if (!slot->evidence.empty()) {
      absl::StrAppend(out, " (", Quote(slot->evidence), ")");
    }
    absl::StrAppend(out, "\n");
  }
}

void AppendAssessment(const HandoffView& view, const QuestionCatalog& catalog,
                      std::string* out) {
  absl::StrAppend(out, "\nA - Assessment\n");
  const std::pair<v1::Finding::Polarity, const char*> groups[] = {
      {v1::Finding::POLARITY_PRESENT, "Present"},
      {v1::Finding::POLARITY_UNSURE, "Unsure"},
      {v1::Finding::POLARITY_ABSENT, "Absent"},
  };
  for (const auto& [polarity, name] : groups) {
    std::vector<std::string> items;
    for (const auto& f : view.findings) {
      if (f.polarity != polarity) continue;
      std::string item = catalog.FindingMeaning(f.id);
      if (f.temporality == "historical")
        absl::StrAppend(&item, " (in the past)");
      if (f.temporality == "hypothetical")
        absl::StrAppend(&item, " (only wondered)");
      if (f.experiencer == "other")
        absl::StrAppend(&item, " (told by someone else)");
      if (polarity != v1::Finding::POLARITY_ABSENT && !f.evidence.empty()) {
        absl::StrAppend(&item, ": ", Quote(f.evidence));
      }
      items.push_back(std::move(item));
    }
    absl::StrAppend(out, name, ": ",
                    items.empty() ? "none" : absl::StrJoin(items, "; "), "\n");
  }
  const std::string condition = catalog.ConditionName(view.condition);
  if (!condition.empty()) {
    absl::StrAppend(out, "Most like (from the articles): ", condition, "\n");
  }
}

void AppendRecommendation(const HandoffView& view, std::string* out) {
  absl::StrAppend(out, "\nR - Recommendation\n");
  if (!view.action.empty()) {
    absl::StrAppend(out, "Told to: ", view.action, "\n");
  }
  if (!view.reason.empty()) absl::StrAppend(out, "Why: ", view.reason, "\n");
  if (view.action.empty() && view.level == v1::TRIAGE_LEVEL_UNSPECIFIED) {
    absl::StrAppend(out, "No advice given yet.\n");
  }
  for (const auto& advice : view.advice) {
    absl::StrAppend(out, "Advice quoted to the person:\n");
    for (const auto& c : advice.citations) {
      absl::StrAppend(out, "[", c.number(), "] ", Quote(c.excerpt()), " - ",
                      c.title(), " (", c.passage_id(), ")\n");
    }
  }
}

void AppendQuestions(const HandoffView& view, const QuestionCatalog& catalog,
                     std::string* out) {
  absl::StrAppend(out, "\nQuestions asked and why:\n");
  if (view.asked.empty()) absl::StrAppend(out, "none\n");
  // A deciding question that asks a slot is recorded as asking that slot
  // too: list it once.
  std::vector<std::string> covered;
  for (const std::string& key : view.asked) {
    const CatalogQuestion* q = catalog.FindAsked(key);
    if (q != nullptr && q->kind == CatalogQuestion::Kind::kDeciding) {
      covered.push_back(q->slot);
    }
  }
  for (const std::string& key : view.asked) {
    const CatalogQuestion* q = catalog.FindAsked(key);
    if (q == nullptr) continue;
    if (q->kind == CatalogQuestion::Kind::kSlot &&
        std::find(covered.begin(), covered.end(), q->slot) != covered.end()) {
      continue;
    }
    const std::string& text =
        key == "red_flags" ? catalog.screening_text() : q->text;
    absl::StrAppend(out, "- ", text, "\n  Why: ", q->why, "\n");
  }
}

void AppendTranscript(const HandoffView& view, std::string* out) {
  absl::StrAppend(out, "\nTranscript (times UTC):\n");
  if (view.dropped_turns > 0) {
    absl::StrAppend(out, "(", view.dropped_turns,
                    " earlier turns are no longer kept; what they said is "
                    "in the facts above)\n");
  }
  for (const auto& line : view.transcript) {
    absl::StrAppend(out, "[", Clock(line.time), "] ",
                    line.from_person ? "Person" : "kneechat", ": ", line.text,
                    "\n");
  }
}

}  // namespace

const char* TriageLevelName(v1::TriageLevel level) {
  switch (level) {
    case v1::TRIAGE_LEVEL_EMERGENCY:
      return "EMERGENCY";
    case v1::TRIAGE_LEVEL_URGENT:
      return "URGENT";
    case v1::TRIAGE_LEVEL_SOON:
      return "SOON";
    case v1::TRIAGE_LEVEL_SELF_CARE:
      return "SELF_CARE";
    default:
      return "NOT DECIDED";
  }
}

const char* TriageLevelMeaning(v1::TriageLevel level) {
  switch (level) {
    case v1::TRIAGE_LEVEL_EMERGENCY:
      return "emergency care now";
    case v1::TRIAGE_LEVEL_URGENT:
      return "to be seen today";
    case v1::TRIAGE_LEVEL_SOON:
      return "to see a GP or physiotherapist within days to two weeks";
    case v1::TRIAGE_LEVEL_SELF_CARE:
      return "self-care at home, with safety-netting";
    default:
      return "the conversation has not reached a decision";
  }
}

std::string BuildHandoffSummary(const HandoffView& view,
                                const QuestionCatalog& catalog) {
  std::string out = absl::StrCat(
      "kneechat handoff: knee pain conversation (", view.channel, "), started ",
      absl::FormatTime("%Y-%m-%d %H:%M UTC", view.create_time,
                       absl::UTCTimeZone()),
      "\n");
  AppendConsent(view, &out);
  AppendSituation(view, &out);
  AppendBackground(view, catalog, &out);
  AppendAssessment(view, catalog, &out);
  AppendRecommendation(view, &out);
  absl::StrAppend(&out, "\n", kRule, "Details\n");
  AppendQuestions(view, catalog, &out);
  AppendTranscript(view, &out);
  return out;
}

}  // namespace kneechat
