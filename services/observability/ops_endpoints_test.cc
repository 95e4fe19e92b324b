#include "services/observability/ops_endpoints.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(OpsEndpointsTest, MetricsAreServedInTheTextFormat) {
  MetricsRegistry registry;
  registry.AddCounter("x_total", "X.", {}).Add({});
  OpsEndpoints endpoints{&registry, nullptr};
  const OpsResponse response = HandleOpsRequest(endpoints, "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, kPrometheusContentType);
  EXPECT_NE(response.body.find("x_total 1\n"), std::string::npos);
}

TEST(OpsEndpointsTest, ReadinessFollowsTheStoreLivenessDoesNot) {
  bool ready = false;
  OpsEndpoints endpoints{nullptr, [&] { return ready; }};
  EXPECT_EQ(HandleOpsRequest(endpoints, "/readyz").status, 503);
  EXPECT_EQ(HandleOpsRequest(endpoints, "/livez").status, 200);
  ready = true;
  EXPECT_EQ(HandleOpsRequest(endpoints, "/readyz").status, 200);
  EXPECT_EQ(HandleOpsRequest(endpoints, "/metrics").status,
            404);  // no registry
  EXPECT_EQ(HandleOpsRequest(endpoints, "/other").status, 404);
}

}  // namespace
}  // namespace kneechat
