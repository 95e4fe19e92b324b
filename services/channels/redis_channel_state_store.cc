#include "services/channels/redis_channel_state_store.h"

#include <utility>

namespace kneechat {
namespace {

RedisRecordOptions WithTtl(RedisRecordOptions options, absl::Duration ttl) {
  options.ttl = ttl;
  return options;
}

}  // namespace

RedisChannelStateStore::RedisChannelStateStore(
    std::shared_ptr<RedisPool> pool, const std::string& prefix,
    absl::Duration remember_ttl, const RedisRecordOptions& records)
    : pool_(std::move(pool)),
      remembered_(*pool_, prefix + ":seen", WithTtl(records, remember_ttl)),
      records_(*pool_, prefix + ":state", records) {}

absl::StatusOr<bool> RedisChannelStateStore::Remember(std::string_view key,
                                                      std::string value) {
  return remembered_.Insert(key, value);
}

absl::StatusOr<std::optional<std::string>> RedisChannelStateStore::Recall(
    std::string_view key) {
  return remembered_.Get(key);
}

absl::Status RedisChannelStateStore::Forget(std::string_view key) {
  return remembered_.Delete(key).status();
}

absl::Status RedisChannelStateStore::Update(std::string_view key,
                                            const Change& change) {
  return records_.Update(
      key, /*must_exist=*/false,
      [&change](std::optional<std::string>& value) -> absl::Status {
        std::string record = value.value_or("");
        absl::Status status = change(record);
        if (!status.ok()) return status;
        if (record.empty()) {
          value.reset();
        } else {
          value = std::move(record);
        }
        return absl::OkStatus();
      });
}

}  // namespace kneechat
