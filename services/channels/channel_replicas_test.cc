// Two replicas of each channel adapter sharing their state in one Redis
// (and one engine, standing in for the shared session store): a redelivered
// webhook is played once whichever replica gets it, a chat's or a call's
// next request continues the same session on the other replica, and a
// Telegram update whose replica stops between receiving it and answering
// is answered exactly once by the other when Telegram delivers it again.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/channels/redis_channel_state_store.h"
#include "services/channels/telegram_bot_api.h"
#include "services/channels/telegram_webhook.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/twilio_voice_webhook.h"
#include "services/redis/redis_connector.h"
#include "services/redis/testing/redis_server.h"

namespace kneechat {
namespace {

constexpr char kSecret[] = "replica-test-secret";
constexpr char kToken[] = "replica-test-twilio-token";
constexpr char kPublicBase[] = "https://clinic.example.com";

class CountingBotApi : public TelegramBotApi {
 public:
  absl::Status SendMessage(const nlohmann::json&, Done done) override {
    {
      absl::MutexLock lock(&mu_);
      ++sent_;
    }
    if (done) done(absl::OkStatus());
    return absl::OkStatus();
  }
  absl::Status AnswerCallbackQuery(int64_t, std::string_view,
                                   std::string_view) override {
    return absl::OkStatus();
  }
  void Flush() override {}
  int sent() {
    absl::MutexLock lock(&mu_);
    return sent_;
  }

 private:
  absl::Mutex mu_;
  int sent_ = 0;
};

class ChannelReplicasTest : public ::testing::Test {
 protected:
  ChannelReplicasTest() : redis_(KNEECHAT_REDIS_SERVER) {}

  std::shared_ptr<ChannelStateStore> Store(const std::string& prefix) {
    auto pool =
        std::make_shared<RedisPool>(std::make_unique<DirectRedisConnector>(
            RedisAddress{"127.0.0.1", redis_.port()}, RedisConnectOptions{}));
    RedisRecordOptions records;
    records.lock_wait = absl::Seconds(10);
    // A stopped replica's chat lock frees itself after this.
    records.lock_ttl = absl::Seconds(1);
    return std::make_shared<RedisChannelStateStore>(pool, prefix,
                                                    absl::Hours(48), records);
  }

  std::unique_ptr<TelegramWebhook> Telegram(
      CountingBotApi** api,
      std::function<void(std::string_view)> at_stage = nullptr) {
    TelegramWebhookOptions options;
    options.secret_token = kSecret;
    options.state_store = Store("kneechat:telegram");
    options.at_stage_for_test = std::move(at_stage);
    auto bot = std::make_unique<CountingBotApi>();
    *api = bot.get();
    return std::make_unique<TelegramWebhook>(engine_, options, std::move(bot));
  }

  std::unique_ptr<TwilioVoiceWebhook> Voice() {
    TwilioVoiceOptions options;
    options.auth_token = kToken;
    options.public_base_url = kPublicBase;
    options.state_store = Store("kneechat:voice");
    return std::make_unique<TwilioVoiceWebhook>(engine_, options);
  }

  static std::string Update(int64_t update_id, const std::string& text) {
    nlohmann::json update = {
        {"update_id", update_id},
        {"message",
         {{"message_id", update_id + 1000},
          {"date", 1700000000},
          {"from", {{"id", 77}, {"is_bot", false}, {"first_name", "P"}}},
          {"chat", {{"id", 77}, {"type", "private"}}},
          {"text", text}}}};
    return update.dump();
  }

  static WebhookResponse Call(TwilioVoiceWebhook& voice,
                              const std::string& target,
                              const FormParams& params) {
    std::string body;
    for (const auto& [name, value] : params) {
      if (!body.empty()) body += "&";
      body += name + "=" + value;  // plain values only in this test
    }
    const std::string signature =
        TwilioSignature(kToken, absl::StrCat(kPublicBase, target), params);
    return voice.Handle(target, signature, body);
  }

  TestRedisServer redis_;
  FakeEngine engine_;
};

TEST_F(ChannelReplicasTest, TelegramRedeliveryToAnotherReplicaIsPlayedOnce) {
  CountingBotApi *api_a, *api_b;
  auto a = Telegram(&api_a);
  auto b = Telegram(&api_b);
  const std::string first = Update(1, "my knee hurts");
  const WebhookResponse answer = a->Handle(kSecret, first);
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body, "");
  // Delivered again, to the other replica (the answer did not get through):
  // the same answer, no second turn.
  const WebhookResponse again = b->Handle(kSecret, first);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, answer.body);
  EXPECT_EQ(engine_.turns().size(), 1u);
  EXPECT_EQ(b->stats().replays, 1u);
  // The chat's next message lands on the other replica: same session.
  EXPECT_EQ(b->Handle(kSecret, Update(2, "three weeks")).status, 200);
  ASSERT_EQ(engine_.turns().size(), 2u);
  // The first update once more, now that the chat has moved on: dropped.
  EXPECT_EQ(a->Handle(kSecret, first).body, "");
  EXPECT_EQ(a->stats().duplicates, 1u);
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_EQ(engine_.turns()[0].session_id, engine_.turns()[1].session_id);
  EXPECT_EQ(api_a->sent() + api_b->sent(), 0);  // replies go as answers
}

