// Memory a conversation costs: opens N sessions through the engine over an
// in-memory store, plays a short typical conversation in each, and reports
// as counters the resident bytes per session (/proc/self/statm), the heap
// bytes per session (mallinfo2), the serialised session state's size
// (p50, p90, max; SessionStore::Get) and what the store holds for it
// (MemorySessionStore::Stored); BM_ConversationStateSize the serialised
// state of each benchmark conversation. Each runs with the store's
// compress_after at 0 (compressed/1: every session but the newest is
// compressed, as all are once idle) and never (compressed/0). Written against
// the public Engine, EngineOptions and MemorySessionStore interfaces only.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/engine/benchmark_conversations.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"

namespace kneechat {
namespace {

// A short conversation: the complaint, two answers, one follow-up question.
constexpr const char* kTurns[] = {
    "going down stairs after a run makes my kneecap throb",
    "about three weeks",
    "no, none of those",
    "would a knee support help?",
};

template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) {
    fprintf(stderr, "%s\n", std::string(v.status().message()).c_str());
    abort();
  }
  return *std::move(v);
}

// Resident bytes of this process (the second field of /proc/self/statm).
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(getpagesize());
}

// Bytes malloc has handed out and not had back.
double HeapBytes() { return static_cast<double>(mallinfo2().uordblks); }

std::string PlayConversation(Engine& engine, int number) {
  v1::CreateSessionRequest create;
  create.set_channel("bench");
  const std::string id = Must(engine.CreateSession(create)).session_id();
  int message = 0;
  for (const char* text : kTurns) {
    v1::SendMessageRequest request;
    request.set_session_id(id);
    request.set_text(text);
    request.set_message_id(std::to_string(number) + "-" +
                           std::to_string(++message));
    Must(engine.SendMessage(request));
  }
  return id;
}

absl::Duration CompressAfter(int64_t compressed) {
  return compressed != 0 ? absl::ZeroDuration() : absl::InfiniteDuration();
}

// Mean bytes the store holds per session, and the share compressed, over
// (at most about 10,000 of) `ids`.
void CountStored(MemorySessionStore& store, const std::vector<std::string>& ids,
                 benchmark::State& state) {
  const size_t step = std::max<size_t>(1, ids.size() / 10000);
  double bytes = 0, compressed = 0, read = 0;
  for (size_t i = 0; i < ids.size(); i += step) {
    absl::StatusOr<StoredSession> stored = store.Stored(ids[i]);
    if (!stored.ok()) continue;
    bytes += static_cast<double>(stored->bytes);
    compressed += stored->compressed ? 1 : 0;
    ++read;
  }
  state.counters["stored_bytes_mean"] = read > 0 ? bytes / read : 0;
  state.counters["compressed_share"] = read > 0 ? compressed / read : 0;
}

double Quantile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(
      std::max(1.0, std::ceil(fraction * static_cast<double>(sorted.size()))));
  return sorted[std::min(rank, sorted.size()) - 1];
}

