#include "services/redis/hiredis_connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

RedisReply Convert(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(Convert(*reply.element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

class HiredisConnection : public RedisConnection {
 public:
  HiredisConnection(ContextPtr context, std::string address)
      : context_(std::move(context)), address_(std::move(address)) {}

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    if (context_ == nullptr || context_->err != 0) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address_, ": connection is broken"));
    }
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const std::string& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(
        redisCommandArgv(context_.get(), static_cast<int>(argv.size()),
                         argv.data(), lengths.data())));
    if (reply == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address_, ": ",
                       context_->err != 0 ? context_->errstr : "no reply"));
    }
    return Convert(*reply);
  }

 private:
  ContextPtr context_;
  const std::string address_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RedisConnection>> ConnectHiredis(
    const RedisAddress& address, const RedisConnectOptions& options) {
  const std::string name = absl::StrCat(address.host, ":", address.port);
  ContextPtr context(redisConnectWithTimeout(address.host.c_str(), address.port,
                                             absl::ToTimeval(options.timeout)));
  if (context == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("redis ", name, ": cannot allocate a connection"));
  }
  if (context->err != 0) {
    return absl::UnavailableError(
        absl::StrCat("redis ", name, ": ", context->errstr));
  }
  if (redisSetTimeout(context.get(), absl::ToTimeval(options.timeout)) !=
      REDIS_OK) {
    return absl::UnavailableError(
        absl::StrCat("redis ", name, ": cannot set the timeout"));
  }
  auto connection =
      std::make_unique<HiredisConnection>(std::move(context), name);
  auto expect_ok = [&](std::vector<std::string> args,
                       absl::string_view what) -> absl::Status {
    absl::StatusOr<RedisReply> reply = connection->Command(args);
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) {
      return absl::UnavailableError(
          absl::StrCat("redis ", name, ": ", what, " refused"));
    }
    return absl::OkStatus();
  };
  if (!options.password.empty()) {
    absl::Status auth = expect_ok({"AUTH", options.password}, "AUTH");
    if (!auth.ok()) return auth;
  }
  if (options.db != 0) {
    absl::Status select =
        expect_ok({"SELECT", absl::StrCat(options.db)}, "SELECT");
    if (!select.ok()) return select;
  }
  return std::unique_ptr<RedisConnection>(std::move(connection));
}

}  // namespace kneechat
