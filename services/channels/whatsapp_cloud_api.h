// Outbound calls to the WhatsApp Business Cloud API (POST
// {graph_base_url}/{phone_number_id}/messages with a Bearer token), behind
// an interface so that the webhook can be tested against a fake.
//
// Calls are queued, not made: a webhook handler never waits for Meta.
// HttpWhatsAppCloudApi sends them from a bounded OutboundQueue
// (services/outbound/outbound_queue.h) over libcurl, with its retries (a
// 429 waits Retry-After or backs off, a 5xx or no answer backs off) and in
// order for each recipient.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/outbound/http_transport.h"
#include "services/outbound/outbound_queue.h"

namespace kneechat {

// Implementations are thread-safe.
class WhatsAppCloudApi {
 public:
  // Called once a queued call was sent (OK) or dropped (the reason).
  using Done = std::function<void(const absl::Status&)>;

  virtual ~WhatsAppCloudApi() = default;

  // Queues a messages call to WhatsApp user `to`; `body` is a complete
  // request (see WhatsAppMessageBody in whatsapp_render.h). `done` may be
  // null. Errors: kResourceExhausted when the queue is full (the message is
  // dropped, logged without its text, and `done` is not called);
  // kFailedPrecondition when the client is misconfigured.
  virtual absl::Status SendMessage(std::string_view to,
                                   const nlohmann::json& body, Done done) = 0;

  // Blocks until every call queued so far was sent or dropped.
  virtual void Flush() = 0;
};

struct HttpWhatsAppCloudApiOptions {
  // "https://graph.facebook.com/v21.0", or a fake's "http://127.0.0.1:PORT";
  // may end in a path prefix.
  std::string graph_base_url = "https://graph.facebook.com/v21.0";
  std::string phone_number_id;
  std::string access_token;
  // Queue size, workers, timeouts and retries; `name` is set here.
  OutboundQueueOptions queue;
  // Not owned; null means a CurlTransport of its own.
  HttpTransport* transport = nullptr;
};

// Thread-safe. A call that fails for good (a 4xx other than 429, retries
// used up, too old) is logged as "whatsapp messages dropped: <reason>" --
// never the token, the number or the text -- and counted in stats().failed.
class HttpWhatsAppCloudApi : public WhatsAppCloudApi {
 public:
  explicit HttpWhatsAppCloudApi(HttpWhatsAppCloudApiOptions options);
  // Sends what is queued for a few seconds more (OutboundQueue::kDrain).
  ~HttpWhatsAppCloudApi() override;

  absl::Status SendMessage(std::string_view to, const nlohmann::json& body,
                           Done done) override;
  void Flush() override;

  OutboundQueueStats stats() const;

 private:
  std::string url_;  // <base>/<phone_number_id>/messages
  std::string authorization_;
  absl::Status config_status_;
  std::unique_ptr<HttpTransport> own_transport_;
  std::unique_ptr<OutboundQueue> queue_;
};

}  // namespace kneechat
