// kneechat's metrics, served as GET /metrics (Prometheus text format):
//
//   kneechat_requests_total{rpc,code}              engine calls (gRPC, Connect
//                                                  JSON and the channels' own)
//   kneechat_request_duration_seconds{rpc}         histogram
//   kneechat_sessions_created_total{channel}
//   kneechat_turns_total{channel,kind}             replies to messages, by
//                                                  reply kind (ANSWER,
//                                                  QUESTION, REFERRAL,
//                                                  NOT_COVERED, OUT_OF_SCOPE…);
//                                                  retries answered from
//                                                  memory are not turns
//   kneechat_referrals_total{level,rule}           REFERRAL replies by triage
//                                                  level and red-flag rule
//   kneechat_questions_before_first_answer{channel} histogram
//   kneechat_turn_stage_duration_seconds{stage}    understanding, triage,
//                                                  retrieval, composing
//   kneechat_session_store_duration_seconds{op}    histogram (get, insert,
//                                                  update, delete, health;
//                                                  update without the turn)
//   kneechat_session_store_errors_total{op,code}
//   kneechat_session_store_up                      1 while the store answers
//   kneechat_sessions_open                         live sessions (memory
//                                                  store only)
//   kneechat_webhook_rejections_total{channel,reason}  bad_secret,
//                                                  bad_signature, duplicate,
//                                                  malformed_or_oversize,
//                                                  rate_limited, unavailable;
//                                                  sms: opt_out_keyword;
//                                                  whatsapp: ignored,
//                                                  unsupported_type,
//                                                  outside_service_window,
//                                                  send_failed (replies not
//                                                  sent)
//   kneechat_build_info{version}                   1
//
// Every label value comes from a bounded set: RPC and stage names, status
// codes, enum names, the red-flag rule ids of the corpus, and channels
// mapped by ChannelLabel. No user text, no session ids.
//
// Thread-safety: everything here may be used from any thread.
#pragma once

#include <string>
#include <string_view>

#include "services/observability/metrics_registry.h"

namespace kneechat {

struct KneechatMetrics {
  KneechatMetrics();

  MetricsRegistry registry;
  CounterFamily& requests;
  HistogramFamily& request_seconds;
  CounterFamily& sessions_created;
  CounterFamily& turns;
  CounterFamily& referrals;
  HistogramFamily& questions_before_first_answer;
  HistogramFamily& stage_seconds;
  HistogramFamily& store_seconds;
  CounterFamily& store_errors;
  CallbackFamily& store_up;
  CallbackFamily& sessions_open;
  CallbackFamily& webhook_rejections;
  CallbackFamily& build_info;
};

// The process's metrics (created on first use, never destroyed).
KneechatMetrics& Metrics();

// A channel name as a label: web, telegram, whatsapp, voice, sms, cli, grpc,
// unknown, or "other" for any other name a client chose.
std::string ChannelLabel(std::string_view channel);

// "ANSWER" for REPLY_KIND_ANSWER, "SELF_CARE" for TRIAGE_LEVEL_SELF_CARE:
// an enum value's name without its prefix.
std::string EnumLabel(std::string_view full_name, std::string_view prefix);

}  // namespace kneechat
