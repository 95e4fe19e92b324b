// One full turn in process, and the stages that make it up, over the real
// corpus and index: understanding (tokeniser + extractor), triage, retrieval
// with composition, and the whole SendMessage through the engine.
#include <iterator>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "services/common/paths.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/engine/kneechat_engine.h"
#include "services/retrieval/searcher.h"
#include "services/triage/merge_findings.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

constexpr char kMessage[] =
    "my right knee is sore at the front whenever I run and go down stairs, no "
    "swelling, started about 3 weeks ago";

template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) {
    fprintf(stderr, "%s\n", std::string(v.status().message()).c_str());
    abort();
  }
  return *std::move(v);
}

void BM_Understand(benchmark::State& state) {
  auto extractor = Must(Extractor::Load(DefaultDataPaths().corpus_dir));
  for (auto _ : state) {
    benchmark::DoNotOptimize(extractor->Understand(kMessage, {}));
  }
}
BENCHMARK(BM_Understand);

void BM_Triage(benchmark::State& state) {
  const DataPaths paths = DefaultDataPaths();
  auto extractor = Must(Extractor::Load(paths.corpus_dir));
  auto triage = Must(Triage::Load(paths.corpus_dir, DefaultDeploymentConfig()));
  ConversationFacts facts;
  MergeUnderstanding(Must(extractor->Understand(kMessage, {})), &facts);
  for (auto _ : state) {
    benchmark::DoNotOptimize(triage->Assess(facts.findings, facts.slots));
  }
}
BENCHMARK(BM_Triage);

void BM_ComposeAnswer(benchmark::State& state) {
  const DataPaths paths = DefaultDataPaths();
  auto knowledge = Must(DialogueKnowledge::Load(paths.corpus_dir));
  auto searcher = Must(Searcher::Open(paths.index_dir, paths.corpus_dir));
  Composer composer(*knowledge, *searcher);
  const ConditionSpec* condition = knowledge->FindCondition("patellofemoral");
  for (auto _ : state) {
    benchmark::DoNotOptimize(composer.Answer(*condition,
                                             "pain at the front of the knee",
                                             v1::TRIAGE_LEVEL_SELF_CARE));
  }
}
BENCHMARK(BM_ComposeAnswer);

void BM_ComposeFollowUp(benchmark::State& state) {
  const DataPaths paths = DefaultDataPaths();
  auto knowledge = Must(DialogueKnowledge::Load(paths.corpus_dir));
  auto searcher = Must(Searcher::Open(paths.index_dir, paths.corpus_dir));
  Composer composer(*knowledge, *searcher);
  for (auto _ : state) {
    benchmark::DoNotOptimize(composer.FollowUp(
        "can shoe inserts help?", knowledge->FindCondition("patellofemoral"),
        v1::TRIAGE_LEVEL_SELF_CARE));
  }
}
BENCHMARK(BM_ComposeFollowUp);

// Choosing the quoted sentences for follow-up questions of every kind (how
// to, should I, what is, why, does X help, how long, prevention, when to see
// someone, not covered), one question per iteration in turn.
void BM_FollowUpSelection(benchmark::State& state) {
  static const char* kQuestions[] = {
      "how do i strech the IT band",
      "is it ok for her to keep training?",
      "wats patellar tendinitis",
      "y does cycling do this",
      "does taping work?",
      "how long till i can train again",
      "how can I stop it happening again",
      "who should I see if it doesnt settle?",
      "can I take co-codamol and naproxen together",
      "is a sports massage worth it",
  };
  const DataPaths paths = DefaultDataPaths();
  auto knowledge = Must(DialogueKnowledge::Load(paths.corpus_dir));
  auto searcher = Must(Searcher::Open(paths.index_dir, paths.corpus_dir));
  Composer composer(*knowledge, *searcher);
  const ConditionSpec* condition = knowledge->FindCondition("patellofemoral");
  size_t i = 0;
  for (auto _ : state) {
    const char* question = kQuestions[i++ % std::size(kQuestions)];
    benchmark::DoNotOptimize(
        composer.FollowUp(question, condition, v1::TRIAGE_LEVEL_SELF_CARE));
  }
}
BENCHMARK(BM_FollowUpSelection);

// A whole SendMessage: a new session per 4 turns so the dialogue keeps
// moving through question, question, screening and answer.
void BM_FullTurn(benchmark::State& state) {
  auto engine = Must(CreateKneechatEngine(EngineOptions()));
  const char* turns[] = {kMessage, "31", "none of those",
                         "what about a brace?"};
  std::string session;
  int i = 0, id = 0;
  for (auto _ : state) {
    if (i % 4 == 0) {
      state.PauseTiming();
      v1::CreateSessionRequest create;
      create.set_channel("bench");
      session = Must(engine->CreateSession(create)).session_id();
      state.ResumeTiming();
    }
    v1::SendMessageRequest request;
    request.set_session_id(session);
    request.set_text(turns[i % 4]);
    request.set_message_id(std::to_string(++id));
    benchmark::DoNotOptimize(engine->SendMessage(request));
    ++i;
  }
}
BENCHMARK(BM_FullTurn);

}  // namespace
}  // namespace kneechat
