#include "services/grpc/kneechat_service.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/error_policy.h"
#include "services/grpc/status_mapping.h"
#include "services/grpc/wire_codec.h"

namespace kneechat {
namespace {

// Runs one unary RPC: decode, call `method` on the engine, encode.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* Serve(
    const char* name, Engine& engine,
    absl::StatusOr<Response> (Engine::*method)(const Request&),
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (context->IsCancelled()) {
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  Request request;
  absl::Status status = DecodeRequest(*wire_request, request);
  if (status.ok()) {
    absl::StatusOr<Response> response = (engine.*method)(request);
    status = response.ok() ? EncodeResponse(*response, *wire_response)
                           : response.status();
  }
  reactor->Finish(ToGrpcStatus(ForClient(status, name)));
  return reactor;
}

}  // namespace

KneeChatService::KneeChatService(Engine& engine) : engine_(engine) {}

grpc::ServerUnaryReactor* KneeChatService::CreateSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("CreateSession", engine_, &Engine::CreateSession, context,
               request, response);
}

grpc::ServerUnaryReactor* KneeChatService::SendMessage(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("SendMessage", engine_, &Engine::SendMessage, context, request,
               response);
}

grpc::ServerUnaryReactor* KneeChatService::GetSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("GetSession", engine_, &Engine::GetSession, context, request,
               response);
}

grpc::ServerUnaryReactor* KneeChatService::DeleteSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("DeleteSession", engine_, &Engine::DeleteSession, context,
               request, response);
}

grpc::ServerUnaryReactor* KneeChatService::Search(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("Search", engine_, &Engine::Search, context, request, response);
}

}  // namespace kneechat
