// Composes cited replies: what the articles say, quoted exactly, with `[n]`
// markers in the text and the quoted excerpts as citations, plus a short
// spoken version. Never writes advice of its own: every advice line is an
// excerpt of a cited passage; the only other lines are the curated intro and
// safety-net text from corpus/dialogue.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/dialogue/question_terms.h"
#include "services/retrieval/searcher.h"

namespace kneechat {

// Thread-safe (const); holds references to objects that must outlive it.
class Composer {
 public:
  // Reads the index's passages once, to weigh the words of questions.
  Composer(const DialogueKnowledge& knowledge, const Searcher& searcher);

  // The first answer: what `condition` is and what helps, from the articles.
  // `summary` restates what the person said. kNotFound if the index has
  // nothing for the condition (a broken index).
  absl::StatusOr<v1::Reply> Answer(const ConditionSpec& condition,
                                   const std::string& summary,
                                   v1::TriageLevel level) const;

  // Answers a follow-up question from the index. Passages are ranked by how
  // well they answer the question, then by whether they also speak of
  // `condition` (may be null); a quote must hold a specific word of the
  // question or one of its lexicon synonyms, and rare words count for more
  // than common ones. REPLY_KIND_NOT_COVERED when no passage covers enough
  // of the question. `off_topic`: the message did not look like knee talk,
  // so every specific word must occur in the articles and the quote must
  // answer most of the question.
  absl::StatusOr<v1::Reply> FollowUp(std::string_view question,
                                     const ConditionSpec* condition,
                                     v1::TriageLevel level,
                                     bool off_topic = false) const;

 private:
  const DialogueKnowledge& knowledge_;
  const Searcher& searcher_;
  const ArticleVocabulary vocabulary_;
};

// Spoken form of chat text: drops [n] markers, URLs and bullets, collapses
// whitespace.
std::string ToSpeech(std::string_view text);

}  // namespace kneechat
