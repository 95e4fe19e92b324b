#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "services/common/paths.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

const Extractor& SharedExtractor() {
  static const Extractor* extractor = [] {
    auto loaded = Extractor::Load(DefaultDataPaths().corpus_dir);
    if (!loaded.ok()) std::abort();
    return loaded->release();
  }();
  return *extractor;
}

void BM_UnderstandChatMessage(benchmark::State& state) {
  const Extractor& extractor = SharedExtractor();
  const std::string message =
      "im 24, soreness around my kneecap on the way down stairs and after "
      "a long film sat down. no swelling, didnt hurt it, not hot, can walk "
      "fine and its been like this for three weeks tbh";
  for (auto _ : state) {
    auto result = extractor.Understand(message, {});
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_UnderstandChatMessage);

void BM_UnderstandShortAnswer(benchmark::State& state) {
  const Extractor& extractor = SharedExtractor();
  UnderstandingContext context;
  context.asking = "red_flags";
  context.asking_findings = {"fever", "rigors", "unwell"};
  for (auto _ : state) {
    auto result = extractor.Understand("nope, none of those", context);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_UnderstandShortAnswer);

void BM_Load(benchmark::State& state) {
  const std::string corpus = DefaultDataPaths().corpus_dir;
  for (auto _ : state) {
    auto loaded = Extractor::Load(corpus);
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kneechat
