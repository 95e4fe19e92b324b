// Instructions per turn, for callgrind: plays the benchmark conversations
// (benchmark_conversations.h) `warmup` times, zeroes callgrind's counters,
// then plays them `rounds` times and prints how many turns that was.
// Divide the cost of KneechatEngine::SendMessage by it (README, "Measuring
// speed"):
//   valgrind --tool=callgrind --toggle-collect=\
//   '*KneechatEngine::SendMessage(kneechat::v1::SendMessageRequest const&)' \
//     build/services/engine/kneechat_turn_profile [warmup [rounds]]
// (The exact name: a pattern that also matched the lambda inside would
// toggle collection off within the call.)
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "services/engine/benchmark_conversations.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"

int main(int argc, char** argv) {
  using namespace kneechat;
  const int warmup = argc > 1 ? atoi(argv[1]) : 5;
  const int rounds = argc > 2 ? atoi(argv[2]) : 20;
  MemorySessionStore store(
      MemorySessionStoreOptions{absl::Minutes(30), 100000, nullptr});
  EngineOptions options;
  options.session_store = &store;
  auto engine = CreateKneechatEngine(options);
  if (!engine.ok()) {
    fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    return 1;
  }
  int id = 0, turns = 0;
  for (int round = 0; round < warmup + rounds; ++round) {
    if (round == warmup) {
      CALLGRIND_ZERO_STATS;
      turns = 0;
    }
    for (const auto& conversation : BenchmarkConversations()) {
      v1::CreateSessionRequest create;
      create.set_channel("bench");
      auto created = (*engine)->CreateSession(create);
      if (!created.ok()) return 1;
      for (const std::string& text : conversation) {
        v1::SendMessageRequest request;
        request.set_session_id(created->session_id());
        request.set_text(text);
        request.set_message_id(std::to_string(++id));
        if (!(*engine)->SendMessage(request).ok()) return 1;
        ++turns;
      }
      v1::DeleteSessionRequest remove;
      remove.set_session_id(created->session_id());
      (void)(*engine)->DeleteSession(remove);
    }
  }
  printf("turns: %d\n", turns);
  return 0;
}
