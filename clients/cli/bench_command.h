// `kneechat bench`: measures a running server the way an independent load
// client would, and prints the figures of each kind of call with their
// ratios to a null RPC (see bench_runner.h and bench_report.h).
#pragma once

#include <iosfwd>
#include <string>

#include "clients/cli/bench_runner.h"
#include "clients/cli/proc_cpu.h"

namespace kneechat::cli {

struct BenchCommandOptions {
  // "HOST:PORT" of the server.
  std::string server;
  BenchOptions bench;
  // > 0: the server's pid, for its CPU per call. 0: the process listening
  // on the server's port when the server is on this machine (loopback or
  // "localhost"), else not measured. < 0: not measured.
  int server_pid = 0;
  // A JSON-lines file of scripted conversations; empty: the built-in ones.
  std::string conversations;
  // Also write the report as JSON to this file when not empty.
  std::string json;
  // Not owned; null means ProcReader::Real().
  ProcReader* proc = nullptr;
};

// Runs the bench and prints the report on `out`; notes (e.g. why server
// CPU is not measured) and errors ("error: CODE: message") on `err`.
// Returns 0, or 1 when the server cannot be reached (within the RPC
// deadline), an input cannot be read, or any call failed (the report is
// printed first). A block whose every call is UNAVAILABLE (the server went
// away) ends the run there.
int RunBenchCommand(const BenchCommandOptions& options, std::ostream& out,
                    std::ostream& err);

// The port of `address` when its host is this machine (127.x.x.x,
// localhost, [::1], 0.0.0.0 or [::]); 0 otherwise.
int LocalPort(const std::string& address);

}  // namespace kneechat::cli
