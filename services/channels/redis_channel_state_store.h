// ChannelStateStore on Redis, shared by every kneechat replica. Remembered
// keys are SET NX with an expiry; conversation records are RedisRecords
// (services/redis/redis_records.h: a lock key per record and a fenced
// commit), so requests of one chat or call are handled one at a time across
// replicas. Keys: "<prefix>:seen:<key>", "<prefix>:state:<key>" and
// "<prefix>:state-lock:<key>".
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/redis/redis_pool.h"
#include "services/redis/redis_records.h"

namespace kneechat {

// Thread-safe.
class RedisChannelStateStore : public ChannelStateStore {
 public:
  // `prefix` names the channel ("kneechat:telegram"). `records.ttl` is the
  // idle TTL of conversation records; `remember_ttl` that of remembered keys.
  RedisChannelStateStore(std::shared_ptr<RedisPool> pool,
                         const std::string& prefix, absl::Duration remember_ttl,
                         const RedisRecordOptions& records);

  absl::StatusOr<bool> Remember(std::string_view key,
                                std::string value) override;
  absl::StatusOr<std::optional<std::string>> Recall(
      std::string_view key) override;
  absl::Status Forget(std::string_view key) override;
  absl::Status Update(std::string_view key, const Change& change) override;

 private:
  const std::shared_ptr<RedisPool> pool_;
  RedisRecords remembered_;
  RedisRecords records_;
};

}  // namespace kneechat
