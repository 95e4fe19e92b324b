// Outbound calls to the Telegram Bot API (sendMessage,
// answerCallbackQuery), behind an interface so that the webhook can be
// tested against a fake.
//
// Calls are queued, not made: a webhook handler never waits for Telegram.
// HttpTelegramBotApi sends them from a bounded OutboundQueue
// (services/outbound/outbound_queue.h) over libcurl -- kept-alive
// connections, a request written at once -- with its retries: a 429 waits
// parameters.retry_after (for every call: Telegram's flood limit is per
// bot), a 5xx or no answer backs off, one chat's calls go in order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/outbound/http_transport.h"
#include "services/outbound/outbound_queue.h"

namespace kneechat {

// Implementations are thread-safe.
class TelegramBotApi {
 public:
  // Called once a queued call was sent (OK) or dropped (the reason).
  using Done = std::function<void(const absl::Status&)>;

  virtual ~TelegramBotApi() = default;
  // Queues a sendMessage; `body` is a complete request (see
  // TelegramSendMessageBody in telegram_render.h). `done` may be null.
  // Errors: kResourceExhausted when the queue is full -- the message is
  // dropped, logged as "telegram outbound queue full" without its text, and
  // `done` is not called.
  virtual absl::Status SendMessage(const nlohmann::json& body, Done done) = 0;
  // Queues an answerCallbackQuery: stops the button's spinner; `text`
  // (0-200 characters) shows as a toast. Errors as SendMessage.
  virtual absl::Status AnswerCallbackQuery(int64_t chat_id,
                                           std::string_view callback_query_id,
                                           std::string_view text) = 0;
  // Blocks until every call queued so far was sent or dropped.
  virtual void Flush() = 0;
};

struct HttpTelegramBotApiOptions {
  // "https://api.telegram.org", or a fake's "http://127.0.0.1:PORT"; may end
  // in a path prefix.
  std::string api_base_url = "https://api.telegram.org";
  std::string bot_token;
  // Queue size, workers, timeouts and retries; `name` and `retry_after` are
  // set by HttpTelegramBotApi.
  OutboundQueueOptions queue;
  // Not owned; null means a CurlTransport of its own.
  HttpTransport* transport = nullptr;
};

// The wait a Bot API 429 answer asks for: parameters.retry_after (seconds),
// else the Retry-After header; nullopt when neither says.
std::optional<absl::Duration> TelegramRetryAfter(const HttpAnswer& answer);

// Thread-safe. Calls POST <api_base_url>/bot<token>/<method> with a JSON
// body. A call that fails for good (a 4xx other than 429, retries used up,
// too old) is logged as "telegram <method> dropped: <reason>" -- never the
// token or the text -- and counted in stats().failed.
class HttpTelegramBotApi : public TelegramBotApi {
 public:
  explicit HttpTelegramBotApi(HttpTelegramBotApiOptions options);
  // Sends what is queued for a few seconds more (OutboundQueue::kDrain).
  ~HttpTelegramBotApi() override;

  absl::Status SendMessage(const nlohmann::json& body, Done done) override;
  absl::Status AnswerCallbackQuery(int64_t chat_id,
                                   std::string_view callback_query_id,
                                   std::string_view text) override;
  void Flush() override;

  OutboundQueueStats stats() const;

 private:
  absl::Status Queue(const char* method, int64_t chat_id,
                     const nlohmann::json& body, Done done);

  std::string url_prefix_;  // <base>/bot<token>/
  absl::Status base_url_status_;
  std::unique_ptr<HttpTransport> own_transport_;
  std::unique_ptr<OutboundQueue> queue_;
};

}  // namespace kneechat
