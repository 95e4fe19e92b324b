#include "services/handoff/handoff_delivery.h"

#include "services/handoff/handoff_ids.h"

namespace kneechat {

HandoffPackage MakeHandoffPackage(absl::string_view session_id,
                                  absl::string_view occasion,
                                  const v1::GetHandoffResponse& handoff) {
  HandoffPackage package;
  package.key = HandoffKey(session_id, occasion);
  const size_t colon = occasion.find(':');
  package.occasion = std::string(occasion.substr(0, colon));
  package.triage_level = handoff.triage_level();
  package.summary_text = handoff.summary_text();
  package.fhir_bundle_json = handoff.fhir_bundle_json();
  return package;
}

}  // namespace kneechat
