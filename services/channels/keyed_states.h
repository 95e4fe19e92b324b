// Per-conversation state for channel adapters (a Telegram chat, a phone
// call), bounded in number and forgotten after a period of inactivity.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"

namespace kneechat {

// Thread-safe map key -> shared State. The map only hands out states; a
// State guards its own fields. When full, idle states go first, then the
// least recently used one.
template <typename State>
class KeyedStates {
 public:
  // `clock` is not owned; null means Clock::Real().
  KeyedStates(size_t capacity, absl::Duration idle_ttl, Clock* clock)
      : capacity_(capacity < 1 ? 1 : capacity),
        idle_ttl_(idle_ttl),
        clock_(clock != nullptr ? clock : Clock::Real()) {}

  // The state under `key`, default-constructed when absent or idle for
  // longer than `idle_ttl` (then `*created` is set to true). Marks it used.
  std::shared_ptr<State> GetOrCreate(const std::string& key, bool* created) {
    const absl::Time now = clock_->Now();
    absl::MutexLock lock(&mu_);
    auto it = slots_.find(key);
    if (it != slots_.end() && now - it->second.last_used <= idle_ttl_) {
      it->second.last_used = now;
      *created = false;
      return it->second.state;
    }
    if (it != slots_.end()) slots_.erase(it);
    if (slots_.size() >= capacity_) EvictLocked(now);
    auto state = std::make_shared<State>();
    slots_[key] = Slot{state, now};
    *created = true;
    return state;
  }

  void Erase(const std::string& key) {
    absl::MutexLock lock(&mu_);
    slots_.erase(key);
  }

  size_t size() {
    absl::MutexLock lock(&mu_);
    return slots_.size();
  }

 private:
  struct Slot {
    std::shared_ptr<State> state;
    absl::Time last_used;
  };

  void EvictLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto oldest = slots_.end();
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (now - it->second.last_used > idle_ttl_) {
        it = slots_.erase(it);
        continue;
      }
      if (oldest == slots_.end() ||
          it->second.last_used < oldest->second.last_used) {
        oldest = it;
      }
      ++it;
    }
    if (slots_.size() >= capacity_ && oldest != slots_.end()) {
      slots_.erase(oldest);
    }
  }

  const size_t capacity_;
  const absl::Duration idle_ttl_;
  Clock* const clock_;
  absl::Mutex mu_;
  std::unordered_map<std::string, Slot> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kneechat
