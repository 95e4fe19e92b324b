// `kneechat bench` against the real server, briefly, in both of its modes:
// the report must hold all three kinds of call with calls, no errors and
// usable ratios to the null RPC.
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

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

class BenchTest : public ::testing::Test {
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

  // Runs the bench for 0.9 s of blocks (3 rounds of 3 blocks of 100 ms)
  // and returns its JSON report.
  nlohmann::json Bench(std::vector<std::string> args, CommandResult* result) {
    const std::string json_path =
        ::testing::TempDir() + "/bench_report_" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name() +
        ".json";
    args.insert(args.begin(), KNEECHAT_CLI_BINARY);
    args.insert(args.begin() + 1, "bench");
    for (const char* flag :
         {"--block=100ms", "--rounds=3", "--warmup=150ms", "--timeout=20s"}) {
      args.push_back(flag);
    }
    args.push_back("--server=" + server_->address());
    args.push_back("--json=" + json_path);
    auto run = RunCommand(args, "", absl::Seconds(120));
    EXPECT_TRUE(run.ok()) << run.status();
    if (run.ok()) *result = *run;
    std::ifstream file(json_path);
    return nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  }

  static void ExpectSaneReport(const nlohmann::json& report) {
    ASSERT_TRUE(report.is_object()) << report.dump();
    for (const char* kind : {"null", "search", "turn", "create"}) {
      const nlohmann::json& figures = report["kinds"][kind];
      EXPECT_GT(figures["calls"].get<int>(), 0) << kind;
      EXPECT_EQ(figures["errors"], 0) << kind << ": " << figures.dump();
      EXPECT_GT(figures["p50_us"].get<double>(), 0) << kind;
      EXPECT_LE(figures["p50_us"].get<double>(),
                figures["p99_us"].get<double>())
          << kind;
      EXPECT_LE(figures["p99_us"].get<double>(),
                figures["max_us"].get<double>())
          << kind;
    }
    for (const char* kind : {"search", "turn"}) {
      const nlohmann::json& ratios = report["ratios"][kind];
      for (const char* ratio : {"p50", "p99", "throughput"}) {
        ASSERT_TRUE(ratios[ratio].is_number()) << kind << " " << ratio;
        const double value = ratios[ratio].get<double>();
        EXPECT_TRUE(std::isfinite(value) && value > 0)
            << kind << " " << ratio << " " << value;
      }
      // Server CPU per call is counted in 10 ms clock ticks: a short block
      // may see none, and then there is no ratio rather than a bad one.
      const nlohmann::json& cpu = ratios["server_cpu"];
      EXPECT_TRUE(cpu.is_null() || (cpu.is_number() && cpu.get<double>() > 0))
          << kind << " " << cpu;
      EXPECT_LE(ratios["p50_round_min"].get<double>(),
                ratios["p50_round_max"].get<double>());
    }
  }

  static ServerProcess* server_;
};

ServerProcess* BenchTest::server_ = nullptr;

TEST_F(BenchTest, ClosedLoopReportsEveryKindAgainstTheNullRpc) {
  CommandResult result;
  const nlohmann::json report = Bench(
      {"--concurrency=2", "--server_pid=" + std::to_string(server_->pid())},
      &result);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("closed loop, concurrency 2; 3 rounds"));
  EXPECT_THAT(result.out, HasSubstr("ratio to null"));
  EXPECT_EQ(report["run"]["server_pid"], server_->pid());
  ExpectSaneReport(report);
}

TEST_F(BenchTest, OpenLoopFindsTheServerFromItsPortAndPlaysAScenarioFile) {
  CommandResult result;
  const nlohmann::json report =
      Bench({"--rate=300",
             "--conversations=" KNEECHAT_SCENARIOS_DIR "/conversations.jsonl"},
            &result);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("open loop, 300 calls/s, Poisson"));
  // The server was found from the port it listens on.
  EXPECT_EQ(report["run"]["server_pid"], server_->pid()) << result.err;
  ExpectSaneReport(report);
}

TEST_F(BenchTest, NoServerIsAClearError) {
  const auto result = RunCommand(
      {KNEECHAT_CLI_BINARY, "bench", "--server=127.0.0.1:1", "--timeout=500ms"},
      "", absl::Seconds(60));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->err, HasSubstr("error: UNAVAILABLE: no kneechat server "
                                     "answered at 127.0.0.1:1"));
}

}  // namespace
}  // namespace kneechat
