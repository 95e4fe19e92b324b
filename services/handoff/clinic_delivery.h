// Delivers handoffs to the clinic's HTTPS endpoint (deployment `handoff`
// settings): a POST of JSON
//   {"handoff_id": "<Idempotency-Key>", "occasion": "consent"|"transfer",
//    "triage_level": "URGENT", "summary_text": "...", "fhir_bundle": {...}}
// signed as handoff_signature.h says, through an OutboundQueue: retried
// with exponential backoff on no answer, a timeout or a 5xx (429 waits as
// asked), at most `queue.max_attempts` attempts within `queue.max_age`
// (kept under the receiver's five-minute timestamp tolerance; every retry
// carries the same body, timestamp, signature and Idempotency-Key). Any
// other 4xx is final. Never blocks the caller.
//
// Logs and counters name the handoff's outcome, never its contents or the
// URL's query. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "services/common/clock.h"
#include "services/handoff/handoff_delivery.h"
#include "services/outbound/http_transport.h"
#include "services/outbound/outbound_queue.h"

namespace kneechat {

struct ClinicDeliveryOptions {
  std::string url;
  std::string secret;
  // Not owned; null means Clock::Real(). Stamps X-Kneechat-Timestamp.
  Clock* clock = nullptr;
  OutboundQueueOptions queue = DefaultQueueOptions();

  static OutboundQueueOptions DefaultQueueOptions();
};

struct ClinicDeliveryStats {
  uint64_t accepted = 0;   // queued
  uint64_t delivered = 0;  // answered 2xx
  uint64_t failed = 0;     // given up on (logged)
  uint64_t retries = 0;
};

class ClinicWebhookDelivery : public HandoffDelivery {
 public:
  // `transport` is not owned and must outlive this object. Destroying it
  // sends what is queued for a few seconds (OutboundQueue::kDrain).
  ClinicWebhookDelivery(HttpTransport& transport,
                        ClinicDeliveryOptions options);

  absl::Status Deliver(HandoffPackage package) override;

  // Blocks until everything accepted so far is delivered or given up on.
  void Flush();
  ClinicDeliveryStats stats() const;

  // The JSON body for `package` (what is signed and sent).
  static std::string Body(const HandoffPackage& package);

 private:
  const std::string url_;
  const std::string secret_;
  Clock* const clock_;
  std::atomic<uint64_t> delivered_{0}, failed_{0};
  OutboundQueue queue_;  // last: its workers use the members above
};

}  // namespace kneechat
