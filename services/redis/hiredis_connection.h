// RedisConnection over hiredis's blocking API, with bounded timeouts.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/redis/redis_connection.h"

namespace kneechat {

struct RedisConnectOptions {
  // Bounds the TCP connect and then every command's send and reply.
  absl::Duration timeout = absl::Milliseconds(500);
  // Sent with AUTH after connecting when not empty.
  std::string password;
  // Selected after connecting when not 0.
  int db = 0;
};

// Connects to `address`, authenticates and selects the database.
// kUnavailable when it cannot connect or the server refuses (the message
// names the address, never the password). The returned connection is not
// thread-safe.
absl::StatusOr<std::unique_ptr<RedisConnection>> ConnectHiredis(
    const RedisAddress& address, const RedisConnectOptions& options);

}  // namespace kneechat
