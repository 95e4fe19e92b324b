#include "clients/cli/bench_command.h"

#include <fstream>
#include <iostream>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/rpc.h"

namespace kneechat::cli {
namespace {

int Error(std::ostream& err, const absl::Status& status) {
  err << "error: " << status.ToString() << std::endl;
  return 1;
}

std::string Mode(const BenchOptions& options) {
  if (options.rate <= 0) {
    return absl::StrCat("closed loop, concurrency ", options.concurrency);
  }
  return absl::StrFormat(
      "open loop, %g calls/s, %s arrivals (at most %d in flight)", options.rate,
      options.arrivals == Arrivals::kPoisson ? "Poisson" : "evenly spaced",
      options.max_in_flight);
}

// The server's pid per --server_pid, or nullopt (with a note on `err` when
// it was looked for and not found). kNotFound when a given pid's CPU cannot
// be read.
absl::StatusOr<std::optional<int>> ServerPid(const BenchCommandOptions& options,
                                             ProcReader& proc,
                                             std::ostream& err) {
  if (options.server_pid < 0) return std::nullopt;
  if (options.server_pid > 0) {
    ProcessCpuClock clock(proc, options.server_pid);
    absl::StatusOr<absl::Duration> cpu = clock.CpuTime();
    if (!cpu.ok()) return cpu.status();
    return options.server_pid;
  }
  const int port = LocalPort(options.server);
  if (port == 0) {
    err << "note: server CPU not measured: " << options.server
        << " is not on this machine\n";
    return std::nullopt;
  }
  absl::StatusOr<pid_t> pid = FindListeningPid(proc, port);
  if (!pid.ok()) {
    err << "note: server CPU not measured: " << pid.status().message()
        << " (give --server_pid)\n";
    return std::nullopt;
  }
  return static_cast<int>(*pid);
}

}  // namespace

int LocalPort(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return 0;
  const std::string host = address.substr(0, colon);
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return 0;
  }
  const bool local = absl::StartsWith(host, "127.") || host == "localhost" ||
                     host == "[::1]" || host == "0.0.0.0" || host == "[::]";
  return local ? port : 0;
}

int RunBenchCommand(const BenchCommandOptions& options, std::ostream& out,
                    std::ostream& err) {
  ProcReader& proc =
      options.proc != nullptr ? *options.proc : *ProcReader::Real();
  std::vector<Conversation> loaded;
  if (!options.conversations.empty()) {
    absl::StatusOr<std::vector<Conversation>> conversations =
        LoadConversations(options.conversations);
    if (!conversations.ok()) return Error(err, conversations.status());
    loaded = *std::move(conversations);
  }
  const std::vector<Conversation>& conversations =
      loaded.empty() ? DefaultConversations() : loaded;

  std::shared_ptr<grpc::Channel> channel = Connect(options.server);
  absl::Status ready =
      WaitForServer(*channel, options.server, options.bench.timeout);
  if (!ready.ok()) return Error(err, ready);

  absl::StatusOr<std::optional<int>> pid = ServerPid(options, proc, err);
  if (!pid.ok()) return Error(err, pid.status());
  std::optional<ProcessCpuClock> server_cpu;
  if (*pid) server_cpu.emplace(proc, **pid);
  SelfCpuClock client_cpu;

  const BenchOptions& bench = options.bench;
  err << "kneechat bench: " << bench.rounds << " rounds of 3 blocks of "
      << absl::FormatDuration(bench.block) << " after "
      << absl::FormatDuration(bench.warmup) << " of warm-up" << std::endl;
  absl::StatusOr<BenchRun> result =
      RunBench(channel, DefaultSearchQueries(), conversations, bench,
               server_cpu ? &*server_cpu : nullptr, &client_cpu);
  if (!result.ok()) return Error(err, result.status());

  RunDescription run;
  run.server = options.server;
  run.server_pid = *pid;
  run.mode = Mode(bench);
  run.open_loop = bench.rate > 0;
  run.rounds = bench.rounds;
  run.block = bench.block;
  const BenchReport report = BuildReport(run, result->blocks);
  out << FormatReport(report) << std::flush;
  if (!options.json.empty()) {
    std::ofstream file(options.json);
    file << ReportJson(report).dump(1) << "\n";
    if (!file) {
      return Error(err, absl::UnavailableError("cannot write " + options.json));
    }
  }
  if (!result->stopped_early.empty()) {
    err << "error: stopped early: " << result->stopped_early << std::endl;
    return 1;
  }
  int64_t errors = 0;
  for (const KindFigures& kind : report.kinds) errors += kind.errors;
  if (errors > 0) {
    err << "error: " << errors << " calls failed" << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace kneechat::cli
