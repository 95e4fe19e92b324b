// Keeps the server's health reports in step with a dependency it cannot
// serve without (the session store): a background thread runs `probe`
// every `interval` and calls `report` with the result whenever it changes
// (and once at the start).
//
// Thread-safety: `probe` and `report` run on the watcher's own thread and
// must be safe to call from it; Stop() and the destructor may be called
// from any one thread.
#pragma once

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace kneechat {

class HealthWatch {
 public:
  using Probe = std::function<absl::Status()>;
  using Report = std::function<void(bool healthy)>;

  // Starts watching at once; the first probe runs before the constructor
  // returns, so the first report is already made.
  HealthWatch(Probe probe, Report report, absl::Duration interval);
  // Stops the thread (at most one probe's time later).
  ~HealthWatch();

  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

  // The last probe's verdict.
  bool healthy() const;

  // Runs one probe now and reports a change; for tests and start-up.
  void CheckNow();

 private:
  void Loop();

  const Probe probe_;
  const Report report_;
  const absl::Duration interval_;
  mutable absl::Mutex mu_;
  bool healthy_ ABSL_GUARDED_BY(mu_) = false;
  bool reported_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace kneechat
