// HTTP glue shared by the channel webhooks.
#pragma once

#include "services/channels/webhook_response.h"
#include "services/http/http_message.h"

namespace kneechat {

// Copies `response` into `res`. With `close`, asks for the connection to be
// closed (needed whenever the request body was not read in full).
void WriteWebhookResponse(const WebhookResponse& response, HttpResponse& res,
                          bool close = false);

}  // namespace kneechat
