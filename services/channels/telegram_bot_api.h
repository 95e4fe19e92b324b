// Outbound calls to the Telegram Bot API (sendMessage,
// answerCallbackQuery), behind an interface so that the webhook can be
// tested against a fake.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace kneechat {

// Implementations are thread-safe.
class TelegramBotApi {
 public:
  virtual ~TelegramBotApi() = default;
  // `body` is a complete sendMessage request (see TelegramSendMessageBody).
  virtual absl::Status SendMessage(const nlohmann::json& body) = 0;
  // Stops the button's spinner; `text` (0-200 characters) shows as a toast.
  virtual absl::Status AnswerCallbackQuery(std::string_view callback_query_id,
                                           std::string_view text) = 0;
};

struct HttpTelegramBotApiOptions {
  // "https://api.telegram.org", or a fake's "http://127.0.0.1:PORT"; may end
  // in a path prefix.
  std::string api_base_url = "https://api.telegram.org";
  std::string bot_token;
  absl::Duration timeout = absl::Seconds(10);
  // On HTTP 429 wait parameters.retry_after (capped) and retry this often.
  int max_retries = 2;
  absl::Duration max_retry_wait = absl::Seconds(5);
};

// Calls POST <api_base_url>/bot<token>/<method> with a JSON body, reusing
// connections. Errors: kUnavailable when the API cannot be reached or keeps
// answering 429/5xx; kInvalidArgument for a malformed base URL or a 4xx
// (the description from Telegram, never the token, is in the message).
class HttpTelegramBotApi : public TelegramBotApi {
 public:
  explicit HttpTelegramBotApi(HttpTelegramBotApiOptions options);
  ~HttpTelegramBotApi() override;

  absl::Status SendMessage(const nlohmann::json& body) override;
  absl::Status AnswerCallbackQuery(std::string_view callback_query_id,
                                   std::string_view text) override;

 private:
  absl::Status Call(const std::string& method, const nlohmann::json& body);
  std::unique_ptr<httplib::Client> TakeClient();
  void ReturnClient(std::unique_ptr<httplib::Client> client);

  const HttpTelegramBotApiOptions options_;
  std::string origin_;       // scheme://host[:port]
  std::string path_prefix_;  // "" or "/prefix"
  absl::Status base_url_status_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kneechat
