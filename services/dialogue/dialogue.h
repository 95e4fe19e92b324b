// The dialogue state machine: one user turn in, one reply out.
//
// A turn goes: understand the text (slots, findings with polarity) -> merge
// into what the session knows -> assess red flags -> decide the next move
// (refer, ask, answer, follow up, or a conversational reply) -> compose.
// `DecideMove` is the single place that chooses the next move; everything
// the engine says comes from corpus/dialogue or quotes the articles.
//
// "Start again" is not a move: Turn resets the session before anything else.
// States: greeting -> gathering -> answered (follow-ups), plus referred
// (after an URGENT or EMERGENCY referral) and closed (after goodbye).
//
// Thread-safety: const and thread-safe; the SessionState is the caller's and
// must not be touched concurrently (the session store serialises turns).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/session/session_store.h"
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
};

struct Move {
  MoveKind kind = MoveKind::kAskSlot;
  std::string slot;  // for kAskSlot / kReaskSlot
  // For kFollowUp: the message did not look like knee talk, so if the
  // articles do not cover it, it is out of scope rather than not covered.
  bool off_topic = false;
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
  // index (kInternal and friends), and leave the caller free to discard the
  // changed state.
  absl::StatusOr<v1::Reply> Turn(SessionState& state,
                                 std::string_view text) const;

 private:
  Move DecideMove(const SessionState& state, const Understanding& heard,
                  const Assessment& assessment, bool level_rose,
                  bool pending_answered) const;
  absl::StatusOr<v1::Reply> Render(const Move& move, SessionState& state,
                                   const Assessment& assessment,
                                   std::string_view text) const;
  v1::Reply Question(const SlotQuestion& q, bool reask) const;
  v1::Reply Referral(const Assessment& assessment, SessionState& state) const;
  std::string NextSlot(const SessionState& state) const;

  const DialogueKnowledge& knowledge_;
  const Extractor& extractor_;
  const Triage& triage_;
  const Composer& composer_;
};

}  // namespace kneechat
