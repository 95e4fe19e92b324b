// One full turn in process, and the stages that make it up, over the real
// corpus and index: understanding (tokeniser + extractor), triage, retrieval
// with composition, and the whole SendMessage through the engine.
#include <algorithm>
#include <iterator>
#include <vector>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "services/common/paths.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/engine/benchmark_conversations.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"
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

// Passage search as the Search RPC runs it, over a few queries in turn.
void BM_Search(benchmark::State& state) {
  static const char* kQueries[] = {
      "runners knee exercises", "swollen knee after a fall",
      "when to see a doctor about knee pain", "ice or heat",
      "pain on the outside of the knee cycling", "arthritis stiffness",
  };
  auto engine = Must(CreateKneechatEngine(EngineOptions()));
  size_t i = 0;
  for (auto _ : state) {
    v1::SearchRequest request;
    request.set_query(kQueries[i++ % std::size(kQueries)]);
    benchmark::DoNotOptimize(engine->Search(request));
  }
}
BENCHMARK(BM_Search);

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


// The benchmark conversations played turn after turn, a new session for
// each. Reports the mean turn and, as counters, the serialised session state
// at each conversation's end (bytes: mean and largest).
void BM_Conversation(benchmark::State& state) {
  MemorySessionStore store(MemorySessionStoreOptions{absl::Minutes(30), 100000,
                                                     nullptr});
  EngineOptions options;
  options.session_store = &store;
  auto engine = Must(CreateKneechatEngine(options));
  const auto& conversations = BenchmarkConversations();
  std::vector<double> sizes;
  size_t c = 0, t = 0;
  int id = 0;
  std::string session;
  int64_t turns = 0;
  for (auto _ : state) {
    if (t == 0) {
      state.PauseTiming();
      v1::CreateSessionRequest create;
      create.set_channel("bench");
      session = Must(engine->CreateSession(create)).session_id();
      state.ResumeTiming();
    }
    v1::SendMessageRequest request;
    request.set_session_id(session);
    request.set_text(conversations[c][t]);
    request.set_message_id(std::to_string(++id));
    benchmark::DoNotOptimize(engine->SendMessage(request));
    ++turns;
    if (++t == conversations[c].size()) {
      state.PauseTiming();
      if (sizes.size() < 1000) {
        sizes.push_back(
            static_cast<double>(Must(store.Get(session)).ByteSizeLong()));
      }
      v1::DeleteSessionRequest remove;
      remove.set_session_id(session);
      (void)engine->DeleteSession(remove);
      state.ResumeTiming();
      t = 0;
      c = (c + 1) % conversations.size();
    }
  }
  double total = 0, largest = 0;
  for (double s : sizes) {
    total += s;
    largest = std::max(largest, s);
  }
  state.counters["state_bytes_mean"] = sizes.empty() ? 0 : total / sizes.size();
  state.counters["state_bytes_max"] = largest;
  state.SetItemsProcessed(turns);
}
BENCHMARK(BM_Conversation);

}  // namespace
}  // namespace kneechat
