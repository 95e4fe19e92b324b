#include "services/observability/kneechat_metrics.h"

namespace kneechat {

KneechatMetrics::KneechatMetrics()
    : requests(registry.AddCounter(
          "kneechat_requests_total",
          "Engine calls (gRPC, Connect JSON, channel webhooks) by RPC and "
          "status code.",
          {"rpc", "code"})),
      request_seconds(registry.AddHistogram(
          "kneechat_request_duration_seconds",
          "Time to serve an engine call, by RPC.", {"rpc"}, LatencyBuckets())),
      sessions_created(registry.AddCounter("kneechat_sessions_created_total",
                                           "Conversations started, by channel.",
                                           {"channel"})),
      turns(registry.AddCounter(
          "kneechat_turns_total",
          "Messages answered, by channel and reply kind (retries answered "
          "from memory excluded).",
          {"channel", "kind"})),
      referrals(registry.AddCounter(
          "kneechat_referrals_total",
          "Referral replies by triage level and red-flag rule.",
          {"level", "rule"})),
      questions_before_first_answer(registry.AddHistogram(
          "kneechat_questions_before_first_answer",
          "Questions kneechat asked before a conversation's first cited "
          "answer.",
          {"channel"}, {0, 1, 2, 3, 4, 5, 6, 8, 10})),
      stage_seconds(registry.AddHistogram(
          "kneechat_turn_stage_duration_seconds",
          "Time a turn spends in each stage (exclusive).", {"stage"},
          {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
           0.1, 0.25, 1})),
      store_seconds(registry.AddHistogram(
          "kneechat_session_store_duration_seconds",
          "Session store operations' own time (an update without the turn "
          "it runs).",
          {"op"}, LatencyBuckets())),
      store_errors(registry.AddCounter(
          "kneechat_session_store_errors_total",
          "Session store operations that failed for the store's own reasons "
          "(unavailable, internal), by operation and code.",
          {"op", "code"})),
      store_up(registry.AddCallbackGauge(
          "kneechat_session_store_up",
          "1 while the session store answers its health check, else 0.", {})),
      sessions_open(registry.AddCallbackGauge(
          "kneechat_sessions_open",
          "Live sessions in this process's memory store.", {})),
      webhook_rejections(registry.AddCallbackCounter(
          "kneechat_webhook_rejections_total",
          "Channel webhook messages not played or not answered, by channel and "
          "reason.",
          {"channel", "reason"})),
      build_info(registry.AddCallbackGauge("kneechat_build_info",
                                           "Always 1; the version as a label.",
                                           {"version"})) {}

KneechatMetrics& Metrics() {
  static auto* metrics = new KneechatMetrics;
  return *metrics;
}

std::string ChannelLabel(std::string_view channel) {
  if (channel.empty()) return "unknown";
  for (const char* known : {"web", "telegram", "whatsapp", "voice", "sms",
                            "cli", "grpc", "unknown"}) {
    if (channel == known) return known;
  }
  return "other";
}

std::string EnumLabel(std::string_view full_name, std::string_view prefix) {
  if (full_name.substr(0, prefix.size()) == prefix) {
    full_name.remove_prefix(prefix.size());
  }
  return full_name.empty() ? "UNSPECIFIED" : std::string(full_name);
}

}  // namespace kneechat
