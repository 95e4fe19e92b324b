#include "clients/cli/handoff.h"

#include <sstream>

#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"

namespace kneechat::cli {
namespace {

using HandoffTest = FakeServerTest;

TEST_F(HandoffTest, PrintsTheSummaryOrTheBundle) {
  engine_.on_get_handoff = [](const v1::GetHandoffRequest& request)
      -> absl::StatusOr<v1::GetHandoffResponse> {
    EXPECT_EQ(request.session_id(), "abc");
    v1::GetHandoffResponse response;
    response.set_summary_text("S - Situation\nTriage: URGENT\n");
    response.set_fhir_bundle_json(R"({"resourceType":"Bundle"})");
    return response;
  };
  std::ostringstream out, err;
  EXPECT_EQ(RunHandoff(*stub_, "abc", out, err, HandoffOptions()), 0);
  EXPECT_EQ(out.str(), "S - Situation\nTriage: URGENT\n");
  std::ostringstream fhir;
  HandoffOptions options;
  options.fhir = true;
  EXPECT_EQ(RunHandoff(*stub_, "abc", fhir, err, options), 0);
  EXPECT_EQ(fhir.str(), "{\"resourceType\":\"Bundle\"}\n");
  EXPECT_EQ(err.str(), "");
}

TEST_F(HandoffTest, UnknownSessionIsNotFound) {
  engine_.on_get_handoff = [](const v1::GetHandoffRequest&)
      -> absl::StatusOr<v1::GetHandoffResponse> {
    return absl::NotFoundError("session not found or expired");
  };
  std::ostringstream out, err;
  EXPECT_EQ(RunHandoff(*stub_, "nope", out, err, HandoffOptions()), 1);
  EXPECT_EQ(err.str(), "error: NOT_FOUND: session not found or expired\n");
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace kneechat::cli
