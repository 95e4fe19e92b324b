#include "clients/cli/local_engine.h"

#include <utility>

#include "services/engine/kneechat_engine.h"

namespace kneechat::cli {

absl::StatusOr<std::unique_ptr<LocalKneeChat>> LocalKneeChat::Start(
    const DataPaths& paths) {
  EngineOptions options;
  options.paths = paths;
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      CreateKneechatEngine(options);
  if (!engine.ok()) return engine.status();
  std::unique_ptr<LocalKneeChat> local(new LocalKneeChat());
  local->engine_ = *std::move(engine);
  local->service_ = std::make_unique<KneeChatService>(*local->engine_);
  grpc::ServerBuilder builder;
  builder.RegisterService(local->service_.get());
  local->server_ = builder.BuildAndStart();
  if (local->server_ == nullptr) {
    return absl::InternalError("cannot start an in-process gRPC server");
  }
  local->stub_ = v1::KneeChat::NewStub(
      local->server_->InProcessChannel(grpc::ChannelArguments()));
  return local;
}

LocalKneeChat::~LocalKneeChat() {
  if (server_ != nullptr) server_->Shutdown();
}

}  // namespace kneechat::cli
