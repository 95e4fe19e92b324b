#include "services/channels/memory_channel_state_store.h"

#include "gtest/gtest.h"
#include "services/common/clock.h"

namespace kneechat {
namespace {

TEST(MemoryChannelStateStoreTest, RemembersOnceUntilTheTtl) {
  FakeClock clock;
  MemoryChannelStateOptions options;
  options.remember_ttl = absl::Hours(1);
  options.clock = &clock;
  MemoryChannelStateStore store(options);
  EXPECT_TRUE(store.Remember("update:1", "").value());
  EXPECT_FALSE(store.Remember("update:1", "").value());
  EXPECT_EQ(store.Recall("update:1").value(), std::optional<std::string>(""));
  clock.Advance(absl::Hours(2));
  EXPECT_TRUE(store.Remember("update:1", "").value());
  ASSERT_TRUE(store.Forget("update:1").ok());
  EXPECT_FALSE(store.Recall("update:1").value().has_value());
}

TEST(MemoryChannelStateStoreTest, RecordsChangeAndEraseWhenEmpty) {
  MemoryChannelStateStore store({});
  auto append = [](std::string& record) {
    record += "x";
    return absl::OkStatus();
  };
  ASSERT_TRUE(store.Update("chat:1", append).ok());
  ASSERT_TRUE(store.Update("chat:1", append).ok());
  std::string seen;
  ASSERT_TRUE(store
                  .Update("chat:1",
                          [&](std::string& record) {
                            seen = record;
                            record.clear();
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_EQ(seen, "xx");
  ASSERT_TRUE(store
                  .Update("chat:1",
                          [&](std::string& record) {
                            seen = record;
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_EQ(seen, "");
}

TEST(MemoryChannelStateStoreTest, AFailedChangeKeepsTheRecord) {
  MemoryChannelStateStore store({});
  ASSERT_TRUE(store
                  .Update("call:1",
                          [](std::string& r) {
                            r = "kept";
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_EQ(store
                .Update("call:1",
                        [](std::string& r) {
                          r = "lost";
                          return absl::UnavailableError("busy");
                        })
                .code(),
            absl::StatusCode::kUnavailable);
  std::string seen;
  ASSERT_TRUE(store
                  .Update("call:1",
                          [&](std::string& r) {
                            seen = r;
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_EQ(seen, "kept");
}

}  // namespace
}  // namespace kneechat
