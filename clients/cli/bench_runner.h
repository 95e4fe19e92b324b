// `kneechat bench`'s load: blocks of null RPCs (grpc.health.v1.Health/Check),
// Search calls and scripted chat turns, in turn, for several rounds, closed
// loop at a concurrency or open loop at a rate, over one gRPC channel with
// the callback API (no thread per caller).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/arrival_schedule.h"
#include "clients/cli/bench_report.h"
#include "clients/cli/bench_workload.h"
#include "clients/cli/proc_cpu.h"

namespace kneechat::cli {

struct BenchOptions {
  // Closed loop (rate == 0): this many callers, each making its next call
  // when the previous one returns; latency is from each call's send.
  int concurrency = 1;
  // Open loop when > 0: calls per second, sent on schedule whatever the
  // replies do; latency is from the scheduled send time.
  double rate = 0;
  Arrivals arrivals = Arrivals::kPoisson;
  uint64_t seed = 1;
  // Open loop: an arrival while this many calls are in flight is not sent
  // and counts as an error ("NOT_SENT").
  int max_in_flight = 1000;
  // Length of each block, and rounds of null, search and turn blocks.
  absl::Duration block = absl::Seconds(2);
  int rounds = 5;
  // Unrecorded blocks of each kind before the first round, in all this long.
  absl::Duration warmup = absl::Seconds(1);
  // Deadline of each call.
  absl::Duration timeout = absl::Seconds(10);
  // Search's page_size.
  int page_size = 5;
  // Channel of the sessions the conversations create.
  std::string channel = "bench";
};

struct BenchRun {
  std::vector<BlockResult> blocks;
  // Why the run stopped before its last block (every call of a block was
  // UNAVAILABLE: the server went away); empty when it ran to the end.
  std::string stopped_early;
};

// Runs the warm-up and `rounds` × (null, search, turn) blocks against
// `channel`, cycling through `queries` and `conversations` (neither empty;
// both must outlive the call). Reads `server_cpu` and `client_cpu` (either
// may be null: not measured) at each block's start and end, from this
// thread only. Failed calls are recorded, not returned; the status is
// kInvalidArgument for unusable options.
absl::StatusOr<BenchRun> RunBench(
    std::shared_ptr<grpc::Channel> channel,
    const std::vector<std::string>& queries,
    const std::vector<Conversation>& conversations, const BenchOptions& options,
    CpuClock* server_cpu, CpuClock* client_cpu);

}  // namespace kneechat::cli
