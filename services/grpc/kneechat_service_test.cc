#include "services/grpc/kneechat_service.h"

#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/grpc/grpc_server.h"
#include "services/grpc/testing/fake_engine.h"

namespace kneechat {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

class KneeChatServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GrpcServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = GrpcServer::Start(options, service_,
                                    {v1::KneeChat::service_full_name()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::KneeChat::NewStub(channel_);
  }

  // Sends raw bytes as the request of `method`, bypassing the stub's
  // serialisation.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&context, "/kneechat.v1.KneeChat/" + method,
                      grpc::StubOptions(), &request, &response,
                      [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service,
                                            grpc::Status* status) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    *status = health->Check(&context, request, &response);
    return response.status();
  }

  FakeEngine engine_;
  KneeChatService service_{engine_};
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::KneeChat::Stub> stub_;
};

TEST_F(KneeChatServiceTest, CreateSessionPassesTheChannelAndReturnsGreeting) {
  engine_.on_create_session = [](const v1::CreateSessionRequest& request)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    v1::CreateSessionResponse response;
    response.set_session_id("s-" + request.channel());
    response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
    response.mutable_reply()->set_text("Hello");
    return response;
  };
  grpc::ClientContext context;
  v1::CreateSessionRequest request;
  request.set_channel("cli");
  v1::CreateSessionResponse response;
  ASSERT_TRUE(stub_->CreateSession(&context, request, &response).ok());
  EXPECT_EQ(response.session_id(), "s-cli");
  EXPECT_EQ(response.reply().kind(), v1::REPLY_KIND_GREETING);
  EXPECT_EQ(response.reply().text(), "Hello");
}

TEST_F(KneeChatServiceTest, SendMessageForwardsEveryField) {
  engine_.on_send_message = [](const v1::SendMessageRequest& request)
      -> absl::StatusOr<v1::SendMessageResponse> {
    v1::SendMessageResponse response;
    response.mutable_reply()->set_kind(v1::REPLY_KIND_QUESTION);
    response.mutable_reply()->set_asking("duration");
    response.mutable_reply()->set_text("echo:" + request.text());
    return response;
  };
  grpc::ClientContext context;
  v1::SendMessageRequest request;
  request.set_session_id("s1");
  request.set_text("my knee hurts");
  request.set_message_id("m1");
  v1::SendMessageResponse response;
  ASSERT_TRUE(stub_->SendMessage(&context, request, &response).ok());
  EXPECT_EQ(response.reply().text(), "echo:my knee hurts");
  EXPECT_EQ(response.reply().asking(), "duration");
  ASSERT_EQ(engine_.sent_messages().size(), 1u);
  EXPECT_EQ(engine_.sent_messages()[0].session_id(), "s1");
  EXPECT_EQ(engine_.sent_messages()[0].message_id(), "m1");
}

TEST_F(KneeChatServiceTest, GetDeleteAndSearchReachTheEngine) {
  engine_.on_get_session = [](const v1::GetSessionRequest& request)
      -> absl::StatusOr<v1::GetSessionResponse> {
    v1::GetSessionResponse response;
    response.mutable_session()->set_session_id(request.session_id());
    response.mutable_session()->set_state("gathering");
    return response;
  };
  engine_.on_delete_session = [](const v1::DeleteSessionRequest&)
      -> absl::StatusOr<v1::DeleteSessionResponse> {
    return v1::DeleteSessionResponse();
  };
  engine_.on_search = [](const v1::SearchRequest& request)
      -> absl::StatusOr<v1::SearchResponse> {
    v1::SearchResponse response;
    v1::Passage* passage = response.add_passages();
    passage->set_passage_id("patellofemoral-pain#3");
    passage->set_text(request.query());
    passage->set_score(request.page_size());
    return response;
  };
  {
    grpc::ClientContext context;
    v1::GetSessionRequest request;
    request.set_session_id("s9");
    v1::GetSessionResponse response;
    ASSERT_TRUE(stub_->GetSession(&context, request, &response).ok());
    EXPECT_EQ(response.session().session_id(), "s9");
    EXPECT_EQ(response.session().state(), "gathering");
  }
  {
    grpc::ClientContext context;
    v1::DeleteSessionRequest request;
    v1::DeleteSessionResponse response;
    EXPECT_TRUE(stub_->DeleteSession(&context, request, &response).ok());
  }
  {
    grpc::ClientContext context;
    v1::SearchRequest request;
    request.set_query("knee brace");
    request.set_page_size(3);
    v1::SearchResponse response;
    ASSERT_TRUE(stub_->Search(&context, request, &response).ok());
    ASSERT_EQ(response.passages_size(), 1);
    EXPECT_EQ(response.passages(0).passage_id(), "patellofemoral-pain#3");
    EXPECT_EQ(response.passages(0).text(), "knee brace");
    EXPECT_EQ(response.passages(0).score(), 3.0);
  }
  EXPECT_EQ(engine_.calls(), 3);
}

