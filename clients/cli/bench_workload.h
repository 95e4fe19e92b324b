// What `kneechat bench` sends: search queries and scripted conversations,
// with built-in defaults in kneechat's own words so that it runs with no
// file, and the script that plays one conversation call by call.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat::cli {

// A scripted conversation, as in the project's scenario files
// (tests/scenarios, tests/followups, tests/triage): the person's opening
// `turns`, `profile` answers to follow-up questions by slot id, and
// `questions` asked after that.
struct Conversation {
  std::string id;
  std::vector<std::string> turns;
  std::map<std::string, std::string> profile;
  std::vector<std::string> questions;
};

// The built-in search queries; never empty.
const std::vector<std::string>& DefaultSearchQueries();

// The built-in conversations; never empty.
const std::vector<Conversation>& DefaultConversations();

// The conversations of a JSON-lines scenario file (each object needs a
// non-empty `turns` list of strings; `id`, `profile` and `questions` (each
// a string or an object with `q`) are optional; other fields are ignored).
// kNotFound if it cannot be read; kInvalidArgument naming the line when an
// object has no turns, or when the file holds no conversation.
absl::StatusOr<std::vector<Conversation>> LoadConversations(
    const std::string& path);

// One playing of a conversation, one RPC at a time: CreateSession, each of
// the turns, an answer to each follow-up question the server asks (from the
// profile, else a plain default; at most `max_answers`), each of the
// questions, DeleteSession. Not thread-safe; the conversation must outlive
// the script.
class ConversationScript {
 public:
  enum class Step { kCreate, kSend, kDelete, kDone };

  explicit ConversationScript(const Conversation& conversation,
                              int max_answers = 6);

  // The RPC to make now.
  Step step() const { return step_; }
  // For kSend: the message text.
  const std::string& text() const { return text_; }

  // The current step succeeded with `reply` (CreateSession's greeting or
  // SendMessage's reply; null for DeleteSession). Moves to the next step.
  void Advance(const v1::Reply* reply);

 private:
  enum class Phase { kCreate, kTurns, kAnswers, kQuestions, kDelete, kDone };

  // After the turns, or after an answer: answer the server's question if it
  // asked one, else go on to the questions.
  void AnswerOrAsk(const v1::Reply* reply);
  void StartQuestions();

  const Conversation& conversation_;
  const int max_answers_;
  Phase phase_ = Phase::kCreate;
  Step step_ = Step::kCreate;
  size_t index_ = 0;
  int answers_ = 0;
  std::string text_;
};

}  // namespace kneechat::cli
