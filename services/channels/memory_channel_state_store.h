// ChannelStateStore in process memory: bounded and expiring, for a single
// kneechat process. Never fails.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/keyed_states.h"
#include "services/channels/recent_cache.h"
#include "services/common/clock.h"

namespace kneechat {

struct MemoryChannelStateOptions {
  // Remembered keys: at most this many, each for `remember_ttl`.
  size_t remember_capacity = 100000;
  absl::Duration remember_ttl = absl::Hours(48);
  // Conversation records: at most this many, each until idle this long.
  size_t max_records = 100000;
  absl::Duration record_idle_ttl = absl::Hours(24);
  // Not owned; null means Clock::Real(). Must outlive the store.
  Clock* clock = nullptr;
};

// Thread-safe.
class MemoryChannelStateStore : public ChannelStateStore {
 public:
  explicit MemoryChannelStateStore(const MemoryChannelStateOptions& options);

  absl::StatusOr<bool> Remember(std::string_view key,
                                std::string value) override;
  absl::StatusOr<std::optional<std::string>> Recall(
      std::string_view key) override;
  absl::Status Forget(std::string_view key) override;
  absl::Status Update(std::string_view key, const Change& change) override;

 private:
  struct Record;

  RecentCache remembered_;
  KeyedStates<Record> records_;
};

}  // namespace kneechat
