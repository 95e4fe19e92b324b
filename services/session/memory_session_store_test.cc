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

// A session some way into its conversation: a few KiB, mostly text.
SessionState TalkedState(const std::string& id) {
  SessionState state = NewState(id);
  state.set_condition("patellofemoral");
  for (int i = 0; i < 12; ++i) {
    state.add_asked("duration_" + std::to_string(i));
    state.set_words(state.words() +
                    "going down stairs after a run makes my kneecap throb; ");
    state.add_seen_ids(0x9e3779b97f4a7c15ULL * (i + 1));
  }
  (*state.mutable_slots())["duration"].set_value("about three weeks");
  return state;
}

class MemorySessionStoreTest : public ::testing::Test {
 protected:
  MemorySessionStore MakeStore(
      size_t max_sessions = 100,
      absl::Duration compress_after = absl::Seconds(60),
      size_t max_parsed_sessions = 4096) {
    MemorySessionStoreOptions options;
    options.ttl = absl::Minutes(30);
    options.max_sessions = max_sessions;
    options.clock = &clock_;
    options.compress_after = compress_after;
    options.max_parsed_sessions = max_parsed_sessions;
    return MemorySessionStore(options);
  }
  static bool Parsed(MemorySessionStore& store, const std::string& id) {
    absl::StatusOr<StoredSession> stored = store.Stored(id);
    EXPECT_TRUE(stored.ok()) << id << ": " << stored.status();
    return stored.ok() && stored->parsed;
  }
  static absl::Status AskOneMore(MemorySessionStore& store,
                                 const std::string& id) {
    return store.Update(id, [](SessionState& s) {
      s.set_questions_asked(s.questions_asked() + 1);
      return absl::OkStatus();
    });
  }
  static bool Compressed(MemorySessionStore& store, const std::string& id) {
    absl::StatusOr<StoredSession> stored = store.Stored(id);
    EXPECT_TRUE(stored.ok()) << id << ": " << stored.status();
    return stored.ok() && stored->compressed;
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

absl::Status AskOneMoreInPlace(MemorySessionStore& store,
                               const std::string& id) {
  return store.UpdateInPlace(id, [](SessionState& s) {
    s.set_questions_asked(s.questions_asked() + 1);
    return absl::OkStatus();
  });
}

TEST_F(MemorySessionStoreTest, UpdateInPlaceKeepsEveryChange) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(AskOneMoreInPlace(store, "a").ok());
  EXPECT_EQ(store.Get("a")->questions_asked(), 3);
  // A failing update in place changed nothing and loses nothing.
  EXPECT_EQ(
      store
          .UpdateInPlace(
              "a", [](SessionState&) { return absl::InternalError("no"); })
          .code(),
      absl::StatusCode::kInternal);
  EXPECT_EQ(store.Get("a")->questions_asked(), 3);
  // An ordinary update that fails falls back to the latest state, not to
  // the one last serialised.
  EXPECT_FALSE(store
                   .Update("a",
                           [](SessionState& s) {
                             s.set_questions_asked(99);
                             return absl::InternalError("no");
                           })
                   .ok());
  EXPECT_EQ(store.Get("a")->questions_asked(), 3);
  ASSERT_TRUE(AskOneMoreInPlace(store, "a").ok());
  // The size reported is that of the state as it is now.
  absl::StatusOr<StoredSession> stored = store.Stored("a");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->bytes, store.Get("a")->ByteSizeLong());
  EXPECT_EQ(store.Get("a")->questions_asked(), 4);
}

TEST_F(MemorySessionStoreTest, UpdateInPlaceThenCompressedKeepsTheChange) {
  MemorySessionStore store =
      MakeStore(/*max_sessions=*/100, /*compress_after=*/absl::ZeroDuration());
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(AskOneMoreInPlace(store, "a").ok());
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Insert(NewState("b")).ok());  // compresses "a"
  EXPECT_TRUE(Compressed(store, "a"));
  EXPECT_EQ(store.Get("a")->questions_asked(), 1);
  ASSERT_TRUE(AskOneMoreInPlace(store, "a").ok());
  EXPECT_EQ(store.Get("a")->questions_asked(), 2);
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Insert(NewState("c")).ok());  // and again
  EXPECT_TRUE(Compressed(store, "a"));
  EXPECT_EQ(store.Get("a")->questions_asked(), 2);
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

TEST_F(MemorySessionStoreTest, AnIdleSessionIsKeptSmallerAndReadsBackTheSame) {
  MemorySessionStore store = MakeStore();
  const SessionState talked = TalkedState("a");
  const std::string serialised = talked.SerializeAsString();
  ASSERT_TRUE(store.Insert(talked).ok());
  EXPECT_EQ(store.Stored("a")->bytes, serialised.size());
  clock_.Advance(absl::Seconds(59));
  ASSERT_TRUE(store.Insert(NewState("b")).ok());  // where the sweep runs
  EXPECT_FALSE(Compressed(store, "a"));           // not idle long enough
  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Insert(NewState("c")).ok());
  ASSERT_TRUE(Compressed(store, "a"));
  EXPECT_LT(store.Stored("a")->bytes, serialised.size() / 2);
  absl::StatusOr<SessionState> got = store.Get("a");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), serialised);
  EXPECT_TRUE(Compressed(store, "a"));  // a Get is not a use
  EXPECT_FALSE(Compressed(store, "c"));
}

