// RedisSessionStore against a real redis-server: two store objects stand
// for two kneechat replicas sharing it.
#include "services/session/redis_session_store.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/redis/hiredis_connection.h"
#include "services/redis/redis_connector.h"
#include "services/redis/redis_pool.h"
#include "services/redis/testing/redis_server.h"

namespace kneechat {
namespace {

constexpr char kId[] = "0123456789abcdef0123456789abcdef";

class RedisSessionStoreTest : public ::testing::Test {
 protected:
  RedisSessionStoreTest() : redis_(KNEECHAT_REDIS_SERVER) {}

  std::unique_ptr<RedisSessionStore> NewStore(RedisRecordOptions options = {}) {
    RedisConnectOptions connect;
    connect.timeout = absl::Milliseconds(300);
    auto connector = std::make_unique<DirectRedisConnector>(
        RedisAddress{"127.0.0.1", redis_.port()}, connect);
    return std::make_unique<RedisSessionStore>(
        std::make_shared<RedisPool>(std::move(connector)), options);
  }

  // A raw connection, as redis-cli would be.
  RedisReply Cli(const std::vector<std::string>& args) {
    auto connection = ConnectHiredis({"127.0.0.1", redis_.port()}, {});
    EXPECT_TRUE(connection.ok());
    auto reply = (*connection)->Command(args);
    EXPECT_TRUE(reply.ok());
    return *reply;
  }

  static SessionState NewState(const std::string& id = kId) {
    SessionState state;
    state.mutable_session()->set_session_id(id);
    state.mutable_session()->set_channel("web");
    return state;
  }

