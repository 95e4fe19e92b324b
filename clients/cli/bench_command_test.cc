#include "clients/cli/bench_command.h"

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"
#include "nlohmann/json.hpp"

namespace kneechat::cli {
namespace {

// A file name in the test's temporary directory that no other test (or
// other run of this one) uses at the same time.
std::string ScratchPath(const std::string& name) {
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "/" + test->test_suite_name() + "_" +
         test->name() + "_" + std::to_string(getpid()) + "_" + name;
}

using ::testing::HasSubstr;
using ::testing::Not;

// A /proc where no process listens anywhere.
class EmptyProc : public ProcReader {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    return absl::NotFoundError(path);
  }
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override {
    return absl::NotFoundError(path);
  }
  absl::StatusOr<std::string> ReadLink(const std::string& path) override {
    return absl::NotFoundError(path);
  }
};

class BenchCommandTest : public FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    engine_.on_create_session = [](const v1::CreateSessionRequest&) {
      v1::CreateSessionResponse response;
      response.set_session_id("s1");
      response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
      return response;
    };
    // Asks the age once per conversation, then answers.
    engine_.on_send_message = [](const v1::SendMessageRequest& request) {
      v1::SendMessageResponse response;
      const bool age = absl::StrContains(request.text(), "knee");
      response.mutable_reply()->set_kind(age ? v1::REPLY_KIND_QUESTION
                                             : v1::REPLY_KIND_ANSWER);
      if (age) response.mutable_reply()->set_asking("age");
      return response;
    };
    engine_.on_search = [](const v1::SearchRequest&) {
      return v1::SearchResponse();
    };
    engine_.on_delete_session = [](const v1::DeleteSessionRequest&) {
      return v1::DeleteSessionResponse();
    };
    options_.server = server_->address();
    options_.bench.block = absl::Milliseconds(30);
    options_.bench.rounds = 2;
    options_.bench.warmup = absl::ZeroDuration();
    options_.bench.timeout = absl::Seconds(10);
    // ctest runs each test in a process of its own, several at once: every
    // file a test writes is named for that test and process.
    options_.json = ScratchPath("bench.json");
  }

  nlohmann::json Json() {
    std::ifstream file(options_.json);
    return nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  }

  BenchCommandOptions options_;
  std::ostringstream out_, err_;
};

TEST_F(BenchCommandTest, ClosedLoopMeasuresAllThreeKinds) {
  options_.bench.concurrency = 2;
  options_.server_pid = getpid();  // the fake server runs in this process
  ASSERT_EQ(RunBenchCommand(options_, out_, err_), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("closed loop, concurrency 2; 2 rounds"));
  EXPECT_THAT(out_.str(),
              HasSubstr("(server pid " + std::to_string(getpid()) + ")"));
  const nlohmann::json json = Json();
  for (const char* kind : {"null", "search", "turn", "create"}) {
    EXPECT_GT(json["kinds"][kind]["calls"].get<int>(), 0) << kind;
    EXPECT_EQ(json["kinds"][kind]["errors"], 0) << kind;
  }
  EXPECT_TRUE(json["ratios"]["turn"]["p50"].is_number());
  EXPECT_TRUE(json["ratios"]["search"]["p99"].is_number());
  EXPECT_FALSE(engine_.sent_messages().empty());
  // Two calls run at once, so the server may see them in either order; every
  // query it sees comes from the default set, the first one among them.
  std::vector<std::string> seen;
  for (const auto& search : engine_.searches()) seen.push_back(search.query());
  ASSERT_FALSE(seen.empty());
  EXPECT_THAT(seen, ::testing::Contains(DefaultSearchQueries()[0]));
  EXPECT_THAT(seen,
              ::testing::Each(::testing::AnyOfArray(DefaultSearchQueries())));
}

