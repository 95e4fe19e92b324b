// SessionStore on Redis, shared by any number of kneechat replicas.
//
// Each session is one RedisRecords record under the prefix
// "kneechat:session" (see services/redis/redis_records.h for how turns of
// one session are serialised across replicas: a lock key with a random
// token and expiry, and a commit script that writes only while the token is
// still ours):
//   kneechat:session:<id>       the serialised engine::v1::SessionState;
//                               its Redis expiry is the session TTL,
//                               restarted by every committed turn
//   kneechat:session-lock:<id>  present only while a turn runs
// Keys are made from the session id only; ids that are not kneechat's 32
// lower-case hex digits are kNotFound without asking Redis, so no user text
// ever reaches a key.
//
// Idempotency by message_id lives in the state (recent replies), so it
// holds across replicas: a retry reads the committed state under the lock
// and returns the stored reply.
//
// The live-session cap of the memory store does not apply; Redis's
// maxmemory bounds the sessions (see README, "Redis settings").
//
// Errors: as SessionStore; kUnavailable whenever Redis cannot be reached
// within the timeouts, is failing over, or another turn of the session held
// the lock too long -- nothing was saved then and the client may retry with
// the same message_id. A record that does not parse counts as gone
// (kNotFound: the client starts a new session).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <string>

#include "services/redis/redis_pool.h"
#include "services/redis/redis_records.h"
#include "services/session/session_store.h"

namespace kneechat {

class RedisSessionStore : public SessionStore {
 public:
  // `options.ttl` is the session TTL. The pool is shared with whoever else
  // uses the same Redis (the channel state stores).
  RedisSessionStore(std::shared_ptr<RedisPool> pool,
                    const RedisRecordOptions& options);

  absl::Status Insert(const SessionState& state) override;
  absl::Status Update(std::string_view session_id, const UpdateFn& fn) override;
  absl::StatusOr<SessionState> Get(std::string_view session_id) override;
  absl::Status Delete(std::string_view session_id) override;
  // PING on the master.
  absl::Status CheckHealth() override;

  // The Redis keys of a session; for tests and operators (redis-cli).
  static std::string StateKey(std::string_view session_id);
  static std::string LockKey(std::string_view session_id);

 private:
  const std::shared_ptr<RedisPool> pool_;
  RedisRecords records_;
};

// True for ids the engine makes: 32 lower-case hex digits.
bool IsWellFormedSessionId(std::string_view session_id);

}  // namespace kneechat
