#include <string>

#include "benchmark/benchmark.h"
#include "services/text/tokenizer.h"

namespace kneechat {
namespace {

void BM_TokenizeChatMessage(benchmark::State& state) {
  const std::string message =
      "im 24, soreness around my kneecap on the way down stairs and after "
      "a long film sat down. no swelling, didnt hurt it, temp was 37.2 and "
      "its been like this for three weeks tbh";
  for (auto _ : state) {
    auto result = Tokenize(message);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(state.iterations() * message.size());
}
BENCHMARK(BM_TokenizeChatMessage);

void BM_TokenizeMaximumLength(benchmark::State& state) {
  std::string message;
  while (message.size() + 40 < kMaxTextBytes) {
    message += "my knee is swollen, not hot, for 3 weeks. ";
  }
  for (auto _ : state) {
    auto result = Tokenize(message);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(state.iterations() * message.size());
}
BENCHMARK(BM_TokenizeMaximumLength);

void BM_RejectOneMebibyte(benchmark::State& state) {
  const std::string message(1 << 20, 'a');
  for (auto _ : state) {
    auto result = Tokenize(message);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RejectOneMebibyte);

}  // namespace
}  // namespace kneechat
