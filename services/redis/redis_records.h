// Records in Redis that many kneechat replicas read and change, one change
// at a time per record: the session states, and the channels' per-chat and
// per-call state.
//
// Keys (`prefix` plus the record's key, which callers make from ids only,
// never from user text):
//   <prefix>:<key>        the record's value, expiring `ttl` after the last
//                         change (a Redis expiry, restarted by each Update)
//   <prefix>-lock:<key>   a random token while one Update runs
//
// How changes to one record are serialised across replicas -- a lock key
// with a fenced commit:
//   1. SET lock <token> NX PX <lock_ttl>, retried with a short backoff
//      until `lock_wait` has passed, then kUnavailable (retryable; nothing
//      was changed). The expiry frees a record whose replica died mid-change.
//   2. GET the value; run the change on it in this process.
//   3. One Lua script, atomic on the server: only if the lock still holds our
//      token (and, for must-exist records, the value still exists) does it
//      write the value (SET PX, or DEL) and delete the lock; otherwise it
//      changes nothing. So a change that outlived its lock -- a stalled
//      replica, or a failover that lost the lock key -- can never overwrite
//      another replica's change: it fails with kUnavailable.
//   Any failure after 1 releases the lock with a compare-and-delete script.
// Why a lock and not WATCH/MULTI alone: a turn does real work between read
// and write (understanding, retrieval, for the channels an engine call).
// Optimistic retries would redo that work under contention and could starve
// a busy conversation; the lock makes a second message wait its turn, as the
// in-memory store does, and the token check inside the commit gives the
// lost-lock case the safety of a compare-and-set.
//
// The lock is not fair: two changes waiting for one record go in either
// order (each waits at most `lock_wait`). Clients that care about the order
// of their messages send the next one after the previous answer, as the web
// widget and the channels do.
//
// Durability: a change is acknowledged once the master accepted it; with
// `replica_acks` > 0 the commit also waits (WAIT, bounded by
// `replica_ack_timeout`) for that many replicas -- best effort, which
// narrows the window in which a failover loses an acknowledged change.
//
// Errors: kUnavailable when Redis cannot be reached within the timeouts, is
// failing over, or the lock could not be had; kInternal for an unexpected
// Redis reply; kNotFound as described per method.
//
// Thread-safety: all methods may be called concurrently. `pool` is not
// owned and must outlive this object.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/redis/redis_pool.h"

namespace kneechat {

struct RedisRecordOptions {
  absl::Duration ttl = absl::Minutes(30);
  // Longest a change may hold a record's lock; must exceed the slowest turn.
  absl::Duration lock_ttl = absl::Seconds(5);
  // Longest a change waits for the lock before kUnavailable.
  absl::Duration lock_wait = absl::Seconds(2);
  int replica_acks = 0;
  absl::Duration replica_ack_timeout = absl::Milliseconds(100);
  // Not owned; null means Clock::Real(). Times the lock wait.
  Clock* clock = nullptr;
  // Waits between lock attempts; null means absl::SleepFor. Tests pass one
  // that advances a FakeClock.
  std::function<void(absl::Duration)> sleep;
};

class RedisRecords {
 public:
  // The change: `value` is the record (nullopt when there is none); leave
  // it nullopt to delete the record. A non-OK result changes nothing and is
  // returned by Update.
  using Change = std::function<absl::Status(std::optional<std::string>& value)>;

  RedisRecords(RedisPool& pool, std::string prefix,
               const RedisRecordOptions& options);

  // Runs `change` holding the record's lock across every replica.
  // `must_exist`: a missing record is kNotFound without calling `change`,
  // and a record deleted while the change ran is not brought back
  // (kNotFound).
  absl::Status Update(std::string_view key, bool must_exist,
                      const Change& change);

  // Creates the record unless it exists: true if created, false if not.
  absl::StatusOr<bool> Insert(std::string_view key, const std::string& value);

  // The record, or nullopt.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key);

  // Deletes the record: true if there was one.
  absl::StatusOr<bool> Delete(std::string_view key);

  std::string ValueKey(std::string_view key) const;
  std::string LockKey(std::string_view key) const;

 private:
  absl::StatusOr<std::string> Lock(const std::string& lock_key);
  void Unlock(const std::string& lock_key, const std::string& token);
  absl::Status Commit(std::string_view key, const std::string& token,
                      const std::optional<std::string>& value, bool must_exist);

  RedisPool& pool_;
  const std::string prefix_;
  const RedisRecordOptions options_;
  Clock* const clock_;
};

// The replies RedisRecords treats as failures of the store itself.
absl::Status UnexpectedRedisReply(const RedisReply& reply);

}  // namespace kneechat
