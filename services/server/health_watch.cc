#include "services/server/health_watch.h"

#include <utility>

namespace kneechat {

HealthWatch::HealthWatch(Probe probe, Report report, absl::Duration interval)
    : probe_(std::move(probe)),
      report_(std::move(report)),
      interval_(interval) {
  CheckNow();
  thread_ = std::thread([this] { Loop(); });
}

HealthWatch::~HealthWatch() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

bool HealthWatch::healthy() const {
  absl::MutexLock lock(&mu_);
  return healthy_;
}

void HealthWatch::CheckNow() {
  const bool healthy = probe_().ok();
  bool changed;
  {
    absl::MutexLock lock(&mu_);
    changed = !reported_ || healthy != healthy_;
    healthy_ = healthy;
    reported_ = true;
  }
  if (changed) report_(healthy);
}

void HealthWatch::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stop), interval_)) return;
    }
    CheckNow();
  }
}

}  // namespace kneechat
