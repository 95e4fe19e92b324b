#include "services/observability/observed_engine.h"

#include <array>
#include <chrono>
#include <string>

#include "services/common/request_facts.h"
#include "services/common/server_log.h"

namespace kneechat {
namespace {

using Clock = std::chrono::steady_clock;

// What one call did, gathered for its log line and metrics.
struct Outcome {
  const char* rpc;
  absl::Status status;
  double seconds = 0;
  std::string channel;     // raw; mapped by ChannelLabel before use
  std::string session_id;  // raw; hashed before logging
  const v1::Reply* reply = nullptr;
};

LogLevel LevelFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
      return LogLevel::kInfo;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return LogLevel::kWarning;
    default:
      return LogLevel::kError;
  }
}

// The series a call adds to whatever its outcome.
struct CallSeries {
  CounterFamily::Bound& ok;  // requests{rpc, "OK"}
  HistogramFamily::Bound& seconds;
  std::array<HistogramFamily::Bound, kTurnStageCount>& stages;
};

void Report(KneechatMetrics& metrics, CallSeries series, const Outcome& outcome,
            const RequestFacts& facts) {
  const std::string code = absl::StatusCodeToString(outcome.status.code());
  if (outcome.status.ok()) {
    series.ok.Add();
  } else {
    metrics.requests.Add({outcome.rpc, code});
  }
  series.seconds.Observe(outcome.seconds);
  const std::string channel =
      ChannelLabel(outcome.channel.empty() ? facts.channel : outcome.channel);
  const bool has_channel = !outcome.channel.empty() || !facts.channel.empty();
  if (facts.stages_timed) {
    for (size_t i = 0; i < kTurnStageCount; ++i) {
      series.stages[i].Observe(facts.stage_seconds[i]);
    }
  }
  std::string kind, level;
  if (outcome.reply != nullptr) {
    kind = EnumLabel(v1::ReplyKind_Name(outcome.reply->kind()), "REPLY_KIND_");
    level = EnumLabel(v1::TriageLevel_Name(outcome.reply->triage().level()),
                      "TRIAGE_LEVEL_");
  }
  if (outcome.status.ok() && outcome.reply != nullptr && !facts.replayed) {
    if (std::string(outcome.rpc) == "CreateSession") {
      metrics.sessions_created.Add({channel});
    } else {
      metrics.turns.Add({channel, kind});
      if (outcome.reply->kind() == v1::REPLY_KIND_REFERRAL) {
        if (outcome.reply->triage().red_flags().empty()) {
          metrics.referrals.Add({level, "none"});
        }
        for (const v1::RedFlag& flag : outcome.reply->triage().red_flags()) {
          metrics.referrals.Add({level, flag.id()});
        }
      }
      if (facts.questions_before_first_answer >= 0) {
        metrics.questions_before_first_answer.Observe(
            {channel}, facts.questions_before_first_answer);
      }
    }
  }

  const LogLevel log_level = LevelFor(outcome.status.code());
  if (!LogEnabled(log_level)) return;
  LogFields fields;
  fields.Add("rpc", outcome.rpc);
  if (has_channel) fields.Add("channel", channel);
  fields.Add("status", code).Add("latency_ms", outcome.seconds * 1000);
  if (!kind.empty()) fields.Add("reply_kind", kind);
  if (!level.empty()) fields.Add("triage_level", level);
  if (!outcome.session_id.empty()) {
    fields.Add("session_hash", HashedId(outcome.session_id));
  }
  if (facts.replayed) fields.Add("replayed", true);
  LogEvent(log_level, "request", fields);
}

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

ObservedEngine::RpcSeries::RpcSeries(KneechatMetrics& metrics,
                                     const char* rpc_name)
    : ok(metrics.requests.Bind({rpc_name, "OK"})),
      seconds(metrics.request_seconds.Bind({rpc_name})) {}

namespace {

std::array<HistogramFamily::Bound, kTurnStageCount> BindStages(
    KneechatMetrics& metrics) {
  auto bind = [&](TurnStage stage) {
    return metrics.stage_seconds.Bind({TurnStageName(stage)});
  };
  static_assert(kTurnStageCount == 4);
  return {bind(static_cast<TurnStage>(0)), bind(static_cast<TurnStage>(1)),
          bind(static_cast<TurnStage>(2)), bind(static_cast<TurnStage>(3))};
}

}  // namespace

ObservedEngine::ObservedEngine(Engine& inner, KneechatMetrics& metrics)
    : inner_(inner),
      metrics_(metrics),
      create_(metrics, "CreateSession"),
      send_(metrics, "SendMessage"),
      get_(metrics, "GetSession"),
      delete_(metrics, "DeleteSession"),
      search_(metrics, "Search"),
      handoff_(metrics, "GetHandoff"),
      stages_(BindStages(metrics)) {}

absl::StatusOr<v1::CreateSessionResponse> ObservedEngine::CreateSession(
    const v1::CreateSessionRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.CreateSession(request);
  Outcome outcome{"CreateSession", response.status(), Since(start)};
  outcome.channel = request.channel().empty() ? "unknown" : request.channel();
  if (response.ok()) {
    outcome.session_id = response->session_id();
    outcome.reply = &response->reply();
  }
  Report(metrics_, {create_.ok, create_.seconds, stages_}, outcome,
         scope.facts());
  return response;
}

absl::StatusOr<v1::SendMessageResponse> ObservedEngine::SendMessage(
    const v1::SendMessageRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.SendMessage(request);
  Outcome outcome{"SendMessage", response.status(), Since(start)};
  outcome.session_id = request.session_id();
  if (response.ok()) outcome.reply = &response->reply();
  Report(metrics_, {send_.ok, send_.seconds, stages_}, outcome, scope.facts());
  return response;
}

absl::StatusOr<v1::GetSessionResponse> ObservedEngine::GetSession(
    const v1::GetSessionRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.GetSession(request);
  Outcome outcome{"GetSession", response.status(), Since(start)};
  outcome.session_id = request.session_id();
  if (response.ok()) outcome.channel = response->session().channel();
  Report(metrics_, {get_.ok, get_.seconds, stages_}, outcome, scope.facts());
  return response;
}

absl::StatusOr<v1::DeleteSessionResponse> ObservedEngine::DeleteSession(
    const v1::DeleteSessionRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.DeleteSession(request);
  Outcome outcome{"DeleteSession", response.status(), Since(start)};
  outcome.session_id = request.session_id();
  Report(metrics_, {delete_.ok, delete_.seconds, stages_}, outcome,
         scope.facts());
  return response;
}

absl::StatusOr<v1::SearchResponse> ObservedEngine::Search(
    const v1::SearchRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.Search(request);
  Report(metrics_, {search_.ok, search_.seconds, stages_},
         Outcome{"Search", response.status(), Since(start)}, scope.facts());
  return response;
}

absl::StatusOr<v1::GetHandoffResponse> ObservedEngine::GetHandoff(
    const v1::GetHandoffRequest& request) {
  ScopedRequestFacts scope;
  const auto start = Clock::now();
  auto response = inner_.GetHandoff(request);
  Outcome outcome{"GetHandoff", response.status(), Since(start)};
  outcome.session_id = request.session_id();
  Report(metrics_, {handoff_.ok, handoff_.seconds, stages_}, outcome,
         scope.facts());
  return response;
}

}  // namespace kneechat
