#include "services/channels/recent_cache.h"

#include "gtest/gtest.h"
#include "services/common/clock.h"

namespace kneechat {
namespace {

TEST(RecentCacheTest, InsertsOnceAndFinds) {
  FakeClock clock;
  RecentCache cache({10, absl::Hours(1), &clock});
  EXPECT_TRUE(cache.Insert("a", "1"));
  EXPECT_FALSE(cache.Insert("a", "2"));
  EXPECT_EQ(cache.Find("a"), "1");
  EXPECT_EQ(cache.Find("b"), std::nullopt);
}

TEST(RecentCacheTest, ForgetsAfterTtl) {
  FakeClock clock;
  RecentCache cache({10, absl::Hours(1), &clock});
  ASSERT_TRUE(cache.Insert("a"));
  clock.Advance(absl::Minutes(59));
  EXPECT_FALSE(cache.Insert("a"));
  clock.Advance(absl::Minutes(2));
  EXPECT_EQ(cache.Find("a"), std::nullopt);
  EXPECT_TRUE(cache.Insert("a"));
}

TEST(RecentCacheTest, EvictsOldestWhenFull) {
  FakeClock clock;
  RecentCache cache({3, absl::Hours(1), &clock});
  for (const char* key : {"a", "b", "c", "d"}) ASSERT_TRUE(cache.Insert(key));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Find("a"), std::nullopt);
  EXPECT_TRUE(cache.Find("d").has_value());
}

TEST(RecentCacheTest, EraseAllowsReinsert) {
  FakeClock clock;
  RecentCache cache({3, absl::Hours(1), &clock});
  ASSERT_TRUE(cache.Insert("a"));
  cache.Erase("a");
  EXPECT_TRUE(cache.Insert("a"));
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace kneechat
