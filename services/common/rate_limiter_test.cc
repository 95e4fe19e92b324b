#include "services/common/rate_limiter.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(RateLimiterTest, BurstThenRefusedWithARetryHintThenRefilled) {
  FakeClock clock;
  RateLimiter limiter("requests", RateLimit{60, 3}, 100, &clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("a").ok());
  const absl::Status refused = limiter.Admit("a");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfter(refused), absl::Seconds(1));
  EXPECT_NE(refused.message().find("retry in 1 s"), absl::string_view::npos);
  // Another client is not affected.
  EXPECT_TRUE(limiter.Admit("b").ok());
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Admit("a").ok());
  EXPECT_FALSE(limiter.Admit("a").ok());
}

TEST(RateLimiterTest, RetryHintIsTheTimeToTheNextToken) {
  FakeClock clock;
  RateLimiter limiter("sessions", RateLimit{2, 1}, 100, &clock);  // 1 per 30 s
  EXPECT_TRUE(limiter.Admit("a").ok());
  EXPECT_EQ(RetryAfter(limiter.Admit("a")), absl::Seconds(30));
  clock.Advance(absl::Seconds(20));
  EXPECT_EQ(RetryAfter(limiter.Admit("a")), absl::Seconds(10));
}

TEST(RateLimiterTest, ZeroRateIsOff) {
  RateLimiter limiter("requests", RateLimit{0, 1}, 1, nullptr);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Admit("a").ok());
  EXPECT_EQ(RetryAfter(absl::ResourceExhaustedError("x")), std::nullopt);
}

TEST(RateLimiterTest, ManyNewClientsEvictTheIdlestNotTheActive) {
  FakeClock clock;
  RateLimiter limiter("requests", RateLimit{1, 2}, 10, &clock);
  EXPECT_TRUE(limiter.Admit("flooder").ok());
  EXPECT_TRUE(limiter.Admit("flooder").ok());
  EXPECT_FALSE(limiter.Admit("flooder").ok());
  for (int i = 0; i < 1000; ++i) {
    clock.Advance(absl::Milliseconds(1));
    EXPECT_TRUE(limiter.Admit("new" + std::to_string(i)).ok()) << i;
    if (i % 5 == 0) EXPECT_FALSE(limiter.Admit("flooder").ok()) << i;
  }
  EXPECT_LE(limiter.ClientsForTest(), 10u);
}

}  // namespace
}  // namespace kneechat
