#include "services/redis/redis_connector.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

RedisDialer OrHiredis(RedisDialer dial) {
  return dial != nullptr ? std::move(dial) : RedisDialer(ConnectHiredis);
}

}  // namespace

DirectRedisConnector::DirectRedisConnector(RedisAddress address,
                                           RedisConnectOptions options,
                                           RedisDialer dial)
    : address_(std::move(address)),
      options_(std::move(options)),
      dial_(OrHiredis(std::move(dial))) {}

absl::StatusOr<std::unique_ptr<RedisConnection>>
DirectRedisConnector::Connect() {
  return dial_(address_, options_);
}

SentinelRedisConnector::SentinelRedisConnector(
    std::vector<RedisAddress> sentinels, std::string master_name,
    RedisConnectOptions options, RedisDialer dial)
    : master_name_(std::move(master_name)),
      options_(std::move(options)),
      dial_(OrHiredis(std::move(dial))),
      sentinels_(std::move(sentinels)) {}

std::optional<RedisAddress> SentinelRedisConnector::master() {
  absl::MutexLock lock(&mu_);
  return master_;
}

void SentinelRedisConnector::Invalidate() {
  absl::MutexLock lock(&mu_);
  master_.reset();
}

absl::StatusOr<RedisAddress> SentinelRedisConnector::Discover() {
  std::vector<RedisAddress> sentinels;
  {
    absl::MutexLock lock(&mu_);
    sentinels = sentinels_;
  }
  RedisConnectOptions sentinel_options;
  sentinel_options.timeout = options_.timeout;
  for (size_t i = 0; i < sentinels.size(); ++i) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> sentinel =
        dial_(sentinels[i], sentinel_options);
    if (!sentinel.ok()) continue;
    absl::StatusOr<RedisReply> reply = (*sentinel)->Command(
        {"SENTINEL", "get-master-addr-by-name", master_name_});
    if (!reply.ok() || reply->type != RedisReply::Type::kArray ||
        reply->elements.size() != 2) {
      continue;
    }
    RedisAddress master;
    master.host = reply->elements[0].str;
    if (!absl::SimpleAtoi(reply->elements[1].str, &master.port)) continue;
    if (i != 0) {  // the sentinel that answered is asked first next time
      absl::MutexLock lock(&mu_);
      for (size_t k = 0; k < sentinels_.size(); ++k) {
        if (sentinels_[k].host == sentinels[i].host &&
            sentinels_[k].port == sentinels[i].port) {
          std::swap(sentinels_[0], sentinels_[k]);
          break;
        }
      }
    }
    return master;
  }
  return absl::UnavailableError(
      absl::StrCat("no sentinel knows a master named '", master_name_, "'"));
}

absl::StatusOr<std::unique_ptr<RedisConnection>>
SentinelRedisConnector::Connect() {
  std::optional<RedisAddress> master = this->master();
  if (!master.has_value()) {
    absl::StatusOr<RedisAddress> found = Discover();
    if (!found.ok()) return found.status();
    master = *found;
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      dial_(*master, options_);
  if (!connection.ok()) {
    Invalidate();
    return connection.status();
  }
  // A sentinel may still name a demoted master for a moment after a
  // failover; only a server that says it is the master is used.
  absl::StatusOr<RedisReply> role = (*connection)->Command({"ROLE"});
  if (!role.ok() || role->type != RedisReply::Type::kArray ||
      role->elements.empty() || role->elements[0].str != "master") {
    Invalidate();
    return absl::UnavailableError(
        absl::StrCat("redis ", master->host, ":", master->port,
                     " is not the master of '", master_name_, "'"));
  }
  absl::MutexLock lock(&mu_);
  master_ = *master;
  return connection;
}

}  // namespace kneechat
