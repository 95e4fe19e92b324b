// kneechat: the terminal client of a kneechat server.
//
//   kneechat search "QUERY" [--server ADDR] [--page_size N]
//   kneechat chat [--server ADDR] [--keep_session]
//   kneechat eval FILE [--server ADDR] [--json OUT] [--verbose] [--search]
//   kneechat handoff SESSION_ID [--server ADDR] [--fhir]
//
// Errors print "error: CODE: message" on stderr and exit non-zero.
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
#include "clients/cli/chat.h"
#include "clients/cli/eval.h"
#include "clients/cli/handoff.h"
#include "clients/cli/rpc.h"
#include "clients/cli/search.h"
#include "services/common/dashed_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "kneechat server address HOST:PORT");
ABSL_FLAG(int, page_size, 5, "search: passages to show (1..50)");
ABSL_FLAG(int, width, 80, "wrap output at this many columns");
ABSL_FLAG(bool, keep_session, false,
          "chat: keep the session on the server when the chat ends");
ABSL_FLAG(std::string, json, "",
          "eval: also write the summary and every result row to this file");
ABSL_FLAG(bool, verbose, false,
          "eval: include each scenario's turn-by-turn log in --json rows");
ABSL_FLAG(bool, search, false, "eval: FILE holds search queries");
ABSL_FLAG(bool, fhir, false,
          "handoff: print the FHIR R4 Bundle (JSON) instead of the summary");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each RPC");

namespace kneechat::cli {
namespace {

constexpr char kUsage[] =
    "the kneechat terminal client.\n"
    "  kneechat search \"QUERY\" [--server ADDR] [--page_size N]\n"
    "  kneechat chat [--server ADDR] [--keep_session]\n"
    "  kneechat eval FILE [--server ADDR] [--json OUT] [--verbose] "
    "[--search]\n"
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

int Main(const std::vector<char*>& args) {
  if (args.size() < 2) return UsageError("missing command");
  const std::string command = args[1];
  const std::vector<std::string> operands(args.begin() + 2, args.end());
  const int width = absl::GetFlag(FLAGS_width);
  if (width < 20) return UsageError("--width must be at least 20");

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