TEST_F(BenchCommandTest, OpenLoopPlaysTheGivenConversations) {
  const std::string path = ScratchPath("bench_conversations.jsonl");
  std::ofstream(path) << R"({"id": "a", "turns": ["my knee aches"], )"
                      << R"("profile": {"age": "61"}})"
                      << "\n";
  options_.conversations = path;
  options_.bench.rate = 400;
  options_.bench.arrivals = Arrivals::kEven;
  options_.server_pid = -1;
  ASSERT_EQ(RunBenchCommand(options_, out_, err_), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("open loop, 400 calls/s, evenly spaced"));
  EXPECT_THAT(out_.str(), HasSubstr("(server CPU not measured)"));
  const nlohmann::json json = Json();
  EXPECT_GT(json["kinds"]["turn"]["calls"].get<int>(), 0);
  EXPECT_TRUE(json["kinds"]["null"]["server_cpu_us_per_call"].is_null());
  std::set<std::string> texts;
  for (const auto& message : engine_.sent_messages()) {
    texts.insert(message.text());
  }
  EXPECT_TRUE(texts.count("my knee aches"));
  EXPECT_TRUE(texts.count("61") || engine_.sent_messages().size() < 2);
}

TEST_F(BenchCommandTest, NotesWhenTheServerProcessCannotBeFound) {
  EmptyProc proc;
  options_.proc = &proc;
  options_.bench.rounds = 1;
  ASSERT_EQ(RunBenchCommand(options_, out_, err_), 0) << err_.str();
  EXPECT_THAT(err_.str(), HasSubstr("note: server CPU not measured"));
  EXPECT_THAT(out_.str(), HasSubstr("n/a"));
}

TEST_F(BenchCommandTest, FailedCallsArePrintedAndMakeItFail) {
  engine_.on_search =
      [](const v1::SearchRequest&) -> absl::StatusOr<v1::SearchResponse> {
    return absl::InvalidArgumentError("query too long");
  };
  options_.bench.rounds = 1;
  options_.server_pid = -1;
  EXPECT_EQ(RunBenchCommand(options_, out_, err_), 1);
  EXPECT_THAT(out_.str(), HasSubstr("errors in search: INVALID_ARGUMENT x"));
  EXPECT_THAT(err_.str(), HasSubstr("calls failed"));
}

TEST_F(BenchCommandTest, StopsWhenEveryCallOfABlockIsUnavailable) {
  engine_.on_search =
      [](const v1::SearchRequest&) -> absl::StatusOr<v1::SearchResponse> {
    return absl::UnavailableError("store down");
  };
  options_.server_pid = -1;
  EXPECT_EQ(RunBenchCommand(options_, out_, err_), 1);
  EXPECT_THAT(err_.str(), HasSubstr("error: stopped early: every call of "
                                    "round 1's search block was UNAVAILABLE"));
  const nlohmann::json json = Json();
  EXPECT_GT(json["kinds"]["null"]["calls"].get<int>(), 0);
  EXPECT_EQ(json["kinds"]["turn"]["calls"], 0);  // never reached
}

TEST_F(BenchCommandTest, UnreachableServerFailsWithAClearMessage) {
  options_.server = "127.0.0.1:1";
  options_.bench.timeout = absl::Milliseconds(300);
  EXPECT_EQ(RunBenchCommand(options_, out_, err_), 1);
  EXPECT_THAT(err_.str(),
              HasSubstr("error: UNAVAILABLE: no kneechat server answered at "
                        "127.0.0.1:1"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(BenchCommandTest, UnreadableConversationsFileFails) {
  options_.conversations = ::testing::TempDir() + "/absent.jsonl";
  EXPECT_EQ(RunBenchCommand(options_, out_, err_), 1);
  EXPECT_THAT(err_.str(), HasSubstr("error: NOT_FOUND"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("kneechat bench")));
}

TEST(LocalPortTest, OnlyForThisMachine) {
  EXPECT_EQ(LocalPort("127.0.0.1:50051"), 50051);
  EXPECT_EQ(LocalPort("localhost:8080"), 8080);
  EXPECT_EQ(LocalPort("[::1]:9000"), 9000);
  EXPECT_EQ(LocalPort("10.0.0.5:50051"), 0);
  EXPECT_EQ(LocalPort("kneechat.example:443"), 0);
  EXPECT_EQ(LocalPort("127.0.0.1"), 0);
  EXPECT_EQ(LocalPort("127.0.0.1:99999"), 0);
}

}  // namespace
}  // namespace kneechat::cli
