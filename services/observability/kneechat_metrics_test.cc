#include "services/observability/kneechat_metrics.h"

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(KneechatMetricsTest, ChannelsAreABoundedSet) {
  EXPECT_EQ(ChannelLabel("web"), "web");
  EXPECT_EQ(ChannelLabel("telegram"), "telegram");
  EXPECT_EQ(ChannelLabel("voice"), "voice");
  EXPECT_EQ(ChannelLabel("whatsapp"), "whatsapp");
  EXPECT_EQ(ChannelLabel("sms"), "sms");
  EXPECT_EQ(ChannelLabel(""), "unknown");
  EXPECT_EQ(ChannelLabel("my-own-channel-7"), "other");
}

TEST(KneechatMetricsTest, EnumLabelsDropThePrefix) {
  EXPECT_EQ(EnumLabel("REPLY_KIND_NOT_COVERED", "REPLY_KIND_"), "NOT_COVERED");
  EXPECT_EQ(EnumLabel("TRIAGE_LEVEL_", "TRIAGE_LEVEL_"), "UNSPECIFIED");
}

// Every family is well formed: one HELP and one TYPE per name, names
// matching Prometheus's rules, counters ending in _total.
TEST(KneechatMetricsTest, ExpositionIsWellFormed) {
  KneechatMetrics metrics;
  metrics.turns.Add({"web", "ANSWER"});
  metrics.request_seconds.Observe({"SendMessage"}, 0.01);
  auto binding = metrics.build_info.Bind({"0.1.0"}, [] { return 1.0; });
  const std::string text = metrics.registry.Render();
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> typed;
  const std::regex type_line(
      "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)");
  const std::regex sample(
      "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})"
      "?"
      " [-+0-9.eInfNa]+");
  std::smatch m;
  while (std::getline(lines, line)) {
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (std::regex_match(line, m, type_line)) {
      EXPECT_TRUE(typed.insert(m[1]).second) << "twice: " << m[1];
      if (m[2] == "counter") {
        EXPECT_EQ(m[1].str().substr(m[1].str().size() - 6), "_total") << m[1];
      }
      continue;
    }
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
  for (const char* name :
       {"kneechat_requests_total", "kneechat_request_duration_seconds",
        "kneechat_sessions_created_total", "kneechat_turns_total",
        "kneechat_referrals_total", "kneechat_questions_before_first_answer",
        "kneechat_turn_stage_duration_seconds",
        "kneechat_session_store_duration_seconds",
        "kneechat_session_store_errors_total", "kneechat_session_store_up",
        "kneechat_sessions_open", "kneechat_webhook_rejections_total",
        "kneechat_build_info"}) {
    EXPECT_EQ(typed.count(name), 1u) << name;
  }
  EXPECT_NE(text.find("kneechat_build_info{version=\"0.1.0\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace kneechat
