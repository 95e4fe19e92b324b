// Two RedisChannelStateStore objects stand for two replicas on one Redis.
#include "services/channels/redis_channel_state_store.h"

#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/redis/redis_connector.h"
#include "services/redis/testing/redis_server.h"

namespace kneechat {
namespace {

class RedisChannelStateStoreTest : public ::testing::Test {
 protected:
  RedisChannelStateStoreTest() : redis_(KNEECHAT_REDIS_SERVER) {}

  std::unique_ptr<RedisChannelStateStore> Replica() {
    auto pool =
        std::make_shared<RedisPool>(std::make_unique<DirectRedisConnector>(
            RedisAddress{"127.0.0.1", redis_.port()}, RedisConnectOptions{}));
    RedisRecordOptions records;
    records.lock_wait = absl::Seconds(10);
    return std::make_unique<RedisChannelStateStore>(pool, "kneechat:telegram",
                                                    absl::Hours(48), records);
  }

  TestRedisServer redis_;
};

TEST_F(RedisChannelStateStoreTest, ARedeliveryIsSeenByTheOtherReplica) {
  auto a = Replica();
  auto b = Replica();
  EXPECT_TRUE(a->Remember("update:42", "").value());
  EXPECT_FALSE(b->Remember("update:42", "").value());
  ASSERT_TRUE(b->Forget("update:42").ok());
  EXPECT_TRUE(a->Remember("update:42", "").value());
  EXPECT_TRUE(b->Remember("reply:x", "<Response/>").value());
  EXPECT_EQ(a->Recall("reply:x").value(),
            std::optional<std::string>("<Response/>"));
}

TEST_F(RedisChannelStateStoreTest, OneChatIsChangedOneRequestAtATime) {
  auto a = Replica();
  auto b = Replica();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    ChannelStateStore* store = t % 2 == 0 ? a.get() : b.get();
    threads.emplace_back([store] {
      for (int i = 0; i < 20; ++i) {
        EXPECT_TRUE(store
                        ->Update("chat:7",
                                 [](std::string& record) {
                                   record += "x";
                                   return absl::OkStatus();
                                 })
                        .ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string seen;
  ASSERT_TRUE(a->Update("chat:7", [&](std::string& record) {
                 seen = record;
                 return absl::OkStatus();
               }).ok());
  EXPECT_EQ(seen.size(), 80u);
}

TEST_F(RedisChannelStateStoreTest, RedisDownIsUnavailable) {
  auto a = Replica();
  redis_.Kill();
  EXPECT_EQ(a->Remember("update:1", "").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(
      a->Update("chat:1", [](std::string&) { return absl::OkStatus(); }).code(),
      absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kneechat
