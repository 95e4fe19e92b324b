#include "services/session/memory_session_store.h"

#include <utility>

#include "services/session/state_compression.h"

namespace kneechat {
namespace {

absl::Status NotFound() {
  return absl::NotFoundError("unknown or expired session");
}

absl::Status Unreadable() {
  return absl::InternalError("a stored session could not be read");
}

}  // namespace

MemorySessionStore::MemorySessionStore(const MemorySessionStoreOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()) {}

void MemorySessionStore::UnlinkLocked(Entry* entry) {
  if (compress_next_ == entry) compress_next_ = entry->newer;
  (entry->older != nullptr ? entry->older->newer : idlest_) = entry->newer;
  (entry->newer != nullptr ? entry->newer->older : newest_) = entry->older;
  entry->older = entry->newer = nullptr;
}

void MemorySessionStore::LinkNewestLocked(Entry* entry) {
  entry->older = newest_;
  entry->newer = nullptr;
  (newest_ != nullptr ? newest_->newer : idlest_) = entry;
  newest_ = entry;
  // Every older one has been considered; this one is next.
  if (compress_next_ == nullptr) compress_next_ = entry;
}

void MemorySessionStore::EraseLocked(Entry* entry) {
  UnlinkLocked(entry);
  sessions_.erase(absl::string_view(entry->id));
}

absl::Time MemorySessionStore::LastUse(const Entry& entry) const {
  return entry.expires - options_.ttl;
}

absl::Status MemorySessionStore::ReadInto(const Entry& entry,
                                          SessionState& state) {
  if (!entry.compressed) {
    if (!state.ParseFromString(entry.state)) return Unreadable();
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> raw = DecompressState(entry.state);
  if (!raw.ok() || !state.ParseFromString(*raw)) return Unreadable();
  return absl::OkStatus();
}

void MemorySessionStore::WriteStale(Entry& entry) {
  if (!entry.stale) return;
  entry.parsed->SerializeToString(&entry.state);
  entry.stale = false;
}

void MemorySessionStore::DropParsed(Entry& entry) {
  if (entry.parsed == nullptr) return;
  entry.parsed.reset();
  entry.stale = false;
  parsed_sessions_.fetch_sub(1, std::memory_order_relaxed);
}

bool MemorySessionStore::ReserveParsed() {
  size_t held = parsed_sessions_.load(std::memory_order_relaxed);
  while (held < options_.max_parsed_sessions) {
    if (parsed_sessions_.compare_exchange_weak(held, held + 1,
                                               std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

void MemorySessionStore::SweepExpiredLocked() {
  const absl::Time now = clock_->Now();
  // Last use orders expiry: stop at the first session still alive. A session
  // in a turn right now is alive; never wait for it while holding the map.
  for (Entry* entry = idlest_; entry != nullptr;) {
    Entry* next = entry->newer;
    if (entry->mu.TryLock()) {
      const bool dead = entry->deleted || entry->expires <= now;
      if (dead) DropParsed(*entry);
      entry->mu.Unlock();
      if (!dead) return;
      EraseLocked(entry);
    }
    entry = next;
  }
}

void MemorySessionStore::TakeIdleLocked(IdleEntries& idle) {
  const absl::Time used_before = clock_->Now() - options_.compress_after;
  size_t taken = 0;
  // Last use orders idleness too: stop at the first session used since
  // `used_before`. One in a turn right now will be the newest; stop there
  // too rather than wait for it (the next Insert looks again).
  while (taken < idle.size() && compress_next_ != nullptr) {
    Entry* entry = compress_next_;
    if (!entry->mu.TryLock()) return;
    const bool is_idle = LastUse(*entry) <= used_before;
    const bool wanted = !entry->deleted && !entry->compressed;
    entry->mu.Unlock();
    if (!is_idle) return;
    if (wanted) {
      auto it = sessions_.find(absl::string_view(entry->id));
      if (it != sessions_.end()) idle[taken++] = it->second;
    }
    compress_next_ = entry->newer;
  }
}

void MemorySessionStore::Compress(IdleEntries& idle) {
  for (std::shared_ptr<Entry>& entry : idle) {
    if (entry == nullptr) break;
    absl::MutexLock lock(&entry->mu);
    const absl::Time now = clock_->Now();
    // Used, deleted or compressed since it was taken: leave it.
    if (entry->deleted || entry->compressed || entry->expires <= now ||
        LastUse(*entry) > now - options_.compress_after) {
      continue;
    }
    WriteStale(*entry);
    DropParsed(*entry);  // idle: kept small from now on
    std::string compressed = CompressState(entry->state);
    if (compressed.size() >= entry->state.size()) {  // tiny states
      entry->state.shrink_to_fit();
      continue;
    }
    entry->state = std::move(compressed);  // frees the uncompressed buffer
    entry->state.shrink_to_fit();          // already exact; keep it so
    entry->compressed = true;
  }
}

absl::Status MemorySessionStore::InsertLocked(std::shared_ptr<Entry> entry,
                                              IdleEntries& idle) {
  SweepExpiredLocked();  // the expired ones at the front, if any
  TakeIdleLocked(idle);  // compressed once the map is let go
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

bool MemorySessionStore::EvictIdlestLocked() {
  for (Entry* entry = idlest_; entry != nullptr; entry = entry->newer) {
    if (!entry->mu.TryLock()) continue;  // in a turn right now: not idle
    entry->deleted = true;
    DropParsed(*entry);
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
  IdleEntries idle;
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    status = InsertLocked(std::move(entry), idle);
  }
  Compress(idle);
  return status;
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
  return Change(session_id, fn, /*in_place=*/false);
}

absl::Status MemorySessionStore::UpdateInPlace(std::string_view session_id,
                                               const UpdateFn& fn) {
  return Change(session_id, fn, /*in_place=*/true);
}

absl::Status MemorySessionStore::Change(std::string_view session_id,
                                        const UpdateFn& fn, bool in_place) {
  std::shared_ptr<Entry> entry = Find(session_id);
  if (entry == nullptr) return NotFound();
  {
    absl::MutexLock lock(&entry->mu);
    const absl::Time now = clock_->Now();
    if (entry->deleted || entry->expires <= now) return NotFound();
    // What a failing `fn` falls back to; one in place changes nothing then.
    if (!in_place) WriteStale(*entry);
    // The parsed state if kept, else parsed now. Taken out of the entry: if
    // `fn` fails, what it may have changed is dropped with it.
    std::unique_ptr<SessionState> working = std::move(entry->parsed);
    const bool was_parsed = working != nullptr;
    if (!was_parsed) {
      working = std::make_unique<SessionState>();
      absl::Status read = ReadInto(*entry, *working);
      if (!read.ok()) return read;
    }
    absl::Status status = fn(*working);
    if (!status.ok()) {
      if (was_parsed && in_place) {  // as it was: kept, stale or not
        entry->parsed = std::move(working);
      } else if (was_parsed) {  // unchanged, compressed or not
        parsed_sessions_.fetch_sub(1, std::memory_order_relaxed);
        entry->stale = false;
        entry->state.shrink_to_fit();
      }
      return status;
    }
    if (was_parsed || ReserveParsed()) {
      // Kept parsed: in place, written again only when needed; otherwise
      // serialised into the buffer already held (its capacity is kept while
      // the session also keeps its parsed state, which is several times
      // larger).
      if (in_place) {
        entry->stale = true;
      } else {
        working->SerializeToString(&entry->state);
      }
      entry->parsed = std::move(working);
    } else {  // the buffer made exact, as Insert makes it
      working->SerializeToString(&entry->state);
      entry->state.shrink_to_fit();
    }
    entry->compressed = false;
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
  if (entry->parsed != nullptr) return *entry->parsed;
  SessionState state;
  absl::Status read = ReadInto(*entry, state);  // not a use: a compressed
  if (!read.ok()) return read;                  // session stays so
  return state;
}

absl::StatusOr<StoredSession> MemorySessionStore::Stored(
    std::string_view session_id) {
  std::shared_ptr<Entry> entry = Find(session_id);
  if (entry == nullptr) return NotFound();
  absl::MutexLock lock(&entry->mu);
  if (entry->deleted || entry->expires <= clock_->Now()) return NotFound();
  WriteStale(*entry);
  return StoredSession{entry->state.size(), entry->compressed,
                       entry->parsed != nullptr};
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
  DropParsed(*entry);
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
