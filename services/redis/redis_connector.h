// Where new Redis connections go: a fixed server (redis://) or the master
// that the sentinels currently name (redis-sentinel://).
//
// Thread-safety: Connect() and Invalidate() may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/redis/hiredis_connection.h"
#include "services/redis/redis_connection.h"

namespace kneechat {

class RedisConnector {
 public:
  virtual ~RedisConnector() = default;

  // A new connection to the server that takes writes, authenticated and on
  // the right database. kUnavailable when there is none right now.
  virtual absl::StatusOr<std::unique_ptr<RedisConnection>> Connect() = 0;

  // Told that a connection failed or the server refused a write (READONLY):
  // the next Connect() finds the master afresh. No-op for a fixed server.
  virtual void Invalidate() {}
};

// Opens a connection to one address; the seam for tests.
using RedisDialer =
    std::function<absl::StatusOr<std::unique_ptr<RedisConnection>>(
        const RedisAddress& address, const RedisConnectOptions& options)>;

// Always the same server.
class DirectRedisConnector : public RedisConnector {
 public:
  // `dial` null means ConnectHiredis.
  DirectRedisConnector(RedisAddress address, RedisConnectOptions options,
                       RedisDialer dial = nullptr);
  absl::StatusOr<std::unique_ptr<RedisConnection>> Connect() override;

 private:
  const RedisAddress address_;
  const RedisConnectOptions options_;
  const RedisDialer dial_;
};

// Finds the master with SENTINEL GET-MASTER-ADDR-BY-NAME, asking the
// sentinels in turn (the first that answers is moved to the front, as the
// Sentinel client guidelines suggest), and checks with ROLE that the
// server it names really is a master before using it. The master's address
// is cached until Invalidate().
class SentinelRedisConnector : public RedisConnector {
 public:
  // `options.password` and `options.db` apply to the master; sentinels are
  // asked without a password. `dial` null means ConnectHiredis.
  SentinelRedisConnector(std::vector<RedisAddress> sentinels,
                         std::string master_name, RedisConnectOptions options,
                         RedisDialer dial = nullptr);
  absl::StatusOr<std::unique_ptr<RedisConnection>> Connect() override;
  void Invalidate() override;

  // The master last discovered, if any; for tests and logs.
  std::optional<RedisAddress> master();

 private:
  absl::StatusOr<RedisAddress> Discover();

  const std::string master_name_;
  const RedisConnectOptions options_;
  const RedisDialer dial_;
  absl::Mutex mu_;
  std::vector<RedisAddress> sentinels_ ABSL_GUARDED_BY(mu_);
  std::optional<RedisAddress> master_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kneechat
