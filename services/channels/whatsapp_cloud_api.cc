#include "services/channels/whatsapp_cloud_api.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/outbound/curl_transport.h"

namespace kneechat {

HttpWhatsAppCloudApi::HttpWhatsAppCloudApi(
    HttpWhatsAppCloudApiOptions options) {
  std::string base = options.graph_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!absl::StartsWith(base, "http://") &&
      !absl::StartsWith(base, "https://")) {
    config_status_ = absl::FailedPreconditionError(
        "whatsapp graph base URL must start with http:// or https://");
  } else if (options.phone_number_id.empty() || options.access_token.empty()) {
    config_status_ = absl::FailedPreconditionError(
        "whatsapp phone number id or access token not configured");
  }
  url_ = absl::StrCat(base, "/", options.phone_number_id, "/messages");
  authorization_ = absl::StrCat("Bearer ", options.access_token);
  HttpTransport* transport = options.transport;
  if (transport == nullptr) {
    own_transport_ = std::make_unique<CurlTransport>();
    transport = own_transport_.get();
  }
  OutboundQueueOptions queue = std::move(options.queue);
  queue.name = "whatsapp";
  queue_ = std::make_unique<OutboundQueue>(*transport, std::move(queue));
}

HttpWhatsAppCloudApi::~HttpWhatsAppCloudApi() {
  queue_.reset();  // before the transport it uses
}

absl::Status HttpWhatsAppCloudApi::SendMessage(std::string_view to,
                                               const nlohmann::json& body,
                                               Done done) {
  if (!config_status_.ok()) return config_status_;
  OutboundRequest request;
  // One person's messages go one at a time, in order.
  request.ordering_key = absl::HashOf(to);
  request.what = "messages";
  request.post.url = url_;
  request.post.headers.emplace_back("Authorization", authorization_);
  // Invalid UTF-8 (which the API would reject) becomes U+FFFD.
  request.post.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.done = std::move(done);
  return queue_->Submit(std::move(request));
}

void HttpWhatsAppCloudApi::Flush() { queue_->Flush(); }

OutboundQueueStats HttpWhatsAppCloudApi::stats() const {
  return queue_->stats();
}

}  // namespace kneechat
