#include "services/redis/redis_pool.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/server_log.h"

namespace kneechat {
namespace {

// The size of a command in the RESP protocol, as it goes on the wire.
uint64_t RespBytes(const std::vector<std::string>& args) {
  uint64_t bytes = absl::StrCat("*", args.size(), "\r\n").size();
  for (const std::string& arg : args) {
    bytes += absl::StrCat("$", arg.size(), "\r\n").size() + arg.size() + 2;
  }
  return bytes;
}

}  // namespace

bool IsNotMasterReply(const RedisReply& reply) {
  return reply.is_error() && (absl::StartsWith(reply.str, "READONLY") ||
                              absl::StartsWith(reply.str, "LOADING") ||
                              absl::StartsWith(reply.str, "MASTERDOWN"));
}

RedisPool::RedisPool(std::unique_ptr<RedisConnector> connector, size_t max_idle)
    : connector_(std::move(connector)), max_idle_(max_idle) {}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisPool::Take(
    uint64_t* generation) {
  {
    absl::MutexLock lock(&mu_);
    *generation = generation_;
    if (!idle_.empty()) {
      std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    stats_.connects++;
  }
  return connector_->Connect();
}

void RedisPool::Give(std::unique_ptr<RedisConnection> connection,
                     uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (!up_) {
    up_ = true;
    LogEvent(LogLevel::kWarning, "session_store_up");
  }
  if (generation == generation_ && idle_.size() < max_idle_) {
    idle_.push_back(std::move(connection));
  }
}

absl::Status RedisPool::Fail(const absl::Status& cause) {
  connector_->Invalidate();
  std::vector<std::unique_ptr<RedisConnection>> dropped;
  {
    absl::MutexLock lock(&mu_);
    stats_.failures++;
    ++generation_;
    dropped.swap(idle_);  // closed when this returns
    if (up_) {
      up_ = false;
      LogEvent(LogLevel::kError, "session_store_down",
               LogFields().Add("message", cause.message()));
    }
  }
  return absl::UnavailableError("session store unavailable; retry");
}

absl::StatusOr<RedisReply> RedisPool::Run(
    const std::vector<std::string>& args) {
  uint64_t generation = 0;
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      Take(&generation);
  if (!connection.ok()) return Fail(connection.status());
  {
    absl::MutexLock lock(&mu_);
    stats_.commands++;
    stats_.bytes_sent += RespBytes(args);
  }
  absl::StatusOr<RedisReply> reply = (*connection)->Command(args);
  if (!reply.ok()) return Fail(reply.status());
  if (IsNotMasterReply(*reply)) {
    return Fail(absl::UnavailableError(
        "redis: the server no longer takes writes (failover in progress)"));
  }
  Give(*std::move(connection), generation);
  return reply;
}

RedisPoolStats RedisPool::stats() {
  absl::MutexLock lock(&mu_);
  return stats_;
}

}  // namespace kneechat
