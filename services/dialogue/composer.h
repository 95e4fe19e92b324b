// Composes cited replies: what the articles say, quoted exactly, with `[n]`
// markers in the text and the quoted excerpts as citations, plus a short
// spoken version. Never writes advice of its own: every advice line is an
// excerpt of a cited passage; the only other lines are the curated intro and
// safety-net text from corpus/dialogue.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/retrieval/searcher.h"

namespace kneechat {

// Thread-safe (const); holds references to objects that must outlive it.
class Composer {
 public:
  // Plans the first answer of every condition in `knowledge` once, here:
  // the quotes, citations and spoken form depend only on the condition and
  // the index, so a turn only fills in the summary and the safety lines.
  Composer(const DialogueKnowledge& knowledge, const Searcher& searcher);
  ~Composer();

  // The first answer: what `condition` is and what helps, from the articles.
  // `summary` restates what the person said. kNotFound if the index has
  // nothing for the condition (a broken index).
  absl::StatusOr<v1::Reply> Answer(const ConditionSpec& condition,
                                   const std::string& summary,
                                   v1::TriageLevel level) const;

  // Whether Answer() succeeds for every condition of the knowledge: false
  // when the index had nothing for one of them.
  bool AnswersEveryCondition() const;

  // Texts the replies hold whole, as a paragraph or as their speech, that
  // depend only on the knowledge and the index: each condition's spoken
  // first answer, and the safety lines ending an answer at every level.
  std::vector<std::string> FixedTexts() const;

  // Answers a follow-up question with the article sentences that answer it
  // (Searcher::answers()), in the context of `condition` (may be null).
  // REPLY_KIND_NOT_COVERED when nothing answers it well enough, and for
  // doses and interactions; questions about medicines, imaging or surgery
  // also get who decides (decision_lines). REPLY_KIND_OUT_OF_SCOPE when
  // `off_topic` (the message did not read as knee talk) and no word of it
  // occurs in the articles. The full safety net ends answers about
  // worsening, new symptoms or when to get care; others end with the
  // one-line safety_reminder.
  absl::StatusOr<v1::Reply> FollowUp(std::string_view question,
                                     const ConditionSpec* condition,
                                     v1::TriageLevel level,
                                     bool off_topic = false) const;

 private:
  struct AnswerPlan;
  // The quotes of `condition`'s first answer, from the index.
  std::unique_ptr<const AnswerPlan> PlanAnswer(
      const ConditionSpec& condition) const;

  const DialogueKnowledge& knowledge_;
  const Searcher& searcher_;
  // By condition, for the conditions of knowledge_.
  std::unordered_map<const ConditionSpec*, std::unique_ptr<const AnswerPlan>>
      plans_;
};

// Spoken form of chat text: drops [n] markers, URLs and bullets, collapses
// whitespace.
std::string ToSpeech(std::string_view text);

}  // namespace kneechat
