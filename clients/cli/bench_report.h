// The figures of a `kneechat bench` run: what each block measured, summed
// per kind of call, with the ratios of each kind to the null RPC, as a
// plain table and as JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/cli/latency_summary.h"
#include "nlohmann/json.hpp"

namespace kneechat::cli {

// The three kinds of block a run interleaves.
enum class Workload { kNull, kSearch, kTurn };

// The RPCs a run times. kTurn is SendMessage; kCreate (CreateSession) and
// kDelete (DeleteSession) are made in turn blocks, to start and end the
// scripted conversations.
enum class CallKind { kNull, kSearch, kTurn, kCreate, kDelete };

// "null", "search", "turn", "create", "delete".
const char* CallKindName(CallKind kind);
const char* WorkloadName(Workload workload);

// The calls of one kind made in one block.
struct CallRecord {
  // Latencies of the calls that succeeded, in microseconds.
  std::vector<double> latencies_us;
  // Calls that failed (or were never sent), by status code name.
  std::map<std::string, int64_t> errors;
  // Of SendMessage calls: replies by kind (v1::ReplyKind), to show what the
  // turns exercised (questions, cited answers, referrals ...).
  std::map<int, int64_t> reply_kinds;

  int64_t error_count() const;
};

// What one block measured.
struct BlockResult {
  Workload workload = Workload::kNull;
  int round = 0;
  // From the block's start to the last reply of its calls.
  absl::Duration wall;
  // The server's CPU over the block; nullopt when not measured.
  std::optional<absl::Duration> server_cpu;
  // The bench's own CPU over the block; nullopt when not measured.
  std::optional<absl::Duration> client_cpu;
  std::map<CallKind, CallRecord> calls;
};

// How the run was made, for the report's heading.
struct RunDescription {
  std::string server;
  std::optional<int> server_pid;
  // e.g. "closed loop, concurrency 4" or "open loop, 200 calls/s, Poisson".
  std::string mode;
  // Calls sent on a schedule (--rate) rather than by callers in a loop.
  bool open_loop = false;
  int rounds = 0;
  absl::Duration block;
};

// The figures of one kind of call over all its blocks.
struct KindFigures {
  CallKind kind = CallKind::kNull;
  // Calls made (succeeded + failed).
  int64_t calls = 0;
  int64_t errors = 0;
  std::map<std::string, int64_t> error_codes;
  // Replies by kind name without its prefix ("ANSWER"), for turn.
  std::map<std::string, int64_t> reply_kinds;
  // Of the calls that succeeded, microseconds.
  LatencySummary latency;
  // Calls per second of its workload's blocks.
  double throughput = 0;
  // Microseconds of CPU per call over its workload's blocks. For kTurn they
  // include the turn blocks' CreateSession and DeleteSession calls; for
  // kCreate and kDelete they are not given. nullopt when not measured.
  std::optional<double> server_cpu_us;
  std::optional<double> client_cpu_us;
};

// A kind's figures divided by the null RPC's; nullopt when either side is
// missing or zero.
struct RatioFigures {
  CallKind kind = CallKind::kSearch;
  std::optional<double> p50, p99, server_cpu, throughput;
  // The p50 ratio of each round alone (the kind's blocks against the null
  // blocks of the same round): lowest and highest.
  std::optional<double> p50_round_min, p50_round_max;
};

struct BenchReport {
  RunDescription run;
  // null, search, turn, create, delete (those with any call).
  std::vector<KindFigures> kinds;
  // search and turn, when the null RPC has figures.
  std::vector<RatioFigures> ratios;
};

// Adds up `blocks` per kind of call and computes the ratios.
BenchReport BuildReport(const RunDescription& run,
                        const std::vector<BlockResult>& blocks);

// A plain table for a terminal: a heading, one row per kind, the ratios and
// a note on what turn includes.
std::string FormatReport(const BenchReport& report);

// The same figures as JSON: {"run": {...}, "kinds": {"null": {...}, ...},
// "ratios": {"search": {...}, "turn": {...}}}; absent figures are null.
nlohmann::ordered_json ReportJson(const BenchReport& report);

}  // namespace kneechat::cli
