#include "services/handoff/clinic_delivery.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/server_log.h"
#include "services/handoff/handoff_signature.h"
#include "services/handoff/handoff_summary.h"

namespace kneechat {

OutboundQueueOptions ClinicDeliveryOptions::DefaultQueueOptions() {
  OutboundQueueOptions options;
  options.name = "handoff";
  options.capacity = 1000;
  options.workers = 2;
  options.timeout = absl::Seconds(10);
  options.max_attempts = 6;
  options.first_backoff = absl::Milliseconds(500);
  options.max_backoff = absl::Seconds(30);
  options.max_retry_after = absl::Seconds(60);
  // Retries stop well inside the receiver's five-minute tolerance of the
  // timestamp signed at the first attempt.
  options.max_age = absl::Minutes(4);
  return options;
}

ClinicWebhookDelivery::ClinicWebhookDelivery(HttpTransport& transport,
                                             ClinicDeliveryOptions options)
    : url_(std::move(options.url)),
      secret_(std::move(options.secret)),
      clock_(options.clock != nullptr ? options.clock : Clock::Real()),
      queue_(transport, [&] {
        OutboundQueueOptions queue = options.queue;
        if (queue.clock == nullptr) queue.clock = options.clock;
        return queue;
      }()) {}

std::string ClinicWebhookDelivery::Body(const HandoffPackage& package) {
  nlohmann::ordered_json bundle =
      nlohmann::ordered_json::parse(package.fhir_bundle_json,
                                    /*cb=*/nullptr,
                                    /*allow_exceptions=*/false);
  if (bundle.is_discarded()) bundle = nullptr;
  std::string level = TriageLevelName(package.triage_level);
  if (level == "NOT DECIDED") level = "NOT_DECIDED";
  const nlohmann::ordered_json body = {{"handoff_id", package.key},
                                       {"occasion", package.occasion},
                                       {"triage_level", level},
                                       {"summary_text", package.summary_text},
                                       {"fhir_bundle", std::move(bundle)}};
  return body.dump();
}

absl::Status ClinicWebhookDelivery::Deliver(HandoffPackage package) {
  const int64_t timestamp = absl::ToUnixSeconds(clock_->Now());
  OutboundRequest request;
  request.ordering_key = std::hash<std::string>()(package.key);
  request.what = package.occasion;  // logged as "handoff consent ..."
  request.post.url = url_;
  request.post.body = Body(package);
  request.post.headers = {
      {kHandoffTimestampHeader, absl::StrCat(timestamp)},
      {kHandoffSignatureHeader,
       SignHandoff(secret_, timestamp, request.post.body)},
      {kIdempotencyKeyHeader, package.key},
  };
  request.done = [this](const absl::Status& status) {
    if (status.ok()) {
      ++delivered_;
      return;
    }
    ++failed_;
    // The outcome only: the handoff itself is health information.
    LogEvent(LogLevel::kWarning, "handoff_not_delivered",
             LogFields().Add("code", absl::StatusCodeToString(status.code())));
  };
  return queue_.Submit(std::move(request));
}

void ClinicWebhookDelivery::Flush() { queue_.Flush(); }

ClinicDeliveryStats ClinicWebhookDelivery::stats() const {
  const OutboundQueueStats queue = queue_.stats();
  ClinicDeliveryStats stats;
  stats.accepted = queue.submitted;
  stats.delivered = delivered_;
  stats.failed = failed_;
  stats.retries = queue.retries;
  return stats;
}

}  // namespace kneechat
