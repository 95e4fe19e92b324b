// RedisRecords against a real redis-server: what the session store does not
// exercise (records that may be created, and deleted by their change).
#include "services/redis/redis_records.h"

#include <memory>

#include "gtest/gtest.h"
#include "services/redis/redis_connector.h"
#include "services/redis/testing/redis_server.h"

namespace kneechat {
namespace {

class RedisRecordsTest : public ::testing::Test {
 protected:
  RedisRecordsTest()
      : redis_(KNEECHAT_REDIS_SERVER),
        pool_(std::make_unique<DirectRedisConnector>(
            RedisAddress{"127.0.0.1", redis_.port()}, RedisConnectOptions{})),
        records_(pool_, "test:rec", RedisRecordOptions{}) {}

  TestRedisServer redis_;
  RedisPool pool_;
  RedisRecords records_;
};

TEST_F(RedisRecordsTest, CreatesChangesAndDeletesAFreeRecord) {
  auto set = [](std::string v) {
    return [v](std::optional<std::string>& value) {
      EXPECT_EQ(value.has_value(), v != "first");
      value = v;
      return absl::OkStatus();
    };
  };
  ASSERT_TRUE(records_.Update("k", false, set("first")).ok());
  ASSERT_TRUE(records_.Update("k", false, set("second")).ok());
  EXPECT_EQ(*records_.Get("k").value(), "second");
  ASSERT_TRUE(records_
                  .Update("k", false,
                          [](std::optional<std::string>& value) {
                            value.reset();
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_FALSE(records_.Get("k").value().has_value());
  EXPECT_EQ(pool_.Run({"DBSIZE"})->integer, 0);  // no lock left either
}

TEST_F(RedisRecordsTest, MustExistRecordsAreNotCreated) {
  bool called = false;
  auto status =
      records_.Update("absent", true, [&](std::optional<std::string>&) {
        called = true;
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(called);
}

TEST_F(RedisRecordsTest, ARecordDeletedDuringTheChangeStaysDeleted) {
  ASSERT_TRUE(records_.Insert("k", "v").value());
  auto status = records_.Update("k", true, [&](std::optional<std::string>& v) {
    EXPECT_TRUE(records_.Delete("k").value());  // e.g. DeleteSession
    v = "changed";
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(records_.Get("k").value().has_value());
}

TEST_F(RedisRecordsTest, InsertIsCreateOnly) {
  EXPECT_TRUE(records_.Insert("k", "a").value());
  EXPECT_FALSE(records_.Insert("k", "b").value());
  EXPECT_EQ(*records_.Get("k").value(), "a");
  EXPECT_EQ(records_.ValueKey("k"), "test:rec:k");
  EXPECT_EQ(records_.LockKey("k"), "test:rec-lock:k");
}

}  // namespace
}  // namespace kneechat
