#include "services/grpc/kneechat_service.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "services/common/error_policy.h"
#include "services/grpc/status_mapping.h"
#include "services/grpc/wire_codec.h"

namespace kneechat {
namespace {

// Runs one unary RPC: decode, call `method` on the engine, encode.
// "ipv4:10.0.0.1:5000" -> "10.0.0.1", "ipv6:[::1]:5000" -> "::1".
std::string PeerAddress(const std::string& peer) {
  std::string address = peer.substr(peer.find(':') + 1);
  const size_t colon = address.rfind(':');
  if (colon != std::string::npos && address.find(':') != colon) {
    address = address.substr(0, colon);  // ipv6: [addr]:port
  } else if (colon != std::string::npos) {
    address = address.substr(0, colon);
  }
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  return address;
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* Serve(
    const char* name, FairUse* fair_use, Engine& engine,
    absl::StatusOr<Response> (Engine::*method)(const Request&),
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* wire_request,
    grpc::ByteBuffer* wire_response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (context->IsCancelled()) {
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  if (fair_use != nullptr) {
    std::string forwarded;
    if (!fair_use->client_address_header().empty()) {
      const auto& metadata = context->client_metadata();
      auto it = metadata.find(
          absl::AsciiStrToLower(fair_use->client_address_header()));
      if (it != metadata.end()) {
        forwarded.assign(it->second.data(), it->second.size());
      }
    }
    const std::string client =
        fair_use->ClientAddress(PeerAddress(context->peer()), forwarded);
    absl::Status admitted =
        std::string_view(name) == "CreateSession"
            ? fair_use->AdmitNewSession(Channel::kGrpc, client)
            : fair_use->AdmitRequest(Channel::kGrpc, client);
    if (!admitted.ok()) {
      if (std::optional<absl::Duration> retry = RetryAfter(admitted)) {
        context->AddTrailingMetadata(
            "retry-after", std::to_string(absl::ToInt64Seconds(*retry)));
      }
      reactor->Finish(ToGrpcStatus(admitted));
      return reactor;
    }
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

KneeChatService::KneeChatService(Engine& engine, FairUse* fair_use)
    : engine_(engine), fair_use_(fair_use) {}

grpc::ServerUnaryReactor* KneeChatService::CreateSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("CreateSession", fair_use_, engine_, &Engine::CreateSession,
               context, request, response);
}

grpc::ServerUnaryReactor* KneeChatService::SendMessage(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("SendMessage", fair_use_, engine_, &Engine::SendMessage, context,
               request, response);
}

grpc::ServerUnaryReactor* KneeChatService::GetSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("GetSession", fair_use_, engine_, &Engine::GetSession, context,
               request, response);
}

grpc::ServerUnaryReactor* KneeChatService::DeleteSession(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("DeleteSession", fair_use_, engine_, &Engine::DeleteSession,
               context, request, response);
}

grpc::ServerUnaryReactor* KneeChatService::Search(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("Search", fair_use_, engine_, &Engine::Search, context, request,
               response);
}

grpc::ServerUnaryReactor* KneeChatService::GetHandoff(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve("GetHandoff", fair_use_, engine_, &Engine::GetHandoff, context,
               request, response);
}

}  // namespace kneechat
