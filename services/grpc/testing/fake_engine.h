// A scriptable Engine for tests of the front ends. Each method calls the
// matching handler if the test set one, or returns kUnimplemented; every
// request is recorded.
//
// Thread-safety: set the handlers before the engine is shared; after that
// the methods and the recorded-request accessors may be called from any
// thread.
#pragma once

#include <functional>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/engine/engine.h"

namespace kneechat {

class FakeEngine final : public Engine {
 public:
  template <typename Request, typename Response>
  using Handler = std::function<absl::StatusOr<Response>(const Request&)>;

  Handler<v1::CreateSessionRequest, v1::CreateSessionResponse>
      on_create_session;
  Handler<v1::SendMessageRequest, v1::SendMessageResponse> on_send_message;
  Handler<v1::GetSessionRequest, v1::GetSessionResponse> on_get_session;
  Handler<v1::DeleteSessionRequest, v1::DeleteSessionResponse>
      on_delete_session;
  Handler<v1::SearchRequest, v1::SearchResponse> on_search;
  Handler<v1::GetHandoffRequest, v1::GetHandoffResponse> on_get_handoff;

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

  // Total number of calls, any method.
  int calls() const;
  std::vector<v1::SendMessageRequest> sent_messages() const;
  std::vector<v1::CreateSessionRequest> created_sessions() const;
  std::vector<v1::SearchRequest> searches() const;

 private:
  mutable absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::SendMessageRequest> sent_messages_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::CreateSessionRequest> created_sessions_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::SearchRequest> searches_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kneechat