  TestRedisServer redis_;
};

TEST_F(RedisSessionStoreTest, InsertUpdateGetDelete) {
  RedisRecordOptions options;
  options.ttl = absl::Seconds(60);
  auto store = NewStore(options);
  ASSERT_TRUE(store->Insert(NewState()).ok());
  EXPECT_EQ(store->Insert(NewState()).code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store
                  ->Update(kId,
                           [](SessionState& s) {
                             s.set_pending_slot("duration");
                             return absl::OkStatus();
                           })
                  .ok());
  auto got = store->Get(kId);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->pending_slot(), "duration");
  // The TTL is a Redis expiry; no lock is left behind.
  const RedisReply pttl = Cli({"PTTL", RedisSessionStore::StateKey(kId)});
  EXPECT_GT(pttl.integer, 50'000);
  EXPECT_LE(pttl.integer, 60'000);
  EXPECT_TRUE(Cli({"EXISTS", RedisSessionStore::LockKey(kId)}).integer == 0);

  ASSERT_TRUE(store->Delete(kId).ok());
  EXPECT_EQ(Cli({"EXISTS", RedisSessionStore::StateKey(kId)}).integer, 0);
  EXPECT_EQ(store->Get(kId).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Delete(kId).code(), absl::StatusCode::kNotFound);
}

TEST_F(RedisSessionStoreTest, FailedUpdateChangesNothingAndFreesTheLock) {
  auto store = NewStore();
  ASSERT_TRUE(store->Insert(NewState()).ok());
  auto status = store->Update(kId, [](SessionState& s) {
    s.set_pending_slot("changed");
    return absl::InvalidArgumentError("bad text");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Get(kId)->pending_slot(), "");
  EXPECT_EQ(Cli({"EXISTS", RedisSessionStore::LockKey(kId)}).integer, 0);
}

TEST_F(RedisSessionStoreTest, UpdateRestartsTheExpiry) {
  RedisRecordOptions options;
  options.ttl = absl::Seconds(100);
  auto store = NewStore(options);
  ASSERT_TRUE(store->Insert(NewState()).ok());
  Cli({"PEXPIRE", RedisSessionStore::StateKey(kId), "5000"});
  ASSERT_TRUE(
      store->Update(kId, [](SessionState&) { return absl::OkStatus(); }).ok());
  EXPECT_GT(Cli({"PTTL", RedisSessionStore::StateKey(kId)}).integer, 90'000);
}

TEST_F(RedisSessionStoreTest, UnknownAndMalformedIdsAreNotFound) {
  auto store = NewStore();
  auto noop = [](SessionState&) { return absl::OkStatus(); };
  EXPECT_EQ(store->Update(kId, noop).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Update("my knee hurts", noop).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Get("../x").status().code(), absl::StatusCode::kNotFound);
  // Neither left a key behind.
  EXPECT_EQ(Cli({"DBSIZE"}).integer, 0);
}

TEST_F(RedisSessionStoreTest, TwoReplicasNeverLoseOrRepeatATurn) {
  RedisRecordOptions options;
  options.lock_wait = absl::Seconds(10);
  auto replica_a = NewStore(options);
  auto replica_b = NewStore(options);
  ASSERT_TRUE(replica_a->Insert(NewState()).ok());
  constexpr int kThreads = 4, kTurns = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    RedisSessionStore* store = t % 2 == 0 ? replica_a.get() : replica_b.get();
    threads.emplace_back([store, t, &failures] {
      for (int i = 0; i < kTurns; ++i) {
        auto status = store->Update(kId, [&](SessionState& s) {
          s.add_asked(absl::StrCat(t, ":", i));
          return absl::OkStatus();
        });
        if (!status.ok()) failures++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto state = replica_b->Get(kId);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->asked_size(), kThreads * kTurns);
  // Each thread's turns are there once each, in its order.
  for (int t = 0; t < kThreads; ++t) {
    int next = 0;
    for (const std::string& entry : state->asked()) {
      if (entry.rfind(absl::StrCat(t, ":"), 0) == 0) {
        EXPECT_EQ(entry, absl::StrCat(t, ":", next));
        ++next;
      }
    }
    EXPECT_EQ(next, kTurns);
  }
}

TEST_F(RedisSessionStoreTest, ALockLeftByADeadReplicaDelaysThenExpires) {
  RedisRecordOptions options;
  options.lock_wait = absl::Milliseconds(200);
  auto store = NewStore(options);
  ASSERT_TRUE(store->Insert(NewState()).ok());
  Cli({"SET", RedisSessionStore::LockKey(kId), "dead-replica", "PX", "600"});
  auto noop = [](SessionState&) { return absl::OkStatus(); };
  const absl::Time start = absl::Now();
  EXPECT_EQ(store->Update(kId, noop).code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(400));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_TRUE(store->Update(kId, noop).ok());
}

TEST_F(RedisSessionStoreTest, ATurnThatOutlivesItsLockSavesNothing) {
  RedisRecordOptions slow_options;
  slow_options.lock_ttl = absl::Milliseconds(100);
  auto slow = NewStore(slow_options);
  auto fast = NewStore();
  ASSERT_TRUE(slow->Insert(NewState()).ok());
  std::thread other;
  auto status = slow->Update(kId, [&](SessionState& s) {
    s.set_pending_slot("slow");
    // Meanwhile the lock expires and another replica runs a turn.
    absl::SleepFor(absl::Milliseconds(200));
    other = std::thread([&] {
      EXPECT_TRUE(fast->Update(kId,
                               [](SessionState& t) {
                                 t.set_pending_slot("fast");
                                 return absl::OkStatus();
                               })
                      .ok());
    });
    other.join();
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fast->Get(kId)->pending_slot(), "fast");
}

TEST_F(RedisSessionStoreTest, RedisDownIsUnavailableAndRecoversByItself) {
  auto store = NewStore();
  ASSERT_TRUE(store->CheckHealth().ok());
  ASSERT_TRUE(store->Insert(NewState()).ok());
  redis_.Kill();
  EXPECT_EQ(store->CheckHealth().code(), absl::StatusCode::kUnavailable);
  auto noop = [](SessionState&) { return absl::OkStatus(); };
  const absl::Time start = absl::Now();
  EXPECT_EQ(store->Update(kId, noop).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->Get(kId).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));  // fails fast
  redis_.Restart();  // empty: no persistence in this test
  EXPECT_TRUE(store->CheckHealth().ok());
  EXPECT_EQ(store->Get(kId).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store->Insert(NewState()).ok());
}

}  // namespace
}  // namespace kneechat
