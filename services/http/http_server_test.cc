#include "services/http/http_server.h"

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/http/mock_engine.h"

namespace kneechat {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;
using ::testing::StrictMock;
using json = nlohmann::json;

constexpr char kJson[] = "application/json";
constexpr char kRpc[] = "/kneechat.v1.KneeChat/";

std::string MakeWebDir() {
  // Each test runs in a process of its own, several at once: the directory
  // is named for the test and the process so none writes into another's.
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir = ::testing::TempDir() + "/kneechat_http_web_" +
                          test->name() + "_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/index.html") << "<!doctype html><title>demo</title>";
  std::ofstream(dir + "/widget.js") << "console.log('widget');";
  std::filesystem::remove(dir + "/widget.css");
  return dir;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpOptions options = {}) {
    if (options.web_dir.empty()) options.web_dir = MakeWebDir();
    absl::StatusOr<std::unique_ptr<HttpServer>> server =
        HttpServer::Start("127.0.0.1:0", engine_, options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void SetUp() override { StartServer(); }

  httplib::Result Rpc(const std::string& method, const std::string& body,
                      const std::string& content_type = kJson,
                      httplib::Headers headers = {}) {
    return client_->Post((kRpc + method).c_str(), headers, body,
                         content_type.c_str());
  }

  StrictMock<MockEngine> engine_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

json ParseJson(const httplib::Result& result) {
  return json::parse(result->body);
}

TEST_F(HttpServerTest, PicksAFreePort) { EXPECT_GT(server_->port(), 0); }

TEST_F(HttpServerTest, CreateSessionSpeaksProto3Json) {
  v1::CreateSessionResponse response;
  response.set_session_id("s-1");
  response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
  response.mutable_reply()->set_text("Hello");
  auto* quick = response.mutable_reply()->add_quick_replies();
  quick->set_id("start");
  quick->set_title("My knee hurts");
  EXPECT_CALL(engine_, CreateSession(_))
      .WillOnce([&](const v1::CreateSessionRequest& request) {
        EXPECT_EQ(request.channel(), "web");
        return response;
      });
  httplib::Result result =
      Rpc("CreateSession", R"({"channel":"web","widgetVersion":"9"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store");
  json body = ParseJson(result);
  EXPECT_EQ(body["sessionId"], "s-1");
  EXPECT_EQ(body["reply"]["kind"], "REPLY_KIND_GREETING");
  EXPECT_EQ(body["reply"]["quickReplies"][0]["title"], "My knee hurts");
}

TEST_F(HttpServerTest, SendMessagePassesEveryField) {
  v1::SendMessageResponse response;
  auto* reply = response.mutable_reply();
  reply->set_kind(v1::REPLY_KIND_REFERRAL);
  reply->mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  auto* flag = reply->mutable_triage()->add_red_flags();
  flag->set_id("cannot_bear_weight");
  auto* citation = reply->add_citations();
  citation->set_document_id("what-is-knee-pain");
  citation->set_passage_id("what-is-knee-pain#3");
  citation->set_number(1);
  EXPECT_CALL(engine_, SendMessage(_))
      .WillOnce([&](const v1::SendMessageRequest& request) {
        EXPECT_EQ(request.session_id(), "s-1");
        EXPECT_EQ(request.text(), "I fell and can't stand — \"help\"");
        EXPECT_EQ(request.message_id(), "m-1");
        return response;
      });
  json request = {{"sessionId", "s-1"},
                  {"text", "I fell and can't stand — \"help\""},
                  {"messageId", "m-1"}};
  httplib::Result result = Rpc("SendMessage", request.dump());
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  json body = ParseJson(result);
  EXPECT_EQ(body["reply"]["triage"]["level"], "TRIAGE_LEVEL_EMERGENCY");
  EXPECT_EQ(body["reply"]["triage"]["redFlags"][0]["id"], "cannot_bear_weight");
  EXPECT_EQ(body["reply"]["citations"][0]["documentId"], "what-is-knee-pain");
  EXPECT_EQ(body["reply"]["citations"][0]["passageId"], "what-is-knee-pain#3");
}

TEST_F(HttpServerTest, GetDeleteAndSearchReachTheEngine) {
  v1::GetSessionResponse get;
  get.mutable_session()->set_session_id("s-2");
  get.mutable_session()->add_transcript()->set_role(v1::Turn::ROLE_USER);
  EXPECT_CALL(engine_, GetSession(_))
      .WillOnce([&](const v1::GetSessionRequest& request) {
        EXPECT_EQ(request.session_id(), "s-2");
        return get;
      });
  EXPECT_CALL(engine_, DeleteSession(_))
      .WillOnce([](const v1::DeleteSessionRequest& request) {
        EXPECT_EQ(request.session_id(), "s-2");
        return v1::DeleteSessionResponse();
      });
  v1::SearchResponse search;
  search.add_passages()->set_score(0.5);
  EXPECT_CALL(engine_, Search(_))
      .WillOnce([&](const v1::SearchRequest& request) {
        EXPECT_EQ(request.query(), "runner's knee");
        EXPECT_EQ(request.page_size(), 2);
        return search;
      });

  httplib::Result r1 = Rpc("GetSession", R"({"sessionId":"s-2"})");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(ParseJson(r1)["session"]["transcript"][0]["role"], "ROLE_USER");

  httplib::Result r2 = Rpc("DeleteSession", R"({"session_id":"s-2"})");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 200);
  EXPECT_EQ(r2->body, "{}");

  httplib::Result r3 =
      Rpc("Search", R"({"query":"runner's knee","pageSize":2})");
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->status, 200);
  EXPECT_EQ(ParseJson(r3)["passages"][0]["score"], 0.5);
}

TEST_F(HttpServerTest, BinaryProtoRoundTrip) {
  v1::SearchRequest request;
  request.set_query("swelling");
  v1::SearchResponse response;
  response.add_passages()->set_title("What is knee pain?");
  EXPECT_CALL(engine_, Search(_)).WillOnce(Return(response));
  httplib::Result result =
      Rpc("Search", request.SerializeAsString(), "application/proto");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/proto");
  v1::SearchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(result->body));
  EXPECT_EQ(parsed.passages(0).title(), "What is knee pain?");
}

