#include "services/session/memory_session_store.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

SessionState NewState(const std::string& id) {
  SessionState state;
  state.mutable_session()->set_session_id(id);
  return state;
}

class MemorySessionStoreTest : public ::testing::Test {
 protected:
  MemorySessionStore MakeStore(size_t max_sessions = 100) {
    MemorySessionStoreOptions options;
    options.ttl = absl::Minutes(30);
    options.max_sessions = max_sessions;
    options.clock = &clock_;
    return MemorySessionStore(options);
  }
  FakeClock clock_;
};

TEST_F(MemorySessionStoreTest, InsertGetUpdateDelete) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  EXPECT_EQ(store.Insert(NewState("a")).code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store
                  .Update("a",
                          [](SessionState& s) {
                            s.set_condition("patellofemoral");
                            return absl::OkStatus();
                          })
                  .ok());
  auto got = store.Get("a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->condition(), "patellofemoral");
  EXPECT_TRUE(store.Delete("a").ok());
  EXPECT_EQ(store.Get("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Delete("a").code(), absl::StatusCode::kNotFound);
}

TEST_F(MemorySessionStoreTest, FailedUpdateLeavesStateUnchanged) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  absl::Status status = store.Update("a", [](SessionState& s) {
    s.set_condition("changed");
    return absl::InvalidArgumentError("no");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Get("a")->condition(), "");
}

TEST_F(MemorySessionStoreTest, ExpiresAfterTtlWithoutUse) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  clock_.Advance(absl::Minutes(20));
  ASSERT_TRUE(
      store.Update("a", [](SessionState&) { return absl::OkStatus(); }).ok());
  clock_.Advance(absl::Minutes(20));  // 40 min after insert, 20 after use
  EXPECT_TRUE(store.Get("a").ok());
  clock_.Advance(absl::Minutes(11));
  EXPECT_EQ(store.Get("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      store.Update("a", [](SessionState&) { return absl::OkStatus(); }).code(),
      absl::StatusCode::kNotFound);
}

TEST_F(MemorySessionStoreTest, BoundOnSessionsCountsOnlyLiveOnes) {
  MemorySessionStore store = MakeStore(/*max_sessions=*/2);
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  clock_.Advance(absl::Minutes(31));
  EXPECT_TRUE(store.Insert(NewState("c")).ok());
  EXPECT_EQ(store.Size(), 1u);
}

TEST_F(MemorySessionStoreTest, AFullStoreForgetsTheIdlestSessionNotEveryone) {
  MemorySessionStore store = MakeStore(/*max_sessions=*/3);
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Insert(NewState("c")).ok());
  clock_.Advance(absl::Seconds(1));
  // "a" is used again: now "b" has been idle longest.
  ASSERT_TRUE(
      store.Update("a", [](SessionState&) { return absl::OkStatus(); }).ok());
  // A flood of new sessions: each takes the place of the idlest.
  for (int i = 0; i < 100; ++i) {
    clock_.Advance(absl::Milliseconds(10));
    ASSERT_TRUE(store.Insert(NewState("flood" + std::to_string(i))).ok()) << i;
    if (i == 0) {
      EXPECT_EQ(store.Get("b").status().code(), absl::StatusCode::kNotFound);
      EXPECT_TRUE(store.Get("a").ok());
    }
  }
  EXPECT_EQ(store.Size(), 3u);
}

TEST_F(MemorySessionStoreTest, FullOfSessionsInATurnRefusesANewOne) {
  MemorySessionStore store = MakeStore(/*max_sessions=*/1);
  ASSERT_TRUE(store.Insert(NewState("busy")).ok());
  absl::Notification in_turn, inserted;
  std::thread turn([&] {
    EXPECT_TRUE(store
                    .Update("busy",
                            [&](SessionState&) {
                              in_turn.Notify();
                              inserted.WaitForNotification();
                              return absl::OkStatus();
                            })
                    .ok());
  });
  in_turn.WaitForNotification();
  EXPECT_EQ(store.Insert(NewState("new")).code(),
            absl::StatusCode::kResourceExhausted);
  inserted.Notify();
  turn.join();
  EXPECT_TRUE(store.Insert(NewState("new")).ok());  // now "busy" is idle
}

TEST_F(MemorySessionStoreTest, UpdatesOfOneSessionAreSerialised) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(NewState("a")).ok());
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        ASSERT_TRUE(store
                        .Update("a",
                                [&](SessionState& s) {
                                  if (inside.fetch_add(1) != 0)
                                    overlapped = true;
                                  s.set_questions_asked(s.questions_asked() +
                                                        1);
                                  inside.fetch_sub(1);
                                  return absl::OkStatus();
                                })
                        .ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(store.Get("a")->questions_asked(), 8 * 200);
}

}  // namespace
}  // namespace kneechat
