#include "services/grpc/testing/fake_engine.h"

namespace kneechat {
namespace {

template <typename Response, typename Request>
absl::StatusOr<Response> Call(
    const FakeEngine::Handler<Request, Response>& handler,
    const Request& request) {
  if (!handler) {
    return absl::UnimplementedError("no fake handler for " +
                                    request.GetDescriptor()->full_name());
  }
  return handler(request);
}

}  // namespace

absl::StatusOr<v1::CreateSessionResponse> FakeEngine::CreateSession(
    const v1::CreateSessionRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
    created_sessions_.push_back(request);
  }
  return Call(on_create_session, request);
}

absl::StatusOr<v1::SendMessageResponse> FakeEngine::SendMessage(
    const v1::SendMessageRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
    sent_messages_.push_back(request);
  }
  return Call(on_send_message, request);
}

absl::StatusOr<v1::GetSessionResponse> FakeEngine::GetSession(
    const v1::GetSessionRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
  }
  return Call(on_get_session, request);
}

absl::StatusOr<v1::DeleteSessionResponse> FakeEngine::DeleteSession(
    const v1::DeleteSessionRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
  }
  return Call(on_delete_session, request);
}

absl::StatusOr<v1::SearchResponse> FakeEngine::Search(
    const v1::SearchRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
    searches_.push_back(request);
  }
  return Call(on_search, request);
}

absl::StatusOr<v1::GetHandoffResponse> FakeEngine::GetHandoff(
    const v1::GetHandoffRequest& request) {
  {
    absl::MutexLock lock(&mu_);
    ++calls_;
  }
  return Call(on_get_handoff, request);
}

int FakeEngine::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

std::vector<v1::SendMessageRequest> FakeEngine::sent_messages() const {
  absl::MutexLock lock(&mu_);
  return sent_messages_;
}

std::vector<v1::CreateSessionRequest> FakeEngine::created_sessions() const {
  absl::MutexLock lock(&mu_);
  return created_sessions_;
}

std::vector<v1::SearchRequest> FakeEngine::searches() const {
  absl::MutexLock lock(&mu_);
  return searches_;
}

}  // namespace kneechat