struct ErrorCase {
  absl::StatusCode code;
  int http;
  const char* connect_code;
};

class HttpServerErrorTest : public HttpServerTest,
                            public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(HttpServerErrorTest, MapsEngineErrorsToConnectErrors) {
  EXPECT_CALL(engine_, SendMessage(_))
      .WillOnce(Return(absl::Status(GetParam().code, "engine says no")));
  httplib::Result result =
      Rpc("SendMessage", R"({"sessionId":"s","text":"hi"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, GetParam().http);
  EXPECT_EQ(result->get_header_value("Content-Type"), kJson);
  json body = ParseJson(result);
  EXPECT_EQ(body["code"], GetParam().connect_code);
  EXPECT_TRUE(body["message"].is_string());
}

INSTANTIATE_TEST_SUITE_P(
    EngineCodes, HttpServerErrorTest,
    ::testing::Values(
        ErrorCase{absl::StatusCode::kInvalidArgument, 400, "invalid_argument"},
        ErrorCase{absl::StatusCode::kNotFound, 404, "not_found"},
        ErrorCase{absl::StatusCode::kResourceExhausted, 429,
                  "resource_exhausted"},
        ErrorCase{absl::StatusCode::kInternal, 500, "internal"},
        ErrorCase{absl::StatusCode::kUnimplemented, 501, "unimplemented"},
        ErrorCase{absl::StatusCode::kUnavailable, 503, "unavailable"},
        ErrorCase{absl::StatusCode::kDeadlineExceeded, 504,
                  "deadline_exceeded"},
        ErrorCase{absl::StatusCode::kFailedPrecondition, 400,
                  "failed_precondition"}));

TEST_F(HttpServerTest, EngineMessageIsPassedButInternalDetailsAreNot) {
  EXPECT_CALL(engine_, GetSession(_))
      .WillOnce(Return(absl::NotFoundError("unknown or expired session")))
      .WillOnce(Return(absl::InternalError("/var/lib/index corrupt")));
  httplib::Result r1 = Rpc("GetSession", R"({"sessionId":"gone"})");
  ASSERT_TRUE(r1);
  EXPECT_EQ(ParseJson(r1)["message"], "unknown or expired session");
  httplib::Result r2 = Rpc("GetSession", R"({"sessionId":"gone"})");
  ASSERT_TRUE(r2);
  EXPECT_THAT(r2->body, Not(HasSubstr("/var/lib")));
}

TEST_F(HttpServerTest, UnknownMethodIs404AndNeverReachesTheEngine) {
  for (const char* method : {"Shutdown", "sendMessage", "", "Send_Message"}) {
    httplib::Result result = Rpc(method, "{}");
    ASSERT_TRUE(result) << method;
    EXPECT_EQ(result->status, 404) << method;
    EXPECT_EQ(ParseJson(result)["code"], "unimplemented") << method;
  }
  httplib::Result other =
      client_->Post("/kneechat.v1.Other/SendMessage", "{}", kJson);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_F(HttpServerTest, WrongContentTypeIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x",
                           "application/json; charset=latin1"}) {
    httplib::Result result = Rpc("SendMessage", R"({"text":"hi"})", type);
    ASSERT_TRUE(result) << type;
    EXPECT_EQ(result->status, 415) << type;
    EXPECT_THAT(result->get_header_value("Accept-Post"),
                HasSubstr("application/json"));
    EXPECT_EQ(ParseJson(result)["code"], "invalid_argument");
  }
}

