// A small pool of Redis connections shared by the request threads: each
// command runs on a connection that no other thread is using at the time.
//
// Failures: a command that fails on the wire (refused, closed, timed out)
// or that the server refuses because it is not (or no longer) the writable
// master (READONLY, LOADING, MASTERDOWN) returns kUnavailable with a
// message that names no address (clients may see it; the details go to
// stderr once per outage), drops that
// connection and every idle one (they point at the same, failed server),
// and tells the connector to find the master afresh. The next command then
// connects anew: reconnection needs no outside help. Commands are never
// retried here -- whether a retry is safe is the caller's decision.
//
// Thread-safety: Run() may be called concurrently from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/redis/redis_connection.h"
#include "services/redis/redis_connector.h"

namespace kneechat {

struct RedisPoolStats {
  uint64_t commands = 0;    // commands sent
  uint64_t bytes_sent = 0;  // RESP bytes of the commands
  uint64_t connects = 0;    // connections opened
  uint64_t failures = 0;    // commands that ended in kUnavailable
};

class RedisPool {
 public:
  // Keeps at most `max_idle` idle connections.
  RedisPool(std::unique_ptr<RedisConnector> connector, size_t max_idle = 16);

  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs one command. A Redis error reply other than the ones above is an
  // OK result of type kError.
  absl::StatusOr<RedisReply> Run(const std::vector<std::string>& args);

  RedisPoolStats stats();

 private:
  absl::StatusOr<std::unique_ptr<RedisConnection>> Take(uint64_t* generation);
  void Give(std::unique_ptr<RedisConnection> connection, uint64_t generation);
  absl::Status Fail(const absl::Status& cause);

  const std::unique_ptr<RedisConnector> connector_;
  const size_t max_idle_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  // Bumped by every failure; connections from before it are not reused.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  RedisPoolStats stats_ ABSL_GUARDED_BY(mu_);
  // False from a failure until the next success; an outage is logged once.
  bool up_ ABSL_GUARDED_BY(mu_) = true;
};

// True for the error replies that mean "this server does not take writes
// now": READONLY (a replica), LOADING, MASTERDOWN.
bool IsNotMasterReply(const RedisReply& reply);

}  // namespace kneechat