class KneeChatServiceCodeTest
    : public KneeChatServiceTest,
      public ::testing::WithParamInterface<absl::StatusCode> {};

TEST_P(KneeChatServiceCodeTest, EngineErrorKeepsCodeAndMessage) {
  const absl::StatusCode code = GetParam();
  engine_.on_send_message = [code](const v1::SendMessageRequest&)
      -> absl::StatusOr<v1::SendMessageResponse> {
    return absl::Status(code, "engine says no");
  };
  grpc::ClientContext context;
  v1::SendMessageRequest request;
  request.set_text("hi");
  v1::SendMessageResponse response;
  const grpc::Status status = stub_->SendMessage(&context, request, &response);
  EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(code));
  // Internal details are logged, never sent (services/common/error_policy.h).
  EXPECT_EQ(status.error_message(), code == absl::StatusCode::kInternal
                                        ? "internal error"
                                        : "engine says no");
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, KneeChatServiceCodeTest,
    ::testing::Values(
        absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kResourceExhausted,
        absl::StatusCode::kFailedPrecondition,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kUnauthenticated,
        absl::StatusCode::kUnavailable, absl::StatusCode::kInternal,
        absl::StatusCode::kDeadlineExceeded, absl::StatusCode::kAlreadyExists),
    [](const ::testing::TestParamInfo<absl::StatusCode>& info) {
      std::string name = absl::StatusCodeToString(info.param);
      name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
      return name;
    });

TEST_F(KneeChatServiceTest, InvalidUtf8IsRefusedBeforeTheEngine) {
  // SendMessageRequest{text: "knee \xff"}.
  const grpc::Status status =
      CallRaw("SendMessage", std::string("\x12\x06knee \xff", 8));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "text is not valid UTF-8");
  EXPECT_EQ(engine_.calls(), 0);
}

TEST_F(KneeChatServiceTest, MalformedRequestIsInvalidArgument) {
  const grpc::Status status = CallRaw("Search", std::string("\x0a\x7f"
                                                            "short",
                                                            7));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("kneechat.v1.SearchRequest"),
            std::string::npos);
  EXPECT_EQ(engine_.calls(), 0);
}