// Replica A stops (as if killed) at `stage` of update 2 and never answers;
// Telegram delivers update 2 again, to replica B. The person gets exactly
// one reply to it (B's answer), and the dialogue advanced exactly once.
class TelegramReplicaStops : public ChannelReplicasTest,
                             public ::testing::WithParamInterface<const char*> {
};

TEST_P(TelegramReplicaStops, RedeliveryIsAnsweredExactlyOnce) {
  const std::string stop_at = GetParam();
  absl::Notification stopped, resume;
  CountingBotApi *api_a, *api_b;
  auto a = Telegram(&api_a, [&](std::string_view stage) {
    if (stage == stop_at && !stopped.HasBeenNotified()) {
      stopped.Notify();
      resume.WaitForNotification();  // a stopped process
    }
  });
  auto b = Telegram(&api_b);
  // Update 1 (a greeting and the first question) goes through B.
  ASSERT_EQ(b->Handle(kSecret, Update(1, "my knee hurts")).status, 200);
  const std::string second = Update(2, "it came on gradually");

  WebhookResponse from_a;  // never reaches Telegram
  std::thread replica_a([&] { from_a = a->Handle(kSecret, second); });
  stopped.WaitForNotification();
  // Telegram's delivery to A timed out; it delivers again, to B.
  const WebhookResponse from_b = b->Handle(kSecret, second);
  EXPECT_EQ(from_b.status, 200);
  const nlohmann::json reply = nlohmann::json::parse(from_b.body);
  EXPECT_EQ(reply["method"], "sendMessage");
  EXPECT_EQ(reply["chat_id"], 77);
  EXPECT_NE(reply["text"].get<std::string>().find("patellofemoral"),
            std::string::npos);
  // And again, should B's answer be lost too: the same answer, no turn.
  EXPECT_EQ(b->Handle(kSecret, second).body, from_b.body);

  resume.Notify();  // only so that the test can end; A's answer is lost
  replica_a.join();
  if (stop_at == "played") {
    // A held the chat's lock past its expiry: its record write is refused.
    EXPECT_EQ(from_a.status, 503);
  }
  const auto turns = engine_.turns();
  ASSERT_EQ(turns.size(), 2u);  // update 1's and update 2's, once each
  EXPECT_EQ(turns[1].message_id, "telegram:2");
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_EQ(api_a->sent() + api_b->sent(), 0);
  // The chat goes on from B's state: its next message is the third turn.
  ASSERT_EQ(a->Handle(kSecret, Update(3, "bye")).status, 200);
  EXPECT_EQ(engine_.turns().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Stages, TelegramReplicaStops,
                         ::testing::Values("received", "played", "written"));

TEST_F(ChannelReplicasTest, TwilioRetryOnAnotherReplicaIsAnsweredOnce) {
  auto a = Voice();
  auto b = Voice();
  const std::string sid = "CA00000000000000000000000000000077";
  const FormParams start = {{"CallSid", sid}, {"CallStatus", "in-progress"}};
  WebhookResponse greeting = Call(*a, TwilioVoiceWebhook::kPath, start);
  ASSERT_EQ(greeting.status, 200);
  // The caller's answer, posted to the turn URL the greeting gave; Twilio
  // retries it, and the retry reaches the other replica.
  const std::string target = absl::StrCat(TwilioVoiceWebhook::kPath, "?turn=1");
  const FormParams answer = {{"CallSid", sid},
                             {"CallStatus", "in-progress"},
                             {"SpeechResult", "my knee hurts"}};
  WebhookResponse first = Call(*b, target, answer);
  WebhookResponse retry = Call(*a, target, answer);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(engine_.turns().size(), 1u);
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_EQ(a->stats().replays, 1u);
}

TEST_F(ChannelReplicasTest, StoreDownAnswers503SoTheChannelRetries) {
  CountingBotApi* api;
  auto telegram = Telegram(&api);
  auto voice = Voice();
  redis_.Kill();
  EXPECT_EQ(telegram->Handle(kSecret, Update(9, "hello")).status, 503);
  const FormParams start = {{"CallSid", "CA99"}, {"CallStatus", "ringing"}};
  EXPECT_EQ(Call(*voice, TwilioVoiceWebhook::kPath, start).status, 503);
  EXPECT_EQ(engine_.turns().size(), 0u);
}

}  // namespace
}  // namespace kneechat
