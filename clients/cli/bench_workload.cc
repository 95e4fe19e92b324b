#include "clients/cli/bench_workload.h"

#include "absl/strings/str_cat.h"
#include "clients/cli/eval.h"

namespace kneechat::cli {
namespace {

// Answers for a follow-up question whose slot the profile does not cover.
const std::map<std::string, std::string>& PlainAnswers() {
  static const auto* answers = new std::map<std::string, std::string>{
      {"location", "mostly round the kneecap"},
      {"onset", "crept up on me, no injury"},
      {"activity", "stairs and longer walks"},
      {"duration", "roughly a month"},
      {"age", "44"},
      {"swelling", "not swollen"},
      {"weight_bearing", "walking on it is ok"},
      {"red_flags", "no, nothing like that"},
      {"other", "nothing else"}};
  return *answers;
}

}  // namespace

const std::vector<std::string>& DefaultSearchQueries() {
  static const auto* queries = new std::vector<std::string>{
      "knee brace for jogging",
      "ache behind the kneecap going downstairs",
      "hip strengthening for sore knees",
      "ice or heat after a run",
      "choosing running shoes",
      "swollen knee after football",
      "stretching the outside of the knee",
      "how long to rest from running",
      "foam rolling the IT band",
      "kneeling makes my knee hurt",
      "knee pain when cycling",
      "squats with patellofemoral pain",
  };
  return *queries;
}

const std::vector<Conversation>& DefaultConversations() {
  static const auto* conversations = new std::vector<Conversation>{
      {"hill-cyclist",
       {"climbing hills on the bike leaves my kneecap area aching"},
       {{"duration", "around two months"},
        {"age", "41"},
        {"onset", "slowly"},
        {"swelling", "none"},
        {"weight_bearing", "yes fine"},
        {"red_flags", "no none of those"}},
       {"should I lower my saddle?", "is ice useful after a ride?"}},
      {"five-a-side",
       {"hello", "twisted my knee at five a side last night and it puffed up"},
       {{"weight_bearing", "I can limp on it"},
        {"swelling", "came up within a couple of hours"},
        {"age", "27"},
        {"red_flags", "no"}},
       {"when can I play again?"}},
      {"outer-runner",
       {"long runs leave the outer edge of my knee sore"},
       {{"duration", "since the spring"},
        {"age", "35"},
        {"onset", "gradually"},
        {"swelling", "no"},
        {"red_flags", "none"}},
       {"what stretches help?", "do I need new trainers?"}},
      {"hot-knee",
       {"my knee has gone hot and red and I feel feverish and shivery"},
       {},
       {"can I just take paracetamol?"}},
      {"morning-stiffness",
       {"i'm 68 and my knees are stiff first thing in the morning"},
       {{"location", "all over"},
        {"duration", "years really"},
        {"onset", "slowly"},
        {"swelling", "a bit puffy sometimes"},
        {"red_flags", "no"}},
       {"will walking make it worse?"}},
  };
  return *conversations;
}

absl::StatusOr<std::vector<Conversation>> LoadConversations(
    const std::string& path) {
  absl::StatusOr<std::vector<Json>> entries = ReadJsonLines(path);
  if (!entries.ok()) return entries.status();
  std::vector<Conversation> conversations;
  for (size_t i = 0; i < entries->size(); ++i) {
    const Json& entry = (*entries)[i];
    Conversation conversation;
    conversation.id = entry.contains("id") && entry["id"].is_string()
                          ? entry["id"].get<std::string>()
                          : absl::StrCat("#", i + 1);
    if (entry.contains("turns") && entry["turns"].is_array()) {
      for (const Json& turn : entry["turns"]) {
        if (turn.is_string()) conversation.turns.push_back(turn);
      }
    }
    if (conversation.turns.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": conversation ", conversation.id, " has no turns"));
    }
    if (entry.contains("profile") && entry["profile"].is_object()) {
      for (const auto& [slot, answer] : entry["profile"].items()) {
        if (answer.is_string()) conversation.profile[slot] = answer;
      }
    }
    if (entry.contains("questions") && entry["questions"].is_array()) {
      for (const Json& question : entry["questions"]) {
        if (question.is_string()) {
          conversation.questions.push_back(question);
        } else if (question.is_object() && question.contains("q") &&
                   question["q"].is_string()) {
          conversation.questions.push_back(question["q"]);
        }
      }
    }
    conversations.push_back(std::move(conversation));
  }
  if (conversations.empty()) {
    return absl::InvalidArgumentError(path + " holds no conversation");
  }
  return conversations;
}

ConversationScript::ConversationScript(const Conversation& conversation,
                                       int max_answers)
    : conversation_(conversation), max_answers_(max_answers) {}

void ConversationScript::Advance(const v1::Reply* reply) {
  switch (phase_) {
    case Phase::kCreate:
      index_ = 0;
      if (conversation_.turns.empty()) {
        AnswerOrAsk(reply);
        return;
      }
      phase_ = Phase::kTurns;
      step_ = Step::kSend;
      text_ = conversation_.turns[0];
      return;
    case Phase::kTurns:
      if (++index_ < conversation_.turns.size()) {
        text_ = conversation_.turns[index_];
        return;
      }
      AnswerOrAsk(reply);
      return;
    case Phase::kAnswers:
      ++answers_;
      AnswerOrAsk(reply);
      return;
    case Phase::kQuestions:
      if (++index_ < conversation_.questions.size()) {
        text_ = conversation_.questions[index_];
        return;
      }
      phase_ = Phase::kDelete;
      step_ = Step::kDelete;
      return;
    case Phase::kDelete:
    case Phase::kDone:
      phase_ = Phase::kDone;
      step_ = Step::kDone;
      return;
  }
}

void ConversationScript::AnswerOrAsk(const v1::Reply* reply) {
  if (reply != nullptr && reply->kind() == v1::REPLY_KIND_QUESTION &&
      !reply->asking().empty() && answers_ < max_answers_) {
    const auto own = conversation_.profile.find(reply->asking());
    const auto plain = PlainAnswers().find(reply->asking());
    phase_ = Phase::kAnswers;
    step_ = Step::kSend;
    text_ = own != conversation_.profile.end() ? own->second
            : plain != PlainAnswers().end()    ? plain->second
                                               : "not sure";
    return;
  }
  StartQuestions();
}

void ConversationScript::StartQuestions() {
  index_ = 0;
  if (conversation_.questions.empty()) {
    phase_ = Phase::kDelete;
    step_ = Step::kDelete;
    return;
  }
  phase_ = Phase::kQuestions;
  step_ = Step::kSend;
  text_ = conversation_.questions[0];
}

}  // namespace kneechat::cli
