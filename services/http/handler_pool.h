// A fixed set of threads running request handlers, fed by a bounded queue,
// so that the HTTP event loop never waits for a handler and a burst of
// requests queues (up to a limit) instead of starting threads.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kneechat {

// Thread-safe.
class HandlerPool {
 public:
  // Starts `threads` threads (at least one); at most `max_queued` tasks wait
  // for a thread.
  HandlerPool(int threads, size_t max_queued);
  // Runs every task already queued, then joins the threads.
  ~HandlerPool();

  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Queues `task`; false (and `task` is dropped unrun) when the queue is full
  // or the pool is shutting down.
  bool TrySubmit(std::function<void()> task);

  // Refuses new tasks, runs the queued ones and joins the threads.
  // Idempotent.
  void Shutdown();

 private:
  void Run();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
  absl::Mutex join_mu_;
};

}  // namespace kneechat
