// A SessionStore that passes every call to another and records its latency
// (kneechat_session_store_duration_seconds{op}; an update's time without
// the turn it runs) and its failures (kneechat_session_store_errors_total:
// codes that mean the store itself failed — unavailable, deadline,
// internal, unknown, data loss — not a missing session or an error the
// update function returned).
//
// Thread-safety: as the wrapped store.
#pragma once

#include "services/observability/kneechat_metrics.h"
#include "services/session/session_store.h"

namespace kneechat {

class ObservedSessionStore : public SessionStore {
 public:
  // `inner` and `metrics` are not owned and must outlive this object.
  explicit ObservedSessionStore(SessionStore& inner,
                                KneechatMetrics& metrics = Metrics());

  absl::Status Insert(const SessionState& state) override;
  absl::Status Update(std::string_view session_id, const UpdateFn& fn) override;
  // Passed on as UpdateInPlace, recorded as an update.
  absl::Status UpdateInPlace(std::string_view session_id,
                             const UpdateFn& fn) override;
  absl::StatusOr<SessionState> Get(std::string_view session_id) override;
  absl::Status Delete(std::string_view session_id) override;
  absl::Status CheckHealth() override;

 private:
  // Update or UpdateInPlace of inner_, timed without `fn`.
  absl::Status TimedUpdate(std::string_view session_id, const UpdateFn& fn,
                           bool in_place);
  void Record(const char* op, HistogramFamily::Bound& op_seconds,
              double seconds, const absl::Status& status);

  SessionStore& inner_;
  KneechatMetrics& metrics_;
  // store_seconds{op}, bound once.
  HistogramFamily::Bound insert_seconds_, update_seconds_, get_seconds_,
      delete_seconds_, health_seconds_;
};

}  // namespace kneechat
