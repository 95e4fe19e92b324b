// The Telegram adapter end to end over local sockets: updates are POSTed to
// the webhook on kneechat's HTTP server, replies arrive at a fake Bot API
// (an httplib server).
#include "services/channels/telegram_webhook.h"

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
#include "services/channels/message_text.h"
#include "services/common/clock.h"
#include "services/config/fair_use.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

// httplib's stop() is a no-op until listen has started; wait for it.
void WaitUntilRunning(const httplib::Server& server) {
  while (!server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

using ::testing::HasSubstr;
using ::testing::SizeIs;
using Json = nlohmann::json;

constexpr char kSecret[] = "s3cret_Token-for-tests";
constexpr char kBotToken[] = "123456:ABC-test";
constexpr int64_t kChat = 5550001;

// Stands in for api.telegram.org: records calls, answers {"ok":true}.
class FakeBotApi {
 public:
  struct Call {
    std::string path;
    Json body;
  };

  FakeBotApi() {
    server_.Post(R"(/bot[^/]+/\w+)", [this](const httplib::Request& req,
                                            httplib::Response& res) {
      std::chrono::milliseconds delay;
      {
        absl::MutexLock lock(&mu_);
        calls_.push_back(Call{req.path, Json::parse(req.body, nullptr, false)});
        delay = delay_;
        if (!failures_.empty()) {
          res.status = failures_.front().first;
          res.set_content(failures_.front().second, "application/json");
          failures_.erase(failures_.begin());
          return;
        }
      }
      std::this_thread::sleep_for(delay);
      res.set_content(R"({"ok":true,"result":{}})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    WaitUntilRunning(server_);
  }
  ~FakeBotApi() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const {
    return absl::StrCat("http://127.0.0.1:", port_);
  }

  std::vector<Call> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  // Bodies of sendMessage calls that succeeded or failed, in order.
  std::vector<Json> sent() {
    std::vector<Json> out;
    for (const Call& c : calls()) {
      if (c.path == absl::StrCat("/bot", kBotToken, "/sendMessage")) {
        out.push_back(c.body);
      }
    }
    return out;
  }
  std::vector<Json> answered() {
    std::vector<Json> out;
    for (const Call& c : calls()) {
      if (c.path == absl::StrCat("/bot", kBotToken, "/answerCallbackQuery")) {
        out.push_back(c.body);
      }
    }
    return out;
  }
  void FailNext(int status, std::string body) {
    absl::MutexLock lock(&mu_);
    failures_.emplace_back(status, std::move(body));
  }
  void SetDelay(std::chrono::milliseconds delay) {
    absl::MutexLock lock(&mu_);
    delay_ = delay;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Call> calls_;
  std::vector<std::pair<int, std::string>> failures_;
  std::chrono::milliseconds delay_{0};
};

Json MessageUpdate(int64_t update_id, const std::string& text,
                   int64_t chat = kChat, const std::string& type = "private") {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", update_id + 1000},
            {"date", 1700000000},
            {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "P"}}},
            {"chat", {{"id", chat}, {"type", type}}},
            {"text", text}}}};
}

Json ButtonUpdate(int64_t update_id, const std::string& data) {
  return {
      {"update_id", update_id},
      {"callback_query",
       {{"id", absl::StrCat("cbq-", update_id)},
        {"from", {{"id", kChat}, {"is_bot", false}, {"first_name", "P"}}},
        {"chat_instance", "42"},
        {"message",
         {{"message_id", 1}, {"chat", {{"id", kChat}, {"type", "private"}}}}},
        {"data", data}}}};
}

class TelegramWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(TelegramWebhookOptions{}); }

  void Start(TelegramWebhookOptions options) {
    Stop();
    options.secret_token = kSecret;
    options.bot_token = kBotToken;
    options.api_base_url = bot_.base_url();
    options.max_body_bytes = 4096;
    webhook_ = std::make_unique<TelegramWebhook>(engine_, options);
    HttpOptions http;
    http.routes.push_back(webhook_->Route());
    auto server = HttpServer::Start("127.0.0.1:0", engine_, http);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    port_ = server_->port();
  }

  void Stop() {
    if (server_ == nullptr) return;
    server_->Stop();
    server_.reset();
    webhook_.reset();
  }

  void TearDown() override { Stop(); }

  int PostBody(const std::string& body, const char* secret = kSecret) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers;
    if (secret != nullptr) {
      headers.emplace(TelegramWebhook::kSecretHeader, secret);
    }
    auto result =
        client.Post(TelegramWebhook::kPath, headers, body, "application/json");
    return result ? result->status : -1;
  }
  int Post(const Json& update) { return PostBody(update.dump()); }

  FakeEngine engine_;
  FakeBotApi bot_;
  std::unique_ptr<TelegramWebhook> webhook_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(TelegramWebhookTest, FullConversationWithButtonPress) {
  ASSERT_EQ(Post(MessageUpdate(100, "/start")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.sent(), SizeIs(1));
  EXPECT_EQ(bot_.sent()[0]["text"], "Hello! Tell me about your knee.");
  EXPECT_EQ(bot_.sent()[0]["chat_id"], kChat);
  EXPECT_EQ(engine_.channels(), std::vector<std::string>{"telegram"});

  ASSERT_EQ(Post(MessageUpdate(101, "my knee is sore at the front")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.sent(), SizeIs(2));
  const Json question = bot_.sent()[1];
  EXPECT_EQ(question["text"], "Did the pain start suddenly or gradually?");
  const Json& row = question["reply_markup"]["inline_keyboard"][0];
  ASSERT_THAT(row, SizeIs(3));
  EXPECT_EQ(row[1]["text"], "Gradual");
  EXPECT_EQ(row[1]["callback_data"], "onset:gradual");

  ASSERT_EQ(Post(ButtonUpdate(102, "onset:gradual")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.answered(), SizeIs(1));
  EXPECT_EQ(bot_.answered()[0]["callback_query_id"], "cbq-102");
  ASSERT_THAT(bot_.sent(), SizeIs(3));
  const std::string answer = bot_.sent()[2]["text"];
  EXPECT_THAT(answer, HasSubstr("patellofemoral pain [1]"));
  EXPECT_THAT(answer, HasSubstr("Sources:\n[1] Patellofemoral knee pain"));
  EXPECT_THAT(answer, HasSubstr("[2] How to cure knee pain from running"));

  const auto turns = engine_.turns();
  ASSERT_THAT(turns, SizeIs(2));
  EXPECT_EQ(turns[0].text, "my knee is sore at the front");
  EXPECT_EQ(turns[0].message_id, "telegram:101");
  EXPECT_EQ(turns[1].text, "Gradual");
  EXPECT_EQ(turns[1].message_id, "telegram:102");
  EXPECT_EQ(turns[0].session_id, turns[1].session_id);
  for (const Json& body : bot_.sent()) {
    EXPECT_FALSE(body.contains("parse_mode"));
    EXPECT_LE(Utf16Length(body["text"].get<std::string>()), 4096u);
  }
  EXPECT_EQ(webhook_->stats().turns, 2u);
}

TEST_F(TelegramWebhookTest, FirstMessageWithoutStartGreetsThenAnswers) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.sent(), SizeIs(2));
  EXPECT_EQ(bot_.sent()[0]["text"], "Hello! Tell me about your knee.");
  EXPECT_EQ(bot_.sent()[1]["text"],
            "Did the pain start suddenly or gradually?");
  EXPECT_EQ(engine_.sessions_created(), 1);
}

TEST_F(TelegramWebhookTest, RedeliveredUpdatePlaysOneTurn) {
  const Json update = MessageUpdate(7, "my knee hurts");
  ASSERT_EQ(Post(update), 200);
  ASSERT_EQ(Post(update), 200);
  webhook_->Flush();
  ASSERT_EQ(Post(update), 200);
  webhook_->Flush();
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  EXPECT_THAT(bot_.sent(), SizeIs(2));  // greeting + question, once
  EXPECT_EQ(webhook_->stats().duplicates, 2u);
}

TEST_F(TelegramWebhookTest, WrongOrMissingSecretIsRejectedWithoutATurn) {
  EXPECT_EQ(PostBody(MessageUpdate(1, "hello").dump(), "wrong-secret"), 401);
  EXPECT_EQ(PostBody(MessageUpdate(2, "hello").dump(), ""), 401);
  EXPECT_EQ(PostBody(MessageUpdate(3, "hello").dump(), nullptr), 401);
  // A longer value sharing the secret as prefix is no match either.
  EXPECT_EQ(PostBody(MessageUpdate(4, "hello").dump(),
                     absl::StrCat(kSecret, "x").c_str()),
            401);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_THAT(engine_.turns(), SizeIs(0));
  EXPECT_THAT(bot_.calls(), SizeIs(0));
  EXPECT_EQ(webhook_->stats().unauthorized, 4u);
  // The rejected update_id was not remembered: the genuine delivery works.
  EXPECT_EQ(Post(MessageUpdate(1, "hello")), 200);
  webhook_->Flush();
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST_F(TelegramWebhookTest, OversizedAndMalformedBodiesAreRejected) {
  const Json big = MessageUpdate(1, std::string(5000, 'a'));
  EXPECT_EQ(Post(big), 413);
  EXPECT_EQ(PostBody("{not json"), 400);
  EXPECT_EQ(PostBody(""), 400);
  EXPECT_EQ(PostBody("", nullptr), 401);
  EXPECT_EQ(PostBody(R"({"message": {"text": "no update id"}})"), 400);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_THAT(bot_.calls(), SizeIs(0));
  // The server is still healthy.
  EXPECT_EQ(Post(MessageUpdate(2, "my knee hurts")), 200);
  webhook_->Flush();
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST_F(TelegramWebhookTest, HandleWithoutSocketsChecksSecretAndSize) {
  EXPECT_EQ(webhook_->Handle(std::nullopt, "{}").status, 401);
  EXPECT_EQ(webhook_->Handle("nope", "{}").status, 401);
  EXPECT_EQ(webhook_->Handle(kSecret, std::string(4097, ' ')).status, 413);
  EXPECT_EQ(webhook_->Handle(kSecret, "[1]").status, 400);
  EXPECT_EQ(webhook_->Handle(kSecret, MessageUpdate(9, "hi").dump()).status,
            200);
}

TEST_F(TelegramWebhookTest, ExpiredSessionIsReplacedAndTheMessagePlayed) {
  ASSERT_EQ(Post(MessageUpdate(1, "/start")), 200);
  webhook_->Flush();
  engine_.ExpireAllSessions();
  ASSERT_EQ(Post(MessageUpdate(2, "my knee hurts")), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 2);
  const auto turns = engine_.turns();
  ASSERT_THAT(turns, SizeIs(1));
  EXPECT_EQ(turns[0].session_id, "session-2");
  EXPECT_EQ(bot_.sent().back()["text"],
            "Did the pain start suddenly or gradually?");
}

TEST_F(TelegramWebhookTest, StartRestartsAndForgetErases) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  ASSERT_EQ(Post(MessageUpdate(2, "/start")), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 2);
  EXPECT_EQ(engine_.deleted(), std::vector<std::string>{"session-1"});
  ASSERT_EQ(Post(MessageUpdate(3, "/forget@kneechat_bot")), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.deleted(),
            (std::vector<std::string>{"session-1", "session-2"}));
  EXPECT_THAT(bot_.sent().back()["text"].get<std::string>(),
              HasSubstr("erased"));
}

TEST_F(TelegramWebhookTest, ExpiredButtonIsAnsweredWithoutATurn) {
  ASSERT_EQ(Post(ButtonUpdate(1, "onset:sudden")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.answered(), SizeIs(1));
  EXPECT_THAT(bot_.answered()[0]["text"].get<std::string>(),
              HasSubstr("expired"));
  EXPECT_THAT(engine_.turns(), SizeIs(0));
  EXPECT_THAT(bot_.sent(), SizeIs(0));
}

TEST_F(TelegramWebhookTest, GroupChatsAndNonTextStartNoTurn) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts", -100123, "group")), 200);
  Json photo = MessageUpdate(2, "");
  photo["message"].erase("text");
  photo["message"]["photo"] = Json::array({{{"file_id", "abc"}}});
  ASSERT_EQ(Post(photo), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 0);
  ASSERT_THAT(bot_.sent(), SizeIs(1));
  EXPECT_EQ(bot_.sent()[0]["chat_id"], kChat);
  EXPECT_THAT(bot_.sent()[0]["text"].get<std::string>(),
              HasSubstr("text messages"));
}

TEST_F(TelegramWebhookTest, RateLimitedSendIsRetried) {
  bot_.FailNext(429, R"({"ok":false,"error_code":429,
                        "description":"Too Many Requests: retry after 0",
                        "parameters":{"retry_after":0}})");
  ASSERT_EQ(Post(MessageUpdate(1, "/start")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.sent(), SizeIs(2));
  EXPECT_EQ(bot_.sent()[0], bot_.sent()[1]);
  EXPECT_EQ(webhook_->stats().send_failures, 0u);
}

TEST_F(TelegramWebhookTest, AcknowledgesBeforeTheReplyIsSent) {
  bot_.SetDelay(std::chrono::milliseconds(2000));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Post(MessageUpdate(1, "/start")), 200);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
  webhook_->Flush();
  EXPECT_THAT(bot_.sent(), SizeIs(1));
}

TEST_F(TelegramWebhookTest, FullQueueAsksForRedeliveryLater) {
  TelegramWebhookOptions options;
  options.worker_threads = 1;
  options.queue_capacity = 1;
  Start(options);
  bot_.SetDelay(std::chrono::milliseconds(300));
  int refused = 0;
  for (int id = 1; id <= 6 && refused == 0; ++id) {
    const int status = Post(MessageUpdate(id, "/start"));
    if (status == 503) {
      refused = id;
    } else {
      ASSERT_EQ(status, 200);
    }
  }
  ASSERT_NE(refused, 0);
  webhook_->Flush();
  // Telegram's redelivery of the refused update is accepted and played.
  const int before = engine_.sessions_created();
  EXPECT_EQ(Post(MessageUpdate(refused, "/start")), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), before + 1);
}

