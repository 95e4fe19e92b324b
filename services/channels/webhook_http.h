// cpp-httplib glue shared by the channel webhooks.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "services/channels/webhook_response.h"

namespace httplib {
class ContentReader;
struct Request;
struct Response;
}  // namespace httplib

namespace kneechat {

// The request body, read through `reader` and never buffered beyond
// `max_bytes`; nullopt when the declared or actual length is larger.
std::optional<std::string> ReadBodyUpTo(const httplib::Request& request,
                                        const httplib::ContentReader& reader,
                                        size_t max_bytes);

// Copies `response` into `res`. With `close`, asks for the connection to be
// closed (needed whenever the request body was not read in full).
void WriteWebhookResponse(const WebhookResponse& response,
                          httplib::Response& res, bool close = false);

}  // namespace kneechat
