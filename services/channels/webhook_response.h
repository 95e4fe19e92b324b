// What a channel webhook answers, independent of the HTTP library so that
// adapters can be tested without sockets.
#pragma once

#include <string>

namespace kneechat {

struct WebhookResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

}  // namespace kneechat
