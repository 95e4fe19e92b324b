// Builds a session's handoff -- the SBAR text and the FHIR R4 Bundle -- as
// the GetHandoff response, and the package delivered to the clinic.
// Immutable after construction; thread-safe.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/handoff/handoff_delivery.h"
#include "services/handoff/handoff_view.h"
#include "services/handoff/question_catalog.h"

namespace kneechat {

class HandoffBuilder {
 public:
  explicit HandoffBuilder(QuestionCatalog catalog)
      : catalog_(std::move(catalog)) {}

  // Both forms, from the state as it is now; `now` stamps the FHIR
  // resources. Never fails.
  v1::GetHandoffResponse Build(const SessionState& state, absl::Time now) const;

  // What goes to the clinic when the person consented in the turn that
  // produced `state` (the Idempotency-Key names the session and the moment
  // of consent, so a retried delivery is recognised).
  HandoffPackage PackageForConsent(const SessionState& state,
                                   absl::Time now) const;

  const QuestionCatalog& catalog() const { return catalog_; }

 private:
  const QuestionCatalog catalog_;
};

}  // namespace kneechat