TEST_F(KneeChatServiceTest, RequestOverTheSizeLimitIsResourceExhausted) {
  grpc::ClientContext context;
  v1::SendMessageRequest request;
  request.set_text(
      std::string(GrpcServerOptions().max_receive_message_bytes, 'k'));
  v1::SendMessageResponse response;
  const grpc::Status status = stub_->SendMessage(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(engine_.calls(), 0);
}

TEST_F(KneeChatServiceTest, HealthReportsServing) {
  grpc::Status status;
  EXPECT_EQ(Health("", &status), HealthCheckResponse::SERVING);
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(Health("kneechat.v1.KneeChat", &status),
            HealthCheckResponse::SERVING);
  EXPECT_TRUE(status.ok());
  Health("no.such.Service", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(KneeChatServiceTest, HealthFollowsSetServing) {
  grpc::Status status;
  server_->SetServing(false);  // e.g. the session store is unreachable
  EXPECT_EQ(Health("", &status), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health("kneechat.v1.KneeChat", &status),
            HealthCheckResponse::NOT_SERVING);
  server_->SetServing(true);
  EXPECT_EQ(Health("kneechat.v1.KneeChat", &status),
            HealthCheckResponse::SERVING);
}

TEST_F(KneeChatServiceTest, ShutdownStopsServing) {
  server_->Shutdown(absl::Now() + absl::Seconds(1));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(500));
  v1::CreateSessionRequest request;
  v1::CreateSessionResponse response;
  const grpc::Status status =
      stub_->CreateSession(&context, request, &response);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(engine_.calls(), 0);
}

TEST(GrpcServerTest, PortInUseIsUnavailable) {
  FakeEngine engine;
  KneeChatService first_service(engine);
  KneeChatService second_service(engine);
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto first = GrpcServer::Start(options, first_service, {});
  ASSERT_TRUE(first.ok()) << first.status();
  options.listen_address = (*first)->address();
  auto second = GrpcServer::Start(options, second_service, {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find((*first)->address()),
            absl::string_view::npos);
}

TEST(GrpcServerTest, AddressReportsTheBoundPort) {
  FakeEngine engine;
  KneeChatService service(engine);
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto server = GrpcServer::Start(options, service, {});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ((*server)->address(),
            "127.0.0.1:" + std::to_string((*server)->port()));
}

TEST(KneeChatServiceFairUseTest,
     APeerOverItsBudgetIsResourceExhaustedWithAHint) {
  FakeClock clock;
  knowledge::v1::FairUseSettings settings;
  settings.mutable_grpc()->set_requests_per_minute(12);  // one per 5 s
  settings.mutable_grpc()->set_request_burst(2);
  settings.mutable_grpc()->set_sessions_per_hour(60);  // one a minute
  settings.mutable_grpc()->set_session_burst(1);
  FairUse fair_use(settings, &clock);
  FakeEngine engine;
  engine.on_search =
      [](const v1::SearchRequest&) -> absl::StatusOr<v1::SearchResponse> {
    return v1::SearchResponse();
  };
  engine.on_create_session = [](const v1::CreateSessionRequest&)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    return v1::CreateSessionResponse();
  };
  KneeChatService service(engine, &fair_use);
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto server = GrpcServer::Start(options, service, {});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::KneeChat::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));
  auto search = [&](std::string* retry_after) {
    grpc::ClientContext context;
    v1::SearchRequest request;
    request.set_query("knee");
    v1::SearchResponse response;
    grpc::Status status = stub->Search(&context, request, &response);
    auto it = context.GetServerTrailingMetadata().find("retry-after");
    if (retry_after != nullptr &&
        it != context.GetServerTrailingMetadata().end()) {
      *retry_after = std::string(it->second.data(), it->second.size());
    }
    return status;
  };
  EXPECT_TRUE(search(nullptr).ok());
  EXPECT_TRUE(search(nullptr).ok());
  std::string retry_after;
  const grpc::Status refused = search(&retry_after);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("retry in 5 s"), std::string::npos)
      << refused.error_message();
  EXPECT_EQ(retry_after, "5");
  EXPECT_EQ(engine.calls(), 2);
  // New sessions have their own budget: one now, the next in a minute.
  grpc::ClientContext create_context;
  v1::CreateSessionResponse created;
  EXPECT_TRUE(
      stub->CreateSession(&create_context, v1::CreateSessionRequest(), &created)
          .ok());
  clock.Advance(absl::Seconds(5));
  EXPECT_TRUE(search(nullptr).ok());
  (*server)->Shutdown(absl::Now());
}

}  // namespace
}  // namespace kneechat
