// The Telegram adapter end to end over local sockets: updates are POSTed to
// the webhook on kneechat's HTTP server and answered with their reply; calls
// made through the outbound queue arrive at a fake Bot API (an httplib
// server).
#include "services/channels/telegram_webhook.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
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
using ::testing::Not;
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
    // Answers written at once, connections kept: as api.telegram.org.
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(100000);
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
  int port() const { return port_; }

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

  // Posts `body`; keeps what the person was sent: the sendMessage calls the
  // fake API got meanwhile, then the answer's.
  int PostBody(const std::string& body, const char* secret = kSecret) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers;
    if (secret != nullptr) {
      headers.emplace(TelegramWebhook::kSecretHeader, secret);
    }
    auto result =
        client.Post(TelegramWebhook::kPath, headers, body, "application/json");
    if (!result) return -1;
    const std::vector<Json> api = bot_.sent();
    for (size_t i = api_seen_; i < api.size(); ++i)
      delivered_.push_back(api[i]);
    api_seen_ = api.size();
    if (!result->body.empty() &&
        result->get_header_value("Content-Type") == "application/json") {
      Json answer = Json::parse(result->body);
      EXPECT_EQ(answer["method"], "sendMessage");
      answer.erase("method");
      delivered_.push_back(answer);
    }
    return result->status;
  }
  int Post(const Json& update) { return PostBody(update.dump()); }
  // Every sendMessage the person got, in order.
  const std::vector<Json>& sent() const { return delivered_; }

  FakeEngine engine_;
  FakeBotApi bot_;
  std::unique_ptr<TelegramWebhook> webhook_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::vector<Json> delivered_;
  size_t api_seen_ = 0;
};

TEST_F(TelegramWebhookTest, FullConversationWithButtonPress) {
  ASSERT_EQ(Post(MessageUpdate(100, "/start")), 200);
  webhook_->Flush();
  ASSERT_THAT(sent(), SizeIs(1));
  EXPECT_EQ(sent()[0]["text"], "Hello! Tell me about your knee.");
  EXPECT_EQ(sent()[0]["chat_id"], kChat);
  EXPECT_EQ(engine_.channels(), std::vector<std::string>{"telegram"});

  ASSERT_EQ(Post(MessageUpdate(101, "my knee is sore at the front")), 200);
  webhook_->Flush();
  ASSERT_THAT(sent(), SizeIs(2));
  const Json question = sent()[1];
  EXPECT_EQ(question["text"], "Did the pain start suddenly or gradually?");
  const Json& row = question["reply_markup"]["inline_keyboard"][0];
  ASSERT_THAT(row, SizeIs(3));
  EXPECT_EQ(row[1]["text"], "Gradual");
  EXPECT_EQ(row[1]["callback_data"], "onset:gradual");

  ASSERT_EQ(Post(ButtonUpdate(102, "onset:gradual")), 200);
  webhook_->Flush();  // the button's answerCallbackQuery goes by the queue
  ASSERT_THAT(bot_.answered(), SizeIs(1));
  EXPECT_EQ(bot_.answered()[0]["callback_query_id"], "cbq-102");
  ASSERT_THAT(sent(), SizeIs(3));
  const std::string answer = sent()[2]["text"];
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
  for (const Json& body : sent()) {
    EXPECT_FALSE(body.contains("parse_mode"));
    EXPECT_LE(Utf16Length(body["text"].get<std::string>()), 4096u);
  }
  EXPECT_EQ(webhook_->stats().turns, 2u);
}

TEST_F(TelegramWebhookTest, FirstMessageWithoutStartGreetsThenAnswers) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  // The greeting and the question share the answer's one message.
  ASSERT_THAT(sent(), SizeIs(1));
  EXPECT_EQ(sent()[0]["text"],
            "Hello! Tell me about your knee.\n\n"
            "Did the pain start suddenly or gradually?");
  EXPECT_THAT(sent()[0]["reply_markup"]["inline_keyboard"][0], SizeIs(3));
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_THAT(bot_.calls(), SizeIs(0));
}

