// kneechat: the terminal client of a kneechat server.
//
//   kneechat search "QUERY" [--server ADDR] [--page_size N]
//   kneechat chat [--server ADDR] [--keep_session]
//   kneechat eval FILE [--server ADDR] [--json OUT] [--verbose] [--search]
//   kneechat bench [--server ADDR] [--concurrency N | --rate R] ...
//   kneechat review --before INDEX --after INDEX [--before_corpus DIR]
//                   [--after_corpus DIR] FILE
//   kneechat handoff SESSION_ID [--server ADDR] [--fhir]
//
// Errors print "error: CODE: message" on stderr and exit non-zero. review
// runs two engines in this process (no server) and exits 0 when nothing
// changed, 1 when something did, 2 on an error.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "clients/cli/bench_command.h"
#include "clients/cli/chat.h"
#include "clients/cli/eval.h"
#include "clients/cli/local_engine.h"
#include "clients/cli/review.h"
#include "clients/cli/handoff.h"
#include "clients/cli/rpc.h"
#include "clients/cli/search.h"
#include "services/common/dashed_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "kneechat server address HOST:PORT");
ABSL_FLAG(int, page_size, 5,
          "search: passages to show (1..50); bench: Search's page_size");
ABSL_FLAG(int, width, 80, "wrap output at this many columns");
ABSL_FLAG(bool, keep_session, false,
          "chat: keep the session on the server when the chat ends");
ABSL_FLAG(std::string, json, "",
          "eval: also write the summary and every result row to this file; "
          "bench: also write the report as JSON to this file");
ABSL_FLAG(bool, verbose, false,
          "eval: include each scenario's turn-by-turn log in --json rows");
ABSL_FLAG(bool, search, false, "eval: FILE holds search queries");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10),
          "deadline of each RPC (bench: also how long to wait for the "
          "server to answer at all)");
ABSL_FLAG(int, concurrency, 0,
          "bench: closed loop with N callers in flight, each making its next "
          "call when the last returns (the default, with N = 1, unless "
          "--rate is given); over one connection, whose server lets 32 calls "
          "run at once");
ABSL_FLAG(double, rate, 0,
          "bench: open loop at R calls/s, sent on schedule whatever the "
          "replies do; latency counts from the scheduled send time");
ABSL_FLAG(std::string, arrivals, "poisson",
          "bench, open loop: 'poisson' (random arrivals) or 'even' (evenly "
          "spaced)");
ABSL_FLAG(int, max_in_flight, 1000,
          "bench, open loop: an arrival while this many calls are in flight "
          "is not sent and counts as an error (NOT_SENT)");
ABSL_FLAG(absl::Duration, block, absl::Seconds(2),
          "bench: length of each block; blocks of null RPCs (health check), "
          "Search calls and chat turns take turns");
ABSL_FLAG(int, rounds, 5, "bench: rounds of null, search and turn blocks");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "bench: unrecorded blocks of each kind first, in all this long");
ABSL_FLAG(int, server_pid, 0,
          "bench: the server's process id, for its CPU per call (from "
          "/proc/PID/stat); 0 finds the process listening on --server's port "
          "when the server is on this machine; -1 does not measure it");
ABSL_FLAG(std::string, conversations, "",
          "bench: JSON-lines file of scripted conversations (as in "
          "tests/scenarios, tests/followups or tests/triage: turns, profile, "
          "questions); empty uses a small built-in set");
ABSL_FLAG(uint64_t, seed, 1, "bench: seed of the Poisson arrivals");
ABSL_FLAG(std::string, before, "", "review: the index (directory) before");
ABSL_FLAG(std::string, after, "", "review: the index (directory) after");
ABSL_FLAG(std::string, before_corpus, "",
          "review: the corpus directory (knowledge files) before; default: "
          "the installed or build-tree corpus");
ABSL_FLAG(std::string, after_corpus, "",
          "review: the corpus directory after; default: --before_corpus");
ABSL_FLAG(bool, fhir, false,
          "handoff: print the FHIR R4 Bundle (JSON) instead of the summary");