TEST_F(TelegramWebhookTest, MessagesOfOneChatArePlayedInOrder) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Post(MessageUpdate(200 + i, absl::StrCat("message ", i))), 200);
  }
  webhook_->Flush();
  const auto turns = engine_.turns();
  ASSERT_THAT(turns, SizeIs(20));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(turns[i].text, absl::StrCat("message ", i));
  }
}

TEST_F(TelegramWebhookTest, AChatOverItsBudgetIsDroppedOthersGoOn) {
  FakeClock clock;
  knowledge::v1::FairUseSettings settings;
  settings.mutable_telegram()->set_requests_per_minute(1);
  settings.mutable_telegram()->set_request_burst(2);
  FairUse fair_use(settings, &clock);
  TelegramWebhookOptions options;
  options.fair_use = &fair_use;
  Start(options);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(Post(MessageUpdate(i, "my knee hurts")), 200);  // acknowledged
  }
  ASSERT_EQ(Post(MessageUpdate(6, "my knee hurts", kChat + 1)), 200);
  webhook_->Flush();
  EXPECT_EQ(webhook_->stats().rate_limited, 3u);
  EXPECT_THAT(engine_.turns(), SizeIs(3));  // two from the flooder, one other
  clock.Advance(absl::Minutes(1));
  ASSERT_EQ(Post(MessageUpdate(7, "my knee hurts")), 200);
  webhook_->Flush();
  EXPECT_THAT(engine_.turns(), SizeIs(4));
}

}  // namespace
}  // namespace kneechat
