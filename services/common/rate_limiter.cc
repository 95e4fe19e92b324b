#include "services/common/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

constexpr char kRetryAfterUrl[] = "type.kneechat.dev/retry-after-seconds";

}  // namespace

RateLimiter::RateLimiter(std::string name, RateLimit limit, size_t max_clients,
                         Clock* clock)
    : name_(std::move(name)),
      limit_{limit.per_minute, std::max(1, limit.burst)},
      max_clients_(std::max<size_t>(1, max_clients)),
      clock_(clock != nullptr ? clock : Clock::Real()) {}

double RateLimiter::Refilled(const Bucket& bucket, absl::Time now) const {
  const double minutes = absl::ToDoubleMinutes(now - bucket.updated);
  return std::min<double>(
      limit_.burst, bucket.tokens + std::max(0.0, minutes) * limit_.per_minute);
}

void RateLimiter::MakeRoomLocked(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    auto here = it++;
    if (Refilled(here->second, now) >= limit_.burst) buckets_.erase(here);
  }
  while (buckets_.size() >= max_clients_) {
    auto oldest = buckets_.begin();
    for (auto it = buckets_.begin(); it != buckets_.end(); ++it) {
      if (it->second.updated < oldest->second.updated) oldest = it;
    }
    buckets_.erase(oldest);
  }
}

absl::Status RateLimiter::Admit(std::string_view client) {
  if (limit_.per_minute <= 0) return absl::OkStatus();
  const absl::Time now = clock_->Now();
  const std::string key(client);
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) MakeRoomLocked(now);
    it = buckets_.emplace(key, Bucket{static_cast<double>(limit_.burst), now})
             .first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const double wait_minutes = (1 - bucket.tokens) / limit_.per_minute;
  const int64_t seconds =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_minutes * 60 - 1e-6)));
  absl::Status refused = absl::ResourceExhaustedError(absl::StrCat(
      "too many ", name_, " from this client; retry in ", seconds, " s"));
  refused.SetPayload(kRetryAfterUrl, absl::Cord(absl::StrCat(seconds)));
  return refused;
}

size_t RateLimiter::ClientsForTest() {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

std::optional<absl::Duration> RetryAfter(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRetryAfterUrl);
  if (!payload.has_value()) return std::nullopt;
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &seconds) || seconds < 1) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

}  // namespace kneechat
