#include "clients/cli/handoff.h"

#include <ostream>

#include "clients/cli/rpc.h"

namespace kneechat::cli {

int RunHandoff(v1::KneeChat::StubInterface& stub, const std::string& session_id,
               std::ostream& out, std::ostream& err,
               const HandoffOptions& options) {
  v1::GetHandoffRequest request;
  request.set_session_id(session_id);
  v1::GetHandoffResponse response;
  const grpc::Status status =
      stub.GetHandoff(NewContext(options.timeout).get(), request, &response);
  if (!status.ok()) {
    err << "error: " << ToAbsl(status).ToString() << "\n";
    return 1;
  }
  const std::string& text =
      options.fhir ? response.fhir_bundle_json() : response.summary_text();
  out << text;
  if (text.empty() || text.back() != '\n') out << "\n";
  return 0;
}

}  // namespace kneechat::cli
