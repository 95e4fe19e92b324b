// The embedded default SessionStore: sessions in process memory.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
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
  // A session unused for this long is kept compressed (zstd, about 40% of
  // its size) until its next turn, which decompresses it once; it stays
  // uncompressed until it is idle this long again. ZeroDuration() compresses
  // a session as soon as the next one is created; InfiniteDuration() never.
  absl::Duration compress_after = absl::Seconds(60);
  // Sessions whose state is also kept parsed after a turn, so that their
  // next turn neither parses nor frees it (a parsed state takes a few times
  // the memory of its serialised form). A session keeps its parsed state
  // until it is compressed (idle for compress_after), deleted, evicted or
  // expired, or a turn on it fails; while this many hold one, further
  // sessions are not kept parsed. 0 parses every turn.
  size_t max_parsed_sessions = 4096;
};

// How the store holds one session at the moment.
struct StoredSession {
  size_t bytes = 0;  // of its state, as held (compressed or not)
  bool compressed = false;
  bool parsed = false;  // also kept parsed for its next turn
};

// Keeps each session with its own mutex, so messages to one session are
// serialised while different sessions proceed in parallel. A session is kept
// serialised (a few KiB, one allocation); after a turn, up to
// max_parsed_sessions sessions keep their parsed state as well, which their
// next turn changes in place (and serialises again, or with UpdateInPlace
// only when the serialised form is next needed) instead of parsing it;
// once idle for compress_after a session is kept compressed and no longer
// parsed, so a million idle sessions fit in under 4 GiB. Sessions are listed by
// last use: on Insert, expired ones are dropped from the front of that list and
// a few of those idle past compress_after are compressed (after the store's
// lock is let go; never in a turn), and a full store forgets its front one --
// each in constant time (amortised) however many sessions are open. Get and
// Update read a compressed session transparently; Get leaves it compressed, a
// successful Update stores it uncompressed. Thread-safe.
class MemorySessionStore : public SessionStore {
 public:
  explicit MemorySessionStore(const MemorySessionStoreOptions& options);

  absl::Status Insert(const SessionState& state) override;
  absl::Status Update(std::string_view session_id, const UpdateFn& fn) override;
  // A session that keeps its parsed state is changed in place and not
  // serialised after the turn: its serialised form is brought up to date
  // only when it is needed (an Update that may fail, compression, Stored).
  absl::Status UpdateInPlace(std::string_view session_id,
                             const UpdateFn& fn) override;
  absl::StatusOr<SessionState> Get(std::string_view session_id) override;
  absl::Status Delete(std::string_view session_id) override;

  // Live (unexpired) sessions; for tests and metrics.
  size_t Size();
  // How a live session is held; kNotFound as Get. For tests and metrics.
  absl::StatusOr<StoredSession> Stored(std::string_view session_id);

 private:
  struct Entry {
    explicit Entry(std::string session_id) : id(std::move(session_id)) {}
    const std::string id;  // the map's key views it
    absl::Mutex mu;        // serialises updates of this session
    // SessionState, serialised; then compressed (CompressState) if
    // `compressed`. Behind `parsed` while `stale`.
    std::string state ABSL_GUARDED_BY(mu);
    // The same state parsed, for the next turn; null when not kept. Never
    // set while `compressed`.
    std::unique_ptr<SessionState> parsed ABSL_GUARDED_BY(mu);
    // `parsed` was changed in place since `state` was written: it is the
    // session's state, and `state` must be written again before it is read
    // or `parsed` is dropped. Only while `parsed` is set.
    bool stale ABSL_GUARDED_BY(mu) = false;
    absl::Time expires ABSL_GUARDED_BY(mu);  // last use + ttl
    bool deleted ABSL_GUARDED_BY(mu) = false;
    bool compressed ABSL_GUARDED_BY(mu) = false;
    // Neighbours by last use (front: idle longest); guarded by the store's
    // mu_. Null when first/last, and when not listed.
    Entry* older = nullptr;
    Entry* newer = nullptr;
  };

  // At most this many sessions are compressed per Insert. Each Insert adds
  // one session to compress later, and each turn after a pause of
  // compress_after another: four keep up while sessions average at most
  // three such pauses.
  static constexpr int kCompressPerInsert = 4;
  using IdleEntries = std::array<std::shared_ptr<Entry>, kCompressPerInsert>;

  std::shared_ptr<Entry> Find(std::string_view session_id);
  absl::Status InsertLocked(std::shared_ptr<Entry> entry, IdleEntries& idle)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SweepExpiredLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves the compression cursor past sessions idle for compress_after,
  // stopping at the first one used since or in a turn; returns in `idle`
  // (from the front) up to kCompressPerInsert of them still uncompressed.
  void TakeIdleLocked(IdleEntries& idle) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Compresses those of `idle` still idle, uncompressed and live. Takes
  // their own mutexes, not mu_.
  void Compress(IdleEntries& idle) ABSL_LOCKS_EXCLUDED(mu_);
  // Last use of `entry`.
  absl::Time LastUse(const Entry& entry) const
      ABSL_SHARED_LOCKS_REQUIRED(entry.mu);
  // The common part of Update and UpdateInPlace.
  absl::Status Change(std::string_view session_id, const UpdateFn& fn,
                      bool in_place);
  // Writes `state` again from `parsed` if it is stale.
  static void WriteStale(Entry& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu);
  // Parses the session's serialised state in `entry` into `state`.
  static absl::Status ReadInto(const Entry& entry, SessionState& state)
      ABSL_SHARED_LOCKS_REQUIRED(entry.mu);
  // Forgets the parsed state of `entry`, if it has one.
  void DropParsed(Entry& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu);
  // Whether one more session may keep its parsed state; counts it if so.
  bool ReserveParsed();
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
  // The compression cursor: the idlest session not yet considered for
  // compression since its last use (null: all were). Those before it are
  // compressed, or were too small to gain, or have just been used again and
  // are about to move to the newest end.
  Entry* compress_next_ ABSL_GUARDED_BY(mu_) = nullptr;
  // Sessions with a parsed state (each counted under its own mutex).
  std::atomic<size_t> parsed_sessions_{0};
};

}  // namespace kneechat
