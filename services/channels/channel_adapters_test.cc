#include "services/channels/channel_adapters.h"

#include <httplib.h>

#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

TEST(ChannelAdaptersTest, RegistersTheWebhooksAndFailsClosedWhenUnset) {
  FakeEngine engine;
  ChannelAdapters adapters = MakeChannelAdapters(
      engine, knowledge::v1::ChannelSettings(), "https://clinic.example.com");
  HttpOptions http;
  http.routes = adapters.Routes();
  ASSERT_EQ(http.routes.size(), 3u);  // WhatsApp is off: not configured
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
  auto sms = client.Post(
      TwilioSmsWebhook::kPath, {{TwilioSmsWebhook::kSignatureHeader, "x"}},
      "MessageSid=SM1&From=%2B1&Body=hi", "application/x-www-form-urlencoded");
  auto whatsapp = client.Post(WhatsAppWebhook::kPath,
                              {{WhatsAppWebhook::kSignatureHeader, "sha256=0"}},
                              R"({"entry":[]})", "application/json");
  auto whatsapp_verify = client.Get(
      "/webhooks/"
      "whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1");
  (*server)->Stop();
  ASSERT_TRUE(sms);
  EXPECT_EQ(sms->status, 403);
  ASSERT_TRUE(whatsapp);
  EXPECT_EQ(whatsapp->status, 404);
  ASSERT_TRUE(whatsapp_verify);
  EXPECT_EQ(whatsapp_verify->status, 404);
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
  EXPECT_EQ(adapters.whatsapp, nullptr);
}

TEST(ChannelAdaptersTest, WhatsAppNeedsAllItsSettings) {
  FakeEngine engine;
  knowledge::v1::ChannelSettings settings;
  settings.set_whatsapp_app_secret("app-secret");
  settings.set_whatsapp_verify_token("verify");
  settings.set_whatsapp_access_token("token");
  EXPECT_EQ(MakeChannelAdapters(engine, settings, "").whatsapp, nullptr);
  settings.set_whatsapp_phone_number_id("1065");
  settings.set_whatsapp_graph_base_url("http://127.0.0.1:9");
  ChannelAdapters adapters = MakeChannelAdapters(engine, settings, "");
  ASSERT_NE(adapters.whatsapp, nullptr);
  EXPECT_EQ(adapters.Routes().size(), 5u);
  EXPECT_EQ(adapters.whatsapp
                ->Verify("hub.mode=subscribe&hub.verify_token=verify&"
                         "hub.challenge=42")
                .body,
            "42");
  EXPECT_EQ(adapters.whatsapp->Handle("sha256=00", "{}").status, 403);
}

}  // namespace
}  // namespace kneechat
