// What the engine learns while it serves one request, for that request's
// log line and metrics: the session's channel, whether a turn was a retry
// answered from memory, the questions asked before a first answer, and how
// long each stage of a turn took. Never user text.
//
// The front end that wants them opens a ScopedRequestFacts around the
// engine call; the engine (and the stages it runs) fill in the facts of the
// request running on the same thread. With no scope open, everything here
// is a no-op, so engine code may record unconditionally.
//
// Thread-safety: the facts belong to the calling thread; a request must run
// on the thread that opened its scope.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

namespace kneechat {

// The stages of a turn whose time is measured. Times are exclusive: the
// retrieval done while composing is counted as retrieval only.
enum class TurnStage : int {
  kUnderstanding = 0,  // reading the message (slots, findings, crisis)
  kTriage,             // merging what is known and assessing red flags
  kRetrieval,          // Xapian searches and answer-sentence finding
  kComposing,          // deciding the move and writing the reply
};
inline constexpr size_t kTurnStageCount = 4;

// "understanding", "triage", "retrieval", "composing".
const char* TurnStageName(TurnStage stage);

struct RequestFacts {
  // The session's channel as stored ("web", "telegram", ...); empty when
  // the request reached no session.
  std::string channel;
  // A SendMessage retry answered from the stored reply: no turn was played.
  bool replayed = false;
  // Set on the turn that gives a conversation its first cited answer: the
  // questions kneechat asked before it; -1 otherwise.
  int questions_before_first_answer = -1;
  // Seconds spent in each stage, indexed by TurnStage; all zero for
  // requests that played no turn.
  std::array<double, kTurnStageCount> stage_seconds{};
  bool stages_timed = false;  // at least one stage ran
};

// Opens the facts of the request about to run on this thread; nests (the
// inner scope wins until it closes).
class ScopedRequestFacts {
 public:
  ScopedRequestFacts();
  ~ScopedRequestFacts();
  ScopedRequestFacts(const ScopedRequestFacts&) = delete;
  ScopedRequestFacts& operator=(const ScopedRequestFacts&) = delete;

  const RequestFacts& facts() const { return facts_; }

 private:
  RequestFacts facts_;
  RequestFacts* const outer_;
};

// The facts of the request running on this thread; null outside any scope.
RequestFacts* CurrentRequestFacts();

// Times the enclosing block as `stage` of the current request (exclusive of
// nested ScopedStages). Nothing is recorded outside a ScopedRequestFacts.
class ScopedStage {
 public:
  explicit ScopedStage(TurnStage stage);
  ~ScopedStage();
  ScopedStage(const ScopedStage&) = delete;
  ScopedStage& operator=(const ScopedStage&) = delete;

 private:
  const TurnStage stage_;
  const std::chrono::steady_clock::time_point start_;
  ScopedStage* const parent_;
  std::chrono::steady_clock::duration nested_{0};
};

}  // namespace kneechat
