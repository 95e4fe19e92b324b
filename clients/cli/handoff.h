// `kneechat handoff SESSION_ID [--fhir]`: a session's clinician summary.
#pragma once

#include <iosfwd>
#include <string>

#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"

namespace kneechat::cli {

struct HandoffOptions {
  // Print the FHIR R4 Bundle (JSON) instead of the plain-text summary.
  bool fhir = false;
  absl::Duration timeout = absl::Seconds(10);
};

// Prints the summary (or the Bundle) with GetHandoff. On an RPC error
// prints "error: CODE: message" on `err` (NOT_FOUND for an unknown
// session). Returns the process exit code (0 or 1).
int RunHandoff(v1::KneeChat::StubInterface& stub, const std::string& session_id,
               std::ostream& out, std::ostream& err,
               const HandoffOptions& options);

}  // namespace kneechat::cli
