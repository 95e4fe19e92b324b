#include "services/channels/channel_adapters.h"

#include <httplib.h>

#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

TEST(ChannelAdaptersTest, RegistersBothWebhooksAndFailsClosedWhenUnset) {
  FakeEngine engine;
  ChannelAdapters adapters = MakeChannelAdapters(
      engine, knowledge::v1::ChannelSettings(), "https://clinic.example.com");
  HttpOptions http;
  http.routes = adapters.Routes();
  ASSERT_EQ(http.routes.size(), 2u);
  auto server = HttpServer::Start("127.0.0.1:0", engine, http);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  httplib::Client client("127.0.0.1", port);
  auto telegram = client.Post(TelegramWebhook::kPath,
                              {{TelegramWebhook::kSecretHeader, ""}},
                              R"({"update_id":1})", "application/json");
  auto voice = client.Post(TwilioVoiceWebhook::kPath,
                           {{TwilioVoiceWebhook::kSignatureHeader, "x"}},
                           "CallSid=CA1", "application/x-www-form-urlencoded");
  (*server)->Stop();
  ASSERT_TRUE(telegram);
  EXPECT_EQ(telegram->status, 401);
  ASSERT_TRUE(voice);
  EXPECT_EQ(voice->status, 403);
  EXPECT_EQ(engine.sessions_created(), 0);
}

TEST(ChannelAdaptersTest, UsesConfiguredSettings) {
  FakeEngine engine;
  knowledge::v1::ChannelSettings settings;
  settings.set_telegram_secret_token("tg-secret");
  settings.set_telegram_bot_token("1:abc");
  settings.set_telegram_bot_api_base_url("http://127.0.0.1:9");
  ChannelAdapters adapters =
      MakeChannelAdapters(engine, settings, "https://clinic.example.com");
  EXPECT_EQ(adapters.telegram->Handle("tg-secret", "{}").status, 400);
  EXPECT_EQ(adapters.telegram->Handle("other", "{}").status, 401);
}

}  // namespace
}  // namespace kneechat
