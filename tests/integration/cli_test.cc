// The kneechat client against the real server: a piped chat, a search and
// the evaluation runner on the project's own scenario files.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/child_process.h"

namespace kneechat {
namespace {

using ::kneechat::testing::CommandResult;
using ::kneechat::testing::RunCommand;
using ::kneechat::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = ServerProcess::Start(
        KNEECHAT_SERVER_BINARY, {"--listen", "127.0.0.1:0"}, absl::Seconds(60));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(server_, nullptr); }

  CommandResult Run(std::vector<std::string> args,
                    const std::string& input = "") {
    args.insert(args.begin(), KNEECHAT_CLI_BINARY);
    args.push_back("--server=" + server_->address());
    auto result = RunCommand(args, input, absl::Seconds(120));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult();
  }

  static ServerProcess* server_;
};

ServerProcess* CliTest::server_ = nullptr;

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

TEST_F(CliTest, PipedChatPrintsGreetingRepliesAndQuickReplyChoices) {
  const CommandResult result =
      Run({"chat"}, "my knee is sore at the front whenever I run\n1\n/quit\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, StartsWith("kneechat> "));
  EXPECT_EQ(Count(result.out, "kneechat> "), 3) << result.out;
  EXPECT_THAT(result.out, Not(HasSubstr("> >")));  // no prompt on a pipe

  // "1" picks the first quick reply offered after the first message, if any.
  const std::vector<std::string> turns =
      absl::StrSplit(result.out, "\nkneechat> ");
  ASSERT_EQ(turns.size(), 3u);
  const size_t option = turns[1].find("\n    1) ");
  if (option != std::string::npos) {
    const size_t begin = option + 8;
    const std::string title =
        turns[1].substr(begin, turns[1].find('\n', begin) - begin);
    EXPECT_THAT(turns[1], HasSubstr("(you chose: " + title + ")"));
  }
}

TEST_F(CliTest, ChatRpcErrorPrintsCodeAndExitsNonZero) {
  const CommandResult result = Run({"chat", "--timeout=1us"}, "hello\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, StartsWith("error: DEADLINE_EXCEEDED"));
}

TEST_F(CliTest, SearchPrintsRankedPassages) {
  const CommandResult result =
      Run({"search", "knee brace", "--page_size", "3"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("1. [score "));
  EXPECT_THAT(result.out, HasSubstr("   document "));
  EXPECT_THAT(result.out, HasSubstr(", passage "));
  EXPECT_LE(Count(result.out, "   document "), 3);
}

TEST_F(CliTest, SearchErrorPrintsCodeAndFails) {
  const CommandResult result = Run({"search", ""});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, StartsWith("error: INVALID_ARGUMENT: "));
}

TEST_F(CliTest, EvalPrintsTheSummaryFigures) {
  const CommandResult result =
      Run({"eval", KNEECHAT_SCENARIOS_DIR "/vignettes.jsonl"});
  // Exit code 1 would mean a scenario failed with an RPC error.
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::ordered_json summary =
      nlohmann::ordered_json::parse(result.out, nullptr, false);
  ASSERT_TRUE(summary.is_object()) << result.out;
  std::vector<std::string> keys;
  for (const auto& item : summary.items()) keys.push_back(item.key());
  EXPECT_THAT(keys, ::testing::ElementsAre(
                        "scenarios", "errors", "critical_misses",
                        "urgent_cases", "under_triaged", "false_alarm_rate",
                        "exact_level", "self_care_answered_with_citations",
                        "topic_hit", "terms_hit", "qa_hit", "mean_questions",
                        "max_questions", "reasked", "looped", "asked_twice",
                        "self_care_never_answered", "spam_citations"));
  EXPECT_EQ(summary["scenarios"], 20);
  EXPECT_EQ(summary["errors"], 0);
  EXPECT_EQ(summary["urgent_cases"], 8);
}

TEST_F(CliTest, SearchEvalPrintsHitRate) {
  const CommandResult result =
      Run({"eval", "--search", KNEECHAT_SCENARIOS_DIR "/search.jsonl"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::ordered_json summary =
      nlohmann::ordered_json::parse(result.out, nullptr, false);
  ASSERT_TRUE(summary.is_object()) << result.out;
  EXPECT_EQ(summary["queries"], 13);
  EXPECT_TRUE(summary["hit_at_3"].is_number());
  EXPECT_TRUE(summary["spam"].is_number());
}

TEST(CliNoServerTest, UnreachableServerFailsWithUnavailable) {
  auto result = RunCommand({KNEECHAT_CLI_BINARY, "search", "knee",
                            "--server=127.0.0.1:1", "--timeout=2s"},
                           "", absl::Seconds(30));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->err, StartsWith("error: UNAVAILABLE: "));
}

TEST(CliNoServerTest, UnknownCommandIsAUsageError) {
  auto result =
      RunCommand({KNEECHAT_CLI_BINARY, "dance"}, "", absl::Seconds(30));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_THAT(result->err, HasSubstr("unknown command 'dance'"));
}

}  // namespace
}  // namespace kneechat
