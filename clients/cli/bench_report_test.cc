#include "clients/cli/bench_report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A block whose `kind` calls took `latencies` microseconds each.
BlockResult Block(Workload workload, int round, CallKind kind,
                  std::vector<double> latencies, absl::Duration wall,
                  std::optional<absl::Duration> server_cpu,
                  absl::Duration client_cpu) {
  BlockResult block;
  block.workload = workload;
  block.round = round;
  block.wall = wall;
  block.server_cpu = server_cpu;
  block.client_cpu = client_cpu;
  block.calls[kind].latencies_us = std::move(latencies);
  return block;
}

std::vector<double> Repeat(double value, int n) {
  return std::vector<double>(static_cast<size_t>(n), value);
}

RunDescription TestRun() {
  RunDescription run;
  run.server = "127.0.0.1:5000";
  run.server_pid = 42;
  run.mode = "closed loop, concurrency 2";
  run.rounds = 2;
  run.block = absl::Seconds(1);
  return run;
}

// Two rounds: null calls take 100 us, search 300 us, turns 1000 us (500 us
// in round 1) and one CreateSession per turn block.
std::vector<BlockResult> TwoRounds() {
  std::vector<BlockResult> blocks;
  for (int round = 0; round < 2; ++round) {
    blocks.push_back(Block(Workload::kNull, round, CallKind::kNull,
                           Repeat(100, 1000), absl::Seconds(1),
                           absl::Milliseconds(50), absl::Milliseconds(20)));
    blocks.push_back(Block(Workload::kSearch, round, CallKind::kSearch,
                           Repeat(300, 500), absl::Seconds(1),
                           absl::Milliseconds(100), absl::Milliseconds(10)));
    BlockResult turn =
        Block(Workload::kTurn, round, CallKind::kTurn,
              Repeat(round == 0 ? 1000 : 500, 100), absl::Seconds(1),
              absl::Milliseconds(200), absl::Milliseconds(5));
    turn.calls[CallKind::kCreate].latencies_us = {80};
    blocks.push_back(std::move(turn));
  }
  return blocks;
}

const KindFigures& Kind(const BenchReport& report, CallKind kind) {
  for (const KindFigures& figures : report.kinds) {
    if (figures.kind == kind) return figures;
  }
  static const KindFigures* none = new KindFigures();
  ADD_FAILURE() << "no " << CallKindName(kind);
  return *none;
}

TEST(BuildReportTest, SumsEachKindOverItsBlocks) {
  const BenchReport report = BuildReport(TestRun(), TwoRounds());
  ASSERT_EQ(report.kinds.size(), 4u);  // no delete calls

  const KindFigures& null = Kind(report, CallKind::kNull);
  EXPECT_EQ(null.calls, 2000);
  EXPECT_EQ(null.errors, 0);
  EXPECT_EQ(null.latency.p50, 100);
  EXPECT_DOUBLE_EQ(null.throughput, 1000);
  EXPECT_DOUBLE_EQ(*null.server_cpu_us, 50);  // 100 ms / 2000 calls
  EXPECT_DOUBLE_EQ(*null.client_cpu_us, 20);

  const KindFigures& turn = Kind(report, CallKind::kTurn);
  EXPECT_EQ(turn.calls, 200);
  EXPECT_EQ(turn.latency.p50, 500);
  EXPECT_EQ(turn.latency.p99, 1000);
  EXPECT_DOUBLE_EQ(turn.throughput, 100);
  EXPECT_DOUBLE_EQ(*turn.server_cpu_us, 2000);  // 400 ms / 200 turns

  const KindFigures& create = Kind(report, CallKind::kCreate);
  EXPECT_EQ(create.calls, 2);
  EXPECT_DOUBLE_EQ(create.throughput, 1);
  EXPECT_FALSE(create.server_cpu_us.has_value());
}

