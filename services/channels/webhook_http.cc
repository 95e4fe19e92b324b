#include "services/channels/webhook_http.h"

namespace kneechat {

void WriteWebhookResponse(const WebhookResponse& response, HttpResponse& res,
                          bool close) {
  res.status = response.status;
  res.close = close;
  res.set_content(response.body, response.content_type);
}

}  // namespace kneechat