void BM_SessionMemory(benchmark::State& state) {
  const int sessions = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    MemorySessionStoreOptions store_options;
    store_options.max_sessions = static_cast<size_t>(sessions) + 16;
    store_options.compress_after = CompressAfter(state.range(1));
    auto store = std::make_unique<MemorySessionStore>(store_options);
    EngineOptions options;
    options.session_store = store.get();
    options.max_sessions = store_options.max_sessions;
    auto engine = Must(CreateKneechatEngine(options));
    // One conversation first, so that what the engine loads on first use
    // is not counted against the sessions.
    v1::DeleteSessionRequest first;
    first.set_session_id(PlayConversation(*engine, -1));
    Must(engine->DeleteSession(first));
    malloc_trim(0);
    const double resident_before = ResidentBytes();
    const double heap_before = HeapBytes();
    state.ResumeTiming();

    std::vector<std::string> ids;
    ids.reserve(static_cast<size_t>(sessions));
    for (int i = 0; i < sessions; ++i) {
      ids.push_back(PlayConversation(*engine, i));
    }

    state.PauseTiming();
    malloc_trim(0);
    const double resident_after = ResidentBytes();
    const double heap_after = HeapBytes();
    std::vector<double> serialised;
    for (const std::string& id : ids) {
      absl::StatusOr<SessionState> session = store->Get(id);
      if (session.ok()) {
        serialised.push_back(static_cast<double>(session->ByteSizeLong()));
      }
    }
    std::sort(serialised.begin(), serialised.end());
    state.counters["resident_bytes_per_session"] =
        (resident_after - resident_before) / sessions;
    state.counters["heap_bytes_per_session"] =
        (heap_after - heap_before) / sessions;
    state.counters["serialised_bytes_p50"] = Quantile(serialised, 0.5);
    state.counters["serialised_bytes_p90"] = Quantile(serialised, 0.9);
    state.counters["serialised_bytes_max"] =
        serialised.empty() ? 0 : serialised.back();
    state.counters["sessions_read"] = static_cast<double>(serialised.size());
    CountStored(*store, ids, state);
    engine.reset();
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * sessions);
}
BENCHMARK(BM_SessionMemory)
    ->ArgNames({"sessions", "compressed"})
    ->ArgsProduct({{200, 2000}, {0, 1}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// The serialised state each benchmark conversation (benchmark_conversations.h)
// ends in: mean, p50, p90 and max bytes.
void BM_ConversationStateSize(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    MemorySessionStore store(MemorySessionStoreOptions{});
    EngineOptions options;
    options.session_store = &store;
    auto engine = Must(CreateKneechatEngine(options));
    state.ResumeTiming();
    std::vector<double> sizes;
    int message = 0;
    for (const auto& turns : BenchmarkConversations()) {
      v1::CreateSessionRequest create;
      create.set_channel("web");
      const std::string id = Must(engine->CreateSession(create)).session_id();
      for (const std::string& text : turns) {
        v1::SendMessageRequest request;
        request.set_session_id(id);
        request.set_text(text);
        request.set_message_id(std::to_string(++message));
        Must(engine->SendMessage(request));
      }
      sizes.push_back(static_cast<double>(Must(store.Get(id)).ByteSizeLong()));
    }
    std::sort(sizes.begin(), sizes.end());
    double sum = 0;
    for (double s : sizes) sum += s;
    state.counters["serialised_bytes_mean"] = sum / sizes.size();
    state.counters["serialised_bytes_p50"] = Quantile(sizes, 0.5);
    state.counters["serialised_bytes_p90"] = Quantile(sizes, 0.9);
    state.counters["serialised_bytes_max"] = sizes.back();
  }
}
BENCHMARK(BM_ConversationStateSize)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// A million open sessions in the in-memory store: the benchmark
// conversations are played once each, and their states then fill the store
// under new ids, in turn -- what a server holds when a million people are
// mid-conversation. Reports resident bytes per session and in all; with
// compressed/1 (compress_after 0) every session is compressed as the next
// one comes in, as each is once idle for compress_after; compressed/0 keeps
// them all uncompressed, as before compression.
void BM_MillionIdleSessions(benchmark::State& state) {
  const size_t sessions = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    MemorySessionStoreOptions store_options;
    store_options.max_sessions = sessions + 16;
    store_options.compress_after = CompressAfter(state.range(1));
    auto store = std::make_unique<MemorySessionStore>(store_options);
    EngineOptions options;
    options.session_store = store.get();
    auto engine = Must(CreateKneechatEngine(options));
    std::vector<SessionState> played;
    int message = 0;
    for (const auto& turns : BenchmarkConversations()) {
      v1::CreateSessionRequest create;
      create.set_channel("web");
      const std::string id = Must(engine->CreateSession(create)).session_id();
      for (const std::string& text : turns) {
        v1::SendMessageRequest request;
        request.set_session_id(id);
        request.set_text(text);
        request.set_message_id(std::to_string(++message));
        Must(engine->SendMessage(request));
      }
      played.push_back(Must(store->Get(id)));
      v1::DeleteSessionRequest remove;
      remove.set_session_id(id);
      Must(engine->DeleteSession(remove));
    }
    double serialised = 0;
    for (const SessionState& s : played) serialised += s.ByteSizeLong();
    malloc_trim(0);
    const double resident_before = ResidentBytes();
    state.ResumeTiming();
    char id[40];
    for (size_t i = 0; i < sessions; ++i) {
      SessionState& s = played[i % played.size()];
      snprintf(id, sizeof(id), "%032zx", i);
      s.mutable_session()->set_session_id(id);
      if (!store->Insert(s).ok()) abort();
    }
    state.PauseTiming();
    malloc_trim(0);
    const double resident = ResidentBytes() - resident_before;
    std::vector<std::string> sample;
    for (size_t i = 0; i < sessions; i += 997) {
      snprintf(id, sizeof(id), "%032zx", i);
      sample.push_back(id);
    }
    CountStored(*store, sample, state);
    state.counters["resident_bytes_per_session"] = resident / sessions;
    state.counters["resident_gib"] = resident / (1024.0 * 1024 * 1024);
    state.counters["serialised_bytes_mean"] = serialised / played.size();
    state.counters["sessions_open"] = static_cast<double>(store->Size());
    store.reset();
    engine.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_MillionIdleSessions)
    ->ArgNames({"sessions", "compressed"})
    ->Args({1000000, 1})
    ->Args({1000000, 0})
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace kneechat
