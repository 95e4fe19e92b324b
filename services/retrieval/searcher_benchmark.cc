// Cost of one Searcher::Search on the index built into the build tree.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/common/paths.h"
#include "services/retrieval/searcher.h"

namespace kneechat {
namespace {

const std::vector<std::string>& Queries() {
  static const std::vector<std::string> queries = {
      "knee brace",
      "pain behind my kneecap when i go down stairs",
      "good running shoes",
      "osteoarthritis symptoms",
      "I feel a sharp pain on the outer side of my knee after long runs",
      "banana bread recipe"};
  return queries;
}

Searcher& SharedSearcher() {
  static Searcher* const searcher = [] {
    const DataPaths paths = DefaultDataPaths();
    absl::StatusOr<std::unique_ptr<Searcher>> opened =
        Searcher::Open(paths.index_dir, paths.corpus_dir);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
      std::abort();
    }
    return opened->release();
  }();
  return *searcher;
}

void BM_Search(benchmark::State& state) {
  const Searcher& searcher = SharedSearcher();
  const std::string& query = Queries()[state.range(0)];
  SearchOptions options;
  options.limit = 5;
  for (auto _ : state) {
    absl::StatusOr<std::vector<PassageHit>> hits =
        searcher.Search(query, options);
    benchmark::DoNotOptimize(hits);
  }
  state.SetLabel(query);
}
BENCHMARK(BM_Search)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

// All queries in turn, from one and from two threads (each thread has its
// own database).
void BM_SearchMix(benchmark::State& state) {
  const Searcher& searcher = SharedSearcher();
  SearchOptions options;
  size_t i = state.thread_index();
  for (auto _ : state) {
    absl::StatusOr<std::vector<PassageHit>> hits =
        searcher.Search(Queries()[i++ % Queries().size()], options);
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchMix)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kneechat
