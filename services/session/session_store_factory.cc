#include "services/session/session_store_factory.h"

#include <utility>

#include "services/redis/redis_connector.h"
#include "services/session/memory_session_store.h"
#include "services/session/redis_session_store.h"
#include "services/session/session_store_spec.h"

namespace kneechat {

absl::StatusOr<SessionBackend> MakeSessionBackend(
    std::string_view spec_text, const SessionStoreOptions& options) {
  absl::StatusOr<SessionStoreSpec> spec = ParseSessionStoreSpec(spec_text);
  if (!spec.ok()) return spec.status();
  SessionBackend backend;
  if (spec->kind == SessionStoreSpec::Kind::kMemory) {
    MemorySessionStoreOptions memory;
    memory.ttl = options.ttl;
    memory.max_sessions = options.max_sessions;
    memory.compress_after = options.compress_after;
    backend.sessions = std::make_unique<MemorySessionStore>(memory);
    return backend;
  }
  RedisConnectOptions connect;
  connect.timeout = options.redis_timeout;
  connect.password = spec->password;
  connect.db = spec->db;
  std::unique_ptr<RedisConnector> connector;
  if (spec->kind == SessionStoreSpec::Kind::kRedis) {
    connector = std::make_unique<DirectRedisConnector>(spec->addresses[0],
                                                       std::move(connect));
  } else {
    connector = std::make_unique<SentinelRedisConnector>(
        spec->addresses, spec->master_name, std::move(connect));
  }
  backend.redis = std::make_shared<RedisPool>(std::move(connector));
  backend.redis_records.ttl = options.ttl;
  backend.redis_records.lock_ttl = options.lock_ttl;
  backend.redis_records.lock_wait = options.lock_wait;
  backend.redis_records.replica_acks = options.replica_acks;
  backend.redis_records.replica_ack_timeout = options.redis_timeout / 5;
  backend.sessions =
      std::make_unique<RedisSessionStore>(backend.redis, backend.redis_records);
  return backend;
}

}  // namespace kneechat
