// The WhatsApp adapter: signed notifications in, Graph API messages out
// (recorded by a fake Cloud API), a scripted engine behind and a fake
// clock for the 24-hour window; the Graph API client against a local fake
// server, and the routes over a local socket.
#include "services/channels/whatsapp_webhook.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/message_text.h"
#include "services/channels/whatsapp_signature.h"
#include "services/common/clock.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Json = nlohmann::json;

constexpr char kSecret[] = "meta-app-secret";
constexpr char kVerify[] = "verify-token-for-tests";
constexpr char kNumberId[] = "106540352242922";
constexpr char kUser[] = "447700900123";

// Records what the webhook queues; never fails unless told to.
class FakeCloudApi : public WhatsAppCloudApi {
 public:
  struct Sent {
    std::string to;
    Json body;
  };
  // Shared so that the test can read it after the webhook owns the fake.
  struct Log {
    absl::Mutex mu;
    std::vector<Sent> sent ABSL_GUARDED_BY(mu);
    bool refuse ABSL_GUARDED_BY(mu) = false;
  };

  explicit FakeCloudApi(std::shared_ptr<Log> log) : log_(std::move(log)) {}

  absl::Status SendMessage(std::string_view to, const Json& body,
                           Done done) override {
    absl::MutexLock lock(&log_->mu);
    if (log_->refuse) return absl::ResourceExhaustedError("queue full");
    log_->sent.push_back(Sent{std::string(to), body});
    if (done) done(absl::OkStatus());
    return absl::OkStatus();
  }
  void Flush() override {}

 private:
  std::shared_ptr<Log> log_;
};

std::string TextMessage(const std::string& id, const std::string& text,
                        int64_t timestamp, const std::string& from = kUser) {
  return Json{{"from", from},
              {"id", id},
              {"timestamp", std::to_string(timestamp)},
              {"type", "text"},
              {"text", {{"body", text}}}}
      .dump();
}

std::string ButtonReply(const std::string& id, const std::string& reply_id,
                        const std::string& title, int64_t timestamp) {
  return Json{{"from", kUser},
              {"id", id},
              {"timestamp", std::to_string(timestamp)},
              {"type", "interactive"},
              {"interactive",
               {{"type", "button_reply"},
                {"button_reply", {{"id", reply_id}, {"title", title}}}}}}
      .dump();
}

std::string Notification(const std::vector<std::string>& messages,
                         const std::string& number_id = kNumberId) {
  Json value = {
      {"messaging_product", "whatsapp"},
      {"metadata",
       {{"display_phone_number", "15550001"}, {"phone_number_id", number_id}}},
      {"messages", Json::array()}};
  for (const std::string& m : messages) {
    value["messages"].push_back(Json::parse(m));
  }
  return Json{{"object", "whatsapp_business_account"},
              {"entry",
               {{{"id", "8856"},
                 {"changes", {{{"field", "messages"}, {"value", value}}}}}}}}
      .dump();
}

class WhatsAppWebhookTest : public ::testing::Test {
 protected:
  WhatsAppWebhookTest() {
    WhatsAppWebhookOptions options;
    options.app_secret = kSecret;
    options.verify_token = kVerify;
    options.phone_number_id = kNumberId;
    options.max_body_bytes = 64 * 1024;
    options.clock = &clock_;
    webhook_ = std::make_unique<WhatsAppWebhook>(
        engine_, options, std::make_unique<FakeCloudApi>(log_));
  }

  int64_t Now() const { return absl::ToUnixSeconds(clock_.Now()); }

  WebhookResponse Post(const std::string& body) {
    return webhook_->Handle(WhatsAppSignature(kSecret, body), body);
  }

  // Sends text `text` as a new message and returns what was sent back.
  std::vector<FakeCloudApi::Sent> Say(const std::string& text) {
    const size_t before = Sent().size();
    EXPECT_EQ(Post(Notification({TextMessage(absl::StrCat("wamid.", ++next_id_),
                                             text, Now())}))
                  .status,
              200);
    std::vector<FakeCloudApi::Sent> all = Sent();
    return std::vector<FakeCloudApi::Sent>(all.begin() + before, all.end());
  }

  std::vector<FakeCloudApi::Sent> Sent() {
    absl::MutexLock lock(&log_->mu);
    return log_->sent;
  }

