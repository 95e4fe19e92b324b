#include "services/channels/recent_cache.h"

#include <algorithm>
#include <utility>

namespace kneechat {

RecentCache::RecentCache(const Options& options)
    : capacity_(std::max<size_t>(1, options.capacity)),
      ttl_(options.ttl),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()) {}

void RecentCache::PurgeLocked(absl::Time now) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    if (it != entries_.end() && it->second.expires > now) break;
    if (it != entries_.end()) entries_.erase(it);
    order_.pop_front();
  }
}

bool RecentCache::Insert(std::string_view key, std::string value) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  PurgeLocked(now);
  if (entries_.count(std::string(key)) > 0) return false;
  while (entries_.size() >= capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  order_.emplace_back(key);
  entries_.emplace(std::string(key), Entry{std::move(value), now + ttl_,
                                           std::prev(order_.end())});
  return true;
}

std::optional<std::string> RecentCache::Find(std::string_view key) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  PurgeLocked(now);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return std::nullopt;
  return it->second.value;
}

void RecentCache::Erase(std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  order_.erase(it->second.order);
  entries_.erase(it);
}

size_t RecentCache::size() {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace kneechat
