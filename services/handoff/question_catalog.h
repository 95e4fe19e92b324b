// kneechat's questions as a clinician reads them: each slot question, each
// red-flag screening item and each red flag's deciding question, with its
// text, why it is asked (the reviewed `why` texts) and its answer options;
// plus the finding meanings (corpus/understanding/findings.tsv) and the
// names of conditions and red-flag rules. Built once from the loaded
// knowledge; immutable and thread-safe to share.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "kneechat/knowledge/v1/dialogue.pb.h"
#include "kneechat/knowledge/v1/red_flags.pb.h"

namespace kneechat {

struct CatalogQuestion {
  enum class Kind { kSlot, kScreening, kDeciding };
  Kind kind = Kind::kSlot;
  // FHIR linkId: "<slot>", "red_flags.<item>" or "deciding.<rule>.<id>".
  std::string link_id;
  // The key the dialogue records in SessionState.asked when it asks it:
  // the slot id, "red_flags" (for every screening item) or
  // "deciding:<rule>:<id>".
  std::string asked_key;
  std::string slot;  // kSlot: the slot it fills
  std::string text;
  std::string why;
  // kSlot: (value, title) of each quick reply.
  std::vector<std::pair<std::string, std::string>> options;
  // kScreening / kDeciding: the findings a yes means present.
  std::vector<std::string> finding_ids;
};

class QuestionCatalog {
 public:
  // From the dialogue's text, the red-flag rules (placeholders filled) and
  // the finding meanings (id -> meaning). Never fails: knowledge is
  // validated when it is loaded.
  QuestionCatalog(const knowledge::v1::DialogueText& dialogue,
                  const knowledge::v1::RedFlagRules& rules,
                  std::map<std::string, std::string> finding_meanings);

  // Slot questions in file order, then screening items, then deciding
  // questions in rule order.
  const std::vector<CatalogQuestion>& questions() const { return questions_; }

  // The question asked under `asked_key`, or null. For "red_flags" the
  // first screening item (the screening list is one question to the
  // person); use screening_text() for its wording.
  const CatalogQuestion* FindAsked(const std::string& asked_key) const;
  // The slot question for `slot`, or null.
  const CatalogQuestion* FindSlot(const std::string& slot) const;

  // The screening list as asked (its {signs} spelled out) and its why.
  const std::string& screening_text() const { return screening_text_; }
  const std::string& screening_why() const { return screening_why_; }

  // The finding's meaning, or its id when unknown.
  std::string FindingMeaning(const std::string& id) const;
  // The condition's name (DialogueText.conditions), or "" when unknown.
  std::string ConditionName(const std::string& id) const;
  // A slot value as the quick reply that gives it is titled ("Front /
  // kneecap" for location "front"), or the value itself.
  std::string SlotValueTitle(const std::string& slot,
                             const std::string& value) const;

 private:
  std::vector<CatalogQuestion> questions_;
  std::map<std::string, std::string> finding_meanings_;
  std::map<std::string, std::string> condition_names_;
  std::string screening_text_;
  std::string screening_why_;
};

// Reads id -> meaning from a findings.tsv ("id<TAB>group<TAB>meaning").
// kNotFound when the file cannot be read, kInvalidArgument (naming the
// line) when a line is malformed.
absl::StatusOr<std::map<std::string, std::string>> LoadFindingMeanings(
    const std::string& path);

}  // namespace kneechat
