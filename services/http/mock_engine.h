// A gMock Engine for front-end tests.
#pragma once

#include "gmock/gmock.h"
#include "services/engine/engine.h"

namespace kneechat {

class MockEngine : public Engine {
 public:
  MOCK_METHOD(absl::StatusOr<v1::CreateSessionResponse>, CreateSession,
              (const v1::CreateSessionRequest&), (override));
  MOCK_METHOD(absl::StatusOr<v1::SendMessageResponse>, SendMessage,
              (const v1::SendMessageRequest&), (override));
  MOCK_METHOD(absl::StatusOr<v1::GetSessionResponse>, GetSession,
              (const v1::GetSessionRequest&), (override));
  MOCK_METHOD(absl::StatusOr<v1::DeleteSessionResponse>, DeleteSession,
              (const v1::DeleteSessionRequest&), (override));
  MOCK_METHOD(absl::StatusOr<v1::SearchResponse>, Search,
              (const v1::SearchRequest&), (override));
  MOCK_METHOD(absl::StatusOr<v1::GetHandoffResponse>, GetHandoff,
              (const v1::GetHandoffRequest&), (override));
};

}  // namespace kneechat