TEST_F(TelegramWebhookTest, RedeliveredUpdatePlaysOneTurn) {
  // Telegram delivers an update again only when it did not get the answer:
  // each delivery gets the same answer, the turn is played once.
  const Json update = MessageUpdate(7, "my knee hurts");
  ASSERT_EQ(Post(update), 200);
  ASSERT_EQ(Post(update), 200);
  ASSERT_EQ(Post(update), 200);
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  ASSERT_THAT(sent(), SizeIs(3));
  EXPECT_EQ(sent()[0], sent()[1]);
  EXPECT_EQ(sent()[0], sent()[2]);
  EXPECT_EQ(webhook_->stats().replays, 2u);
  // Once the chat has moved on, its answer is no longer kept: dropped.
  ASSERT_EQ(Post(MessageUpdate(8, "gradually")), 200);
  ASSERT_EQ(Post(update), 200);
  EXPECT_THAT(sent(), SizeIs(4));
  EXPECT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(webhook_->stats().duplicates, 1u);
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
  const WebhookResponse answer =
      webhook_->Handle(kSecret, MessageUpdate(9, "hi").dump());
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/json");
  const Json call = Json::parse(answer.body);
  EXPECT_EQ(call["method"], "sendMessage");
  EXPECT_EQ(call["chat_id"], kChat);
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
  EXPECT_THAT(sent().back()["text"].get<std::string>(),
              HasSubstr("Did the pain start suddenly or gradually?"));
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
  EXPECT_THAT(sent().back()["text"].get<std::string>(), HasSubstr("erased"));
}

TEST_F(TelegramWebhookTest, ExpiredButtonIsAnsweredWithoutATurn) {
  ASSERT_EQ(Post(ButtonUpdate(1, "onset:sudden")), 200);
  webhook_->Flush();
  ASSERT_THAT(bot_.answered(), SizeIs(1));
  EXPECT_THAT(bot_.answered()[0]["text"].get<std::string>(),
              HasSubstr("expired"));
  EXPECT_THAT(engine_.turns(), SizeIs(0));
  EXPECT_THAT(sent(), SizeIs(0));  // a toast only
}

TEST_F(TelegramWebhookTest, GroupChatsAndNonTextStartNoTurn) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts", -100123, "group")), 200);
  Json photo = MessageUpdate(2, "");
  photo["message"].erase("text");
  photo["message"]["photo"] = Json::array({{{"file_id", "abc"}}});
  ASSERT_EQ(Post(photo), 200);
  webhook_->Flush();
  EXPECT_EQ(engine_.sessions_created(), 0);
  ASSERT_THAT(sent(), SizeIs(1));
  EXPECT_EQ(sent()[0]["chat_id"], kChat);
  EXPECT_THAT(sent()[0]["text"].get<std::string>(), HasSubstr("text messages"));
}

TEST_F(TelegramWebhookTest, ALongReplySendsItsFirstPartsByTheQueueFirst) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  std::string paragraph(3000, 'a');
  engine_.SetAnswer(absl::StrCat(paragraph, "\n\n", std::string(3000, 'b')),
                    "long");
  // The first part meets a 429 and is sent again after retry_after.
  bot_.FailNext(429, R"({"ok":false,"error_code":429,
                        "description":"Too Many Requests: retry after 1",
                        "parameters":{"retry_after":1}})");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Post(MessageUpdate(2, "gradually")), 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(900));
  // Text, text, then the sources: the first two by the queue (the first
  // twice: the 429 and its retry), in order, before the answer.
  ASSERT_THAT(bot_.sent(), SizeIs(3));
  EXPECT_EQ(bot_.sent()[0]["text"], paragraph);
  EXPECT_EQ(bot_.sent()[0], bot_.sent()[1]);
  EXPECT_THAT(bot_.sent()[2]["text"].get<std::string>(), HasSubstr("bbbb"));
  EXPECT_THAT(sent().back()["text"].get<std::string>(), HasSubstr("Sources:"));
  EXPECT_EQ(webhook_->stats().send_failures, 0u);
}

TEST_F(TelegramWebhookTest, ASlowBotApiNeverHoldsTheWebhook) {
  bot_.SetDelay(std::chrono::milliseconds(2000));
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(Post(ButtonUpdate(2, "onset:gradual")), 200);
  ASSERT_EQ(Post(MessageUpdate(3, "it started a month ago")), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(1000));
  EXPECT_THAT(sent(), SizeIs(3));  // every reply went with its answer
  webhook_->Flush();
  EXPECT_THAT(bot_.answered(), SizeIs(1));  // the toast, later
}

