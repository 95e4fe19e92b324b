// A bounded, expiring key -> value store for webhook deduplication and
// replay caches: at most `capacity` entries, each forgotten `ttl` after it
// was stored (or earlier, oldest first, when the store is full).
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"

namespace kneechat {

// Thread-safe.
class RecentCache {
 public:
  struct Options {
    size_t capacity = 100000;  // at least 1
    absl::Duration ttl = absl::Hours(48);
    // Not owned; null means Clock::Real(). Must outlive the cache.
    Clock* clock = nullptr;
  };

  explicit RecentCache(const Options& options);

  // Stores `value` under `key` if the key is absent (or expired) and returns
  // true; returns false and changes nothing if it is present.
  bool Insert(std::string_view key, std::string value = "");

  // The live value under `key`, if any.
  std::optional<std::string> Find(std::string_view key);

  void Erase(std::string_view key);

  // Live and not-yet-purged entries.
  size_t size();

 private:
  struct Entry {
    std::string value;
    absl::Time expires;
    std::list<std::string>::iterator order;
  };

  void PurgeLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  const absl::Duration ttl_;
  Clock* const clock_;
  absl::Mutex mu_;
  // Keys oldest first; with one TTL for all, also soonest-expiring first.
  std::list<std::string> order_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kneechat
