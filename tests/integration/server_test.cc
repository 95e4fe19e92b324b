// The real kneechat-server, started on a free loopback port: every RPC, the
// error codes, health, reflection and a clean shutdown.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <future>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "tests/integration/child_process.h"

namespace kneechat {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::kneechat::testing::RunCommand;
using ::kneechat::testing::ServerProcess;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kStartTimeout = absl::Seconds(60);

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args = {}) {
  args.insert(args.begin(), {"--listen", "127.0.0.1:0"});
  auto server =
      ServerProcess::Start(KNEECHAT_SERVER_BINARY, args, kStartTimeout);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = StartServer().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    ASSERT_TRUE(channel_->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10)));
    stub_ = v1::KneeChat::NewStub(channel_);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  std::string NewSession() {
    v1::CreateSessionRequest request;
    request.set_channel("cli");
    v1::CreateSessionResponse response;
    const grpc::Status status =
        stub_->CreateSession(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.session_id();
  }

  grpc::Status Send(const std::string& session_id, const std::string& text,
                    const std::string& message_id, v1::Reply* reply) {
    v1::SendMessageRequest request;
    request.set_session_id(session_id);
    request.set_text(text);
    request.set_message_id(message_id);
    v1::SendMessageResponse response;
    const grpc::Status status =
        stub_->SendMessage(Context().get(), request, &response);
    if (reply != nullptr) *reply = response.reply();
    return status;
  }

  grpc::Status Search(const std::string& query, int page_size,
                      v1::SearchResponse* response) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    return stub_->Search(Context().get(), request, response);
  }

  // Sends `bytes` as the serialised request of `method`, so that text which
  // is not UTF-8 reaches the server exactly as given.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    auto context = Context();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic.UnaryCall(context.get(), "/kneechat.v1.KneeChat/" + method,
                      grpc::StubOptions(), &request, &response,
                      [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::KneeChat::Stub> stub_;
};

ServerProcess* ServerTest::server_ = nullptr;

// A length-delimited field `number` holding `bytes` (shorter than 128).
std::string Field(int number, const std::string& bytes) {
  return std::string(1, static_cast<char>(number << 3 | 2)) +
         static_cast<char>(bytes.size()) + bytes;
}

