#include "clients/cli/search.h"

#include <sstream>

#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"

namespace kneechat::cli {
namespace {

using ::testing::HasSubstr;

using SearchTest = FakeServerTest;

TEST_F(SearchTest, PrintsRankedPassages) {
  engine_.on_search = [](const v1::SearchRequest& request)
      -> absl::StatusOr<v1::SearchResponse> {
    v1::SearchResponse response;
    for (int i = 1; i <= request.page_size(); ++i) {
      v1::Passage* passage = response.add_passages();
      passage->set_document_id("cure-knee-pain-from-running");
      passage->set_passage_id("cure-knee-pain-from-running#" +
                              std::to_string(i));
      passage->set_title("How to cure knee pain from running");
      passage->set_text("A brace " + request.query());
      passage->set_score(1.0 / i);
    }
    return response;
  };
  std::ostringstream out, err;
  SearchOptions options;
  options.page_size = 2;
  EXPECT_EQ(RunSearch(*stub_, "knee brace", out, err, options), 0);
  EXPECT_THAT(out.str(), HasSubstr("1. [score 1.000] How to cure knee pain"));
  EXPECT_THAT(out.str(), HasSubstr("2. [score 0.500]"));
  EXPECT_THAT(out.str(), HasSubstr("passage cure-knee-pain-from-running#2"));
  EXPECT_THAT(out.str(), HasSubstr("   A brace knee brace\n"));
  EXPECT_EQ(err.str(), "");
  ASSERT_EQ(engine_.searches().size(), 1u);
  EXPECT_EQ(engine_.searches()[0].page_size(), 2);
}

TEST_F(SearchTest, SaysSoWhenNothingMatches) {
  engine_.on_search =
      [](const v1::SearchRequest&) -> absl::StatusOr<v1::SearchResponse> {
    return v1::SearchResponse();
  };
  std::ostringstream out, err;
  EXPECT_EQ(RunSearch(*stub_, "banana bread", out, err, SearchOptions()), 0);
  EXPECT_EQ(out.str(), "No passages match.\n");
}

TEST_F(SearchTest, ErrorPrintsCodeAndMessageAndFails) {
  engine_.on_search =
      [](const v1::SearchRequest&) -> absl::StatusOr<v1::SearchResponse> {
    return absl::InvalidArgumentError("query is empty");
  };
  std::ostringstream out, err;
  EXPECT_EQ(RunSearch(*stub_, "", out, err, SearchOptions()), 1);
  EXPECT_EQ(err.str(), "error: INVALID_ARGUMENT: query is empty\n");
}

TEST(SearchNoServerTest, UnreachableServerIsUnavailable) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  auto stub = v1::KneeChat::NewStub(channel);
  std::ostringstream out, err;
  SearchOptions options;
  options.timeout = absl::Seconds(2);
  EXPECT_EQ(RunSearch(*stub, "knee", out, err, options), 1);
  EXPECT_THAT(err.str(), HasSubstr("error: UNAVAILABLE: "));
}

}  // namespace
}  // namespace kneechat::cli
