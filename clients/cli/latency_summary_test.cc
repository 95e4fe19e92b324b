#include "clients/cli/latency_summary.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"

namespace kneechat::cli {
namespace {

std::vector<double> OneTo(int n) {
  std::vector<double> values;
  for (int i = 1; i <= n; ++i) values.push_back(i);
  return values;
}

TEST(NearestRankTest, PicksTheSmallestValueCoveringTheFraction) {
  const std::vector<double> hundred = OneTo(100);
  EXPECT_EQ(NearestRank(hundred, 0.50), 50);
  EXPECT_EQ(NearestRank(hundred, 0.90), 90);
  EXPECT_EQ(NearestRank(hundred, 0.99), 99);
  EXPECT_EQ(NearestRank(hundred, 0.999), 100);
  EXPECT_EQ(NearestRank(hundred, 1.0), 100);
  EXPECT_EQ(NearestRank(hundred, 0.001), 1);
}

TEST(NearestRankTest, SmallAndEmptySets) {
  EXPECT_EQ(NearestRank({}, 0.5), 0);
  EXPECT_EQ(NearestRank({7}, 0.5), 7);
  EXPECT_EQ(NearestRank({7}, 0.999), 7);
  EXPECT_EQ(NearestRank({1, 2}, 0.5), 1);
  EXPECT_EQ(NearestRank({1, 2}, 0.51), 2);
}

TEST(SummariseLatenciesTest, SortsThenSummarises) {
  std::vector<double> values = OneTo(1000);
  std::shuffle(values.begin(), values.end(), std::mt19937(7));
  const LatencySummary summary = SummariseLatencies(values);
  EXPECT_EQ(summary.count, 1000);
  EXPECT_EQ(summary.p50, 500);
  EXPECT_EQ(summary.p90, 900);
  EXPECT_EQ(summary.p99, 990);
  EXPECT_EQ(summary.p999, 999);
  EXPECT_EQ(summary.max, 1000);
}

TEST(SummariseLatenciesTest, EmptyIsAllZero) {
  const LatencySummary summary = SummariseLatencies({});
  EXPECT_EQ(summary.count, 0);
  EXPECT_EQ(summary.p50, 0);
  EXPECT_EQ(summary.max, 0);
}

TEST(MedianTest, OddEvenAndEmpty) {
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(Median({}), 0);
}

}  // namespace
}  // namespace kneechat::cli
