#include "services/observability/observed_session_store.h"

#include <chrono>
#include <utility>

namespace kneechat {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

bool IsStoreFailure(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

}  // namespace

ObservedSessionStore::ObservedSessionStore(SessionStore& inner,
                                           KneechatMetrics& metrics)
    : inner_(inner),
      metrics_(metrics),
      insert_seconds_(metrics.store_seconds.Bind({"insert"})),
      update_seconds_(metrics.store_seconds.Bind({"update"})),
      get_seconds_(metrics.store_seconds.Bind({"get"})),
      delete_seconds_(metrics.store_seconds.Bind({"delete"})),
      health_seconds_(metrics.store_seconds.Bind({"health"})) {}

void ObservedSessionStore::Record(const char* op,
                                  HistogramFamily::Bound& op_seconds,
                                  double seconds, const absl::Status& status) {
  op_seconds.Observe(seconds);
  if (IsStoreFailure(status.code())) {
    metrics_.store_errors.Add({op, absl::StatusCodeToString(status.code())});
  }
}

absl::Status ObservedSessionStore::Insert(const SessionState& state) {
  const auto start = Clock::now();
  absl::Status status = inner_.Insert(state);
  Record("insert", insert_seconds_, Seconds(Clock::now() - start), status);
  return status;
}

absl::Status ObservedSessionStore::Update(std::string_view session_id,
                                          const UpdateFn& fn) {
  return TimedUpdate(session_id, fn, /*in_place=*/false);
}

absl::Status ObservedSessionStore::UpdateInPlace(std::string_view session_id,
                                                 const UpdateFn& fn) {
  return TimedUpdate(session_id, fn, /*in_place=*/true);
}

absl::Status ObservedSessionStore::TimedUpdate(std::string_view session_id,
                                               const UpdateFn& fn,
                                               bool in_place) {
  Clock::duration in_fn{0};
  absl::Status fn_status;
  const auto start = Clock::now();
  const UpdateFn timed = [&](SessionState& state) -> absl::Status {
    const auto fn_start = Clock::now();
    fn_status = fn(state);
    in_fn += Clock::now() - fn_start;
    return fn_status;
  };
  absl::Status status = in_place ? inner_.UpdateInPlace(session_id, timed)
                                 : inner_.Update(session_id, timed);
  const double seconds = Seconds(Clock::now() - start - in_fn);
  // An error the turn itself returned passes through: not the store's.
  Record("update", update_seconds_, seconds,
         !fn_status.ok() && status == fn_status ? absl::OkStatus() : status);
  return status;
}

absl::StatusOr<SessionState> ObservedSessionStore::Get(
    std::string_view session_id) {
  const auto start = Clock::now();
  absl::StatusOr<SessionState> state = inner_.Get(session_id);
  Record("get", get_seconds_, Seconds(Clock::now() - start), state.status());
  return state;
}

absl::Status ObservedSessionStore::Delete(std::string_view session_id) {
  const auto start = Clock::now();
  absl::Status status = inner_.Delete(session_id);
  Record("delete", delete_seconds_, Seconds(Clock::now() - start), status);
  return status;
}

absl::Status ObservedSessionStore::CheckHealth() {
  const auto start = Clock::now();
  absl::Status status = inner_.CheckHealth();
  Record("health", health_seconds_, Seconds(Clock::now() - start), status);
  return status;
}

}  // namespace kneechat
