// The kneechat engine: channel-neutral conversations and cited search. The
// gRPC and HTTP front ends are thin adapters over this interface; the public
// API messages (kneechat.v1) are its value types.
//
// Errors (absl::Status codes, mapped one-to-one to gRPC codes at the edge):
//   kInvalidArgument   empty, over-long or invalid-UTF-8 text; bad page size;
//                      a channel name outside [a-z0-9_-]{1,32}
//   kAlreadyExists     a message_id the session answered, with other text
//                      (or whose reply is no longer kept)
//   kNotFound          unknown or expired session
//   kResourceExhausted too many sessions; a session past its message limit
//   kInternal          a broken index or knowledge file
//
// Thread-safety: every method may be called concurrently from any thread.
// Messages to one session are applied one at a time, in arrival order.
#pragma once

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

class Engine {
 public:
  virtual ~Engine() = default;

  virtual absl::StatusOr<v1::CreateSessionResponse> CreateSession(
      const v1::CreateSessionRequest& request) = 0;
  virtual absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) = 0;
  virtual absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest& request) = 0;
  virtual absl::StatusOr<v1::DeleteSessionResponse> DeleteSession(
      const v1::DeleteSessionRequest& request) = 0;
  virtual absl::StatusOr<v1::SearchResponse> Search(
      const v1::SearchRequest& request) = 0;
  // A clinician's summary of the session (plain text and FHIR R4 JSON),
  // built from what the session holds now; read-only, sends nothing.
  // kInvalidArgument for a malformed id, kNotFound for an unknown or
  // expired session.
  virtual absl::StatusOr<v1::GetHandoffResponse> GetHandoff(
      const v1::GetHandoffRequest& request) = 0;
};

}  // namespace kneechat
