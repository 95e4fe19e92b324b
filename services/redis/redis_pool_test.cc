#include "services/redis/redis_pool.h"

#include <deque>
#include <memory>

#include "gtest/gtest.h"
#include "services/redis/testing/fake_redis_connection.h"

namespace kneechat {
namespace {

// Hands out fake connections that share one reply script; counts connects
// and invalidations.
class FakeConnector : public RedisConnector {
 public:
  std::shared_ptr<std::deque<absl::StatusOr<RedisReply>>> replies =
      std::make_shared<std::deque<absl::StatusOr<RedisReply>>>();
  std::shared_ptr<FakeRedisLog> log = std::make_shared<FakeRedisLog>();
  int* connects;
  int* invalidations;
  bool refuse = false;

  FakeConnector(int* c, int* i) : connects(c), invalidations(i) {}

  absl::StatusOr<std::unique_ptr<RedisConnection>> Connect() override {
    ++*connects;
    if (refuse) return absl::UnavailableError("connection refused");
    return std::unique_ptr<RedisConnection>(
        new FakeRedisConnection(replies, log));
  }
  void Invalidate() override { ++*invalidations; }
};

class RedisPoolTest : public ::testing::Test {
 protected:
  RedisPoolTest() {
    auto connector = std::make_unique<FakeConnector>(&connects_, &invalid_);
    connector_ = connector.get();
    pool_ = std::make_unique<RedisPool>(std::move(connector));
  }
  int connects_ = 0, invalid_ = 0;
  FakeConnector* connector_;
  std::unique_ptr<RedisPool> pool_;
};

TEST_F(RedisPoolTest, ReusesAHealthyConnection) {
  connector_->replies->push_back(StatusReply("PONG"));
  connector_->replies->push_back(StatusReply("PONG"));
  ASSERT_TRUE(pool_->Run({"PING"}).ok());
  ASSERT_TRUE(pool_->Run({"PING"}).ok());
  EXPECT_EQ(connects_, 1);
  EXPECT_EQ(invalid_, 0);
  EXPECT_EQ(pool_->stats().commands, 2u);
  EXPECT_EQ(pool_->stats().bytes_sent, 2u * 14);  // *1\r\n$4\r\nPING\r\n
}

TEST_F(RedisPoolTest, ConnectionErrorIsUnavailableAndReconnects) {
  connector_->replies->push_back(absl::UnavailableError("EOF"));
  connector_->replies->push_back(StatusReply("PONG"));
  EXPECT_EQ(pool_->Run({"PING"}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(invalid_, 1);
  ASSERT_TRUE(pool_->Run({"PING"}).ok());
  EXPECT_EQ(connects_, 2);  // the broken one was not reused
}

TEST_F(RedisPoolTest, ReadOnlyReplyMeansFailoverAndRediscovery) {
  connector_->replies->push_back(
      ErrorReply("READONLY You can't write against a read only replica."));
  auto reply = pool_->Run({"SET", "k", "v"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(invalid_, 1);
}

TEST_F(RedisPoolTest, OtherErrorRepliesAreReturned) {
  connector_->replies->push_back(ErrorReply("WRONGTYPE bad"));
  auto reply = pool_->Run({"GET", "k"});
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->is_error());
  EXPECT_EQ(invalid_, 0);
}

TEST_F(RedisPoolTest, RefusedConnectIsUnavailable) {
  connector_->refuse = true;
  auto reply = pool_->Run({"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  // What a client may see names no address.
  EXPECT_EQ(reply.status().message(), "session store unavailable; retry");
  EXPECT_EQ(invalid_, 1);
}

TEST(IsNotMasterReplyTest, KnowsTheFailoverErrors) {
  EXPECT_TRUE(IsNotMasterReply(ErrorReply("READONLY x")));
  EXPECT_TRUE(IsNotMasterReply(ErrorReply("LOADING x")));
  EXPECT_TRUE(IsNotMasterReply(ErrorReply("MASTERDOWN x")));
  EXPECT_FALSE(IsNotMasterReply(ErrorReply("ERR x")));
  EXPECT_FALSE(IsNotMasterReply(StatusReply("READONLY")));
}

}  // namespace
}  // namespace kneechat
