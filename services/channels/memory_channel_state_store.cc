#include "services/channels/memory_channel_state_store.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kneechat {

struct MemoryChannelStateStore::Record {
  absl::Mutex mu;  // held for a whole Update
  std::string value ABSL_GUARDED_BY(mu);
};

MemoryChannelStateStore::MemoryChannelStateStore(
    const MemoryChannelStateOptions& options)
    : remembered_(RecentCache::Options{options.remember_capacity,
                                       options.remember_ttl, options.clock}),
      records_(options.max_records, options.record_idle_ttl, options.clock) {}

absl::StatusOr<bool> MemoryChannelStateStore::Remember(std::string_view key,
                                                       std::string value) {
  return remembered_.Insert(key, std::move(value));
}

absl::StatusOr<std::optional<std::string>> MemoryChannelStateStore::Recall(
    std::string_view key) {
  return remembered_.Find(key);
}

absl::Status MemoryChannelStateStore::Forget(std::string_view key) {
  remembered_.Erase(key);
  return absl::OkStatus();
}

absl::Status MemoryChannelStateStore::Update(std::string_view key,
                                             const Change& change) {
  const std::string name(key);
  bool created = false;
  std::shared_ptr<Record> record = records_.GetOrCreate(name, &created);
  absl::MutexLock lock(&record->mu);
  std::string value = record->value;
  absl::Status status = change(value);
  if (!status.ok()) return status;
  record->value = std::move(value);
  if (record->value.empty()) records_.Erase(name);
  return absl::OkStatus();
}

}  // namespace kneechat