TEST_F(TelegramWebhookTest, AFullOutboundQueueDropsToastsNeverTheReply) {
  TelegramWebhookOptions options;
  options.outbound.workers = 1;
  options.outbound.capacity = 1;
  Start(options);
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  bot_.SetDelay(std::chrono::milliseconds(2000));  // the API stalls
  for (int id = 2; id <= 6; ++id) {
    ASSERT_EQ(Post(ButtonUpdate(id, "nothing:here")), 200);
  }
  // One toast in flight, one queued, the rest dropped and counted.
  EXPECT_GE(webhook_->stats().send_failures, 2u);
  ASSERT_EQ(Post(MessageUpdate(7, "it started a month ago")), 200);
  EXPECT_EQ(sent().back()["text"].get<std::string>().substr(0, 7), "Gradual");
  webhook_->Flush();
  EXPECT_LE(bot_.answered().size(), 3u);
}

// When the outbound queue cannot take a long reply's first part, that part
// is dropped -- logged without the text or the token -- and the answer
// still carries the rest.
TEST_F(TelegramWebhookTest, AFullQueueDropsEarlierPartsLogsNoTextAnswersRest) {
  TelegramWebhookOptions options;
  options.outbound.capacity = 0;  // always full
  Start(options);
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  engine_.SetAnswer(absl::StrCat(std::string(3000, 'a'), " PRIVATE-REPLY\n\n",
                                 std::string(3000, 'b')),
                    "long");
  testing::internal::CaptureStderr();
  ASSERT_EQ(Post(MessageUpdate(2, "PRIVATE-WORDS gradually")), 200);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("telegram outbound queue full"));
  EXPECT_THAT(log, HasSubstr("dropped a sendMessage"));
  EXPECT_THAT(log, Not(HasSubstr("PRIVATE")));
  EXPECT_THAT(log, Not(HasSubstr(kBotToken)));
  EXPECT_EQ(webhook_->stats().send_failures, 2u);  // both earlier parts
  EXPECT_THAT(bot_.sent(), SizeIs(0));
  EXPECT_THAT(sent().back()["text"].get<std::string>(), HasSubstr("Sources:"));
}

TEST_F(TelegramWebhookTest, EngineUnavailableAsksForRedeliveryAndPlaysOnce) {
  ASSERT_EQ(Post(MessageUpdate(1, "my knee hurts")), 200);
  engine_.FailNextSend(absl::UnavailableError("session store down"));
  EXPECT_EQ(Post(MessageUpdate(2, "gradually")), 503);
  EXPECT_EQ(Post(MessageUpdate(2, "gradually")), 200);  // Telegram again
  EXPECT_THAT(engine_.turns(), SizeIs(2));
  ASSERT_THAT(sent(), SizeIs(2));
  EXPECT_THAT(sent()[1]["text"].get<std::string>(), HasSubstr("[1]"));
}

// A replica stopped after writing the chat's record, before answering:
// Telegram gives up on it and delivers again; the same reply comes back,
// without a second turn.
TEST_F(TelegramWebhookTest, RedeliveryOfAnUnansweredUpdateGetsTheSameReply) {
  absl::Notification stopped, resume;
  TelegramWebhookOptions options;
  options.at_stage_for_test = [&](std::string_view stage) {
    if (stage == "written" && !stopped.HasBeenNotified()) {
      stopped.Notify();
      resume.WaitForNotification();
    }
  };
  Start(options);
  const std::string update = MessageUpdate(1, "my knee hurts").dump();
  WebhookResponse lost;
  std::thread first([&] { lost = webhook_->Handle(kSecret, update); });
  stopped.WaitForNotification();
  const WebhookResponse retry = webhook_->Handle(kSecret, update);
  resume.Notify();
  first.join();
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.body, lost.body);
  EXPECT_THAT(retry.body, HasSubstr("Did the pain start"));
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_EQ(webhook_->stats().replays, 1u);
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
