// One HTTP POST to a platform API (Telegram's Bot API today, WhatsApp's
// Cloud API later), behind an interface so that the outbound queue can be
// tested against a fake transport and the real one against a local fake
// API.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kneechat {

// What to send. The URL may carry a credential (Telegram puts the bot token
// in the path): implementations never log it or put it in a Status.
struct HttpPost {
  std::string url;  // http:// or https://
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones
  std::string body;
};

// What came back, whatever the status code.
struct HttpAnswer {
  int status = 0;
  // At most HttpTransport::kMaxAnswerBytes; the rest is dropped.
  std::string body;
  // The Retry-After header's value, when present.
  std::optional<std::string> retry_after;
};

// Implementations are thread-safe: Post may be called from many threads at
// once.
class HttpTransport {
 public:
  // Platform answers are small JSON objects; anything longer is cut here.
  static constexpr size_t kMaxAnswerBytes = 64 * 1024;

  virtual ~HttpTransport() = default;

  // Sends `post` and waits at most `timeout` in all (connecting, writing,
  // waiting for and reading the answer). Any status code is an answer.
  // Errors: kUnavailable when no answer came (cannot connect, timed out,
  // connection reset); kInvalidArgument for a URL the transport cannot use.
  // The message names what failed, never the URL.
  virtual absl::StatusOr<HttpAnswer> Post(const HttpPost& post,
                                          absl::Duration timeout) = 0;
};

}  // namespace kneechat
