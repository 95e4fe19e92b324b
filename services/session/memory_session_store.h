// The embedded default SessionStore: sessions in process memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/session/session_store.h"

namespace kneechat {

struct MemorySessionStoreOptions {
  // A session unused for this long is gone.
  absl::Duration ttl = absl::Minutes(30);
  // Live sessions kept. Inserting one more forgets the session idle longest
  // (its next message is NOT_FOUND, as if it had expired), so a flood of new
  // sessions never refuses everyone; kResourceExhausted only when every
  // session is in a turn at that moment.
  size_t max_sessions = 250000;
  // Not owned; null means Clock::Real().
  Clock* clock = nullptr;
};

// Keeps each session with its own mutex, so messages to one session are
// serialised while different sessions proceed in parallel. A session is kept
// serialised (a few KiB, one allocation) and parsed only for its turn, so a
// million idle sessions fit in a few GiB. Sessions are listed by last use:
// expired ones are dropped from the front of that list on Insert, and a full
// store forgets its front one -- in constant time (amortised) however many
// sessions are open. Thread-safe.
class MemorySessionStore : public SessionStore {
 public:
  explicit MemorySessionStore(const MemorySessionStoreOptions& options);

  absl::Status Insert(const SessionState& state) override;
  absl::Status Update(std::string_view session_id, const UpdateFn& fn) override;
  absl::StatusOr<SessionState> Get(std::string_view session_id) override;
  absl::Status Delete(std::string_view session_id) override;

  // Live (unexpired) sessions; for tests and metrics.
  size_t Size();

 private:
  struct Entry {
    explicit Entry(std::string session_id) : id(std::move(session_id)) {}
    const std::string id;  // the map's key views it
    absl::Mutex mu;        // serialises updates of this session
    std::string state ABSL_GUARDED_BY(mu);  // SessionState, serialised
    absl::Time expires ABSL_GUARDED_BY(mu);
    bool deleted ABSL_GUARDED_BY(mu) = false;
    // Neighbours by last use (front: idle longest); guarded by the store's
    // mu_. Null when first/last, and when not listed.
    Entry* older = nullptr;
    Entry* newer = nullptr;
  };

  std::shared_ptr<Entry> Find(std::string_view session_id);
  void SweepExpiredLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops the session idle longest that is not in a turn; false if none.
  bool EvictIdlestLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes `entry` out of the map and the list.
  void EraseLocked(Entry* entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UnlinkLocked(Entry* entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void LinkNewestLocked(Entry* entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const MemorySessionStoreOptions options_;
  Clock* const clock_;
  absl::Mutex mu_;  // guards the map and the list; never held while an
                    // UpdateFn runs
  absl::flat_hash_map<absl::string_view, std::shared_ptr<Entry>> sessions_
      ABSL_GUARDED_BY(mu_);
  Entry* idlest_ ABSL_GUARDED_BY(mu_) = nullptr;
  Entry* newest_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace kneechat
