#include "services/outbound/outbound_queue.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/server_log.h"

namespace kneechat {
namespace {

std::optional<absl::Duration> RetryAfterHeader(const HttpAnswer& answer) {
  int64_t seconds = 0;
  if (answer.retry_after.has_value() &&
      absl::SimpleAtoi(*answer.retry_after, &seconds) && seconds >= 0) {
    return absl::Seconds(seconds);
  }
  return std::nullopt;
}

}  // namespace

OutboundQueue::OutboundQueue(HttpTransport& transport,
                             OutboundQueueOptions options)
    : transport_(transport),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()) {
  const size_t workers = options_.workers < 1 ? 1 : options_.workers;
  {
    absl::MutexLock lock(&mu_);
    shards_.resize(workers);
  }
  for (size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  }
}

OutboundQueue::~OutboundQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    drain_deadline_ = clock_->Now() + kDrain;
  }
  for (std::thread& t : workers_) t.join();
}

absl::Status OutboundQueue::Submit(OutboundRequest request) {
  std::string refused;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return absl::UnavailableError(
          absl::StrCat(options_.name, " outbound queue is shutting down"));
    }
    if (queued_ >= options_.capacity) {
      ++stats_.dropped_full;
      refused = request.what;
    } else {
      const size_t shard = request.ordering_key % shards_.size();
      shards_[shard].push_back(Item{std::move(request), clock_->Now()});
      ++queued_;
      ++pending_;
      ++stats_.submitted;
      return absl::OkStatus();
    }
  }
  Log(absl::StrCat(options_.name, " outbound queue full (", options_.capacity,
                   " waiting); dropped a ", refused));
  return absl::ResourceExhaustedError(
      absl::StrCat(options_.name, " outbound queue full"));
}

void OutboundQueue::WorkerLoop(size_t shard) {
  for (;;) {
    Item item;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this, shard]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !shards_[shard].empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (shards_[shard].empty()) return;  // stopping and drained
      item = std::move(shards_[shard].front());
      shards_[shard].pop_front();
      --queued_;
    }
    const absl::Status status = Deliver(item);
    if (!status.ok()) {
      {
        absl::MutexLock lock(&mu_);
        ++stats_.failed;
      }
      Log(absl::StrCat(options_.name, " ", item.request.what,
                       " dropped: ", status.message()));
    }
    if (item.request.done) item.request.done(status);
    absl::MutexLock lock(&mu_);
    --pending_;
  }
}

absl::Status OutboundQueue::Deliver(Item& item) {
  absl::Duration backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    // Honour a 429 that any worker was given.
    for (;;) {
      absl::Time paused;
      {
        absl::MutexLock lock(&mu_);
        if (stopping_ && clock_->Now() >= drain_deadline_) {
          return absl::CancelledError("not sent before shutdown");
        }
        paused = paused_until_;
      }
      const absl::Time now = clock_->Now();
      if (paused <= now) break;
      if (!Wait(paused - now)) break;  // stopping: one last attempt
    }
    if (clock_->Now() - item.submitted > options_.max_age) {
      return absl::DeadlineExceededError(absl::StrCat(
          "not sent within ", absl::FormatDuration(options_.max_age)));
    }
    if (attempt > 1) {
      absl::MutexLock lock(&mu_);
      ++stats_.retries;
    }
    absl::StatusOr<HttpAnswer> answer =
        transport_.Post(item.request.post, options_.timeout);
    absl::Duration wait = absl::ZeroDuration();
    std::string why;
    if (answer.ok() && answer->status >= 200 && answer->status < 300) {
      absl::MutexLock lock(&mu_);
      ++stats_.sent;
      return absl::OkStatus();
    } else if (answer.ok() && answer->status == 429) {
      std::optional<absl::Duration> asked = options_.retry_after
                                                ? options_.retry_after(*answer)
                                                : RetryAfterHeader(*answer);
      const absl::Duration pause = asked.value_or(backoff);
      if (pause > options_.max_retry_after) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "HTTP 429 asking to wait ", absl::FormatDuration(pause)));
      }
      absl::MutexLock lock(&mu_);
      ++stats_.rate_limited;
      paused_until_ = std::max(paused_until_, clock_->Now() + pause);
      why = "HTTP 429";
    } else if (answer.ok() && answer->status >= 500) {
      wait = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
      why = absl::StrCat("HTTP ", answer->status);
    } else if (answer.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("HTTP ", answer->status));
    } else if (absl::IsUnavailable(answer.status())) {
      wait = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
      why = std::string(answer.status().message());
    } else {
      return answer.status();
    }
    if (attempt >= options_.max_attempts) {
      return absl::UnavailableError(absl::StrCat(
          "no success in ", attempt, " attempts (last: ", why, ")"));
    }
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        return absl::CancelledError(
            absl::StrCat("not retried at shutdown (last: ", why, ")"));
      }
    }
    if (wait > absl::ZeroDuration()) Wait(wait);
  }
}

bool OutboundQueue::Wait(absl::Duration d) {
  if (options_.sleep) {
    options_.sleep(d);
    absl::MutexLock lock(&mu_);
    return !stopping_;
  }
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
  return !stopping_;
}

void OutboundQueue::Flush() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_ == 0; };
  mu_.Await(absl::Condition(&idle));
}

OutboundQueueStats OutboundQueue::stats() const {
  absl::MutexLock lock(&mu_);
  OutboundQueueStats stats = stats_;
  stats.waiting = pending_;
  return stats;
}

void OutboundQueue::Log(const std::string& line) {
  uint64_t unlogged = 0;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    if (now - last_log_ < absl::Seconds(1)) {
      ++unlogged_;
      return;
    }
    last_log_ = now;
    unlogged = unlogged_;
    unlogged_ = 0;
  }
  LogLine(unlogged == 0
              ? line
              : absl::StrCat(line, " (and ", unlogged, " more since)"));
}

}  // namespace kneechat
