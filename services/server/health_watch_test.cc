#include "services/server/health_watch.h"

#include <atomic>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(HealthWatchTest, ReportsFirstVerdictAndOnlyChanges) {
  absl::Mutex mu;
  std::vector<bool> reports;
  std::atomic<bool> up{false};
  // A long interval: only CheckNow() probes during the test.
  HealthWatch watch(
      [&] {
        return up ? absl::OkStatus() : absl::UnavailableError("store down");
      },
      [&](bool healthy) {
        absl::MutexLock lock(&mu);
        reports.push_back(healthy);
      },
      absl::Hours(1));
  EXPECT_FALSE(watch.healthy());
  watch.CheckNow();  // unchanged: no second report
  up = true;
  watch.CheckNow();
  EXPECT_TRUE(watch.healthy());
  watch.CheckNow();
  up = false;
  watch.CheckNow();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(reports, (std::vector<bool>{false, true, false}));
}

TEST(HealthWatchTest, ProbesByItselfEveryInterval) {
  std::atomic<int> probes{0};
  {
    HealthWatch watch(
        [&] {
          probes++;
          return absl::OkStatus();
        },
        [](bool) {}, absl::Milliseconds(5));
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_GE(probes.load(), 5);
}

}  // namespace
}  // namespace kneechat
