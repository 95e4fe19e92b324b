// Builds kneechat's channel webhooks from the deployment's channel settings
// and hands their routes to the HTTP front end (HttpOptions::routes).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kneechat/knowledge/v1/deployment.pb.h"
#include "services/channels/channel_state_store.h"
#include "services/channels/telegram_webhook.h"
#include "services/channels/twilio_sms_webhook.h"
#include "services/channels/twilio_voice_webhook.h"
#include "services/channels/whatsapp_webhook.h"
#include "services/engine/engine.h"
#include "services/http/http_message.h"

namespace kneechat {

// Where the adapters keep their per-chat and per-call state and their
// de-duplication keys; a null store means one in memory.
struct ChannelStateStores {
  std::shared_ptr<ChannelStateStore> telegram;
  std::shared_ptr<ChannelStateStore> voice;
  std::shared_ptr<ChannelStateStore> sms;
  std::shared_ptr<ChannelStateStore> whatsapp;
};

struct ChannelAdapters {
  std::unique_ptr<TelegramWebhook> telegram;
  std::unique_ptr<TwilioVoiceWebhook> voice;
  std::unique_ptr<TwilioSmsWebhook> sms;
  // Null when WhatsApp is not configured.
  std::unique_ptr<WhatsAppWebhook> whatsapp;

  // POST /webhooks/telegram, /webhooks/twilio/voice and
  // /webhooks/twilio/sms, and GET and POST /webhooks/whatsapp when
  // configured. The adapters must outlive the HTTP server that runs these
  // routes.
  std::vector<HttpRoute> Routes() const;
};

// Telegram, Twilio voice and Twilio SMS, always: one whose secret is not
// configured answers every request 401 (Telegram) or 403 (Twilio) and
// starts no turn. WhatsApp only when its app secret, verify token, access
// token and phone number id are all set (otherwise /webhooks/whatsapp is
// not served: 404).
// `twilio_public_base_url` is the externally visible origin Twilio calls
// (e.g. "https://clinic.example.com"). `engine` is not owned and must
// outlive the adapters. `handoff` (not owned, may be null) receives a
// transferred call's summary.
ChannelAdapters MakeChannelAdapters(
    Engine& engine, const knowledge::v1::ChannelSettings& settings,
    const std::string& twilio_public_base_url,
    const ChannelStateStores& stores = {}, FairUse* fair_use = nullptr,
    HandoffDelivery* handoff = nullptr);

}  // namespace kneechat
