#include "services/observability/metrics_registry.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(MetricsRegistryTest, CountersRenderInTheTextFormat) {
  MetricsRegistry registry;
  CounterFamily& turns =
      registry.AddCounter("x_turns_total", "Turns.", {"channel", "kind"});
  turns.Add({"web", "ANSWER"});
  turns.Add({"web", "ANSWER"}, 2);
  turns.Add({"voice", "QUESTION"});
  turns.Add({"too", "many", "values"});  // ignored
  EXPECT_EQ(turns.Value({"web", "ANSWER"}), 3);
  EXPECT_EQ(registry.Render(),
            "# HELP x_turns_total Turns.\n"
            "# TYPE x_turns_total counter\n"
            "x_turns_total{channel=\"voice\",kind=\"QUESTION\"} 1\n"
            "x_turns_total{channel=\"web\",kind=\"ANSWER\"} 3\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  HistogramFamily& latency =
      registry.AddHistogram("x_seconds", "Latency.", {"rpc"}, {0.01, 0.1});
  latency.Observe({"Search"}, 0.005);
  latency.Observe({"Search"}, 0.05);
  latency.Observe({"Search"}, 3);
  EXPECT_EQ(latency.Count({"Search"}), 3u);
  EXPECT_EQ(registry.Render(),
            "# HELP x_seconds Latency.\n"
            "# TYPE x_seconds histogram\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"0.01\"} 1\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"0.1\"} 2\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"+Inf\"} 3\n"
            "x_seconds_sum{rpc=\"Search\"} 3.055\n"
            "x_seconds_count{rpc=\"Search\"} 3\n");
}

TEST(MetricsRegistryTest, BoundSeriesAddAsTheFamilyDoes) {
  MetricsRegistry registry;
  CounterFamily& turns =
      registry.AddCounter("x_turns_total", "Turns.", {"channel", "kind"});
  HistogramFamily& latency =
      registry.AddHistogram("x_seconds", "Latency.", {"rpc"}, {0.01, 0.1});
  CounterFamily::Bound web_answers = turns.Bind({"web", "ANSWER"});
  CounterFamily::Bound wrong_count = turns.Bind({"web"});
  HistogramFamily::Bound search = latency.Bind({"Search"});
  HistogramFamily::Bound unused = latency.Bind({"GetSession"});
  const std::string empty = registry.Render();  // binding creates no series
  EXPECT_EQ(empty,
            "# HELP x_turns_total Turns.\n"
            "# TYPE x_turns_total counter\n"
            "# HELP x_seconds Latency.\n"
            "# TYPE x_seconds histogram\n");
  web_answers.Add();
  turns.Add({"web", "ANSWER"}, 2);  // the same series
  web_answers.Add(-1);              // ignored, as by the family
  wrong_count.Add();                // ignored
  search.Observe(0.005);
  latency.Observe({"Search"}, 0.05);
  search.Observe(3);
  EXPECT_EQ(turns.Value({"web", "ANSWER"}), 3);
  EXPECT_EQ(latency.Count({"Search"}), 3u);
  EXPECT_EQ(latency.Count({"GetSession"}), 0u);
  EXPECT_EQ(registry.Render(),
            "# HELP x_turns_total Turns.\n"
            "# TYPE x_turns_total counter\n"
            "x_turns_total{channel=\"web\",kind=\"ANSWER\"} 3\n"
            "# HELP x_seconds Latency.\n"
            "# TYPE x_seconds histogram\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"0.01\"} 1\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"0.1\"} 2\n"
            "x_seconds_bucket{rpc=\"Search\",le=\"+Inf\"} 3\n"
            "x_seconds_sum{rpc=\"Search\"} 3.055\n"
            "x_seconds_count{rpc=\"Search\"} 3\n");
}

TEST(MetricsRegistryTest, CallbacksAreReadAtRenderAndUnbound) {
  MetricsRegistry registry;
  CallbackFamily& open = registry.AddCallbackGauge("x_open", "Open.", {});
  double value = 4;
  {
    CallbackFamily::Binding binding = open.Bind({}, [&] { return value; });
    value = 7;
    EXPECT_NE(registry.Render().find("\nx_open 7\n"), std::string::npos);
  }
  EXPECT_EQ(registry.Render().find("\nx_open "), std::string::npos);
}

TEST(MetricsRegistryTest, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.AddCounter("x_total", "X.", {"l"}).Add({"a\"b\\c\nd"});
  EXPECT_NE(registry.Render().find("x_total{l=\"a\\\"b\\\\c\\nd\"} 1\n"),
            std::string::npos)
      << registry.Render();
}

TEST(MetricsRegistryTest, LatencyBucketsAscend) {
  const std::vector<double> bounds = LatencyBuckets();
  for (size_t i = 1; i < bounds.size(); ++i)
    EXPECT_LT(bounds[i - 1], bounds[i]);
}

}  // namespace
}  // namespace kneechat
