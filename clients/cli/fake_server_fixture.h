// A test fixture serving KneeChat over a FakeEngine on a loopback port, for
// the client commands' tests.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "gtest/gtest.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "services/grpc/grpc_server.h"
#include "services/grpc/kneechat_service.h"
#include "services/grpc/testing/fake_engine.h"

namespace kneechat::cli {

class FakeServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GrpcServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = GrpcServer::Start(options, service_, {});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::KneeChat::NewStub(channel_);
  }

  FakeEngine engine_;
  KneeChatService service_{engine_};
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::KneeChat::Stub> stub_;
};

}  // namespace kneechat::cli
