#include "services/session/redis_session_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

constexpr char kPrefix[] = "kneechat:session";

absl::Status NotFound() {
  return absl::NotFoundError("unknown or expired session");
}

// kNotFound from the records means the session is gone; the records' own
// wording is replaced by the store's.
absl::Status Translate(const absl::Status& status) {
  return absl::IsNotFound(status) ? NotFound() : status;
}

}  // namespace

bool IsWellFormedSessionId(std::string_view session_id) {
  if (session_id.size() != 32) return false;
  return std::all_of(session_id.begin(), session_id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

std::string RedisSessionStore::StateKey(std::string_view session_id) {
  return absl::StrCat(kPrefix, ":",
                      absl::string_view(session_id.data(), session_id.size()));
}

std::string RedisSessionStore::LockKey(std::string_view session_id) {
  return absl::StrCat(kPrefix, "-lock:",
                      absl::string_view(session_id.data(), session_id.size()));
}

RedisSessionStore::RedisSessionStore(std::shared_ptr<RedisPool> pool,
                                     const RedisRecordOptions& options)
    : pool_(std::move(pool)), records_(*pool_, kPrefix, options) {}

absl::Status RedisSessionStore::Insert(const SessionState& state) {
  const std::string& id = state.session().session_id();
  if (!IsWellFormedSessionId(id)) {
    return absl::InvalidArgumentError("malformed session id");
  }
  absl::StatusOr<bool> created = records_.Insert(id, state.SerializeAsString());
  if (!created.ok()) return created.status();
  if (!*created) return absl::AlreadyExistsError("session id in use");
  return absl::OkStatus();
}

absl::Status RedisSessionStore::Update(std::string_view session_id,
                                       const UpdateFn& fn) {
  if (!IsWellFormedSessionId(session_id)) return NotFound();
  return Translate(
      records_.Update(session_id, /*must_exist=*/true,
                      [&fn](std::optional<std::string>& value) -> absl::Status {
                        SessionState state;
                        // A record that does not parse counts as gone.
                        if (!state.ParseFromString(*value)) return NotFound();
                        absl::Status status = fn(state);
                        if (!status.ok()) return status;
                        *value = state.SerializeAsString();
                        return absl::OkStatus();
                      }));
}

absl::StatusOr<SessionState> RedisSessionStore::Get(
    std::string_view session_id) {
  if (!IsWellFormedSessionId(session_id)) return NotFound();
  absl::StatusOr<std::optional<std::string>> value = records_.Get(session_id);
  if (!value.ok()) return value.status();
  SessionState state;
  if (!value->has_value() || !state.ParseFromString(**value)) return NotFound();
  return state;
}

absl::Status RedisSessionStore::Delete(std::string_view session_id) {
  if (!IsWellFormedSessionId(session_id)) return NotFound();
  absl::StatusOr<bool> deleted = records_.Delete(session_id);
  if (!deleted.ok()) return deleted.status();
  return *deleted ? absl::OkStatus() : NotFound();
}

absl::Status RedisSessionStore::CheckHealth() {
  absl::StatusOr<RedisReply> reply = pool_->Run({"PING"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return UnexpectedRedisReply(*reply);
  return absl::OkStatus();
}

}  // namespace kneechat
