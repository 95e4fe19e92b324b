// Two replicas of each channel adapter sharing their state in one Redis
// (and one engine, standing in for the shared session store): a redelivered
// webhook is played once whichever replica gets it, and a chat's or a
// call's next request continues the same session on the other replica.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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
  absl::Status SendMessage(const nlohmann::json&) override {
    absl::MutexLock lock(&mu_);
    ++sent_;
    return absl::OkStatus();
  }
  absl::Status AnswerCallbackQuery(std::string_view,
                                   std::string_view) override {
    return absl::OkStatus();
  }
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
    records.lock_ttl = absl::Seconds(30);
    return std::make_shared<RedisChannelStateStore>(pool, prefix,
                                                    absl::Hours(48), records);
  }

  std::unique_ptr<TelegramWebhook> Telegram(CountingBotApi** api) {
    TelegramWebhookOptions options;
    options.secret_token = kSecret;
    options.state_store = Store("kneechat:telegram");
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
  // Telegram delivers the same update twice at once, to different replicas.
  std::thread to_b([&] { EXPECT_EQ(b->Handle(kSecret, first).status, 200); });
  EXPECT_EQ(a->Handle(kSecret, first).status, 200);
  to_b.join();
  a->Flush();
  b->Flush();
  EXPECT_EQ(engine_.turns().size(), 1u);
  EXPECT_EQ(a->stats().duplicates + b->stats().duplicates, 1u);
  // The chat's next message lands on the other replica: same session.
  const uint64_t took_first = a->stats().accepted;
  TelegramWebhook& other = took_first == 1 ? *b : *a;
  EXPECT_EQ(other.Handle(kSecret, Update(2, "three weeks")).status, 200);
  other.Flush();
  ASSERT_EQ(engine_.turns().size(), 2u);
  EXPECT_EQ(engine_.sessions_created(), 1);
  EXPECT_EQ(engine_.turns()[0].session_id, engine_.turns()[1].session_id);
}

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
