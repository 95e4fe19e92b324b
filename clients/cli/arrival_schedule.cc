#include "clients/cli/arrival_schedule.h"

namespace kneechat::cli {

ArrivalSchedule::ArrivalSchedule(double rate, Arrivals arrivals, uint64_t seed)
    : rate_(rate), arrivals_(arrivals), random_(seed), gap_(rate) {}

absl::Duration ArrivalSchedule::Next() {
  ++count_;
  if (arrivals_ == Arrivals::kEven) {
    // From the count, so that rounding never accumulates.
    seconds_ = static_cast<double>(count_) / rate_;
  } else {
    seconds_ += gap_(random_);
  }
  return absl::Seconds(seconds_);
}

}  // namespace kneechat::cli
