#include "services/http/handler_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(HandlerPoolTest, RunsTasksOnItsThreads) {
  std::atomic<int> ran{0};
  {
    HandlerPool pool(2, 100);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&ran] { ran++; }));
    }
  }  // the destructor runs what is queued
  EXPECT_EQ(ran, 50);
}

TEST(HandlerPoolTest, RefusesWhenTheQueueIsFull) {
  HandlerPool pool(1, 1);
  absl::Notification release, started;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(pool.TrySubmit([] {}));   // waits for the busy thread
  EXPECT_FALSE(pool.TrySubmit([] {}));  // no room left
  release.Notify();
}

TEST(HandlerPoolTest, RefusesAfterShutdown) {
  HandlerPool pool(1, 10);
  pool.Shutdown();
  pool.Shutdown();
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

}  // namespace
}  // namespace kneechat
