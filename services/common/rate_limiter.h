// Per-client token buckets: how kneechat shares itself fairly.
//
// Each client key (an address, a Telegram chat, a caller's number) has a
// bucket of `burst` tokens refilled at `per_minute`; a request takes one.
// An empty bucket refuses with kResourceExhausted and a retry hint
// (RetryAfter). Buckets are kept for at most `max_clients` keys: a full
// bucket holds no information and is dropped first, then the one idle
// longest, so memory is bounded and a flood of new keys never refuses
// everyone else (a key whose bucket was dropped starts full again).
//
// Thread-safety: Admit may be called from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"

namespace kneechat {

struct RateLimit {
  // Tokens added a minute; 0 or less turns the limit off.
  double per_minute = 0;
  // Most tokens a bucket holds (a client's allowed burst); at least 1.
  int burst = 1;
};

class RateLimiter {
 public:
  // `name` appears in refusals ("too many requests"); `clock` is not owned
  // (null: Clock::Real()) and must outlive the limiter.
  RateLimiter(std::string name, RateLimit limit, size_t max_clients,
              Clock* clock);

  // Takes a token from `client`'s bucket: OK, or kResourceExhausted
  // "<name> ... retry in N s" carrying RetryAfter.
  absl::Status Admit(std::string_view client);

  // Keys with a bucket; for tests.
  size_t ClientsForTest();

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  double Refilled(const Bucket& bucket, absl::Time now) const;
  void MakeRoomLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const RateLimit limit_;
  const size_t max_clients_;
  Clock* const clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

// The retry hint a refusal carries (whole seconds, at least 1), if any.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);

}  // namespace kneechat