TEST(BuildReportTest, RatiosAreToTheNullRpc) {
  const BenchReport report = BuildReport(TestRun(), TwoRounds());
  ASSERT_EQ(report.ratios.size(), 2u);
  const RatioFigures& search = report.ratios[0];
  EXPECT_EQ(search.kind, CallKind::kSearch);
  EXPECT_DOUBLE_EQ(*search.p50, 3);
  EXPECT_DOUBLE_EQ(*search.p99, 3);
  EXPECT_DOUBLE_EQ(*search.server_cpu, 4);  // 200 us against 50 us a call
  EXPECT_DOUBLE_EQ(*search.throughput, 0.5);
  EXPECT_DOUBLE_EQ(*search.p50_round_min, 3);
  EXPECT_DOUBLE_EQ(*search.p50_round_max, 3);

  const RatioFigures& turn = report.ratios[1];
  EXPECT_EQ(turn.kind, CallKind::kTurn);
  EXPECT_DOUBLE_EQ(*turn.p50, 5);
  EXPECT_DOUBLE_EQ(*turn.p99, 10);
  EXPECT_DOUBLE_EQ(*turn.server_cpu, 2000.0 / 50);
  EXPECT_DOUBLE_EQ(*turn.throughput, 0.1);
  EXPECT_DOUBLE_EQ(*turn.p50_round_min, 5);
  EXPECT_DOUBLE_EQ(*turn.p50_round_max, 10);
}

TEST(BuildReportTest, ErrorsCountAsCallsButNotInLatencies) {
  std::vector<BlockResult> blocks = TwoRounds();
  blocks[2].calls[CallKind::kTurn].errors["UNAVAILABLE"] = 3;
  blocks[5].calls[CallKind::kTurn].errors["UNAVAILABLE"] = 1;
  blocks[5].calls[CallKind::kTurn].errors["DEADLINE_EXCEEDED"] = 2;
  const BenchReport report = BuildReport(TestRun(), blocks);
  const KindFigures& turn = Kind(report, CallKind::kTurn);
  EXPECT_EQ(turn.calls, 206);
  EXPECT_EQ(turn.errors, 6);
  EXPECT_EQ(turn.latency.count, 200);
  EXPECT_EQ(turn.error_codes.at("UNAVAILABLE"), 4);
  EXPECT_EQ(turn.error_codes.at("DEADLINE_EXCEEDED"), 2);
  EXPECT_EQ(blocks[5].calls[CallKind::kTurn].error_count(), 3);
}

TEST(BuildReportTest, CountsTurnRepliesByKind) {
  std::vector<BlockResult> blocks = TwoRounds();
  blocks[2].calls[CallKind::kTurn].reply_kinds = {{v1::REPLY_KIND_QUESTION, 60},
                                                  {v1::REPLY_KIND_ANSWER, 40}};
  blocks[5].calls[CallKind::kTurn].reply_kinds = {{v1::REPLY_KIND_ANSWER, 100},
                                                  {99, 1}};
  const BenchReport report = BuildReport(TestRun(), blocks);
  const KindFigures& turn = Kind(report, CallKind::kTurn);
  EXPECT_EQ(turn.reply_kinds.at("QUESTION"), 60);
  EXPECT_EQ(turn.reply_kinds.at("ANSWER"), 140);
  EXPECT_EQ(turn.reply_kinds.at("99"), 1);
  EXPECT_THAT(FormatReport(report),
              HasSubstr("turn replies: 99 1, ANSWER 140, QUESTION 60\n"));
  EXPECT_EQ(ReportJson(report)["kinds"]["turn"]["reply_kinds"]["ANSWER"], 140);
}

TEST(BuildReportTest, ServerCpuIsMissingWhenAnyBlockLacksIt) {
  std::vector<BlockResult> blocks = TwoRounds();
  blocks[4].server_cpu.reset();  // round 1's search block
  const BenchReport report = BuildReport(TestRun(), blocks);
  EXPECT_FALSE(Kind(report, CallKind::kSearch).server_cpu_us.has_value());
  EXPECT_TRUE(Kind(report, CallKind::kNull).server_cpu_us.has_value());
  EXPECT_FALSE(report.ratios[0].server_cpu.has_value());
  EXPECT_TRUE(report.ratios[1].server_cpu.has_value());
}

