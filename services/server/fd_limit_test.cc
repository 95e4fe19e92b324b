#include "services/server/fd_limit.h"

#include <sys/resource.h>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(FdLimitTest, SoftLimitIsRaisedToTheHardLimit) {
  struct rlimit before;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  if (before.rlim_max > 64) {  // lower the soft limit so raising shows
    struct rlimit lowered = before;
    lowered.rlim_cur = 64;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  }
  absl::StatusOr<uint64_t> raised = RaiseOpenFileLimit();
  ASSERT_TRUE(raised.ok()) << raised.status();
  struct rlimit after;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, before.rlim_max);
  EXPECT_EQ(*raised, static_cast<uint64_t>(after.rlim_cur));
}

}  // namespace
}  // namespace kneechat