TEST_F(MemorySessionStoreTest,
       ATurnOnACompressedSessionStoresItPlainUntilIdle) {
  MemorySessionStore store = MakeStore(100, absl::ZeroDuration());
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  ASSERT_TRUE(Compressed(store, "a"));
  ASSERT_TRUE(store
                  .Update("a",
                          [](SessionState& s) {
                            EXPECT_EQ(s.condition(), "patellofemoral");
                            s.set_questions_asked(7);
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_FALSE(Compressed(store, "a"));
  SessionState expected = TalkedState("a");
  expected.set_questions_asked(7);
  EXPECT_EQ(store.Get("a")->SerializeAsString(), expected.SerializeAsString());
  // "a" is now the newest; the next Insert compresses it again.
  ASSERT_TRUE(store.Insert(NewState("c")).ok());
  EXPECT_TRUE(Compressed(store, "a"));
  EXPECT_EQ(store.Get("a")->SerializeAsString(), expected.SerializeAsString());
}

TEST_F(MemorySessionStoreTest, AFailedTurnLeavesACompressedSessionAsItWas) {
  MemorySessionStore store = MakeStore(100, absl::ZeroDuration());
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  ASSERT_TRUE(Compressed(store, "a"));
  EXPECT_EQ(store
                .Update("a",
                        [](SessionState& s) {
                          s.set_condition("changed");
                          return absl::InvalidArgumentError("no");
                        })
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Compressed(store, "a"));
  EXPECT_EQ(store.Get("a")->condition(), "patellofemoral");
}

TEST_F(MemorySessionStoreTest, ATurnKeepsTheStateParsedForTheNext) {
  MemorySessionStore store = MakeStore();
  const SessionState talked = TalkedState("a");
  ASSERT_TRUE(store.Insert(talked).ok());
  EXPECT_FALSE(Parsed(store, "a"));  // parsed by its first turn
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  EXPECT_TRUE(Parsed(store, "a"));
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  SessionState expected = talked;
  expected.set_questions_asked(2);
  EXPECT_EQ(store.Get("a")->SerializeAsString(), expected.SerializeAsString());
  // What is stored serialised is the same state.
  EXPECT_EQ(store.Stored("a")->bytes, expected.ByteSizeLong());
}

TEST_F(MemorySessionStoreTest, AFailedTurnOnAParsedSessionLeavesItAsItWas) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  ASSERT_TRUE(Parsed(store, "a"));
  EXPECT_EQ(store
                .Update("a",
                        [](SessionState& s) {
                          s.set_condition("changed");
                          s.set_questions_asked(9);
                          return absl::InvalidArgumentError("no");
                        })
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Parsed(store, "a"));
  EXPECT_EQ(store.Get("a")->condition(), "patellofemoral");
  EXPECT_EQ(store.Get("a")->questions_asked(), 1);
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  EXPECT_EQ(store.Get("a")->questions_asked(), 2);
  EXPECT_EQ(store.Get("a")->condition(), "patellofemoral");
}

TEST_F(MemorySessionStoreTest, AnIdleSessionIsNoLongerKeptParsed) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  clock_.Advance(absl::Seconds(60));
  ASSERT_TRUE(store.Insert(NewState("b")).ok());  // where the sweep runs
  EXPECT_TRUE(Compressed(store, "a"));
  EXPECT_FALSE(Parsed(store, "a"));
  ASSERT_TRUE(AskOneMore(store, "a").ok());
  EXPECT_FALSE(Compressed(store, "a"));
  EXPECT_TRUE(Parsed(store, "a"));
  EXPECT_EQ(store.Get("a")->questions_asked(), 2);
}

TEST_F(MemorySessionStoreTest, AtMostMaxParsedSessionsAreKeptParsed) {
  MemorySessionStore store = MakeStore(100, absl::Seconds(60), 1);
  for (const char* id : {"a", "b"}) {
    ASSERT_TRUE(store.Insert(TalkedState(id)).ok());
    ASSERT_TRUE(AskOneMore(store, id).ok());
  }
  EXPECT_TRUE(Parsed(store, "a"));
  EXPECT_FALSE(Parsed(store, "b"));
  ASSERT_TRUE(AskOneMore(store, "b").ok());  // still parsed each turn
  EXPECT_EQ(store.Get("b")->questions_asked(), 2);
  EXPECT_FALSE(Parsed(store, "b"));
  ASSERT_TRUE(store.Delete("a").ok());  // frees its place
  ASSERT_TRUE(AskOneMore(store, "b").ok());
  EXPECT_TRUE(Parsed(store, "b"));
  EXPECT_EQ(store.Get("b")->questions_asked(), 3);

  MemorySessionStore none = MakeStore(100, absl::Seconds(60), 0);
  ASSERT_TRUE(none.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(AskOneMore(none, "a").ok());
  EXPECT_FALSE(Parsed(none, "a"));
  EXPECT_EQ(none.Get("a")->questions_asked(), 1);
}

TEST_F(MemorySessionStoreTest, CompressedSessionsStillExpire) {
  MemorySessionStore store = MakeStore();
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  clock_.Advance(absl::Minutes(10));
  ASSERT_TRUE(store.Insert(TalkedState("b")).ok());
  ASSERT_TRUE(Compressed(store, "a"));
  clock_.Advance(absl::Minutes(20));  // "a" expires; "b" has 10 min left
  EXPECT_EQ(store.Get("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Stored("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Size(), 1u);
  ASSERT_TRUE(store.Insert(NewState("c")).ok());
  EXPECT_TRUE(Compressed(store, "b"));
  EXPECT_EQ(store.Get("b")->SerializeAsString(),
            TalkedState("b").SerializeAsString());
  clock_.Advance(absl::Minutes(11));
  EXPECT_EQ(
      store.Update("b", [](SessionState&) { return absl::OkStatus(); }).code(),
      absl::StatusCode::kNotFound);
  EXPECT_TRUE(store.Get("c").ok());
}

TEST_F(MemorySessionStoreTest, AFullStoreStillForgetsTheIdlestWhenCompressed) {
  MemorySessionStore store =
      MakeStore(/*max_sessions=*/3, absl::ZeroDuration());
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(store.Insert(TalkedState(id)).ok());
    clock_.Advance(absl::Seconds(1));
  }
  ASSERT_TRUE(
      store.Update("a", [](SessionState&) { return absl::OkStatus(); }).ok());
  ASSERT_TRUE(store.Insert(TalkedState("d")).ok());  // forgets "b"
  EXPECT_EQ(store.Get("b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Compressed(store, "c"));
  EXPECT_TRUE(Compressed(store, "a"));
  ASSERT_TRUE(store.Insert(TalkedState("e")).ok());  // forgets "c"
  EXPECT_EQ(store.Get("c").status().code(), absl::StatusCode::kNotFound);
  for (const char* id : {"a", "d", "e"}) {
    ASSERT_TRUE(store.Get(id).ok()) << id;
    EXPECT_EQ(store.Get(id)->SerializeAsString(),
              TalkedState(id).SerializeAsString());
  }
  EXPECT_EQ(store.Size(), 3u);
}

TEST_F(MemorySessionStoreTest, DeletingACompressedSessionForgetsIt) {
  MemorySessionStore store = MakeStore(100, absl::ZeroDuration());
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  ASSERT_TRUE(Compressed(store, "a"));
  EXPECT_TRUE(store.Delete("a").ok());
  EXPECT_EQ(store.Get("a").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store.Insert(NewState("c")).ok());  // the cursor moved on
  EXPECT_EQ(store.Size(), 2u);
}

TEST_F(MemorySessionStoreTest, CompressionKeepsUpWithInserts) {
  MemorySessionStore store = MakeStore(1000, absl::ZeroDuration());
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(store.Insert(TalkedState("s" + std::to_string(i))).ok());
    if (i % 3 == 0 && i > 0) {  // turns on older sessions in between
      ASSERT_TRUE(store
                      .Update("s" + std::to_string(i / 2),
                              [](SessionState&) { return absl::OkStatus(); })
                      .ok());
    }
  }
  ASSERT_TRUE(store.Insert(NewState("last")).ok());
  for (int i = 0; i < 500; ++i) {
    EXPECT_TRUE(Compressed(store, "s" + std::to_string(i))) << i;
  }
}

TEST_F(MemorySessionStoreTest, NeverCompressesWithAnInfiniteCompressAfter) {
  MemorySessionStore store = MakeStore(100, absl::InfiniteDuration());
  ASSERT_TRUE(store.Insert(TalkedState("a")).ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(store.Insert(NewState("b")).ok());
  EXPECT_FALSE(Compressed(store, "a"));
}

TEST_F(MemorySessionStoreTest, TurnsAndInsertsInParallelWhileCompressing) {
  MemorySessionStore store = MakeStore(100000, absl::ZeroDuration());
  constexpr int kSessions = 16;
  for (int i = 0; i < kSessions; ++i) {
    ASSERT_TRUE(store.Insert(TalkedState("s" + std::to_string(i))).ok());
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        if (t == 0) {
          ASSERT_TRUE(
              store.Insert(TalkedState("new" + std::to_string(i))).ok());
          continue;
        }
        ASSERT_TRUE(store
                        .Update("s" + std::to_string(i % kSessions),
                                [](SessionState& s) {
                                  s.set_questions_asked(s.questions_asked() +
                                                        1);
                                  return absl::OkStatus();
                                })
                        .ok());
        ASSERT_TRUE(store.Get("s" + std::to_string((i + t) % kSessions)).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kSessions; ++i) {
    absl::StatusOr<SessionState> s = store.Get("s" + std::to_string(i));
    ASSERT_TRUE(s.ok());
    total += s->questions_asked();
    EXPECT_EQ(s->words(), TalkedState("x").words());
  }
  EXPECT_EQ(total, 3 * 300);
}

}  // namespace
}  // namespace kneechat
