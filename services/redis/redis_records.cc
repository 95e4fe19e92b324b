#include "services/redis/redis_records.h"

#include <sys/random.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

// KEYS[1] value, KEYS[2] lock; ARGV[1] token, ARGV[2] value, ARGV[3] TTL ms,
// ARGV[4] "set" or "del", ARGV[5] "1" when the value must still exist.
// Returns 1 committed, 0 value gone, -1 lock no longer ours.
constexpr char kCommitScript[] = R"lua(
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  return 0
end
if ARGV[4] == 'del' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
redis.call('DEL', KEYS[2])
return 1
)lua";

// KEYS[1] lock; ARGV[1] token. Deletes the lock only if it is ours.
constexpr char kUnlockScript[] = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

std::string Millis(absl::Duration d) {
  return absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

absl::StatusOr<std::string> RandomToken() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n <= 0) return absl::InternalError("no randomness for a lock token");
    got += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

absl::Status Gone() { return absl::NotFoundError("no such record"); }

}  // namespace

absl::Status UnexpectedRedisReply(const RedisReply& reply) {
  // Redis error text names commands, never our values.
  return absl::InternalError(
      absl::StrCat("redis: unexpected reply", reply.is_error() ? ": " : "",
                   reply.is_error() ? reply.str.substr(0, 80) : ""));
}

RedisRecords::RedisRecords(RedisPool& pool, std::string prefix,
                           const RedisRecordOptions& options)
    : pool_(pool),
      prefix_(std::move(prefix)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()) {}

std::string RedisRecords::ValueKey(std::string_view key) const {
  return absl::StrCat(prefix_, ":", absl::string_view(key.data(), key.size()));
}

std::string RedisRecords::LockKey(std::string_view key) const {
  return absl::StrCat(prefix_,
                      "-lock:", absl::string_view(key.data(), key.size()));
}

absl::StatusOr<std::string> RedisRecords::Lock(const std::string& lock_key) {
  absl::StatusOr<std::string> token = RandomToken();
  if (!token.ok()) return token.status();
  const absl::Time deadline = clock_->Now() + options_.lock_wait;
  absl::Duration backoff = absl::Milliseconds(2);
  for (;;) {
    absl::StatusOr<RedisReply> reply = pool_.Run(
        {"SET", lock_key, *token, "NX", "PX", Millis(options_.lock_ttl)});
    if (!reply.ok()) return reply.status();
    if (reply->type == RedisReply::Type::kStatus) return token;
    if (!reply->is_nil()) return UnexpectedRedisReply(*reply);
    if (clock_->Now() + backoff > deadline) {
      return absl::UnavailableError(
          "another turn of this conversation is still running; retry");
    }
    if (options_.sleep) {
      options_.sleep(backoff);
    } else {
      absl::SleepFor(backoff);
    }
    backoff = std::min(backoff * 2, absl::Milliseconds(50));
  }
}

void RedisRecords::Unlock(const std::string& lock_key,
                          const std::string& token) {
  // Best effort: if this fails, the lock expires by itself.
  pool_.Run({"EVAL", kUnlockScript, "1", lock_key, token}).IgnoreError();
}

absl::Status RedisRecords::Commit(std::string_view key,
                                  const std::string& token,
                                  const std::optional<std::string>& value,
                                  bool must_exist) {
  absl::StatusOr<RedisReply> reply =
      pool_.Run({"EVAL", kCommitScript, "2", ValueKey(key), LockKey(key), token,
                 value.value_or(""), Millis(options_.ttl),
                 value ? "set" : "del", must_exist ? "1" : "0"});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kInteger) {
    return UnexpectedRedisReply(*reply);
  }
  if (reply->integer == 0) return Gone();
  if (reply->integer < 0) {
    return absl::UnavailableError(
        "the change took longer than its lock; nothing was saved; retry");
  }
  if (options_.replica_acks > 0) {
    // Best effort: the change is committed on the master either way.
    pool_
        .Run({"WAIT", absl::StrCat(options_.replica_acks),
              Millis(options_.replica_ack_timeout)})
        .IgnoreError();
  }
  return absl::OkStatus();
}

absl::Status RedisRecords::Update(std::string_view key, bool must_exist,
                                  const Change& change) {
  const std::string lock_key = LockKey(key);
  absl::StatusOr<std::string> token = Lock(lock_key);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<std::string>> value = Get(key);
  absl::Status status;
  if (!value.ok()) {
    status = value.status();
  } else if (must_exist && !value->has_value()) {
    status = Gone();
  } else {
    status = change(*value);
    if (status.ok()) return Commit(key, *token, *value, must_exist);
  }
  Unlock(lock_key, *token);
  return status;
}

absl::StatusOr<bool> RedisRecords::Insert(std::string_view key,
                                          const std::string& value) {
  absl::StatusOr<RedisReply> reply = pool_.Run(
      {"SET", ValueKey(key), value, "NX", "PX", Millis(options_.ttl)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return false;
  if (reply->type != RedisReply::Type::kStatus) {
    return UnexpectedRedisReply(*reply);
  }
  return true;
}

absl::StatusOr<std::optional<std::string>> RedisRecords::Get(
    std::string_view key) {
  absl::StatusOr<RedisReply> reply = pool_.Run({"GET", ValueKey(key)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return std::optional<std::string>();
  if (reply->type != RedisReply::Type::kString) {
    return UnexpectedRedisReply(*reply);
  }
  return std::optional<std::string>(std::move(reply->str));
}

absl::StatusOr<bool> RedisRecords::Delete(std::string_view key) {
  absl::StatusOr<RedisReply> reply = pool_.Run({"DEL", ValueKey(key)});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kInteger) {
    return UnexpectedRedisReply(*reply);
  }
  return reply->integer > 0;
}

}  // namespace kneechat
