// The dialogue state machine: one user turn in, one reply out.
//
// A turn is five steps, each a function below:
//   Interpret    read the message with the pending question as context:
//                every message is read for every finding and slot, whatever
//                was asked; the pending question is answered or not
//   Merge        add it to what the session knows
//   AssessTriage red flags, every message
//   DecideMove   the single place that chooses the next move (refer, ask,
//                answer, follow up, or a conversational reply), including
//                the rule that no question is asked more than twice
//   Render       compose the reply and say what it changes (what was
//                asked, what is pending, the state); Turn applies that
// Everything the engine says comes from corpus/dialogue or the red-flag
// rules, or quotes the articles.
//
// "Start again" is not a move: Turn resets the session before anything else.
// States: greeting -> gathering -> answered (follow-ups), plus referred
// (after an URGENT or EMERGENCY referral) and closed (after goodbye).
//
// Thread-safety: const and thread-safe; the SessionState is the caller's and
// must not be touched concurrently (the session store serialises turns).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/session/session_store.h"
#include "services/triage/merge_findings.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

namespace kneechat {

// What the dialogue does next; chosen by DecideMove.
enum class MoveKind {
  kHello,           // a bare greeting
  kRefer,           // a new or higher red flag
  kAskDeciding,     // a deciding fact for a partly matched red flag
  kRemindReferral,  // anything after an URGENT/EMERGENCY referral
  kGoodbye,
  kThanks,
  kOutOfScope,
  kAskSlot,            // the next missing slot
  kReaskSlot,          // the pending slot again, once
  kAskScreening,       // the red-flag screening question
  kAskScreeningWhich,  // "which of those signs?"
  kAnswer,             // the first cited answer
  kFollowUp,           // a cited answer to a later question
  kExplainQuestion,    // "why do you ask?": the reason, then the same question
};

// Step 1's result: what the message says, read against the pending
// question.
struct Interpretation {
  absl::Status status;  // an understanding error (e.g. invalid text)
  Understanding heard;
  // The message answered the pending question (a slot value, a reading of
  // the screening list, a deciding finding or a yes/no).
  bool pending_answered = false;
  // "Yes" to the screening list without naming which sign.
  bool screening_yes = false;
  // "Why do you ask?" about the pending question, and nothing else: never
  // an answer, never counted as a failed one.
  bool asks_why = false;
};

// Step 3's result.
struct Assessed {
  Assessment assessment;
  // A red flag not yet referred, or the level rose to URGENT or above.
  bool level_rose = false;
  // Rule questions folded into the last safety check (FoldQuestions); the
  // assessment's `ask` is then the first question asked on its own.
  std::vector<DecidingQuestion> folded;
};

struct Move {
  MoveKind kind = MoveKind::kAskSlot;
  std::string slot;  // for kAskSlot / kReaskSlot
  // For kFollowUp: the message did not look like knee talk, so if the
  // articles do not cover it, it is out of scope rather than not covered.
  bool off_topic = false;
  // For kAskScreening: rule questions folded into it (the last check).
  std::vector<DecidingQuestion> folded;
};

// What rendering a move changes in the session. Render only describes it;
// Turn applies it, in one place (ApplyChange in dialogue.cc).
struct StateChange {
  struct Pending {
    std::string kind;  // empty: nothing pending
    std::string slot;
    std::vector<std::string> findings;
  };
  std::optional<Pending> pending;
  std::vector<std::string> asked;  // question keys asked by this reply
  int questions = 0;               // questions this reply asks
  std::optional<std::string> session_state;
  std::optional<std::string> condition;
  std::optional<v1::TriageLevel> max_level;
  std::vector<std::string> referred_rules;
};

struct Rendered {
  v1::Reply reply;
  StateChange change;
};

class Dialogue {
 public:
  // References must outlive the Dialogue.
  Dialogue(const DialogueKnowledge& knowledge, const Extractor& extractor,
           const Triage& triage, const Composer& composer);

  // Fills a new session's state and returns the greeting.
  v1::Reply Start(SessionState& state) const;

  // Plays one user message. The text must already be validated (non-empty,
  // valid UTF-8, within limits); errors come only from broken knowledge or
  // index -- a first answer the composer could not plan, which
  // Composer::AnswersEveryCondition() tells at start-up -- and leave the
  // caller free to discard the changed state.
  // When `intents` is not null it receives the message's conversational
  // intents (understanding.h), for layers around the dialogue.
  // `today`, when known, dates an injury told by its month
  // (UnderstandingContext::today).
  absl::StatusOr<v1::Reply> Turn(
      SessionState& state, std::string_view text,
      std::set<std::string>* intents = nullptr,
      std::optional<absl::CivilDay> today = std::nullopt) const;

 private:
  Interpretation Interpret(const SessionState& state, std::string_view text,
                           std::optional<absl::CivilDay> today) const;
  // Adds the condition keywords `text` matches to state.keyword_hits.
  void RecordKeywordHits(std::string_view text, SessionState& state) const;
  // Stores the merged facts in `state` and returns them.
  ConversationFacts Merge(const Interpretation& in, SessionState& state,
                          std::string_view text) const;
  Assessed AssessTriage(const ConversationFacts& facts,
                        const Understanding& heard, SessionState& state) const;
  // Moves the assessment's question past a rule question already put and
  // no longer pending, to an open one that fills a slot of its own.
  void NextOpenQuestion(const SessionState& state, Assessment& a) const;
  void FoldQuestions(const SessionState& state, Assessed& out) const;
  Move DecideMove(const SessionState& state, const Interpretation& in,
                  const Assessed& assessed) const;
  v1::Reply Restart(SessionState& state) const;
  // The reply for `move` and the state changes it implies; `state` is
  // read, never written.
  absl::StatusOr<Rendered> Render(const Move& move, const SessionState& state,
                                  const Assessment& assessment,
                                  std::string_view text) const;
  v1::Reply Question(const SlotQuestion& q, bool reask) const;
  // The reason for the question pending in `state` (Reply.why).
  std::string QuestionReason(const SessionState& state,
                             const Assessment& assessment) const;
  v1::Reply ExplainQuestion(const SessionState& state,
                            const Assessment& assessment) const;
  v1::Reply Referral(const Assessment& assessment, const SessionState& state,
                     StateChange* change) const;
  std::string NextSlot(const SessionState& state) const;

  const DialogueKnowledge& knowledge_;
  const Extractor& extractor_;
  const Triage& triage_;
  const Composer& composer_;
};

}  // namespace kneechat
