#include "services/channels/channel_adapters.h"

namespace kneechat {

std::vector<HttpRoute> ChannelAdapters::Routes() const {
  std::vector<HttpRoute> routes;
  if (telegram != nullptr) routes.push_back(telegram->Route());
  if (voice != nullptr) routes.push_back(voice->Route());
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
  return adapters;
}

}  // namespace kneechat