TEST(BuildReportTest, NoRatiosWithoutNullCalls) {
  std::vector<BlockResult> blocks = TwoRounds();
  blocks[0].calls.clear();
  blocks[3].calls.clear();
  const BenchReport report = BuildReport(TestRun(), blocks);
  EXPECT_EQ(Kind(report, CallKind::kNull).calls, 0);
  EXPECT_TRUE(report.ratios.empty());
}

TEST(BuildReportTest, ZeroCpuGivesNoRatioRatherThanInfinity) {
  std::vector<BlockResult> blocks = TwoRounds();
  blocks[0].server_cpu = absl::ZeroDuration();
  blocks[3].server_cpu = absl::ZeroDuration();
  const BenchReport report = BuildReport(TestRun(), blocks);
  EXPECT_DOUBLE_EQ(*Kind(report, CallKind::kNull).server_cpu_us, 0);
  EXPECT_FALSE(report.ratios[0].server_cpu.has_value());
}

TEST(FormatReportTest, PrintsEveryKindAndTheRatios) {
  const std::string text = FormatReport(BuildReport(TestRun(), TwoRounds()));
  EXPECT_THAT(text, HasSubstr("127.0.0.1:5000 (server pid 42)"));
  EXPECT_THAT(text, HasSubstr("closed loop, concurrency 2; 2 rounds"));
  EXPECT_THAT(text, HasSubstr("\nnull         2000      0      100"));
  EXPECT_THAT(text, HasSubstr("\nturn          200      0      500"));
  EXPECT_THAT(text, HasSubstr("\n create         2      0       80"));
  EXPECT_THAT(text, HasSubstr("in turn"));
  EXPECT_THAT(text, HasSubstr("\nsearch            3.00    3.00     4.00"));
  EXPECT_THAT(text, HasSubstr("5.00..10.00"));
  EXPECT_THAT(text, Not(HasSubstr("errors in")));
  EXPECT_THAT(text, Not(HasSubstr("scheduled send time")));
}

TEST(FormatReportTest, OpenLoopSaysWhatTheRateCounts) {
  RunDescription run = TestRun();
  run.open_loop = true;
  const std::string text = FormatReport(BuildReport(run, TwoRounds()));
  EXPECT_THAT(text, HasSubstr("The rate counts every call"));
  EXPECT_THAT(text, HasSubstr("scheduled send time"));
}

TEST(FormatReportTest, SaysWhenServerCpuIsNotMeasured) {
  RunDescription run = TestRun();
  run.server_pid.reset();
  std::vector<BlockResult> blocks = TwoRounds();
  for (BlockResult& block : blocks) block.server_cpu.reset();
  blocks[0].calls[CallKind::kNull].errors["UNAVAILABLE"] = 2;
  const std::string text = FormatReport(BuildReport(run, blocks));
  EXPECT_THAT(text, HasSubstr("(server CPU not measured)"));
  EXPECT_THAT(text, HasSubstr("n/a"));
  EXPECT_THAT(text, HasSubstr("errors in null: UNAVAILABLE x2"));
}

TEST(ReportJsonTest, HasEveryKindAndRatio) {
  const nlohmann::ordered_json json =
      ReportJson(BuildReport(TestRun(), TwoRounds()));
  EXPECT_EQ(json["run"]["server_pid"], 42);
  EXPECT_EQ(json["kinds"]["null"]["calls"], 2000);
  EXPECT_EQ(json["kinds"]["turn"]["p99_us"], 1000.0);
  EXPECT_TRUE(json["kinds"]["create"]["server_cpu_us_per_call"].is_null());
  EXPECT_FALSE(json["kinds"].contains("delete"));
  EXPECT_DOUBLE_EQ(json["ratios"]["turn"]["p50"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(json["ratios"]["search"]["throughput"].get<double>(), 0.5);
}

}  // namespace
}  // namespace kneechat::cli
