// Calls a second through OutboundQueue over CurlTransport to a local fake
// platform API that is fast, slow, or answers every Nth call 429 with
// retry_after 1 (as the Bot API does under flood control). Arguments:
// {api delay ms, 429 every N (0: never), workers}.
//
//   build/services/outbound/kneechat_outbound_queue_benchmark
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/outbound/curl_transport.h"
#include "services/outbound/outbound_queue.h"

namespace kneechat {
namespace {

constexpr int kCalls = 200;

void BM_Calls(benchmark::State& state) {
  const int delay_ms = static_cast<int>(state.range(0));
  const int every_429 = static_cast<int>(state.range(1));
  httplib::Server api;
  std::atomic<int> calls{0};
  api.Post("/send", [&](const httplib::Request&, httplib::Response& res) {
    const int n = ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (every_429 > 0 && n % every_429 == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content(R"({"ok":true})", "application/json");
  });
  api.new_task_queue = [] { return new httplib::ThreadPool(64); };
  api.set_tcp_nodelay(true);
  api.set_keep_alive_max_count(1000000);
  const int port = api.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { api.listen_after_bind(); });
  while (!api.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CurlTransport transport;
  OutboundQueueOptions options;
  options.workers = static_cast<int>(state.range(2));
  options.capacity = kCalls;
  for (auto _ : state) {
    OutboundQueue queue(transport, options);
    for (int i = 0; i < kCalls; ++i) {
      OutboundRequest request;
      request.ordering_key = i;
      request.what = "sendMessage";
      request.post.url = absl::StrCat("http://127.0.0.1:", port, "/send");
      request.post.body = R"({"chat_id":1,"text":"hello"})";
      queue.Submit(std::move(request)).IgnoreError();
    }
    queue.Flush();
    state.counters["sent"] = queue.stats().sent;
    state.counters["429s"] = queue.stats().rate_limited;
  }
  state.SetItemsProcessed(state.iterations() * kCalls);
  state.counters["connections"] = transport.connections_opened();
  api.stop();
  serving.join();
}
BENCHMARK(BM_Calls)
    ->Args({0, 0, 4})
    ->Args({200, 0, 4})
    ->Args({200, 0, 16})
    ->Args({0, 10, 4})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kneechat
