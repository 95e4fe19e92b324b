#include "clients/cli/latency_summary.h"

#include <algorithm>
#include <cmath>

namespace kneechat::cli {

double NearestRank(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const double n = static_cast<double>(sorted.size());
  // ceil(fraction * n) with a tolerance, so that 0.99 * 100 is rank 99 even
  // though 0.99 is not exact in binary.
  double rank = std::ceil(fraction * n - 1e-9);
  rank = std::min(std::max(rank, 1.0), n);
  return sorted[static_cast<size_t>(rank) - 1];
}

LatencySummary SummariseLatencies(std::vector<double> latencies) {
  LatencySummary summary;
  if (latencies.empty()) return summary;
  std::sort(latencies.begin(), latencies.end());
  summary.count = static_cast<int64_t>(latencies.size());
  summary.p50 = NearestRank(latencies, 0.50);
  summary.p90 = NearestRank(latencies, 0.90);
  summary.p99 = NearestRank(latencies, 0.99);
  summary.p999 = NearestRank(latencies, 0.999);
  summary.max = latencies.back();
  return summary;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2;
}

}  // namespace kneechat::cli
