// A scripted RedisConnection for tests: answers each command with the next
// queued result and records what was sent. Thread-compatible (one test
// thread).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/redis/redis_connection.h"

namespace kneechat {

struct FakeRedisLog {
  std::vector<std::vector<std::string>> commands;
};

class FakeRedisConnection : public RedisConnection {
 public:
  FakeRedisConnection(
      std::shared_ptr<std::deque<absl::StatusOr<RedisReply>>> replies,
      std::shared_ptr<FakeRedisLog> log)
      : replies_(std::move(replies)), log_(std::move(log)) {}

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    log_->commands.push_back(args);
    if (replies_->empty()) return absl::UnavailableError("no scripted reply");
    absl::StatusOr<RedisReply> reply = replies_->front();
    replies_->pop_front();
    return reply;
  }

 private:
  std::shared_ptr<std::deque<absl::StatusOr<RedisReply>>> replies_;
  std::shared_ptr<FakeRedisLog> log_;
};

inline RedisReply StatusReply(std::string text) {
  RedisReply r;
  r.type = RedisReply::Type::kStatus;
  r.str = std::move(text);
  return r;
}
inline RedisReply StringReply(std::string text) {
  RedisReply r;
  r.type = RedisReply::Type::kString;
  r.str = std::move(text);
  return r;
}
inline RedisReply ErrorReply(std::string text) {
  RedisReply r;
  r.type = RedisReply::Type::kError;
  r.str = std::move(text);
  return r;
}
inline RedisReply ArrayReply(std::vector<RedisReply> elements) {
  RedisReply r;
  r.type = RedisReply::Type::kArray;
  r.elements = std::move(elements);
  return r;
}

}  // namespace kneechat
