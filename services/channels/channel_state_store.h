// What a channel adapter must remember between webhook requests, and where:
// delivered update ids and answered requests (to drop redeliveries), and a
// small record per conversation (a chat's session and buttons, a call's
// session and last prompt).
//
// In memory (MemoryChannelStateStore, the default) this holds for one
// process; on Redis (RedisChannelStateStore) for every replica, so a
// redelivered webhook is processed once whichever replica receives it, and
// the next message of a chat or call can land on any replica.
//
// Keys are channel ids (update ids, chat ids, call SIDs, request digests),
// never message text.
//
// Errors: kUnavailable when a shared store cannot be reached or a record's
// lock could not be had in time (the adapter answers 503 so the channel
// delivers again); anything a Change returns is passed through.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kneechat {

class ChannelStateStore {
 public:
  // Changes a conversation record; "" means no record (leave "" to erase).
  using Change = std::function<absl::Status(std::string& record)>;

  virtual ~ChannelStateStore() = default;

  // Remembers `key` with `value` for the store's remember-TTL. True if it
  // was not remembered yet; false (and nothing changes) if it was.
  virtual absl::StatusOr<bool> Remember(std::string_view key,
                                        std::string value) = 0;

  // The value remembered under `key`, if any.
  virtual absl::StatusOr<std::optional<std::string>> Recall(
      std::string_view key) = 0;

  virtual absl::Status Forget(std::string_view key) = 0;

  // Runs `change` on the record under `key` while holding that record's
  // lock (in every replica sharing the store), then keeps what it left,
  // forgotten after the store's idle TTL. A non-OK result changes nothing.
  virtual absl::Status Update(std::string_view key, const Change& change) = 0;
};

}  // namespace kneechat
