// A kneechat engine built from a given corpus directory and index, served
// in this process over an in-process gRPC channel, so that the client
// commands can play conversations on it exactly as on a server (used by
// `kneechat review` to run two builds of the data side by side).
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "services/common/paths.h"
#include "services/engine/engine.h"
#include "services/grpc/kneechat_service.h"

namespace kneechat::cli {

// Thread-safe as its stub is; owns the engine and the server.
class LocalKneeChat {
 public:
  // Loads the engine from `paths` (corpus_dir and index_dir; web_dir is not
  // used) with the default deployment settings. Errors are
  // CreateKneechatEngine's: kNotFound or kInvalidArgument naming the file
  // that is missing or malformed.
  static absl::StatusOr<std::unique_ptr<LocalKneeChat>> Start(
      const DataPaths& paths);

  // Shuts the server down; calls still running are cancelled.
  ~LocalKneeChat();

  LocalKneeChat(const LocalKneeChat&) = delete;
  LocalKneeChat& operator=(const LocalKneeChat&) = delete;

  // Valid for the object's lifetime.
  v1::KneeChat::StubInterface& stub() { return *stub_; }

 private:
  LocalKneeChat() = default;

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<KneeChatService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::KneeChat::Stub> stub_;
};

}  // namespace kneechat::cli