  FakeClock clock_;
  FakeEngine engine_;
  std::shared_ptr<FakeCloudApi::Log> log_ =
      std::make_shared<FakeCloudApi::Log>();
  std::unique_ptr<WhatsAppWebhook> webhook_;
  int next_id_ = 0;
};

TEST_F(WhatsAppWebhookTest, VerificationEchoesTheChallenge) {
  const WebhookResponse ok = webhook_->Verify(
      absl::StrCat("hub.mode=subscribe&hub.verify_token=", kVerify,
                   "&hub.challenge=1158201444"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(webhook_
                ->Verify("hub.mode=subscribe&hub.verify_token=wrong&"
                         "hub.challenge=1")
                .status,
            403);
  EXPECT_EQ(webhook_
                ->Verify(absl::StrCat("hub.mode=unsubscribe&hub.verify_token=",
                                      kVerify, "&hub.challenge=1"))
                .status,
            403);
  EXPECT_EQ(webhook_->Verify("").status, 403);
  EXPECT_EQ(webhook_->Verify("hub.mode=%zz").status, 403);
  EXPECT_EQ(webhook_->stats().verify_refused, 4u);
}

TEST_F(WhatsAppWebhookTest, ConversationWithButtonsToACitedAnswer) {
  std::vector<FakeCloudApi::Sent> first = Say("my knee hurts");
  ASSERT_THAT(first, SizeIs(1));  // the greeting shares the question's body
  const Json& question = first[0].body;
  EXPECT_EQ(first[0].to, kUser);
  EXPECT_EQ(question["to"], kUser);
  EXPECT_EQ(question["type"], "interactive");
  EXPECT_EQ(question["interactive"]["type"], "button");
  EXPECT_THAT(question["interactive"]["body"]["text"].get<std::string>(),
              HasSubstr("Hello! Tell me about your knee.\n\nDid the pain"));
  const Json& buttons = question["interactive"]["action"]["buttons"];
  ASSERT_EQ(buttons.size(), 3u);  // three quick replies: no room for "why"
  EXPECT_EQ(buttons[1]["reply"]["id"], "onset:gradual");
  EXPECT_EQ(engine_.channels(), std::vector<std::string>{"whatsapp"});

  // The button press plays its quick reply.
  ASSERT_EQ(Post(Notification({ButtonReply("wamid.b1", "onset:gradual",
                                           "Gradual", Now())}))
                .status,
            200);
  ASSERT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(engine_.turns()[1].text, "Gradual");
  EXPECT_THAT(engine_.turns()[1].message_id,
              ::testing::StartsWith("whatsapp:"));
  const std::vector<FakeCloudApi::Sent> sent = Sent();
  ASSERT_THAT(sent, SizeIs(2));
  const Json& answer = sent[1].body;
  EXPECT_EQ(answer["type"], "text");
  const std::string text = answer["text"]["body"];
  EXPECT_THAT(text, HasSubstr("patellofemoral pain [1]"));
  EXPECT_THAT(text, HasSubstr("*Sources:*\n[1] Patellofemoral knee pain\n[2] "
                              "How to cure knee pain from running"));
  EXPECT_EQ(webhook_->stats().turns, 2u);
}

TEST_F(WhatsAppWebhookTest, ReferralOpensWithTheBanner) {
  Say("hello");
  std::vector<FakeCloudApi::Sent> referral = Say("I fell and can't walk");
  ASSERT_THAT(referral, SizeIs(1));
  EXPECT_THAT(referral[0].body["text"]["body"].get<std::string>(),
              HasSubstr("URGENT: be seen today* \u2014 Go to an urgent care"));
}

TEST_F(WhatsAppWebhookTest, AFirstMessageReferralComesBeforeAnyGreeting) {
  std::vector<FakeCloudApi::Sent> referral = Say("I fell and can't walk");
  ASSERT_THAT(referral, SizeIs(1));
  const std::string body = referral[0].body["text"]["body"];
  EXPECT_THAT(body, ::testing::StartsWith("*\u26A0\uFE0F URGENT"));
  EXPECT_THAT(body, ::testing::Not(HasSubstr("Hello!")));
}

TEST_F(WhatsAppWebhookTest, DuplicatesArePlayedOnce) {
  const std::string body =
      Notification({TextMessage("wamid.dup", "my knee hurts", Now())});
  EXPECT_EQ(Post(body).status, 200);
  EXPECT_EQ(Post(body).status, 200);
  // The same message in another notification (Meta batches differently).
  EXPECT_EQ(
      Post(Notification({TextMessage("wamid.dup", "my knee hurts", Now()),
                         TextMessage("wamid.new", "it's gradual", Now())}))
          .status,
      200);
  EXPECT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_THAT(Sent(), SizeIs(2));
  EXPECT_EQ(webhook_->stats().duplicates, 2u);
}

TEST_F(WhatsAppWebhookTest, ForgeriesAreRefusedWithoutATurn) {
  const std::string body =
      Notification({TextMessage("wamid.f", "I fell and can't walk", Now())});
  EXPECT_EQ(webhook_->Handle(std::nullopt, body).status, 401);
  EXPECT_EQ(webhook_->Handle("sha256=00", body).status, 403);
  EXPECT_EQ(
      webhook_->Handle(WhatsAppSignature("other-secret", body), body).status,
      403);
  EXPECT_EQ(
      webhook_->Handle(WhatsAppSignature(kSecret, body + " "), body).status,
      403);
  EXPECT_EQ(webhook_->stats().forged, 3u);
  EXPECT_EQ(webhook_->stats().unauthorized, 1u);
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_THAT(Sent(), IsEmpty());
  // The same body, signed, is then played.
  EXPECT_EQ(Post(body).status, 200);
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST_F(WhatsAppWebhookTest, MalformedAndOversizedAreRejected) {
  EXPECT_EQ(Post("{").status, 400);
  EXPECT_EQ(Post(R"({"object":"x"})").status, 400);
  EXPECT_EQ(Post(std::string(65 * 1024, ' ')).status, 413);
  EXPECT_EQ(webhook_->stats().rejected, 3u);
  EXPECT_EQ(engine_.sessions_created(), 0);
}

TEST_F(WhatsAppWebhookTest, StatusesReactionsAndOtherNumbersAreIgnored) {
  const std::string statuses =
      R"({"object":"whatsapp_business_account","entry":[{"changes":[)"
      R"({"field":"messages","value":{"metadata":{"phone_number_id":")" +
      std::string(kNumberId) +
      R"("},"statuses":[{"id":"wamid.s","status":"read","timestamp":"1",)"
      R"("recipient_id":"447700900123"}]}}]}]})";
  EXPECT_EQ(Post(statuses).status, 200);
  Json reaction = {{"from", kUser},
                   {"id", "wamid.r"},
                   {"type", "reaction"},
                   {"reaction", {{"message_id", "wamid.x"}, {"emoji", "+"}}}};
  EXPECT_EQ(Post(Notification({reaction.dump()})).status, 200);
  EXPECT_EQ(
      Post(Notification({TextMessage("wamid.o", "hello", Now())}, "999999"))
          .status,
      200);
  EXPECT_THAT(Sent(), IsEmpty());
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_EQ(webhook_->stats().statuses, 1u);
  EXPECT_EQ(webhook_->stats().ignored, 2u);
}

TEST_F(WhatsAppWebhookTest, UnsupportedTypesGetAPoliteNotice) {
  for (const char* type : {"image", "audio", "sticker", "location"}) {
    Json message = {{"from", kUser},
                    {"id", absl::StrCat("wamid.", type)},
                    {"timestamp", std::to_string(Now())},
                    {"type", type},
                    {type, {{"id", "123"}}}};
    EXPECT_EQ(Post(Notification({message.dump()})).status, 200) << type;
  }
  const std::vector<FakeCloudApi::Sent> sent = Sent();
  ASSERT_THAT(sent, SizeIs(4));
  for (const auto& s : sent) {
    EXPECT_THAT(s.body["text"]["body"].get<std::string>(),
                HasSubstr("I can only read text messages"));
  }
  EXPECT_THAT(engine_.turns(), IsEmpty());
  EXPECT_EQ(webhook_->stats().unsupported, 4u);
}

// The fake engine's question with its last quick reply dropped, leaving
// room for "Why do you ask?".
class TwoOptionEngine : public FakeEngine {
 public:
  absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) override {
    absl::StatusOr<v1::SendMessageResponse> response =
        FakeEngine::SendMessage(request);
    if (response.ok() && response->reply().quick_replies_size() == 3) {
      response->mutable_reply()->mutable_quick_replies()->RemoveLast();
    }
    return response;
  }
};

TEST(WhatsAppWhyTest, WhyButtonPlaysTheWhyQuestion) {
  TwoOptionEngine engine;
  auto log = std::make_shared<FakeCloudApi::Log>();
  WhatsAppWebhookOptions options;
  options.app_secret = kSecret;
  options.verify_token = kVerify;
  options.phone_number_id = kNumberId;
  WhatsAppWebhook webhook(engine, options, std::make_unique<FakeCloudApi>(log));
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  auto post = [&](const std::string& message) {
    const std::string body = Notification({message});
    return webhook.Handle(WhatsAppSignature(kSecret, body), body).status;
  };
  ASSERT_EQ(post(TextMessage("wamid.1", "my knee hurts", now)), 200);
  Json buttons;
  {
    absl::MutexLock lock(&log->mu);
    ASSERT_THAT(log->sent, SizeIs(1));
    buttons = log->sent[0].body["interactive"]["action"]["buttons"];
  }
  ASSERT_EQ(buttons.size(), 3u);
  EXPECT_EQ(buttons[2]["reply"]["id"], kWhatsAppWhyId);
  EXPECT_EQ(buttons[2]["reply"]["title"], "Why do you ask?");
  ASSERT_EQ(
      post(ButtonReply("wamid.2", kWhatsAppWhyId, "Why do you ask?", now)),
      200);
  EXPECT_EQ(engine.turns().back().text, "Why do you ask?");
  // A button of an older message, unknown now, plays the title it showed.
  ASSERT_EQ(post(ButtonReply("wamid.3", "stale-id", "Gradual", now)), 200);
  EXPECT_EQ(engine.turns().back().text, "Gradual");
}

TEST_F(WhatsAppWebhookTest, ExpiredSessionIsReplaced) {
  Say("hello");
  engine_.ExpireAllSessions();
  std::vector<FakeCloudApi::Sent> after = Say("it's gradual");
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(engine_.sessions_created(), 2);
  EXPECT_EQ(engine_.turns().back().session_id, "session-2");
}

TEST_F(WhatsAppWebhookTest, NoReplyOutsideTheServiceWindow) {
  Say("hello");
  // A message sent 25 hours ago, redelivered now: played, not answered.
  clock_.Advance(absl::Hours(25));
  const size_t before = Sent().size();
  EXPECT_EQ(Post(Notification(
                     {TextMessage("wamid.old", "gradual", Now() - 25 * 3600)}))
                .status,
            200);
  EXPECT_THAT(Sent(), SizeIs(before));
  EXPECT_EQ(webhook_->stats().outside_window, 1u);
  // A fresh message opens the window again.
  EXPECT_THAT(Say("still sore"), SizeIs(1));
  // A timestamp in the future counts as now.
  clock_.Advance(absl::Hours(23));
  EXPECT_EQ(Post(Notification(
                     {TextMessage("wamid.future", "ok", Now() + 100 * 3600)}))
                .status,
            200);
  clock_.Advance(absl::Hours(2));
  EXPECT_THAT(Say("and now?"), SizeIs(1));
}

TEST_F(WhatsAppWebhookTest, EngineUnavailableAsksForRedelivery) {
  Say("hello");
  engine_.FailNextSend(absl::UnavailableError("store down"));
  const std::string body =
      Notification({TextMessage("wamid.u1", "gradual", Now())});
  EXPECT_EQ(Post(body).status, 503);
  EXPECT_EQ(webhook_->stats().store_failures, 1u);
  // Meta delivers again: played now.
  EXPECT_EQ(Post(body).status, 200);
  EXPECT_EQ(engine_.turns().back().text, "gradual");
}

TEST_F(WhatsAppWebhookTest, SendFailuresAreCounted) {
  {
    absl::MutexLock lock(&log_->mu);
    log_->refuse = true;
  }
  Say("hello");
  EXPECT_EQ(webhook_->stats().send_failures, 1u);
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST(WhatsAppReplicasTest, ASharedStoreDeduplicatesAcrossReplicas) {
  // Two replicas sharing one store (Redis in production) and one engine.
  FakeEngine engine;
  auto store =
      std::make_shared<MemoryChannelStateStore>(MemoryChannelStateOptions{});
  auto log = std::make_shared<FakeCloudApi::Log>();
  WhatsAppWebhookOptions options;
  options.app_secret = kSecret;
  options.verify_token = kVerify;
  options.phone_number_id = kNumberId;
  options.state_store = store;
  WhatsAppWebhook a(engine, options, std::make_unique<FakeCloudApi>(log));
  WhatsAppWebhook b(engine, options, std::make_unique<FakeCloudApi>(log));
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string first =
      Notification({TextMessage("wamid.r1", "my knee hurts", now)});
  const std::string second =
      Notification({TextMessage("wamid.r2", "gradual", now)});
  EXPECT_EQ(a.Handle(WhatsAppSignature(kSecret, first), first).status, 200);
  EXPECT_EQ(b.Handle(WhatsAppSignature(kSecret, first), first).status, 200);
  EXPECT_EQ(b.Handle(WhatsAppSignature(kSecret, second), second).status, 200);
  // One session, two turns: b continued a's conversation.
  EXPECT_EQ(engine.sessions_created(), 1);
  ASSERT_THAT(engine.turns(), SizeIs(2));
  EXPECT_EQ(engine.turns()[0].session_id, engine.turns()[1].session_id);
  EXPECT_EQ(b.stats().duplicates, 1u);
}

// Stands in for graph.facebook.com: records requests, answers 200.
class FakeGraphApi {
 public:
  struct Request {
    std::string path, authorization;
    Json body;
  };
  FakeGraphApi() {
    server_.Post(R"(/v21\.0/\d+/messages)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   absl::MutexLock lock(&mu_);
                   requests_.push_back(
                       Request{req.path, req.get_header_value("Authorization"),
                               Json::parse(req.body, nullptr, false)});
                   res.set_content(R"({"messages":[{"id":"wamid.out"}]})",
                                   "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FakeGraphApi() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/v21.0");
  }
  std::vector<Request> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mu_);
};

TEST(WhatsAppRoutesTest, OverTheSocketToAFakeGraphApi) {
  FakeGraphApi graph;
  FakeEngine engine;
  WhatsAppWebhookOptions options;
  options.app_secret = kSecret;
  options.verify_token = kVerify;
  options.access_token = "EAAG-access-token";
  options.phone_number_id = kNumberId;
  options.graph_base_url = graph.base_url() + "/";
  WhatsAppWebhook webhook(engine, options);
  HttpOptions http;
  http.routes = webhook.Routes();
  auto server = HttpServer::Start("127.0.0.1:0", engine, http);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());

  auto verify = client.Get(absl::StrCat(
      WhatsAppWebhook::kPath, "?hub.mode=subscribe&hub.verify_token=", kVerify,
      "&hub.challenge=987"));
  auto unsigned_post =
      client.Post(WhatsAppWebhook::kPath, "{}", "application/json");
  const std::string body = Notification({TextMessage(
      "wamid.s1", "my knee hurts", absl::ToUnixSeconds(absl::Now()))});
  auto signed_post = client.Post(
      WhatsAppWebhook::kPath,
      {{WhatsAppWebhook::kSignatureHeader, WhatsAppSignature(kSecret, body)}},
      body, "application/json");
  webhook.Flush();
  (*server)->Stop();

  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->status, 200);
  EXPECT_EQ(verify->body, "987");
  ASSERT_TRUE(unsigned_post);
  EXPECT_EQ(unsigned_post->status, 401);
  ASSERT_TRUE(signed_post);
  EXPECT_EQ(signed_post->status, 200);
  const std::vector<FakeGraphApi::Request> requests = graph.requests();
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].path, absl::StrCat("/v21.0/", kNumberId, "/messages"));
  EXPECT_EQ(requests[0].authorization, "Bearer EAAG-access-token");
  EXPECT_EQ(requests[0].body["to"], kUser);
  EXPECT_EQ(requests[0].body["messaging_product"], "whatsapp");
}

}  // namespace
}  // namespace kneechat
