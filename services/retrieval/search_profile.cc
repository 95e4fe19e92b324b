// Instructions per search, for callgrind: reads queries (one a line) from
// standard input, searches each `warmup` times, zeroes callgrind's counters,
// searches each `rounds` times more and prints how many searches that was;
// divide the cost of Searcher::Search by that count (README, "Measuring
// speed"). Exits 1 with a message when there is no query or a search fails
// (an invalid or over-long query):
//   valgrind --tool=callgrind --toggle-collect='kneechat::Searcher::Search*' \
//     build/services/retrieval/kneechat_search_profile [warmup [rounds]] \
//     < queries.txt
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "services/common/paths.h"
#include "services/retrieval/searcher.h"

int main(int argc, char** argv) {
  using namespace kneechat;
  const int warmup = argc > 1 ? atoi(argv[1]) : 5;
  const int rounds = argc > 2 ? atoi(argv[2]) : 20;
  std::vector<std::string> queries;
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  const DataPaths paths = DefaultDataPaths();
  auto searcher = Searcher::Open(paths.index_dir, paths.corpus_dir);
  if (!searcher.ok()) {
    fprintf(stderr, "%s\n", searcher.status().ToString().c_str());
    return 1;
  }
  if (queries.empty()) {
    fprintf(stderr, "no queries on standard input (one a line)\n");
    return 1;
  }
  SearchOptions options;
  options.limit = 5;
  options.min_coverage = 0.01;  // as the engine's Search
  int searches = 0;
  for (int round = 0; round < warmup + rounds; ++round) {
    if (round == warmup) {
      CALLGRIND_ZERO_STATS;
      searches = 0;
    }
    for (const std::string& query : queries) {
      absl::StatusOr<std::vector<PassageHit>> hits =
          (*searcher)->Search(query, options);
      if (!hits.ok()) {
        fprintf(stderr, "line %zu of the queries: %s\n",
                static_cast<size_t>(&query - queries.data()) + 1,
                hits.status().ToString().c_str());
        return 1;
      }
      ++searches;
    }
  }
  printf("searches: %d\n", searches);
  return 0;
}
