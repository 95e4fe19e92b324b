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

void MemorySessionStore::UnlinkLocked(Entry* entry) {
  (entry->older != nullptr ? entry->older->newer : idlest_) = entry->newer;
  (entry->newer != nullptr ? entry->newer->older : newest_) = entry->older;
  entry->older = entry->newer = nullptr;
}

void MemorySessionStore::LinkNewestLocked(Entry* entry) {
  entry->older = newest_;
  entry->newer = nullptr;
  (newest_ != nullptr ? newest_->newer : idlest_) = entry;
  newest_ = entry;
}

void MemorySessionStore::EraseLocked(Entry* entry) {
  UnlinkLocked(entry);
  sessions_.erase(absl::string_view(entry->id));
}

void MemorySessionStore::SweepExpiredLocked() {
  const absl::Time now = clock_->Now();
  // Last use orders expiry: stop at the first session still alive. A session
  // in a turn right now is alive; never wait for it while holding the map.
  for (Entry* entry = idlest_; entry != nullptr;) {
    Entry* next = entry->newer;
    if (entry->mu.TryLock()) {
      const bool dead = entry->deleted || entry->expires <= now;
      entry->mu.Unlock();
      if (!dead) return;
      EraseLocked(entry);
    }
    entry = next;
  }
}

bool MemorySessionStore::EvictIdlestLocked() {
  for (Entry* entry = idlest_; entry != nullptr; entry = entry->newer) {
    if (!entry->mu.TryLock()) continue;  // in a turn right now: not idle
    entry->deleted = true;
    entry->state.clear();
    entry->state.shrink_to_fit();
    entry->mu.Unlock();
    EraseLocked(entry);
    return true;
  }
  return false;
}

absl::Status MemorySessionStore::Insert(const SessionState& state) {
  const std::string& id = state.session().session_id();
  if (id.empty()) return absl::InvalidArgumentError("session id is empty");
  auto entry = std::make_shared<Entry>(id);
  {
    absl::MutexLock lock(&entry->mu);
    state.SerializeToString(&entry->state);
    entry->state.shrink_to_fit();
    entry->expires = clock_->Now() + options_.ttl;
  }
  absl::MutexLock lock(&mu_);
  SweepExpiredLocked();  // the expired ones at the front, if any
  if (sessions_.size() >= options_.max_sessions && !EvictIdlestLocked()) {
    return absl::ResourceExhaustedError(
        "too many open sessions; try again later");
  }
  Entry* listed = entry.get();
  if (!sessions_.emplace(absl::string_view(listed->id), std::move(entry))
           .second) {
    return absl::AlreadyExistsError("session id in use");
  }
  LinkNewestLocked(listed);
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
  {
    absl::MutexLock lock(&entry->mu);
    const absl::Time now = clock_->Now();
    if (entry->deleted || entry->expires <= now) return NotFound();
    SessionState working;
    if (!working.ParseFromString(entry->state)) {
      return absl::InternalError("a stored session could not be read");
    }
    absl::Status status = fn(working);
    if (!status.ok()) return status;
    working.SerializeToString(&entry->state);
    entry->state.shrink_to_fit();
    entry->expires = now + options_.ttl;
  }
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(absl::string_view(entry->id));
  if (it != sessions_.end() && it->second == entry) {
    UnlinkLocked(entry.get());
    LinkNewestLocked(entry.get());
  }
  return absl::OkStatus();
}

absl::StatusOr<SessionState> MemorySessionStore::Get(
    std::string_view session_id) {
  std::shared_ptr<Entry> entry = Find(session_id);
  if (entry == nullptr) return NotFound();
  absl::MutexLock lock(&entry->mu);
  if (entry->deleted || entry->expires <= clock_->Now()) return NotFound();
  SessionState state;
  if (!state.ParseFromString(entry->state)) {
    return absl::InternalError("a stored session could not be read");
  }
  return state;
}

absl::Status MemorySessionStore::Delete(std::string_view session_id) {
  std::shared_ptr<Entry> entry;
  {
    absl::MutexLock lock(&mu_);
    auto it =
        sessions_.find(absl::string_view(session_id.data(), session_id.size()));
    if (it == sessions_.end()) return NotFound();
    entry = it->second;
    EraseLocked(entry.get());
  }
  absl::MutexLock lock(&entry->mu);
  const bool was_live = !entry->deleted && entry->expires > clock_->Now();
  entry->deleted = true;
  entry->state.clear();  // erase every trace, even for in-flight holders
  entry->state.shrink_to_fit();
  return was_live ? absl::OkStatus() : NotFound();
}

size_t MemorySessionStore::Size() {
  absl::MutexLock lock(&mu_);
  SweepExpiredLocked();
  return sessions_.size();
}

}  // namespace kneechat
