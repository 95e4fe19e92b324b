#include "services/session/memory_session_store.h"

#include <utility>

namespace kneechat {
namespace {

absl::Status NotFound() {
  return absl::NotFoundError("unknown or expired session");
}

}  // namespace

MemorySessionStore::MemorySessionStore(const MemorySessionStoreOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()) {}

void MemorySessionStore::SweepExpiredLocked() {
  const absl::Time now = clock_->Now();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& entry = it->second;
    // A session in a turn right now is alive; never wait for it while
    // holding the map.
    if (!entry->mu.TryLock()) {
      ++it;
      continue;
    }
    const bool dead = entry->deleted || entry->expires <= now;
    entry->mu.Unlock();
    if (dead) {
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
}

bool MemorySessionStore::EvictIdlestLocked() {
  auto idlest = sessions_.end();
  absl::Time idlest_expires = absl::InfiniteFuture();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    Entry& entry = *it->second;
    if (!entry.mu.TryLock()) continue;  // in a turn right now: not idle
    const absl::Time expires = entry.expires;
    entry.mu.Unlock();
    if (expires < idlest_expires) {
      idlest_expires = expires;
      idlest = it;
    }
  }
  if (idlest == sessions_.end()) return false;
  std::shared_ptr<Entry> entry = std::move(idlest->second);
  sessions_.erase(idlest);
  absl::MutexLock lock(&entry->mu);
  entry->deleted = true;
  entry->state.Clear();
  return true;
}

absl::Status MemorySessionStore::Insert(const SessionState& state) {
  const std::string& id = state.session().session_id();
  if (id.empty()) return absl::InvalidArgumentError("session id is empty");
  auto entry = std::make_shared<Entry>();
  {
    absl::MutexLock lock(&entry->mu);
    entry->state = state;
    entry->expires = clock_->Now() + options_.ttl;
  }
  absl::MutexLock lock(&mu_);
  if (sessions_.size() >= options_.max_sessions) SweepExpiredLocked();
  if (sessions_.size() >= options_.max_sessions && !EvictIdlestLocked()) {
    return absl::ResourceExhaustedError(
        "too many open sessions; try again later");
  }
  if (!sessions_.emplace(id, std::move(entry)).second) {
    return absl::AlreadyExistsError("session id in use");
  }
  return absl::OkStatus();
}

std::shared_ptr<MemorySessionStore::Entry> MemorySessionStore::Find(
    std::string_view session_id) {
  absl::MutexLock lock(&mu_);
  auto it =
      sessions_.find(absl::string_view(session_id.data(), session_id.size()));
  if (it == sessions_.end()) return nullptr;
  return it->second;
}

absl::Status MemorySessionStore::Update(std::string_view session_id,
                                        const UpdateFn& fn) {
  std::shared_ptr<Entry> entry = Find(session_id);
  if (entry == nullptr) return NotFound();
  absl::MutexLock lock(&entry->mu);
  const absl::Time now = clock_->Now();
  if (entry->deleted || entry->expires <= now) return NotFound();
  SessionState working = entry->state;
  absl::Status status = fn(working);
  if (!status.ok()) return status;
  entry->state = std::move(working);
  entry->expires = now + options_.ttl;
  return absl::OkStatus();
}

absl::StatusOr<SessionState> MemorySessionStore::Get(
    std::string_view session_id) {
  std::shared_ptr<Entry> entry = Find(session_id);
  if (entry == nullptr) return NotFound();
  absl::MutexLock lock(&entry->mu);
  if (entry->deleted || entry->expires <= clock_->Now()) return NotFound();
  return entry->state;
}

absl::Status MemorySessionStore::Delete(std::string_view session_id) {
  std::shared_ptr<Entry> entry;
  {
    absl::MutexLock lock(&mu_);
    auto it =
        sessions_.find(absl::string_view(session_id.data(), session_id.size()));
    if (it == sessions_.end()) return NotFound();
    entry = std::move(it->second);
    sessions_.erase(it);
  }
  absl::MutexLock lock(&entry->mu);
  const bool was_live = !entry->deleted && entry->expires > clock_->Now();
  entry->deleted = true;
  entry->state.Clear();  // erase every trace, even for in-flight holders
  return was_live ? absl::OkStatus() : NotFound();
}

size_t MemorySessionStore::Size() {
  absl::MutexLock lock(&mu_);
  SweepExpiredLocked();
  return sessions_.size();
}

}  // namespace kneechat
