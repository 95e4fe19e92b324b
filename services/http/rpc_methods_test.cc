#include "services/http/rpc_methods.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/http/mock_engine.h"

namespace kneechat {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;

TEST(WireFormatTest, AcceptsJsonAndProtoOnly) {
  EXPECT_EQ(WireFormatFromContentType("application/json"), WireFormat::kJson);
  EXPECT_EQ(WireFormatFromContentType("Application/JSON; charset=UTF-8"),
            WireFormat::kJson);
  EXPECT_EQ(WireFormatFromContentType("application/proto"), WireFormat::kProto);
  EXPECT_EQ(WireFormatFromContentType("application/json; charset=latin1"),
            std::nullopt);
  EXPECT_EQ(WireFormatFromContentType("text/plain"), std::nullopt);
  EXPECT_EQ(WireFormatFromContentType("application/x-www-form-urlencoded"),
            std::nullopt);
  EXPECT_EQ(WireFormatFromContentType(""), std::nullopt);
  EXPECT_EQ(WireFormatFromContentType("application/connect+json"),
            std::nullopt);
}

TEST(FindRpcMethodTest, KnowsEveryKneeChatMethod) {
  for (const char* name : {"CreateSession", "SendMessage", "GetSession",
                           "DeleteSession", "Search"}) {
    const RpcMethod* method = FindRpcMethod(name);
    ASSERT_NE(method, nullptr) << name;
    EXPECT_EQ(method->name, name);
  }
  EXPECT_EQ(FindRpcMethod("sendmessage"), nullptr);
  EXPECT_EQ(FindRpcMethod("Shutdown"), nullptr);
  EXPECT_EQ(FindRpcMethod(""), nullptr);
}

TEST(RpcMethodTest, JsonInAndOutWithCamelCaseNames) {
  MockEngine engine;
  v1::SendMessageResponse response;
  response.mutable_reply()->set_kind(v1::REPLY_KIND_QUESTION);
  response.mutable_reply()->add_quick_replies()->set_title("Front");
  EXPECT_CALL(engine, SendMessage(_))
      .WillOnce([&](const v1::SendMessageRequest& request) {
        EXPECT_EQ(request.session_id(), "s1");
        EXPECT_EQ(request.text(), "my knee hurts");
        EXPECT_EQ(request.message_id(), "m1");
        return response;
      });
  absl::StatusOr<std::string> out = FindRpcMethod("SendMessage")
                                        ->invoke(engine,
                                                 R"({"sessionId":"s1",
           "text":"my knee hurts","message_id":"m1","future":{"x":1}})",
                                                 WireFormat::kJson);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(*out, HasSubstr(R"("quickReplies":[{"title":"Front"}])"));
  EXPECT_THAT(*out, HasSubstr(R"("kind":"REPLY_KIND_QUESTION")"));
}

TEST(RpcMethodTest, EmptyJsonBodyIsTheEmptyMessage) {
  MockEngine engine;
  EXPECT_CALL(engine, CreateSession(_))
      .WillOnce(Return(v1::CreateSessionResponse()));
  absl::StatusOr<std::string> out =
      FindRpcMethod("CreateSession")->invoke(engine, "", WireFormat::kJson);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{}");
}

TEST(RpcMethodTest, BadJsonIsInvalidArgumentWithoutEchoingTheBody) {
  MockEngine engine;
  EXPECT_CALL(engine, SendMessage(_)).Times(0);
  for (const char* body :
       {R"({"text":"CANARY-7f3 knee" )", R"({"text": CANARY-7f3})",
        R"({"sessionId":{"CANARY-7f3":1}})", R"(["CANARY-7f3"])"}) {
    absl::StatusOr<std::string> out =
        FindRpcMethod("SendMessage")->invoke(engine, body, WireFormat::kJson);
    ASSERT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_THAT(out.status().message(), Not(HasSubstr("CANARY")));
  }
}

TEST(RpcMethodTest, ProtoInAndOut) {
  MockEngine engine;
  v1::SearchRequest request;
  request.set_query("runner's knee");
  request.set_page_size(3);
  v1::SearchResponse response;
  response.add_passages()->set_passage_id("patellofemoral-pain#2");
  EXPECT_CALL(engine, Search(_)).WillOnce([&](const v1::SearchRequest& got) {
    EXPECT_EQ(got.query(), "runner's knee");
    EXPECT_EQ(got.page_size(), 3);
    return response;
  });
  absl::StatusOr<std::string> out = FindRpcMethod("Search")->invoke(
      engine, request.SerializeAsString(), WireFormat::kProto);
  ASSERT_TRUE(out.ok());
  v1::SearchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(*out));
  EXPECT_EQ(parsed.passages(0).passage_id(), "patellofemoral-pain#2");

  EXPECT_EQ(FindRpcMethod("Search")
                ->invoke(engine, "\xff\xff\xff", WireFormat::kProto)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RpcMethodTest, PassesEngineErrorsThrough) {
  MockEngine engine;
  EXPECT_CALL(engine, GetSession(_))
      .WillOnce(Return(absl::NotFoundError("unknown session")));
  absl::StatusOr<std::string> out =
      FindRpcMethod("GetSession")
          ->invoke(engine, R"({"sessionId":"x"})", WireFormat::kJson);
  EXPECT_EQ(out.status(), absl::NotFoundError("unknown session"));
}

}  // namespace
}  // namespace kneechat
