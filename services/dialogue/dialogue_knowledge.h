// The dialogue's curated text and problem descriptions
// (corpus/dialogue/dialogue.textproto), loaded and validated once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "kneechat/knowledge/v1/dialogue.pb.h"
#include "re2/re2.h"
#include "services/common/pattern_set.h"

namespace kneechat {

using DialogueText = knowledge::v1::DialogueText;
using ConditionSpec = knowledge::v1::Condition;
using SlotQuestion = knowledge::v1::SlotQuestion;

// Immutable after Load; thread-safe to share.
class DialogueKnowledge {
 public:
  // Reads <corpus_dir>/dialogue/dialogue.textproto. kNotFound if missing;
  // kInvalidArgument naming the field for: a quick reply over the limits
  // (title > 20 characters, id > 64 bytes, > 5 per question), an unknown
  // slot, a bad keyword or wondering pattern, an unknown fallback condition.
  static absl::StatusOr<std::unique_ptr<DialogueKnowledge>> Load(
      const std::string& corpus_dir);
  static absl::StatusOr<std::unique_ptr<DialogueKnowledge>> FromText(
      const DialogueText& text);

  const DialogueText& text() const { return text_; }
  // The question for `slot`, or null.
  const SlotQuestion* Question(const std::string& slot) const;
  // Conditions with their compiled keyword patterns, in file order.
  struct CompiledCondition {
    const ConditionSpec* spec;
    std::vector<std::unique_ptr<RE2>> keywords;
  };
  const std::vector<CompiledCondition>& conditions() const {
    return conditions_;
  }
  // Which keyword patterns occur in `text`, in the order of conditions():
  // the pairs (condition index, keyword index) for which
  // RE2::PartialMatch(text, *conditions()[c].keywords[k]) holds.
  std::vector<std::pair<size_t, size_t>> KeywordsIn(
      std::string_view text) const;
  const ConditionSpec* FindCondition(const std::string& id) const;
  // Whether `clause` only wonders about an injury (wondering_patterns).
  bool Wonders(const std::string& clause) const;
  // summary_phrases["slot:value"], or "".
  std::string Phrase(const std::string& slot, const std::string& value) const;
  // Whether any of `words` is in the screening_reply_words list `list`
  // (text().screening_reply_words().all_clear() ...).
  static bool AnyOf(
      const std::vector<std::string>& words,
      const google::protobuf::RepeatedPtrField<std::string>& list);

 private:
  DialogueText text_;
  std::vector<CompiledCondition> conditions_;
  // Every keyword pattern at once, numbered in the order of conditions_
  // (keyword_of_[n] is pattern n's place).
  PatternSet keyword_set_;
  std::vector<std::pair<size_t, size_t>> keyword_of_;
  std::vector<std::unique_ptr<RE2>> wondering_;
};

}  // namespace kneechat
