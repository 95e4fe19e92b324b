// One connection to a Redis server, and the replies it gives, as values.
//
// RedisConnection is the seam between kneechat's Redis code and the wire:
// HiredisConnection (hiredis_connection.h) is the real one, tests use fakes.
//
// Thread-safety: a connection is used by one thread at a time (RedisPool
// hands each out to one caller); RedisReply is a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kneechat {

struct RedisAddress {
  std::string host;
  int port = 0;
};

struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus ("OK"), kError ("READONLY ...")
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
};

class RedisConnection {
 public:
  virtual ~RedisConnection() = default;

  // Sends one command (binary-safe arguments) and waits for its reply, within
  // the connection's command timeout. A Redis error reply is an OK result of
  // type kError. kUnavailable when the connection failed (refused, closed,
  // timed out); the connection is then unusable and must be dropped.
  virtual absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) = 0;
};

}  // namespace kneechat
