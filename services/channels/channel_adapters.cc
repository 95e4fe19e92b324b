#include "services/channels/channel_adapters.h"

#include <utility>

namespace kneechat {

std::vector<HttpRoute> ChannelAdapters::Routes() const {
  std::vector<HttpRoute> routes;
  if (telegram != nullptr) routes.push_back(telegram->Route());
  if (voice != nullptr) routes.push_back(voice->Route());
  if (sms != nullptr) routes.push_back(sms->Route());
  if (whatsapp != nullptr) {
    for (HttpRoute& route : whatsapp->Routes()) {
      routes.push_back(std::move(route));
    }
  }
  return routes;
}

ChannelAdapters MakeChannelAdapters(
    Engine& engine, const knowledge::v1::ChannelSettings& settings,
    const std::string& twilio_public_base_url, const ChannelStateStores& stores,
    FairUse* fair_use, HandoffDelivery* handoff) {
  ChannelAdapters adapters;
  TelegramWebhookOptions telegram;
  telegram.secret_token = settings.telegram_secret_token();
  telegram.bot_token = settings.telegram_bot_token();
  if (!settings.telegram_bot_api_base_url().empty()) {
    telegram.api_base_url = settings.telegram_bot_api_base_url();
  }
  telegram.state_store = stores.telegram;
  telegram.fair_use = fair_use;
  adapters.telegram =
      std::make_unique<TelegramWebhook>(engine, std::move(telegram));

  TwilioVoiceOptions voice;
  voice.auth_token = settings.twilio_auth_token();
  voice.public_base_url = twilio_public_base_url;
  voice.clinic_transfer_number = settings.clinic_transfer_number();
  voice.state_store = stores.voice;
  voice.fair_use = fair_use;
  voice.handoff = handoff;
  adapters.voice =
      std::make_unique<TwilioVoiceWebhook>(engine, std::move(voice));

  TwilioSmsOptions sms;
  sms.auth_token = settings.twilio_auth_token();
  sms.public_base_url = twilio_public_base_url;
  sms.state_store = stores.sms;
  sms.fair_use = fair_use;
  adapters.sms = std::make_unique<TwilioSmsWebhook>(engine, std::move(sms));

  if (!settings.whatsapp_app_secret().empty() &&
      !settings.whatsapp_verify_token().empty() &&
      !settings.whatsapp_access_token().empty() &&
      !settings.whatsapp_phone_number_id().empty()) {
    WhatsAppWebhookOptions whatsapp;
    whatsapp.app_secret = settings.whatsapp_app_secret();
    whatsapp.verify_token = settings.whatsapp_verify_token();
    whatsapp.access_token = settings.whatsapp_access_token();
    whatsapp.phone_number_id = settings.whatsapp_phone_number_id();
    if (!settings.whatsapp_graph_base_url().empty()) {
      whatsapp.graph_base_url = settings.whatsapp_graph_base_url();
    }
    whatsapp.state_store = stores.whatsapp;
    whatsapp.fair_use = fair_use;
    adapters.whatsapp =
        std::make_unique<WhatsAppWebhook>(engine, std::move(whatsapp));
  }
  return adapters;
}

}  // namespace kneechat
