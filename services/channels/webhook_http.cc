#include "services/channels/webhook_http.h"

#include <httplib.h>

#include <cstdlib>

namespace kneechat {

std::optional<std::string> ReadBodyUpTo(const httplib::Request& request,
                                        const httplib::ContentReader& reader,
                                        size_t max_bytes) {
  if (request.has_header("Content-Length") &&
      std::strtoull(request.get_header_value("Content-Length").c_str(), nullptr,
                    10) > max_bytes) {
    return std::nullopt;
  }
  std::string body;
  bool over = false;
  reader([&](const char* data, size_t length) {
    if (body.size() + length > max_bytes) {
      over = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (over) return std::nullopt;
  return body;
}

void WriteWebhookResponse(const WebhookResponse& response,
                          httplib::Response& res, bool close) {
  res.status = response.status;
  if (close) res.set_header("Connection", "close");
  res.set_content(response.body, response.content_type.c_str());
}

}  // namespace kneechat
