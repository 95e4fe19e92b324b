#include "services/handoff/question_catalog.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/text_proto.h"

namespace kneechat {

QuestionCatalog::QuestionCatalog(
    const knowledge::v1::DialogueText& dialogue,
    const knowledge::v1::RedFlagRules& rules,
    std::map<std::string, std::string> finding_meanings)
    : finding_meanings_(std::move(finding_meanings)),
      screening_why_(dialogue.screening_why()) {
  for (const auto& q : dialogue.questions()) {
    CatalogQuestion c;
    c.kind = CatalogQuestion::Kind::kSlot;
    c.link_id = q.slot();
    c.asked_key = q.slot();
    c.slot = q.slot();
    c.text = q.text();
    c.why = q.why();
    for (const auto& o : q.quick_replies()) {
      c.options.emplace_back(o.value(), o.title());
    }
    questions_.push_back(std::move(c));
  }
  std::vector<std::string> phrases;
  for (const auto& item : rules.screening().item()) {
    CatalogQuestion c;
    c.kind = CatalogQuestion::Kind::kScreening;
    c.link_id = absl::StrCat("red_flags.", item.id());
    c.asked_key = "red_flags";
    c.text = item.question().empty() ? item.phrase() : item.question();
    c.why = dialogue.screening_why();
    c.finding_ids.assign(item.finding_ids().begin(), item.finding_ids().end());
    phrases.push_back(item.phrase());
    questions_.push_back(std::move(c));
  }
  screening_text_ = absl::StrReplaceAll(
      rules.screening().text(), {{"{signs}", absl::StrJoin(phrases, ", ")}});
  for (const auto& rule : rules.rule()) {
    for (const auto& q : rule.question()) {
      CatalogQuestion c;
      c.kind = CatalogQuestion::Kind::kDeciding;
      c.link_id = absl::StrCat("deciding.", rule.id(), ".", q.id());
      c.asked_key = absl::StrCat("deciding:", rule.id(), ":", q.id());
      c.slot = q.slot();
      c.text = q.text();
      c.why = q.why().empty() ? dialogue.deciding_why() : q.why();
      c.finding_ids.assign(q.finding_ids().begin(), q.finding_ids().end());
      questions_.push_back(std::move(c));
    }
  }
  for (const auto& condition : dialogue.conditions()) {
    condition_names_[condition.id()] = condition.name();
  }
}

const CatalogQuestion* QuestionCatalog::FindAsked(
    const std::string& asked_key) const {
  for (const auto& q : questions_) {
    if (q.asked_key == asked_key) return &q;
  }
  return nullptr;
}

const CatalogQuestion* QuestionCatalog::FindSlot(
    const std::string& slot) const {
  for (const auto& q : questions_) {
    if (q.kind == CatalogQuestion::Kind::kSlot && q.slot == slot) return &q;
  }
  return nullptr;
}

std::string QuestionCatalog::FindingMeaning(const std::string& id) const {
  auto it = finding_meanings_.find(id);
  return it == finding_meanings_.end() ? id : it->second;
}

std::string QuestionCatalog::ConditionName(const std::string& id) const {
  auto it = condition_names_.find(id);
  return it == condition_names_.end() ? "" : it->second;
}

std::string QuestionCatalog::SlotValueTitle(const std::string& slot,
                                            const std::string& value) const {
  if (const CatalogQuestion* q = FindSlot(slot)) {
    for (const auto& [v, title] : q->options) {
      if (v == value) return title;
    }
  }
  return value;
}

absl::StatusOr<std::map<std::string, std::string>> LoadFindingMeanings(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  std::map<std::string, std::string> meanings;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> columns = absl::StrSplit(line, '\t');
    if (columns[0] == "id") continue;
    if (columns.size() < 3 || columns[0].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": expected id<TAB>group<TAB>meaning"));
    }
    meanings[std::string(columns[0])] = std::string(columns[2]);
  }
  return meanings;
}

}  // namespace kneechat
