// The --session_store value, parsed: which SessionStore to build and where
// its Redis servers are.
//
//   memory                                             (the default)
//   redis://[:PASSWORD@]HOST:PORT[/DB]
//   redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTER_NAME[?password=PASSWORD]
//
// HOST may be a name, an IPv4 address or a bracketed IPv6 address
// ("[::1]:6379"). PASSWORD is the Redis AUTH password of the data nodes
// (with Sentinel, the master's; the sentinels themselves are asked without
// one); %XX escapes in it are decoded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/redis/redis_connection.h"

namespace kneechat {

struct SessionStoreSpec {
  enum class Kind { kMemory, kRedis, kSentinel };
  Kind kind = Kind::kMemory;
  // kRedis: one address; kSentinel: the sentinels, in the order given.
  std::vector<RedisAddress> addresses;
  std::string password;
  int db = 0;               // kRedis only
  std::string master_name;  // kSentinel only
};

// kInvalidArgument naming what is wrong (never echoing the password).
absl::StatusOr<SessionStoreSpec> ParseSessionStoreSpec(std::string_view text);

}  // namespace kneechat
