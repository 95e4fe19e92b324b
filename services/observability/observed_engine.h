// An Engine that serves through another and, for every call, writes one
// "request" log line and records kneechat's request, session, turn,
// referral and stage metrics (kneechat_metrics.h). Placed in front of the
// real engine in the composition root, it sees every gRPC, Connect JSON
// and channel-webhook call.
//
// The log line holds the RPC, the channel (as a bounded label), the status
// code, the latency, the reply kind and triage level, and the session id
// hashed (HashedId) — never the message, the query, or a status message.
//
// Thread-safety: as the wrapped engine (every method from any thread).
#pragma once

#include <array>

#include "services/common/request_facts.h"
#include "services/engine/engine.h"
#include "services/observability/kneechat_metrics.h"

namespace kneechat {

class ObservedEngine : public Engine {
 public:
  // `inner` and `metrics` are not owned and must outlive this object.
  explicit ObservedEngine(Engine& inner, KneechatMetrics& metrics = Metrics());

  absl::StatusOr<v1::CreateSessionResponse> CreateSession(
      const v1::CreateSessionRequest& request) override;
  absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) override;
  absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest& request) override;
  absl::StatusOr<v1::DeleteSessionResponse> DeleteSession(
      const v1::DeleteSessionRequest& request) override;
  absl::StatusOr<v1::SearchResponse> Search(
      const v1::SearchRequest& request) override;
  absl::StatusOr<v1::GetHandoffResponse> GetHandoff(
      const v1::GetHandoffRequest& request) override;

 private:
  // The series every call of one RPC adds to, bound once.
  struct RpcSeries {
    RpcSeries(KneechatMetrics& metrics, const char* rpc);
    CounterFamily::Bound ok;  // requests{rpc, "OK"}
    HistogramFamily::Bound seconds;
  };

  Engine& inner_;
  KneechatMetrics& metrics_;
  RpcSeries create_, send_, get_, delete_, search_, handoff_;
  // stage_seconds, by TurnStage.
  std::array<HistogramFamily::Bound, kTurnStageCount> stages_;
};

}  // namespace kneechat
