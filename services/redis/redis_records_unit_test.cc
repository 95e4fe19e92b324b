// RedisRecords' protocol against a scripted connection and a fake clock:
// which commands a change sends, and what each reply makes of it.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/redis/redis_records.h"
#include "services/redis/testing/fake_redis_connection.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;

RedisReply Nil() { return RedisReply(); }
RedisReply Integer(int64_t n) {
  RedisReply r;
  r.type = RedisReply::Type::kInteger;
  r.integer = n;
  return r;
}

// Every connection shares one script and one log.
class ScriptedConnector : public RedisConnector {
 public:
  std::shared_ptr<std::deque<absl::StatusOr<RedisReply>>> replies =
      std::make_shared<std::deque<absl::StatusOr<RedisReply>>>();
  std::shared_ptr<FakeRedisLog> log = std::make_shared<FakeRedisLog>();

  absl::StatusOr<std::unique_ptr<RedisConnection>> Connect() override {
    return std::unique_ptr<RedisConnection>(
        new FakeRedisConnection(replies, log));
  }
};

class RedisRecordsUnitTest : public ::testing::Test {
 protected:
  RedisRecordsUnitTest() {
    auto connector = std::make_unique<ScriptedConnector>();
    connector_ = connector.get();
    pool_ = std::make_unique<RedisPool>(std::move(connector));
    RedisRecordOptions options;
    options.ttl = absl::Minutes(30);
    options.lock_ttl = absl::Seconds(5);
    options.lock_wait = absl::Milliseconds(200);
    options.clock = &clock_;
    options.sleep = [this](absl::Duration d) {
      slept_ += d;
      clock_.Advance(d);
    };
    records_ = std::make_unique<RedisRecords>(*pool_, "kc:s", options);
  }

  void Reply(absl::StatusOr<RedisReply> reply) {
    connector_->replies->push_back(std::move(reply));
  }
  std::vector<std::string> Names() {
    std::vector<std::string> names;
    for (const auto& c : connector_->log->commands) {
      names.push_back(c[0] == "EVAL" ? "EVAL:" + c[c.size() - 2] : c[0]);
    }
    return names;
  }

  FakeClock clock_;
  absl::Duration slept_;
  ScriptedConnector* connector_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<RedisRecords> records_;
};

RedisRecords::Change SetTo(std::string value) {
  return [value](std::optional<std::string>& v) {
    v = value;
    return absl::OkStatus();
  };
}

TEST_F(RedisRecordsUnitTest, AChangeLocksReadsAndCommitsInThreeCommands) {
  Reply(StatusReply("OK"));      // SET lock NX PX
  Reply(StringReply("before"));  // GET
  Reply(Integer(1));             // EVAL commit
  ASSERT_TRUE(records_->Update("id1", true, SetTo("after")).ok());
  const auto& commands = connector_->log->commands;
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_THAT(
      std::vector<std::string>(commands[0].begin(), commands[0].begin() + 2),
      ElementsAre("SET", "kc:s-lock:id1"));
  EXPECT_THAT(
      std::vector<std::string>(commands[0].begin() + 3, commands[0].end()),
      ElementsAre("NX", "PX", "5000"));
  EXPECT_THAT(commands[1], ElementsAre("GET", "kc:s:id1"));
  // EVAL script 2 value-key lock-key token value ttl-ms mode must-exist
  const auto& commit = commands[2];
  ASSERT_EQ(commit.size(), 10u);
  EXPECT_EQ(commit[3], "kc:s:id1");
  EXPECT_EQ(commit[5], commands[0][2]);  // the token taken with the lock
  EXPECT_EQ(commit[6], "after");
  EXPECT_EQ(commit[7], "1800000");
  EXPECT_EQ(commit[8], "set");
  EXPECT_EQ(commit[9], "1");
}

TEST_F(RedisRecordsUnitTest, ABusyRecordIsUnavailableAfterTheLockWait) {
  for (int i = 0; i < 100; ++i) Reply(Nil());  // someone else holds the lock
  auto status = records_->Update("id1", true, SetTo("x"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_LE(slept_, absl::Milliseconds(200));
  EXPECT_GE(slept_, absl::Milliseconds(100));
  for (const std::string& name : Names()) EXPECT_EQ(name, "SET");
}

TEST_F(RedisRecordsUnitTest, ALostLockSavesNothingAndIsUnavailable) {
  Reply(StatusReply("OK"));
  Reply(StringReply("before"));
  Reply(Integer(-1));  // the commit script found another token
  EXPECT_EQ(records_->Update("id1", true, SetTo("after")).code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(RedisRecordsUnitTest, ARecordDeletedMeanwhileIsNotFound) {
  Reply(StatusReply("OK"));
  Reply(StringReply("before"));
  Reply(Integer(0));
  EXPECT_EQ(records_->Update("id1", true, SetTo("after")).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RedisRecordsUnitTest, AFailedChangeReleasesTheLockByCompareAndDelete) {
  Reply(StatusReply("OK"));
  Reply(StringReply("before"));
  Reply(Integer(1));  // the unlock script
  auto status = records_->Update("id1", true, [](std::optional<std::string>&) {
    return absl::InvalidArgumentError("bad text");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const auto& commands = connector_->log->commands;
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_EQ(commands[2][0], "EVAL");
  EXPECT_THAT(
      std::vector<std::string>(commands[2].begin() + 2, commands[2].end()),
      ElementsAre("1", "kc:s-lock:id1", commands[0][2]));
}

TEST_F(RedisRecordsUnitTest, AMissingMustExistRecordIsNotFoundAndUnlocked) {
  Reply(StatusReply("OK"));
  Reply(Nil());       // GET: no such record
  Reply(Integer(1));  // unlock
  bool called = false;
  auto status = records_->Update("id1", true, [&](std::optional<std::string>&) {
    called = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(called);
  EXPECT_EQ(Names().back().substr(0, 5), "EVAL:");
}

TEST_F(RedisRecordsUnitTest, ConnectionLostMidChangeIsUnavailable) {
  Reply(StatusReply("OK"));
  Reply(absl::UnavailableError("EOF"));  // GET
  Reply(Integer(1));                     // unlock on a new connection
  EXPECT_EQ(records_->Update("id1", true, SetTo("x")).code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(RedisRecordsUnitTest, ClearingTheValueDeletesTheRecord) {
  Reply(StatusReply("OK"));
  Reply(StringReply("before"));
  Reply(Integer(1));
  ASSERT_TRUE(records_
                  ->Update("id1", false,
                           [](std::optional<std::string>& v) {
                             v.reset();
                             return absl::OkStatus();
                           })
                  .ok());
  EXPECT_EQ(connector_->log->commands[2][8], "del");
  EXPECT_EQ(connector_->log->commands[2][9], "0");
}

}  // namespace
}  // namespace kneechat
