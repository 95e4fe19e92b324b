// Builds the SessionStore that --session_store names (see
// session_store_spec.h for the accepted values), and hands out the Redis
// connection pool it uses so that other shared state (the channels') can go
// to the same Redis.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/redis/redis_pool.h"
#include "services/redis/redis_records.h"
#include "services/session/session_store.h"

namespace kneechat {

struct SessionStoreOptions {
  absl::Duration ttl = absl::Minutes(30);
  // Memory store only: live sessions at most, and how long one is unused
  // before it is kept compressed (MemorySessionStoreOptions).
  size_t max_sessions = 10000;
  absl::Duration compress_after = absl::Seconds(60);
  // Redis: connect and per-command timeout; how long a turn waits for
  // another turn of its session, and how long it may hold the session;
  // replicas a commit waits for (best effort, see redis_records.h).
  absl::Duration redis_timeout = absl::Milliseconds(500);
  absl::Duration lock_wait = absl::Seconds(2);
  absl::Duration lock_ttl = absl::Seconds(5);
  int replica_acks = 0;
};

struct SessionBackend {
  std::unique_ptr<SessionStore> sessions;
  // Redis only (null for memory): the pool, and the record settings the
  // sessions use.
  std::shared_ptr<RedisPool> redis;
  RedisRecordOptions redis_records;
};

// kInvalidArgument for a malformed spec. Does not contact Redis: a server
// may start while Redis is still coming up (it reports NOT_SERVING until
// Redis answers).
absl::StatusOr<SessionBackend> MakeSessionBackend(
    std::string_view spec, const SessionStoreOptions& options);

}  // namespace kneechat
