#include "services/handoff/handoff_builder.h"

#include "absl/strings/str_cat.h"
#include "services/handoff/fhir_bundle.h"
#include "services/handoff/handoff_summary.h"

namespace kneechat {

v1::GetHandoffResponse HandoffBuilder::Build(const SessionState& state,
                                             absl::Time now) const {
  const HandoffView view = ReadHandoffView(state);
  v1::GetHandoffResponse response;
  response.set_summary_text(BuildHandoffSummary(view, catalog_));
  response.set_fhir_bundle_json(BuildFhirBundle(view, catalog_, now).dump());
  response.set_triage_level(view.level);
  response.set_consent(view.consent);
  return response;
}

HandoffPackage HandoffBuilder::PackageForConsent(const SessionState& state,
                                                 absl::Time now) const {
  return MakeHandoffPackage(
      state.session().session_id(),
      absl::StrCat("consent:", state.handoff_consent_time()),
      Build(state, now));
}

}  // namespace kneechat
