#include "services/channels/telegram_bot_api.h"

#include <httplib.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

constexpr size_t kMaxIdleClients = 4;

// A short, safe summary of an API answer for error messages.
std::string Describe(const httplib::Result& result) {
  const auto body = nlohmann::json::parse(result->body, nullptr, false);
  std::string description;
  if (body.is_object() && body.contains("description") &&
      body["description"].is_string()) {
    description = body["description"].get<std::string>().substr(0, 200);
  }
  return absl::StrCat("HTTP ", result->status, description.empty() ? "" : ": ",
                      description);
}

absl::Duration RetryAfter(const httplib::Result& result, absl::Duration cap) {
  const auto body = nlohmann::json::parse(result->body, nullptr, false);
  int64_t seconds = 1;
  if (body.is_object() && body.contains("parameters") &&
      body["parameters"].is_object() &&
      body["parameters"].contains("retry_after") &&
      body["parameters"]["retry_after"].is_number_integer()) {
    seconds = body["parameters"]["retry_after"].get<int64_t>();
  } else if (result->has_header("Retry-After")) {
    seconds = std::atoll(result->get_header_value("Retry-After").c_str());
  }
  return std::min(absl::Seconds(std::max<int64_t>(seconds, 0)), cap);
}

}  // namespace

HttpTelegramBotApi::HttpTelegramBotApi(HttpTelegramBotApiOptions options)
    : options_(std::move(options)) {
  std::string_view url = options_.api_base_url;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos ||
      !(url.substr(0, scheme_end) == "http" ||
        url.substr(0, scheme_end) == "https")) {
    base_url_status_ = absl::InvalidArgumentError(
        "telegram api base URL must start with http:// or https://");
    return;
  }
  const size_t path_start = url.find('/', scheme_end + 3);
  origin_ = std::string(url.substr(0, path_start));
  if (path_start != std::string_view::npos) {
    path_prefix_ = std::string(url.substr(path_start));
    while (!path_prefix_.empty() && path_prefix_.back() == '/') {
      path_prefix_.pop_back();
    }
  }
}

HttpTelegramBotApi::~HttpTelegramBotApi() = default;

std::unique_ptr<httplib::Client> HttpTelegramBotApi::TakeClient() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<httplib::Client>(origin_);
  const int64_t usec = absl::ToInt64Microseconds(options_.timeout);
  client->set_connection_timeout(usec / 1000000, usec % 1000000);
  client->set_read_timeout(usec / 1000000, usec % 1000000);
  client->set_write_timeout(usec / 1000000, usec % 1000000);
  client->set_keep_alive(true);
  // httplib writes a request's headers and body in two writes: without
  // TCP_NODELAY the body waits for the peer's delayed ACK (~40 ms a call).
  client->set_tcp_nodelay(true);
  return client;
}

void HttpTelegramBotApi::ReturnClient(std::unique_ptr<httplib::Client> client) {
  absl::MutexLock lock(&mu_);
  if (idle_.size() < kMaxIdleClients) idle_.push_back(std::move(client));
}

absl::Status HttpTelegramBotApi::Call(const std::string& method,
                                      const nlohmann::json& body) {
  if (!base_url_status_.ok()) return base_url_status_;
  const std::string path =
      absl::StrCat(path_prefix_, "/bot", options_.bot_token, "/", method);
  // Invalid UTF-8 (which Telegram would reject) becomes U+FFFD.
  const std::string payload =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<httplib::Client> client = TakeClient();
    httplib::Result result = client->Post(path, payload, "application/json");
    if (!result) {
      return absl::UnavailableError(absl::StrCat(
          "telegram ", method, ": ", httplib::to_string(result.error())));
    }
    ReturnClient(std::move(client));
    if (result->status == 200) return absl::OkStatus();
    const bool retryable = result->status == 429 || result->status >= 500;
    if (retryable && attempt < options_.max_retries) {
      const absl::Duration wait =
          result->status == 429 ? RetryAfter(result, options_.max_retry_wait)
                                : absl::Milliseconds(200);
      std::this_thread::sleep_for(absl::ToChronoNanoseconds(wait));
      continue;
    }
    const std::string what =
        absl::StrCat("telegram ", method, ": ", Describe(result));
    return retryable ? absl::UnavailableError(what)
                     : absl::InvalidArgumentError(what);
  }
}

absl::Status HttpTelegramBotApi::SendMessage(const nlohmann::json& body) {
  return Call("sendMessage", body);
}

absl::Status HttpTelegramBotApi::AnswerCallbackQuery(
    std::string_view callback_query_id, std::string_view text) {
  nlohmann::json body = {{"callback_query_id", callback_query_id}};
  if (!text.empty()) body["text"] = text;
  return Call("answerCallbackQuery", body);
}

}  // namespace kneechat
