// Answers a follow-up question with the article sentences that answer it.
//
// The question is read (services/retrieval/question_reader.h) for its type
// and for decisions only a professional can make, split into terms with
// their lexicon synonyms (services/retrieval/query_analyzer.h), and every
// sentence of the articles holding one of its specific terms is scored:
//   - each term counts by how rare it is among the articles' sentences
//     (a synonym a little less than the word as typed); incidental words
//     ("left", "really") and generic ones ("knee", "pain") count little;
//   - terms the sentence lacks but its passage heading or a neighbouring
//     sentence holds count for part (the sentence is read in context);
//   - words naming what the question compares with ("worse than jogging")
//     or, in a how-long question, the event the time runs to ("until I book
//     a physio") count for little;
//   - a sentence with the shape of an answer to the question's type
//     (instructions for "how do I", causes for "why" ...) counts for more,
//     and so does one from the articles about the person's problem; when
//     the type is the question's point ("how long", "who"), the shape
//     weighs as a word of its own, earned only by a sentence that also
//     holds or sits next to part of the question's words.
// The score is the share of the question's weight the sentence answers, so
// a question whose main words no article holds scores low. Only sentences
// that can stand as quotes are returned, with the next sentence added when
// the answer runs on into it or the sentence announces it ("There are
// several easy tips ..."); never the same sentence twice.
//
// Built once when the index is loaded (Searcher::Open); immutable after
// that, and Find is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/retrieval/query_analyzer.h"
#include "services/retrieval/question_reader.h"
#include "services/retrieval/searcher.h"
#include "services/retrieval/sentence_index.h"

namespace kneechat {

// What the conversation is about, to prefer sentences in that context.
struct AnswerContext {
  std::vector<std::string> documents;  // articles about the person's problem
  std::string about;                   // words naming the problem
};

struct QuotedSentences {
  PassageHit passage;   // its document, id, title and heading (score unset)
  std::string excerpt;  // exact text of the passage: one or two sentences
  double score = 0;     // 0..~1.5: share of the question answered, boosted
};

enum class AnswerVerdict {
  kAnswered,      // quotes answer the question
  kNotCovered,    // about the person's health, but nothing answers it well
  kUnrelated,     // no word of it occurs in the articles at all
  kProfessional,  // only a professional who knows the person can answer
};

struct FoundAnswer {
  AnswerVerdict verdict = AnswerVerdict::kNotCovered;
  QuestionReading reading;
  std::vector<QuotedSentences> quotes;  // best first, at most two
  // Share of the question the best candidate answers (answer shape
  // included, the conversation's context not), even when not answered: what
  // kMinScore is compared with.
  double best_score = 0;
};

class AnswerFinder {
 public:
  // A quote must score at least this much, before the conversation's
  // context is counted. Calibrated on the follow-up development questions:
  // the unanswerable ones scored at most 0.40, the answerable at least 0.44
  // (README, "Follow-up questions").
  static constexpr double kMinScore = 0.42;

  // `passages` are the index's, in its order; `analyzer` must outlive the
  // finder.
  AnswerFinder(std::vector<PassageHit> passages, const QueryAnalyzer& analyzer,
               std::unique_ptr<const QuestionReader> reader);

  // The sentences that answer `question` (valid UTF-8; its first 60 words
  // are read) in `context`. If
  // `considered` is not null, it receives the best-scoring candidate
  // sentences (up to ten, one sentence each), for probes and tests.
  FoundAnswer Find(std::string_view question, const AnswerContext& context,
                   std::vector<QuotedSentences>* considered = nullptr) const;

  const QuestionReader& reader() const { return *reader_; }
  const SentenceIndex& sentences() const { return index_; }

 private:
  const QueryAnalyzer& analyzer_;
  const std::unique_ptr<const QuestionReader> reader_;
  const SentenceIndex index_;
  // Tells finders apart in per-thread caches (never 0, never reused).
  uint64_t id_ = 0;
};

}  // namespace kneechat
