#include "services/redis/redis_connector.h"

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "services/redis/testing/fake_redis_connection.h"

namespace kneechat {
namespace {

std::string Name(const RedisAddress& a) {
  return a.host + ":" + std::to_string(a.port);
}

// A little network of fake servers: each address has a reply script (or
// refuses connections).
struct FakeNetwork {
  std::map<std::string, std::shared_ptr<std::deque<absl::StatusOr<RedisReply>>>>
      scripts;
  std::shared_ptr<FakeRedisLog> log = std::make_shared<FakeRedisLog>();
  std::vector<std::string> dialed;

  void Add(const std::string& name, std::vector<RedisReply> replies) {
    auto& script = scripts[name];
    if (!script)
      script = std::make_shared<std::deque<absl::StatusOr<RedisReply>>>();
    for (auto& r : replies) script->push_back(std::move(r));
  }

  RedisDialer Dialer() {
    return [this](const RedisAddress& address, const RedisConnectOptions&)
               -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
      dialed.push_back(Name(address));
      auto it = scripts.find(Name(address));
      if (it == scripts.end()) return absl::UnavailableError("refused");
      return std::unique_ptr<RedisConnection>(
          new FakeRedisConnection(it->second, log));
    };
  }
};

RedisReply MasterAddr(const std::string& host, int port) {
  return ArrayReply({StringReply(host), StringReply(std::to_string(port))});
}
RedisReply Role(const std::string& role) {
  return ArrayReply({StringReply(role)});
}

TEST(SentinelRedisConnectorTest, AsksSentinelsInTurnAndChecksRole) {
  FakeNetwork net;
  // s1 is down; s2 names m1, which is a master.
  net.Add("s2:26379", {MasterAddr("m1", 6379)});
  net.Add("m1:6379", {Role("master")});
  SentinelRedisConnector connector({{"s1", 26379}, {"s2", 26379}}, "kc", {},
                                   net.Dialer());
  auto connection = connector.Connect();
  ASSERT_TRUE(connection.ok()) << connection.status();
  ASSERT_TRUE(connector.master().has_value());
  EXPECT_EQ(Name(*connector.master()), "m1:6379");
  EXPECT_EQ(net.dialed,
            (std::vector<std::string>{"s1:26379", "s2:26379", "m1:6379"}));
  // Cached: the next connection goes straight to the master.
  net.Add("m1:6379", {Role("master")});
  net.dialed.clear();
  ASSERT_TRUE(connector.Connect().ok());
  EXPECT_EQ(net.dialed, (std::vector<std::string>{"m1:6379"}));
}

TEST(SentinelRedisConnectorTest, RediscoversAfterInvalidate) {
  FakeNetwork net;
  net.Add("s1:26379", {MasterAddr("m1", 6379), MasterAddr("m2", 6379)});
  net.Add("m1:6379", {Role("master")});
  net.Add("m2:6379", {Role("master")});
  SentinelRedisConnector connector({{"s1", 26379}}, "kc", {}, net.Dialer());
  ASSERT_TRUE(connector.Connect().ok());
  connector.Invalidate();  // e.g. READONLY after a failover
  ASSERT_TRUE(connector.Connect().ok());
  EXPECT_EQ(Name(*connector.master()), "m2:6379");
}

TEST(SentinelRedisConnectorTest, RefusesADemotedMaster) {
  FakeNetwork net;
  net.Add("s1:26379", {MasterAddr("m1", 6379)});
  net.Add("m1:6379", {Role("slave")});
  SentinelRedisConnector connector({{"s1", 26379}}, "kc", {}, net.Dialer());
  EXPECT_EQ(connector.Connect().status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(connector.master().has_value());
}

TEST(SentinelRedisConnectorTest, NoSentinelAnswersIsUnavailable) {
  FakeNetwork net;
  SentinelRedisConnector connector({{"s1", 1}, {"s2", 2}}, "kc", {},
                                   net.Dialer());
  EXPECT_EQ(connector.Connect().status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kneechat
