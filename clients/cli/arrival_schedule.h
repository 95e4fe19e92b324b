// When the calls of an open-loop run are due: evenly spaced, or Poisson
// arrivals (exponential gaps) at the same mean rate.
#pragma once

#include <cstdint>
#include <random>

#include "absl/time/time.h"

namespace kneechat::cli {

enum class Arrivals { kEven, kPoisson };

// Successive arrival times as offsets from the schedule's start. Not
// thread-safe.
class ArrivalSchedule {
 public:
  // `rate` calls per second, > 0. `seed` makes Poisson schedules repeatable.
  ArrivalSchedule(double rate, Arrivals arrivals, uint64_t seed);

  // The offset of the next arrival: 1/rate, 2/rate, ... for kEven; sums of
  // exponential gaps of mean 1/rate for kPoisson.
  absl::Duration Next();

 private:
  const double rate_;
  const Arrivals arrivals_;
  std::mt19937_64 random_;
  std::exponential_distribution<double> gap_;
  int64_t count_ = 0;
  double seconds_ = 0;
};

}  // namespace kneechat::cli
