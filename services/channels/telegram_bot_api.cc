#include "services/channels/telegram_bot_api.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/outbound/curl_transport.h"

namespace kneechat {

std::optional<absl::Duration> TelegramRetryAfter(const HttpAnswer& answer) {
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (body.is_object() && body.contains("parameters") &&
      body["parameters"].is_object() &&
      body["parameters"].contains("retry_after") &&
      body["parameters"]["retry_after"].is_number_integer()) {
    const int64_t seconds = body["parameters"]["retry_after"].get<int64_t>();
    if (seconds >= 0) return absl::Seconds(seconds);
  }
  int64_t seconds = 0;
  if (answer.retry_after.has_value() &&
      absl::SimpleAtoi(*answer.retry_after, &seconds) && seconds >= 0) {
    return absl::Seconds(seconds);
  }
  return std::nullopt;
}

HttpTelegramBotApi::HttpTelegramBotApi(HttpTelegramBotApiOptions options) {
  std::string base = options.api_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!absl::StartsWith(base, "http://") &&
      !absl::StartsWith(base, "https://")) {
    base_url_status_ = absl::InvalidArgumentError(
        "telegram api base URL must start with http:// or https://");
  }
  url_prefix_ = absl::StrCat(base, "/bot", options.bot_token, "/");
  HttpTransport* transport = options.transport;
  if (transport == nullptr) {
    own_transport_ = std::make_unique<CurlTransport>();
    transport = own_transport_.get();
  }
  OutboundQueueOptions queue = std::move(options.queue);
  queue.name = "telegram";
  queue.retry_after = TelegramRetryAfter;
  queue_ = std::make_unique<OutboundQueue>(*transport, std::move(queue));
}

HttpTelegramBotApi::~HttpTelegramBotApi() {
  queue_.reset();  // before the transport it uses
}

absl::Status HttpTelegramBotApi::Queue(const char* method, int64_t chat_id,
                                       const nlohmann::json& body, Done done) {
  if (!base_url_status_.ok()) return base_url_status_;
  OutboundRequest request;
  request.ordering_key = static_cast<uint64_t>(chat_id);
  request.what = method;
  request.post.url = absl::StrCat(url_prefix_, method);
  // Invalid UTF-8 (which Telegram would reject) becomes U+FFFD.
  request.post.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.done = std::move(done);
  return queue_->Submit(std::move(request));
}

absl::Status HttpTelegramBotApi::SendMessage(const nlohmann::json& body,
                                             Done done) {
  int64_t chat_id = 0;
  if (body.contains("chat_id") && body["chat_id"].is_number_integer()) {
    chat_id = body["chat_id"].get<int64_t>();
  }
  return Queue("sendMessage", chat_id, body, std::move(done));
}

absl::Status HttpTelegramBotApi::AnswerCallbackQuery(
    int64_t chat_id, std::string_view callback_query_id,
    std::string_view text) {
  nlohmann::json body = {{"callback_query_id", callback_query_id}};
  if (!text.empty()) body["text"] = text;
  return Queue("answerCallbackQuery", chat_id, body, nullptr);
}

void HttpTelegramBotApi::Flush() { queue_->Flush(); }

OutboundQueueStats HttpTelegramBotApi::stats() const { return queue_->stats(); }

}  // namespace kneechat
