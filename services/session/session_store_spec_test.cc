#include "services/session/session_store_spec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SessionStoreSpecTest, Memory) {
  auto spec = ParseSessionStoreSpec("memory");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->kind, SessionStoreSpec::Kind::kMemory);
}

TEST(SessionStoreSpecTest, RedisWithPasswordAndDatabase) {
  auto spec = ParseSessionStoreSpec("redis://:s%40cret@redis.internal:6380/2");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->kind, SessionStoreSpec::Kind::kRedis);
  ASSERT_EQ(spec->addresses.size(), 1u);
  EXPECT_EQ(spec->addresses[0].host, "redis.internal");
  EXPECT_EQ(spec->addresses[0].port, 6380);
  EXPECT_EQ(spec->password, "s@cret");
  EXPECT_EQ(spec->db, 2);
}

TEST(SessionStoreSpecTest, RedisPlainAndIpv6) {
  auto plain = ParseSessionStoreSpec("redis://127.0.0.1:6379");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->password, "");
  EXPECT_EQ(plain->db, 0);
  auto v6 = ParseSessionStoreSpec("redis://[::1]:6379/0");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->addresses[0].host, "::1");
}

TEST(SessionStoreSpecTest, Sentinel) {
  auto spec = ParseSessionStoreSpec(
      "redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/kneechat?password=pw");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->kind, SessionStoreSpec::Kind::kSentinel);
  ASSERT_EQ(spec->addresses.size(), 2u);
  EXPECT_EQ(spec->addresses[1].host, "10.0.0.2");
  EXPECT_EQ(spec->addresses[1].port, 26380);
  EXPECT_EQ(spec->master_name, "kneechat");
  EXPECT_EQ(spec->password, "pw");
}

TEST(SessionStoreSpecTest, RejectsMalformedWithoutEchoingPassword) {
  for (const char* bad :
       {"", "redis", "postgres://x:1", "redis://host", "redis://host:0",
        "redis://host:99999", "redis://host:1/x", "redis-sentinel://h:1",
        "redis-sentinel://h:1/", "redis-sentinel://h/m",
        "redis-sentinel://h:1/m?user=x", "redis://:%4@h:1"}) {
    auto spec = ParseSessionStoreSpec(bad);
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  auto spec = ParseSessionStoreSpec("redis://:hunter2@host");
  EXPECT_THAT(spec.status().message(), Not(HasSubstr("hunter2")));
}

}  // namespace
}  // namespace kneechat
