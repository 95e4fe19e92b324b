// Percentiles of a set of latencies, for `kneechat bench`.
#pragma once

#include <cstdint>
#include <vector>

namespace kneechat::cli {

// The nearest-rank percentile of `sorted` (ascending): the smallest value
// with at least `fraction` (0..1] of the values at or below it. 0 when
// `sorted` is empty.
double NearestRank(const std::vector<double>& sorted, double fraction);

struct LatencySummary {
  int64_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

// Sorts `latencies` and summarises them (all zero when empty).
LatencySummary SummariseLatencies(std::vector<double> latencies);

// Median of `values` (the mean of the middle two for an even count); 0 when
// empty.
double Median(std::vector<double> values);

}  // namespace kneechat::cli