TEST_F(HttpServerTest, MalformedJsonIs400WithoutEchoingTheBody) {
  httplib::Result result =
      Rpc("SendMessage", R"({"sessionId":"s","text":"CANARY-51 knee)");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(ParseJson(result)["code"], "invalid_argument");
  EXPECT_THAT(result->body, Not(HasSubstr("CANARY")));
}

TEST_F(HttpServerTest, InvalidUtf8Is400) {
  httplib::Result result =
      Rpc("SendMessage", "{\"sessionId\":\"s\",\"text\":\"\xC0\xAF\"}");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(ParseJson(result)["code"], "invalid_argument");
}

TEST_F(HttpServerTest, UnsupportedProtocolVersionIs400) {
  httplib::Result result =
      Rpc("CreateSession", "{}", kJson, {{"Connect-Protocol-Version", "2"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);

  EXPECT_CALL(engine_, CreateSession(_))
      .WillOnce(Return(v1::CreateSessionResponse()));
  httplib::Result ok =
      Rpc("CreateSession", "{}", kJson, {{"Connect-Protocol-Version", "1"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413AndNeverReachesTheEngine) {
  server_.reset();
  HttpOptions options;
  options.limits.max_body_bytes = 1024;
  StartServer(options);
  const std::string prefix = R"({"sessionId":"s","text":")";
  const std::string suffix = R"("})";
  const std::string at_limit =
      prefix + std::string(1024 - prefix.size() - suffix.size(), 'a') + suffix;
  ASSERT_EQ(at_limit.size(), 1024u);
  EXPECT_CALL(engine_, SendMessage(_))
      .WillOnce(Return(v1::SendMessageResponse()));
  httplib::Result ok = Rpc("SendMessage", at_limit);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);

  // StrictMock: a second engine call would fail the test.
  for (size_t size : {1025, 1024 * 1024}) {
    const std::string over =
        prefix + std::string(size - prefix.size() - suffix.size(), 'a') +
        suffix;
    httplib::Result result = Rpc("SendMessage", over);
    ASSERT_TRUE(result) << size;
    EXPECT_EQ(result->status, 413) << size;
    EXPECT_EQ(ParseJson(result)["code"], "resource_exhausted");
  }
}

TEST_F(HttpServerTest, OtherHttpMethodsOnRpcPathsAre405) {
  httplib::Result get = client_->Get("/kneechat.v1.KneeChat/GetSession");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_THAT(get->get_header_value("Allow"), HasSubstr("POST"));
  httplib::Result put =
      client_->Put("/kneechat.v1.KneeChat/SendMessage", "{}", kJson);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  httplib::Result del = client_->Delete("/kneechat.v1.KneeChat/DeleteSession");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
}

TEST_F(HttpServerTest, NoCrossOriginAccessWhenNoOriginIsConfigured) {
  httplib::Result preflight =
      client_->Options("/kneechat.v1.KneeChat/SendMessage",
                       {{"Origin", "https://clinic.example"},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 403);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));

  EXPECT_CALL(engine_, CreateSession(_))
      .WillOnce(Return(v1::CreateSessionResponse()));
  httplib::Result post =
      Rpc("CreateSession", "{}", kJson, {{"Origin", "https://clinic.example"}});
  ASSERT_TRUE(post);
  EXPECT_FALSE(post->has_header("Access-Control-Allow-Origin"));
}

