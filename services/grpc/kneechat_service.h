// The gRPC face of kneechat: serves kneechat.v1.KneeChat over an Engine.
//
// A thin adapter. For each RPC it decodes the request, calls the engine and
// maps the engine's absl::Status to a grpc::Status with the same canonical
// code (INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, ...). It adds no
// dialogue logic and logs nothing about requests, so user text never reaches
// a log.
//
// The methods are registered as raw callback methods (wire bytes in and out)
// so that a request gRPC could not parse, or text that is not UTF-8, is
// answered INVALID_ARGUMENT naming the field (see wire_codec.h) instead of
// gRPC's bare UNIMPLEMENTED.
//
// Each RPC runs inline on gRPC's callback threads and finishes before the
// handler returns: an engine turn is short CPU work (tokenising, a query on a
// small local Xapian index), so it holds such a thread only briefly.
//
// Thread-safety: serves concurrent RPCs; relies on the Engine's own
// thread-safety.
#pragma once

#include <grpcpp/grpcpp.h>

#include "kneechat/v1/kneechat.grpc.pb.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"

namespace kneechat {

using KneeChatRawCallbackService =
    v1::KneeChat::WithRawCallbackMethod_CreateSession<
        v1::KneeChat::WithRawCallbackMethod_SendMessage<
            v1::KneeChat::WithRawCallbackMethod_GetSession<
                v1::KneeChat::WithRawCallbackMethod_DeleteSession<
                    v1::KneeChat::WithRawCallbackMethod_Search<
                        v1::KneeChat::WithRawCallbackMethod_GetHandoff<
                            v1::KneeChat::Service>>>>>>;

class KneeChatService final : public KneeChatRawCallbackService {
 public:
  // `engine` is not owned; it must outlive this service and every server
  // the service is registered with.
  // `fair_use` (not owned, may be null: no limits) gives each peer address
  // the grpc budget: RESOURCE_EXHAUSTED "... retry in N s", with the
  // seconds also in the trailing metadata "retry-after".
  explicit KneeChatService(Engine& engine, FairUse* fair_use = nullptr);

  KneeChatService(const KneeChatService&) = delete;
  KneeChatService& operator=(const KneeChatService&) = delete;

  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SendMessage(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetSession(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteSession(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetHandoff(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;

 private:
  Engine& engine_;
  FairUse* const fair_use_;
};

}  // namespace kneechat
