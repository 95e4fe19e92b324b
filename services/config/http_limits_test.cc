#include "services/config/http_limits.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(HttpLimitsFromTest, ZeroKeepsTheDefaultsAndSetFieldsReplaceThem) {
  knowledge::v1::HttpSettings settings;
  const HttpLimits defaults;
  HttpLimits limits = HttpLimitsFrom(settings);
  EXPECT_EQ(limits.max_connections, defaults.max_connections);
  EXPECT_EQ(limits.max_body_bytes, defaults.max_body_bytes);

  settings.set_max_connections(10);
  settings.set_max_header_count(-5);  // not above 0: the default
  settings.set_request_deadline_seconds(3);
  limits = HttpLimitsFrom(settings);
  EXPECT_EQ(limits.max_connections, 10);
  EXPECT_EQ(limits.max_header_count, defaults.max_header_count);
  EXPECT_EQ(limits.request_deadline_seconds, 3);
}

}  // namespace
}  // namespace kneechat
