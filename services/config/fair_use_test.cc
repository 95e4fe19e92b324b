#include "services/config/fair_use.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(FairUseTest, EachChannelHasItsOwnBudget) {
  FakeClock clock;
  knowledge::v1::FairUseSettings settings;
  settings.mutable_web()->set_requests_per_minute(60);
  settings.mutable_web()->set_request_burst(5);
  FairUse fair(settings, &clock);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(fair.AdmitRequest(Channel::kWeb, "10.0.0.1").ok());
  }
  const absl::Status refused = fair.AdmitRequest(Channel::kWeb, "10.0.0.1");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfter(refused), absl::Seconds(1));
  // The web flood leaves Telegram, the phone line and other addresses alone.
  EXPECT_TRUE(fair.AdmitRequest(Channel::kTelegram, "10.0.0.1").ok());
  EXPECT_TRUE(fair.AdmitRequest(Channel::kVoice, "+441234567890").ok());
  EXPECT_TRUE(fair.AdmitRequest(Channel::kWeb, "10.0.0.2").ok());
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(fair.AdmitRequest(Channel::kWeb, "10.0.0.1").ok());
}

TEST(FairUseTest, DefaultSessionQuotaForTheWeb) {
  FakeClock clock;
  FairUse fair(knowledge::v1::FairUseSettings(), &clock);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(fair.AdmitNewSession(Channel::kWeb, "10.0.0.1").ok()) << i;
  }
  const absl::Status refused = fair.AdmitNewSession(Channel::kWeb, "10.0.0.1");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfter(refused), absl::Minutes(2));  // 30 an hour
}

TEST(FairUseTest, NegativeRateTurnsALimitOff) {
  knowledge::v1::FairUseSettings settings;
  settings.mutable_grpc()->set_requests_per_minute(-1);
  FairUse fair(settings, nullptr);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(fair.AdmitRequest(Channel::kGrpc, "peer").ok());
  }
}

TEST(FairUseTest, ProxyHeaderIsReadOnlyFromTrustedProxies) {
  knowledge::v1::FairUseSettings settings;
  settings.set_client_address_header("X-Forwarded-For");
  settings.add_trusted_proxies("127.0.0.1");
  FairUse fair(settings, nullptr);
  EXPECT_EQ(fair.ClientAddress("127.0.0.1", "1.2.3.4, 203.0.113.9"),
            "203.0.113.9");
  EXPECT_EQ(fair.ClientAddress("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(fair.ClientAddress("198.51.100.7", "203.0.113.9"), "198.51.100.7");
  FairUse no_header(knowledge::v1::FairUseSettings(), nullptr);
  EXPECT_EQ(no_header.ClientAddress("127.0.0.1", "203.0.113.9"), "127.0.0.1");
}

TEST(FairUseTest, TrustedProxiesMayBeNetworks) {
  knowledge::v1::FairUseSettings settings;
  settings.set_client_address_header("X-Forwarded-For");
  settings.add_trusted_proxies("10.0.0.0/8");
  settings.add_trusted_proxies("fd00::/8");
  settings.add_trusted_proxies("192.168.1.0/25");
  settings.add_trusted_proxies("not-an-address/8");
  FairUse fair(settings, nullptr);
  EXPECT_EQ(fair.ClientAddress("10.42.7.3", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(fair.ClientAddress("fd12::1", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(fair.ClientAddress("192.168.1.127", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(fair.ClientAddress("192.168.1.128", "203.0.113.9"),
            "192.168.1.128");
  EXPECT_EQ(fair.ClientAddress("11.0.0.1", "203.0.113.9"), "11.0.0.1");
  EXPECT_EQ(fair.ClientAddress("fe80::1", "203.0.113.9"), "fe80::1");
}

}  // namespace
}  // namespace kneechat
