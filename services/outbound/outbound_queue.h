// A bounded queue of outbound API calls (replies to Telegram today,
// WhatsApp later) sent by a few worker threads, so that whoever submits a
// call -- a webhook handler -- never waits for the platform.
//
// Delivery, per request:
//   - Submit returns at once: OK when queued, kResourceExhausted when the
//     queue already holds `capacity` requests (nothing is queued; the queue
//     logs "<name> outbound queue full" with the request's `what`, at most
//     a line a second with a count of the rest, and counts it).
//   - A worker sends it (at most `timeout` an attempt). 2xx: sent. 429: wait
//     what the answer asks (`retry_after`; Telegram's
//     parameters.retry_after), for this and every other worker -- the
//     platform's flood limit is per bot -- then try again; a 429 asking for
//     more than `max_retry_after` is not waited for. 5xx or no answer:
//     back off (`first_backoff`, doubling up to `max_backoff`) and try
//     again. Any other status is final.
//   - At most `max_attempts` attempts, and never later than `max_age` after
//     Submit (a reply that late is no longer an answer): then it is dropped,
//     logged without its contents and counted.
//   - Requests with the same `ordering_key` go one at a time, in the order
//     they were submitted (a chat's messages arrive in order); different
//     keys go in parallel over `workers` threads.
// Each accepted request's `done` is called once with the outcome, on a
// worker thread; a refused one's is never called (Submit said so).
//
// Nothing here is written to disk: requests still queued when the process
// dies are lost. Callers that must not lose a message make the call part of
// an answer the sender retries (the Telegram webhook answers with its
// reply) and use the queue for what can be lost.
//
// Logs name the queue, the request's `what` and status codes, never the
// URL (it may hold a token) or the body (it holds user-facing text).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/outbound/http_transport.h"

namespace kneechat {

struct OutboundRequest {
  // Requests with equal keys are sent one at a time, in order.
  uint64_t ordering_key = 0;
  // What it is, for logs: "sendMessage". Never user text.
  std::string what;
  HttpPost post;
  // Called once with OK (sent) or the error it was dropped with. May be
  // null. Must not call back into the queue's Flush or destructor.
  std::function<void(const absl::Status&)> done;
};

struct OutboundQueueOptions {
  // Names the queue in log lines: "telegram".
  std::string name = "outbound";
  size_t capacity = 1000;
  int workers = 4;
  absl::Duration timeout = absl::Seconds(10);  // one attempt
  int max_attempts = 5;
  absl::Duration first_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(8);
  absl::Duration max_retry_after = absl::Seconds(60);
  absl::Duration max_age = absl::Minutes(2);
  // The wait a 429 answer asks for; null reads the Retry-After header
  // (seconds). When it says nothing, first_backoff.
  std::function<std::optional<absl::Duration>(const HttpAnswer&)> retry_after;
  // Not owned; null means Clock::Real(). Times waits and ages.
  Clock* clock = nullptr;
  // Waits between attempts; null waits on the real clock (and is cut short
  // by the destructor). Tests pass one that advances a FakeClock.
  std::function<void(absl::Duration)> sleep;
};

struct OutboundQueueStats {
  uint64_t submitted = 0;     // accepted by Submit
  uint64_t sent = 0;          // answered 2xx
  uint64_t retries = 0;       // attempts after the first
  uint64_t rate_limited = 0;  // 429 answers
  uint64_t dropped_full = 0;  // refused by Submit: queue full
  uint64_t failed = 0;        // dropped after being accepted
  size_t waiting = 0;         // queued or being sent now
};

class OutboundQueue {
 public:
  // `transport` is not owned and must outlive the queue.
  OutboundQueue(HttpTransport& transport, OutboundQueueOptions options);
  // Stops taking requests, sends what is queued for at most `drain` (one
  // attempt each, no waiting between attempts), drops the rest (logged).
  ~OutboundQueue();

  OutboundQueue(const OutboundQueue&) = delete;
  OutboundQueue& operator=(const OutboundQueue&) = delete;

  // Queues `request`. kResourceExhausted when full; kUnavailable while
  // shutting down. Either way nothing is queued and done is not called.
  absl::Status Submit(OutboundRequest request);

  // Blocks until every request accepted so far is sent or dropped.
  void Flush();

  OutboundQueueStats stats() const;

  // How long the destructor keeps sending what is queued.
  static constexpr absl::Duration kDrain = absl::Seconds(5);

 private:
  struct Item {
    OutboundRequest request;
    absl::Time submitted;
  };

  void WorkerLoop(size_t shard);
  absl::Status Deliver(Item& item);
  // Waits `d` (or less, when stopping); returns false when stopping.
  bool Wait(absl::Duration d);
  void Log(const std::string& line);

  HttpTransport& transport_;
  const OutboundQueueOptions options_;
  Clock* const clock_;

  mutable absl::Mutex mu_;
  std::vector<std::deque<Item>> shards_ ABSL_GUARDED_BY(mu_);
  size_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  size_t pending_ ABSL_GUARDED_BY(mu_) = 0;  // queued or in flight
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time drain_deadline_ ABSL_GUARDED_BY(mu_);
  // Set by a 429: no attempt starts before it.
  absl::Time paused_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  OutboundQueueStats stats_ ABSL_GUARDED_BY(mu_);
  absl::Time last_log_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t unlogged_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_;
};

}  // namespace kneechat
