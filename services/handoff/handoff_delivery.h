// Sending a handoff to the clinic. The engine and the phone line hand a
// package over and carry on: delivery never blocks a conversation.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

// One handoff. Its contents are the person's health information: never
// log them.
struct HandoffPackage {
  // Stable for the session and occasion (handoff_ids.h): the receiver's
  // Idempotency-Key.
  std::string key;
  // "consent" (the person said yes in a chat) or "transfer" (a call put
  // through to the clinic).
  std::string occasion;
  v1::TriageLevel triage_level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  std::string summary_text;
  std::string fhir_bundle_json;
};

// The package for a built handoff; `occasion` is "transfer" or
// "consent:<Unix seconds of the yes>" (the part before ':' becomes
// HandoffPackage::occasion; the whole names the Idempotency-Key).
HandoffPackage MakeHandoffPackage(absl::string_view session_id,
                                  absl::string_view occasion,
                                  const v1::GetHandoffResponse& handoff);

// Implementations are thread-safe.
class HandoffDelivery {
 public:
  virtual ~HandoffDelivery() = default;
  // Queues `package` for sending and returns at once: OK when accepted,
  // kResourceExhausted / kUnavailable when it cannot be (queue full,
  // shutting down). Whether it was eventually delivered is logged and
  // counted by the implementation, never reported to the person.
  virtual absl::Status Deliver(HandoffPackage package) = 0;
};

}  // namespace kneechat
