#include "clients/cli/arrival_schedule.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace kneechat::cli {
namespace {

TEST(ArrivalScheduleTest, EvenArrivalsAreOneOverTheRateApart) {
  ArrivalSchedule schedule(250, Arrivals::kEven, /*seed=*/1);
  EXPECT_EQ(schedule.Next(), absl::Milliseconds(4));
  EXPECT_EQ(schedule.Next(), absl::Milliseconds(8));
  for (int i = 3; i < 1000; ++i) schedule.Next();
  EXPECT_EQ(schedule.Next(), absl::Seconds(4));  // the 1000th, no drift
}

TEST(ArrivalScheduleTest, PoissonGapsHaveTheRatesMeanAndSpread) {
  constexpr int kArrivals = 20000;
  ArrivalSchedule schedule(100, Arrivals::kPoisson, /*seed=*/7);
  std::vector<double> gaps;
  absl::Duration last;
  for (int i = 0; i < kArrivals; ++i) {
    const absl::Duration next = schedule.Next();
    ASSERT_GE(next, last);
    gaps.push_back(absl::ToDoubleSeconds(next - last));
    last = next;
  }
  double sum = 0, squares = 0;
  for (double gap : gaps) sum += gap;
  const double mean = sum / kArrivals;
  for (double gap : gaps) squares += (gap - mean) * (gap - mean);
  const double deviation = std::sqrt(squares / kArrivals);
  // Exponential gaps: mean and standard deviation both 1/rate (10 ms); an
  // evenly spaced schedule would have no spread at all.
  EXPECT_NEAR(mean, 0.010, 0.0005);
  EXPECT_NEAR(deviation, 0.010, 0.0005);
}

TEST(ArrivalScheduleTest, TheSameSeedGivesTheSameSchedule) {
  ArrivalSchedule a(50, Arrivals::kPoisson, 3), b(50, Arrivals::kPoisson, 3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
}

}  // namespace
}  // namespace kneechat::cli