namespace kneechat::cli {
namespace {

constexpr char kUsage[] =
    "the kneechat terminal client.\n"
    "  kneechat search \"QUERY\" [--server ADDR] [--page_size N]\n"
    "  kneechat chat [--server ADDR] [--keep_session]\n"
    "  kneechat eval FILE [--server ADDR] [--json OUT] [--verbose] "
    "[--search]\n"
    "  kneechat bench [--server ADDR] [--concurrency N | --rate R] "
    "[--arrivals poisson|even]\n"
    "      [--block 2s] [--rounds 5] [--warmup 1s] [--server_pid PID] "
    "[--conversations FILE]\n"
    "      [--json OUT]  (measures a running server; exits 1 if it cannot "
    "be reached or any call failed)\n"
    "  kneechat review --before INDEX --after INDEX [--before_corpus DIR] "
    "[--after_corpus DIR] FILE\n"
    "  kneechat handoff SESSION_ID [--server ADDR] [--fhir]";

int UsageError(const std::string& message) {
  std::cerr << "kneechat: " << message << "\nusage: " << kUsage << std::endl;
  return 2;
}

int Error(const absl::Status& status) {
  std::cerr << "error: " << status.ToString() << std::endl;
  return 1;
}

absl::Status WriteJson(const std::string& path, const Json& value) {
  std::ofstream file(path);
  file << value.dump(1) << "\n";
  if (!file) return absl::UnavailableError("cannot write " + path);
  return absl::OkStatus();
}

int Eval(v1::KneeChat::StubInterface& stub, grpc::Channel& channel,
         const std::string& path) {
  absl::StatusOr<std::vector<Json>> entries = ReadJsonLines(path);
  if (!entries.ok()) return Error(entries.status());
  const std::string server = absl::GetFlag(FLAGS_server);
  absl::Status ready = WaitForServer(channel, server, absl::Seconds(20));
  if (!ready.ok()) return Error(ready);
  EvalOptions options;
  options.verbose = absl::GetFlag(FLAGS_verbose);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  const std::string json_path = absl::GetFlag(FLAGS_json);

  if (absl::GetFlag(FLAGS_search)) {
    absl::StatusOr<SearchEvalResult> result =
        RunSearchEval(stub, *entries, options);
    if (!result.ok()) return Error(result.status());
    if (!json_path.empty()) {
      absl::Status written = WriteJson(
          json_path,
          Json{{"summary", result->summary}, {"results", result->rows}});
      if (!written.ok()) return Error(written);
    }
    std::cout << DumpLikePython(result->summary) << std::endl;
    return 0;
  }

  std::vector<Json> rows;
  for (const Json& scenario : *entries) {
    absl::StatusOr<Json> row = PlayScenario(stub, scenario, options);
    if (row.ok()) {
      rows.push_back(*std::move(row));
    } else {
      std::cerr << "error: scenario " << scenario.value("id", Json()).dump()
                << ": " << row.status().ToString() << std::endl;
      rows.push_back(ErrorRow(scenario, row.status().ToString()));
    }
  }
  const Json summary = Summarise(rows);
  if (!json_path.empty()) {
    absl::Status written =
        WriteJson(json_path, Json{{"summary", summary}, {"results", rows}});
    if (!written.ok()) return Error(written);
  }
  std::cout << DumpLikePython(summary) << std::endl;
  return summary["errors"].get<int>() == 0 ? 0 : 1;
}

int Bench() {
  BenchCommandOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  BenchOptions& bench = options.bench;
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  bench.rate = absl::GetFlag(FLAGS_rate);
  if (concurrency > 0 && bench.rate > 0) {
    return UsageError("give --concurrency or --rate, not both");
  }
  if (concurrency < 0 || bench.rate < 0) {
    return UsageError("--concurrency and --rate must be positive");
  }
  bench.concurrency = concurrency > 0 ? concurrency : 1;
  const std::string arrivals = absl::GetFlag(FLAGS_arrivals);
  if (arrivals != "poisson" && arrivals != "even") {
    return UsageError("--arrivals must be 'poisson' or 'even'");
  }
  bench.arrivals = arrivals == "even" ? Arrivals::kEven : Arrivals::kPoisson;
  bench.seed = absl::GetFlag(FLAGS_seed);
  bench.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  bench.block = absl::GetFlag(FLAGS_block);
  bench.rounds = absl::GetFlag(FLAGS_rounds);
  bench.warmup = absl::GetFlag(FLAGS_warmup);
  bench.timeout = absl::GetFlag(FLAGS_timeout);
  bench.page_size = absl::GetFlag(FLAGS_page_size);
  if (bench.block <= absl::ZeroDuration() || bench.rounds < 1 ||
      bench.max_in_flight < 1 || bench.warmup < absl::ZeroDuration() ||
      bench.timeout <= absl::ZeroDuration()) {
    return UsageError(
        "--block, --rounds, --max_in_flight and --timeout must be positive");
  }
  options.server_pid = absl::GetFlag(FLAGS_server_pid);
  options.conversations = absl::GetFlag(FLAGS_conversations);
  options.json = absl::GetFlag(FLAGS_json);
  return RunBenchCommand(options, std::cout, std::cerr);
}

// review's errors exit 2: 1 means "something changed".
int ReviewError(const absl::Status& status) {
  Error(status);
  return 2;
}

// Plays FILE's conversations on two builds of the data and prints what
// changed. Exit 0: nothing; 1: something; 2: an error.
int Review(const std::string& path) {
  DataPaths before = DefaultDataPaths();
  if (!absl::GetFlag(FLAGS_before_corpus).empty()) {
    before.corpus_dir = absl::GetFlag(FLAGS_before_corpus);
  }
  DataPaths after = before;
  if (!absl::GetFlag(FLAGS_after_corpus).empty()) {
    after.corpus_dir = absl::GetFlag(FLAGS_after_corpus);
  }
  before.index_dir = absl::GetFlag(FLAGS_before);
  after.index_dir = absl::GetFlag(FLAGS_after);
  if (before.index_dir.empty() || after.index_dir.empty()) {
    return UsageError("review needs --before INDEX and --after INDEX");
  }
  absl::StatusOr<std::vector<Json>> scenarios = ReadJsonLines(path);
  if (!scenarios.ok()) return ReviewError(scenarios.status());
  std::vector<Replay> replays[2];
  const DataPaths* sides[2] = {&before, &after};
  for (int side = 0; side < 2; ++side) {
    absl::StatusOr<std::unique_ptr<LocalKneeChat>> local =
        LocalKneeChat::Start(*sides[side]);
    if (!local.ok()) {
      std::cerr << "error: " << (side == 0 ? "before" : "after") << ": "
                << local.status().ToString() << std::endl;
      return 2;
    }
    absl::StatusOr<std::vector<Replay>> played = ReplayScenarios(
        (*local)->stub(), *scenarios, absl::GetFlag(FLAGS_timeout));
    if (!played.ok()) return ReviewError(played.status());
    replays[side] = *std::move(played);
  }
  const std::string changes = DescribeChanges(replays[0], replays[1]);
  std::cout << changes;
  std::cerr << scenarios->size() << " conversations replayed: "
            << (changes.empty() ? "no changes" : "changes above") << std::endl;
  return changes.empty() ? 0 : 1;
}

int Main(const std::vector<char*>& args) {
  if (args.size() < 2) return UsageError("missing command");
  const std::string command = args[1];
  const std::vector<std::string> operands(args.begin() + 2, args.end());
  const int width = absl::GetFlag(FLAGS_width);
  if (width < 20) return UsageError("--width must be at least 20");
  if (command == "bench") {
    if (!operands.empty()) return UsageError("bench takes no operands");
    return Bench();
  }

  if (command == "review") {
    if (operands.size() != 1) return UsageError("review takes one FILE");
    return Review(operands[0]);
  }

  std::shared_ptr<grpc::Channel> channel = Connect(absl::GetFlag(FLAGS_server));
  std::unique_ptr<v1::KneeChat::Stub> stub = v1::KneeChat::NewStub(channel);

  if (command == "search") {
    if (operands.size() != 1) return UsageError("search takes one QUERY");
    SearchOptions options;
    options.page_size = absl::GetFlag(FLAGS_page_size);
    options.width = static_cast<size_t>(width);
    options.timeout = absl::GetFlag(FLAGS_timeout);
    return RunSearch(*stub, operands[0], std::cout, std::cerr, options);
  }
  if (command == "chat") {
    if (!operands.empty()) return UsageError("chat takes no operands");
    ChatOptions options;
    options.width = static_cast<size_t>(width);
    options.prompt = isatty(STDIN_FILENO) == 1;
    options.keep_session = absl::GetFlag(FLAGS_keep_session);
    options.timeout = absl::GetFlag(FLAGS_timeout);
    return RunChat(*stub, std::cin, std::cout, std::cerr, options);
  }
  if (command == "handoff") {
    if (operands.size() != 1) return UsageError("handoff takes one SESSION_ID");
    HandoffOptions options;
    options.fhir = absl::GetFlag(FLAGS_fhir);
    options.timeout = absl::GetFlag(FLAGS_timeout);
    return RunHandoff(*stub, operands[0], std::cout, std::cerr, options);
  }
  if (command == "eval") {
    if (operands.size() != 1) return UsageError("eval takes one FILE");
    return Eval(*stub, *channel, operands[0]);
  }
  return UsageError("unknown command '" + command + "'");
}

}  // namespace
}  // namespace kneechat::cli

int main(int argc, char** argv) {
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "clients/cli/main.cc");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(kneechat::cli::kUsage);
  std::vector<std::string> args = kneechat::UnderscoreFlagNames(argc, argv);
  std::vector<char*> arg_pointers = kneechat::ArgvPointers(args);
  return kneechat::cli::Main(absl::ParseCommandLine(
      static_cast<int>(arg_pointers.size()), arg_pointers.data()));
}