TEST_F(HttpServerTest, CorsForConfiguredOriginsOnly) {
  server_.reset();
  HttpOptions options;
  options.allowed_origins = {"https://clinic.example/",
                             "http://localhost:8000"};
  StartServer(options);

  httplib::Result preflight =
      client_->Options("/kneechat.v1.KneeChat/SendMessage",
                       {{"Origin", "https://clinic.example"},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers",
                         "content-type,connect-protocol-version"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"),
            "https://clinic.example");
  EXPECT_THAT(preflight->get_header_value("Access-Control-Allow-Methods"),
              HasSubstr("POST"));
  EXPECT_THAT(preflight->get_header_value("Access-Control-Allow-Headers"),
              HasSubstr("Content-Type"));
  EXPECT_THAT(preflight->get_header_value("Access-Control-Allow-Headers"),
              HasSubstr("Connect-Protocol-Version"));
  EXPECT_EQ(preflight->get_header_value("Access-Control-Max-Age"), "7200");
  EXPECT_THAT(preflight->get_header_value("Vary"), HasSubstr("Origin"));

  httplib::Result evil =
      client_->Options("/kneechat.v1.KneeChat/SendMessage",
                       {{"Origin", "https://clinic.example.evil.test"},
                        {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403);
  EXPECT_FALSE(evil->has_header("Access-Control-Allow-Origin"));

  EXPECT_CALL(engine_, CreateSession(_))
      .Times(2)
      .WillRepeatedly(Return(v1::CreateSessionResponse()));
  httplib::Result allowed =
      Rpc("CreateSession", "{}", kJson, {{"Origin", "http://localhost:8000"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"),
            "http://localhost:8000");
  httplib::Result other =
      Rpc("CreateSession", "{}", kJson, {{"Origin", "http://localhost:8001"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));

  // Errors carry CORS headers too, so the widget can read them.
  httplib::Result error =
      Rpc("SendMessage", "{", kJson, {{"Origin", "http://localhost:8000"}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 400);
  EXPECT_EQ(error->get_header_value("Access-Control-Allow-Origin"),
            "http://localhost:8000");
}

TEST_F(HttpServerTest, DemoPageHasStrictSecurityHeaders) {
  httplib::Result page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_THAT(csp, HasSubstr("script-src 'self'"));
  EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_THAT(page->body, HasSubstr("<title>demo</title>"));
}

TEST_F(HttpServerTest, WidgetScriptIsServedForEmbedding) {
  httplib::Result script = client_->Get("/widget.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(script->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(script->get_header_value("Cross-Origin-Resource-Policy"),
            "cross-origin");
  EXPECT_EQ(script->body, "console.log('widget');");
  // A HEAD gets the headers alone.
  httplib::Result head = client_->Head("/widget.js");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
}

TEST_F(HttpServerTest, OnlyAllowListedFilesAreServed) {
  // widget.css is allow-listed but absent from this web dir.
  for (const char* path :
       {"/widget.css", "/index.html", "/CMakeLists.txt", "/../widget.js",
        "/%2e%2e/etc/passwd", "/widget.js/", "/widgetXjs"}) {
    httplib::Result result = client_->Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(HttpServerTest, HealthzIsOk) {
  httplib::Result result = client_->Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(HttpServerTest, HealthzIs503WhileNotReady) {
  server_.reset();
  std::atomic<bool> ready{false};
  HttpOptions options;
  options.ready = [&ready] { return ready.load(); };
  StartServer(options);
  httplib::Result result = client_->Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  ready = true;
  result = client_->Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(HttpServerTest, ServesAddedRoutes) {
  server_.reset();
  HttpOptions options;
  HttpRoute route;
  route.path = "/webhooks/test";
  route.handle = [](const HttpRequest& request, HttpResponse& response) {
    if (request.get_header_value("X-Secret") != "s3cret") {
      response.status = 401;
      return;
    }
    response.set_content("accepted", "text/plain");
  };
  options.routes.push_back(route);
  StartServer(options);
  httplib::Result ok =
      client_->Post("/webhooks/test", {{"X-Secret", "s3cret"}}, "{}", kJson);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "accepted");
  httplib::Result denied = client_->Post("/webhooks/test", "{}", kJson);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
}

TEST_F(HttpServerTest, ServesAddedGetRoutesForGetAndHead) {
  server_.reset();
  HttpOptions options;
  HttpRoute route;
  route.method = "GET";
  route.path = "/metrics";
  route.handle = [](const HttpRequest&, HttpResponse& response) {
    response.set_content("up 1\n", "text/plain; version=0.0.4");
  };
  options.routes.push_back(route);
  StartServer(options);
  httplib::Result get = client_->Get("/metrics");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "up 1\n");
  EXPECT_EQ(get->get_header_value("X-Content-Type-Options"), "nosniff");
  httplib::Result head = client_->Head("/metrics");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  httplib::Result post = client_->Post("/metrics", "{}", kJson);
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
}

TEST_F(HttpServerTest, AddedRoutesScreenHeadersAndCapTheirBodies) {
  server_.reset();
  HttpOptions options;
  HttpRoute route;
  route.path = "/webhooks/test";
  route.max_body_bytes = 16;
  route.screen = [](const HttpRequest& request, HttpResponse& response) {
    if (request.has_header("X-Secret")) return false;
    response.status = 403;
    response.set_content("no secret\n", "text/plain");
    return true;
  };
  route.too_large = [](HttpResponse& response) {
    response.status = 413;
    response.set_content("too big\n", "text/plain");
  };
  std::atomic<int> handled{0};
  route.handle = [&handled](const HttpRequest&, HttpResponse& response) {
    handled++;
    response.set_content("ok", "text/plain");
  };
  options.routes.push_back(route);
  StartServer(options);
  httplib::Result refused = client_->Post("/webhooks/test", "{}", kJson);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->body, "no secret\n");
  EXPECT_EQ(refused->get_header_value("Connection"), "close");
  httplib::Result large = client_->Post("/webhooks/test", {{"X-Secret", "1"}},
                                        std::string(17, 'a'), kJson);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
  EXPECT_EQ(large->body, "too big\n");
  httplib::Result fits = client_->Post("/webhooks/test", {{"X-Secret", "1"}},
                                       std::string(16, 'a'), kJson);
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
  EXPECT_EQ(handled, 1);
}

TEST_F(HttpServerTest, StopIsIdempotentAndClosesThePort) {
  const int port = server_->port();
  server_->Stop();
  server_->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  EXPECT_FALSE(client.Get("/healthz"));
}

TEST(HttpServerStartTest, RejectsBadAddressesAndBusyPorts) {
  MockEngine engine;
  EXPECT_EQ(HttpServer::Start("127.0.0.1", engine, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpServer::Start("127.0.0.1:http", engine, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpServer::Start("127.0.0.1:70000", engine, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto first = HttpServer::Start("127.0.0.1:0", engine, {});
  ASSERT_TRUE(first.ok());
  auto second = HttpServer::Start(
      "127.0.0.1:" + std::to_string((*first)->port()), engine, {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST(HttpServerStartTest, ServesOnIpv6Loopback) {
  MockEngine engine;
  auto server = HttpServer::Start("[::1]:0", engine, {});
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback: " << server.status();
  httplib::Client client("::1", (*server)->port());
  httplib::Result result = client.Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(HttpServerTest, AClientOverItsBudgetGets429WithRetryAfter) {
  FakeClock clock;
  knowledge::v1::FairUseSettings settings;
  settings.mutable_web()->set_requests_per_minute(6);  // one per 10 s
  settings.mutable_web()->set_request_burst(2);
  settings.set_client_address_header("X-Forwarded-For");
  settings.add_trusted_proxies("127.0.0.1");
  FairUse fair_use(settings, &clock);
  server_->Stop();
  HttpOptions options;
  options.fair_use = &fair_use;
  StartServer(options);
  EXPECT_CALL(engine_, Search(_))
      .Times(3)
      .WillRepeatedly(Return(v1::SearchResponse()));
  const httplib::Headers flooder = {{"X-Forwarded-For", "203.0.113.9"}};
  EXPECT_EQ(Rpc("Search", R"({"query":"knee"})", kJson, flooder)->status, 200);
  EXPECT_EQ(Rpc("Search", R"({"query":"knee"})", kJson, flooder)->status, 200);
  httplib::Result refused =
      Rpc("Search", R"({"query":"knee"})", kJson, flooder);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->get_header_value("Retry-After"), "10");
  EXPECT_EQ(ParseJson(refused)["code"], "resource_exhausted");
  // Another client behind the same proxy still gets in.
  EXPECT_EQ(Rpc("Search", R"({"query":"knee"})", kJson,
                {{"X-Forwarded-For", "198.51.100.1"}})
                ->status,
            200);
}

}  // namespace
}  // namespace kneechat