TEST_F(ServerTest, HealthReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string service : {"", "kneechat.v1.KneeChat"}) {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    const grpc::Status status =
        health->Check(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(ServerTest, ReflectionListsKneeChatAndServesItsFile) {
  auto reflection =
      grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  auto context = Context();
  auto stream = reflection->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, Contains("kneechat.v1.KneeChat"));
  EXPECT_THAT(names, Contains("grpc.health.v1.Health"));

  request.set_file_containing_symbol("kneechat.v1.KneeChat");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response());
  std::vector<std::string> files;
  for (const std::string& bytes :
       response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
  }
  EXPECT_THAT(files, Contains("kneechat/v1/kneechat.proto"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ServerTest, CreateSessionGreets) {
  v1::CreateSessionRequest request;
  request.set_channel("cli");
  v1::CreateSessionResponse response;
  ASSERT_TRUE(stub_->CreateSession(Context().get(), request, &response).ok());
  EXPECT_FALSE(response.session_id().empty());
  EXPECT_EQ(response.reply().kind(), v1::REPLY_KIND_GREETING);
  EXPECT_FALSE(response.reply().text().empty());
}

TEST_F(ServerTest, RepeatedMessageIdReturnsTheSameReplyAndTranscriptShowsIt) {
  const std::string session_id = NewSession();
  const std::string text = "my knee is sore at the front whenever I run";
  v1::Reply first;
  ASSERT_TRUE(Send(session_id, text, "m1", &first).ok());
  EXPECT_NE(first.kind(), v1::REPLY_KIND_UNSPECIFIED);
  EXPECT_FALSE(first.text().empty());
  v1::Reply again;
  ASSERT_TRUE(Send(session_id, text, "m1", &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, again))
      << "first:\n"
      << first.DebugString() << "again:\n"
      << again.DebugString();

  v1::GetSessionRequest request;
  request.set_session_id(session_id);
  v1::GetSessionResponse response;
  ASSERT_TRUE(stub_->GetSession(Context().get(), request, &response).ok());
  const v1::Session& session = response.session();
  EXPECT_EQ(session.session_id(), session_id);
  EXPECT_EQ(session.channel(), "cli");
  int user_turns = 0;
  bool answered_after_user = false;
  for (const v1::Turn& turn : session.transcript()) {
    if (turn.role() == v1::Turn::ROLE_USER) {
      ++user_turns;
      EXPECT_EQ(turn.text(), text);
      EXPECT_EQ(turn.message_id(), "m1");
    } else if (turn.role() == v1::Turn::ROLE_ASSISTANT && user_turns == 1) {
      answered_after_user = google::protobuf::util::MessageDifferencer::Equals(
          turn.reply(), first);
    }
  }
  EXPECT_EQ(user_turns, 1) << "a repeated message_id must not add a turn";
  EXPECT_TRUE(answered_after_user);
}

TEST_F(ServerTest, DeletedSessionIsNotFound) {
  const std::string session_id = NewSession();
  v1::DeleteSessionRequest request;
  request.set_session_id(session_id);
  v1::DeleteSessionResponse response;
  ASSERT_TRUE(stub_->DeleteSession(Context().get(), request, &response).ok());

  v1::GetSessionRequest get;
  get.set_session_id(session_id);
  v1::GetSessionResponse got;
  EXPECT_EQ(stub_->GetSession(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Send(session_id, "hello", "m1", nullptr).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      stub_->DeleteSession(Context().get(), request, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, UnknownSessionIsNotFound) {
  const grpc::Status status = Send("no-such-session", "hello", "m1", nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(status.error_message().empty());
}

TEST_F(ServerTest, SearchFindsCitedPassagesForAKneeBrace) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("knee brace", 5, &response).ok());
  ASSERT_GT(response.passages_size(), 0);
  EXPECT_LE(response.passages_size(), 5);
  bool mentions_brace = false;
  for (const v1::Passage& passage : response.passages()) {
    EXPECT_FALSE(passage.document_id().empty());
    EXPECT_TRUE(
        absl::StartsWith(passage.passage_id(), passage.document_id() + "#"))
        << passage.passage_id();
    EXPECT_FALSE(passage.title().empty());
    EXPECT_FALSE(passage.text().empty());
    EXPECT_GT(passage.score(), 0);
    mentions_brace =
        mentions_brace ||
        absl::StrContains(absl::AsciiStrToLower(passage.text()), "brace");
  }
  EXPECT_TRUE(mentions_brace);
}

TEST_F(ServerTest, SearchFindsNothingForBananaBread) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("banana bread recipe", 5, &response).ok());
  EXPECT_EQ(response.passages_size(), 0);
}

TEST_F(ServerTest, BadTextIsInvalidArgument) {
  const std::string session_id = NewSession();
  EXPECT_EQ(Send(session_id, "", "e1", nullptr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      Send(session_id, std::string(5000, 'k'), "e2", nullptr).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status not_utf8 = CallRaw(
      "SendMessage",
      Field(1, session_id) + Field(2, "knee \xc3\x28 pain") + Field(3, "e3"));
  EXPECT_EQ(not_utf8.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(not_utf8.error_message(), HasSubstr("UTF-8"));
  // None of them started a turn.
  v1::GetSessionRequest request;
  request.set_session_id(session_id);
  v1::GetSessionResponse response;
  ASSERT_TRUE(stub_->GetSession(Context().get(), request, &response).ok());
  for (const v1::Turn& turn : response.session().transcript()) {
    EXPECT_NE(turn.role(), v1::Turn::ROLE_USER);
  }
}

TEST_F(ServerTest, BadQueryIsInvalidArgument) {
  v1::SearchResponse response;
  EXPECT_EQ(Search("", 5, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Search(std::string(5000, 'k'), 5, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Search("knee brace", 51, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Search("knee brace", -1, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status not_utf8 = CallRaw("Search", Field(1, "knee \xff"));
  EXPECT_EQ(not_utf8.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(not_utf8.error_message(), HasSubstr("UTF-8"));
}

TEST_F(ServerTest, MessageOverTheSizeLimitIsResourceExhausted) {
  const std::string session_id = NewSession();
  const grpc::Status status =
      Send(session_id, std::string(70 * 1024, 'k'), "big", nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(ServerLifecycleTest, SigtermShutsDownCleanly) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::KneeChat::NewStub(channel);
  grpc::ClientContext context;
  v1::CreateSessionResponse response;
  ASSERT_TRUE(
      stub->CreateSession(&context, v1::CreateSessionRequest(), &response)
          .ok());
  absl::StatusOr<int> exit_code = server->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->Stderr();
}

TEST(ServerLifecycleTest, SigintShutsDownCleanly) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  absl::StatusOr<int> exit_code = server->Stop(SIGINT, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->Stderr();
}

TEST(ServerLifecycleTest, MissingIndexFailsNamingIt) {
  const std::string index = "/nonexistent/kneechat-test.xapian";
  auto result = RunCommand(
      {KNEECHAT_SERVER_BINARY, "--listen", "127.0.0.1:0", "--index_dir", index},
      "", absl::Seconds(60));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->err, HasSubstr(index));
  EXPECT_THAT(result->out, Not(HasSubstr("listening")));
}

TEST(ServerLifecycleTest, PortInUseFailsNamingIt) {
  std::unique_ptr<ServerProcess> first = StartServer();
  ASSERT_NE(first, nullptr);
  auto result =
      RunCommand({KNEECHAT_SERVER_BINARY, "--listen", first->address()}, "",
                 absl::Seconds(60));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->err, HasSubstr(first->address()));
}

TEST(ServerLifecycleTest, DashedFlagSpellingIsAccepted) {
  auto result = RunCommand({KNEECHAT_SERVER_BINARY, "--session-ttl", "0s"}, "",
                           absl::Seconds(60));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->err, HasSubstr("--session_ttl must be positive"));
}

}  // namespace
}  // namespace kneechat
