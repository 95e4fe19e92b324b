#include "clients/cli/bench_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat::cli {
namespace {

constexpr CallKind kAllKinds[] = {CallKind::kNull, CallKind::kSearch,
                                  CallKind::kTurn, CallKind::kCreate,
                                  CallKind::kDelete};

// The workload whose blocks make `kind`'s calls.
Workload WorkloadOf(CallKind kind) {
  switch (kind) {
    case CallKind::kNull:
      return Workload::kNull;
    case CallKind::kSearch:
      return Workload::kSearch;
    default:
      return Workload::kTurn;
  }
}

// Whether `kind` is the one its blocks are measured for (CPU per call).
bool IsMainKind(CallKind kind) {
  return kind == CallKind::kNull || kind == CallKind::kSearch ||
         kind == CallKind::kTurn;
}

std::optional<double> Ratio(double numerator, double denominator) {
  if (numerator <= 0 || denominator <= 0) return std::nullopt;
  return numerator / denominator;
}

std::optional<double> Ratio(const std::optional<double>& numerator,
                            const std::optional<double>& denominator) {
  if (!numerator || !denominator) return std::nullopt;
  return Ratio(*numerator, *denominator);
}

// Sums a CPU figure over blocks; nullopt if any block lacks it.
template <typename Getter>
std::optional<absl::Duration> SumCpu(const std::vector<const BlockResult*>& of,
                                     Getter get) {
  absl::Duration total;
  for (const BlockResult* block : of) {
    const std::optional<absl::Duration>& cpu = get(*block);
    if (!cpu) return std::nullopt;
    total += *cpu;
  }
  return total;
}

std::optional<double> PerCallUs(const std::optional<absl::Duration>& cpu,
                                int64_t calls) {
  if (!cpu || calls == 0) return std::nullopt;
  return absl::ToDoubleMicroseconds(*cpu) / static_cast<double>(calls);
}

// "ANSWER" for REPLY_KIND_ANSWER.
std::string ReplyKindName(int kind) {
  if (!v1::ReplyKind_IsValid(kind)) return absl::StrCat(kind);
  return std::string(absl::StripPrefix(
      v1::ReplyKind_Name(static_cast<v1::ReplyKind>(kind)), "REPLY_KIND_"));
}

KindFigures Figures(CallKind kind, const std::vector<BlockResult>& blocks) {
  KindFigures figures;
  figures.kind = kind;
  std::vector<double> latencies;
  std::vector<const BlockResult*> workload_blocks;
  absl::Duration wall;
  for (const BlockResult& block : blocks) {
    if (block.workload != WorkloadOf(kind)) continue;
    workload_blocks.push_back(&block);
    wall += block.wall;
    const auto it = block.calls.find(kind);
    if (it == block.calls.end()) continue;
    const CallRecord& record = it->second;
    latencies.insert(latencies.end(), record.latencies_us.begin(),
                     record.latencies_us.end());
    for (const auto& [code, count] : record.errors) {
      figures.error_codes[code] += count;
      figures.errors += count;
    }
    for (const auto& [reply_kind, count] : record.reply_kinds) {
      figures.reply_kinds[ReplyKindName(reply_kind)] += count;
    }
  }
  figures.calls = static_cast<int64_t>(latencies.size()) + figures.errors;
  figures.latency = SummariseLatencies(std::move(latencies));
  if (wall > absl::ZeroDuration()) {
    figures.throughput =
        static_cast<double>(figures.calls) / absl::ToDoubleSeconds(wall);
  }
  if (IsMainKind(kind)) {
    figures.server_cpu_us = PerCallUs(
        SumCpu(
            workload_blocks,
            [](const BlockResult& b) -> const std::optional<absl::Duration>& {
              return b.server_cpu;
            }),
        figures.calls);
    figures.client_cpu_us = PerCallUs(
        SumCpu(
            workload_blocks,
            [](const BlockResult& b) -> const std::optional<absl::Duration>& {
              return b.client_cpu;
            }),
        figures.calls);
  }
  return figures;
}

// p50 of `kind` in each round, by round.
std::map<int, double> RoundP50s(CallKind kind,
                                const std::vector<BlockResult>& blocks) {
  std::map<int, std::vector<double>> by_round;
  for (const BlockResult& block : blocks) {
    const auto it = block.calls.find(kind);
    if (it == block.calls.end()) continue;
    std::vector<double>& latencies = by_round[block.round];
    latencies.insert(latencies.end(), it->second.latencies_us.begin(),
                     it->second.latencies_us.end());
  }
  std::map<int, double> p50s;
  for (auto& [round, latencies] : by_round) {
    if (latencies.empty()) continue;
    std::sort(latencies.begin(), latencies.end());
    p50s[round] = NearestRank(latencies, 0.5);
  }
  return p50s;
}

std::string Us(double value) { return absl::StrFormat("%.0f", value); }

std::string Rate(double value) {
  return value >= 100 ? absl::StrFormat("%.0f", value)
                      : absl::StrFormat("%.1f", value);
}

std::string CpuUs(const std::optional<double>& value) {
  if (!value) return "n/a";
  return *value >= 100 ? absl::StrFormat("%.0f", *value)
                       : absl::StrFormat("%.1f", *value);
}

std::string Times(const std::optional<double>& value) {
  if (!value) return "n/a";
  return absl::StrFormat("%.2f", *value);
}

nlohmann::ordered_json OrNull(const std::optional<double>& value) {
  if (!value) return nullptr;
  return *value;
}

}  // namespace

const char* CallKindName(CallKind kind) {
  switch (kind) {
    case CallKind::kNull:
      return "null";
    case CallKind::kSearch:
      return "search";
    case CallKind::kTurn:
      return "turn";
    case CallKind::kCreate:
      return "create";
    case CallKind::kDelete:
      return "delete";
  }
  return "?";
}

const char* WorkloadName(Workload workload) {
  switch (workload) {
    case Workload::kNull:
      return "null";
    case Workload::kSearch:
      return "search";
    case Workload::kTurn:
      return "turn";
  }
  return "?";
}

int64_t CallRecord::error_count() const {
  int64_t count = 0;
  for (const auto& [code, n] : errors) count += n;
  return count;
}

BenchReport BuildReport(const RunDescription& run,
                        const std::vector<BlockResult>& blocks) {
  BenchReport report;
  report.run = run;
  for (CallKind kind : kAllKinds) {
    KindFigures figures = Figures(kind, blocks);
    if (figures.calls > 0 || IsMainKind(kind)) {
      report.kinds.push_back(std::move(figures));
    }
  }
  const KindFigures& null = report.kinds.front();
  if (null.latency.count == 0) return report;
  const std::map<int, double> null_rounds = RoundP50s(CallKind::kNull, blocks);
  for (const KindFigures& figures : report.kinds) {
    if (figures.kind != CallKind::kSearch && figures.kind != CallKind::kTurn) {
      continue;
    }
    RatioFigures ratio;
    ratio.kind = figures.kind;
    ratio.p50 = Ratio(figures.latency.p50, null.latency.p50);
    ratio.p99 = Ratio(figures.latency.p99, null.latency.p99);
    ratio.server_cpu = Ratio(figures.server_cpu_us, null.server_cpu_us);
    ratio.throughput = Ratio(figures.throughput, null.throughput);
    for (const auto& [round, p50] : RoundP50s(figures.kind, blocks)) {
      const auto null_p50 = null_rounds.find(round);
      if (null_p50 == null_rounds.end()) continue;
      const std::optional<double> r = Ratio(p50, null_p50->second);
      if (!r) continue;
      ratio.p50_round_min = std::min(ratio.p50_round_min.value_or(*r), *r);
      ratio.p50_round_max = std::max(ratio.p50_round_max.value_or(*r), *r);
    }
    report.ratios.push_back(ratio);
  }
  return report;
}

std::string FormatReport(const BenchReport& report) {
  const RunDescription& run = report.run;
  std::string out = absl::StrCat(
      "kneechat bench: ", run.server,
      run.server_pid ? absl::StrCat(" (server pid ", *run.server_pid, ")")
                     : " (server CPU not measured)",
      "\n", run.mode, "; ", run.rounds, " rounds of null, search and turn ",
      "blocks of ", absl::FormatDuration(run.block), "\n\n");
  absl::StrAppendFormat(&out, "%-8s %8s %6s %8s %8s %8s %8s %8s %9s %9s %9s\n",
                        "kind", "calls", "errors", "p50", "p90", "p99", "p99.9",
                        "max", "calls/s", "srv CPU", "cli CPU");
  absl::StrAppendFormat(&out, "%-8s %8s %6s %8s %8s %8s %8s %8s %9s %9s %9s\n",
                        "", "", "", "us", "us", "us", "us", "us", "", "us/call",
                        "us/call");
  for (const KindFigures& k : report.kinds) {
    const bool sub = !IsMainKind(k.kind);
    absl::StrAppendFormat(
        &out, "%-8s %8d %6d %8s %8s %8s %8s %8s %9s %9s %9s\n",
        sub ? absl::StrCat(" ", CallKindName(k.kind)) : CallKindName(k.kind),
        k.calls, k.errors, Us(k.latency.p50), Us(k.latency.p90),
        Us(k.latency.p99), Us(k.latency.p999), Us(k.latency.max),
        Rate(k.throughput), sub ? "in turn" : CpuUs(k.server_cpu_us),
        sub ? "in turn" : CpuUs(k.client_cpu_us));
  }
  if (!report.ratios.empty()) {
    absl::StrAppendFormat(&out, "\n%-14s %7s %7s %8s %8s %16s\n",
                          "ratio to null", "p50", "p99", "srv CPU", "calls/s",
                          "p50 per round");
    for (const RatioFigures& r : report.ratios) {
      const std::string rounds =
          r.p50_round_min ? absl::StrCat(Times(r.p50_round_min), "..",
                                         Times(r.p50_round_max))
                          : "n/a";
      absl::StrAppendFormat(&out, "%-14s %7s %7s %8s %8s %16s\n",
                            CallKindName(r.kind), Times(r.p50), Times(r.p99),
                            Times(r.server_cpu), Times(r.throughput), rounds);
    }
  }
  out += absl::StrCat(
      "\nturn is SendMessage; each scripted conversation's CreateSession "
      "(create)\nand DeleteSession (delete) are made in the turn blocks, and "
      "their CPU is\nin turn's CPU per call. Latencies are of the calls that "
      "succeeded.\n");
  if (run.open_loop) {
    out +=
        "The rate counts every call, create and delete too, so turn's calls/s "
        "is\nbelow it; latencies count from each call's scheduled send "
        "time.\n";
  }
  for (const KindFigures& k : report.kinds) {
    if (k.reply_kinds.empty()) continue;
    std::vector<std::string> kinds;
    for (const auto& [name, count] : k.reply_kinds) {
      kinds.push_back(absl::StrCat(name, " ", count));
    }
    absl::StrAppend(&out, CallKindName(k.kind),
                    " replies: ", absl::StrJoin(kinds, ", "), "\n");
  }
  for (const KindFigures& k : report.kinds) {
    if (k.error_codes.empty()) continue;
    std::vector<std::string> codes;
    for (const auto& [code, count] : k.error_codes) {
      codes.push_back(absl::StrCat(code, " x", count));
    }
    absl::StrAppend(&out, "errors in ", CallKindName(k.kind), ": ",
                    absl::StrJoin(codes, ", "), "\n");
  }
  return out;
}

nlohmann::ordered_json ReportJson(const BenchReport& report) {
  using Json = nlohmann::ordered_json;
  Json run = {
      {"server", report.run.server},
      {"server_pid",
       report.run.server_pid ? Json(*report.run.server_pid) : Json(nullptr)},
      {"mode", report.run.mode},
      {"rounds", report.run.rounds},
      {"block_seconds", absl::ToDoubleSeconds(report.run.block)}};
  Json kinds = Json::object();
  for (const KindFigures& k : report.kinds) {
    kinds[CallKindName(k.kind)] = {
        {"calls", k.calls},
        {"errors", k.errors},
        {"error_codes", k.error_codes},
        {"reply_kinds", k.reply_kinds},
        {"p50_us", k.latency.p50},
        {"p90_us", k.latency.p90},
        {"p99_us", k.latency.p99},
        {"p999_us", k.latency.p999},
        {"max_us", k.latency.max},
        {"calls_per_s", k.throughput},
        {"server_cpu_us_per_call", OrNull(k.server_cpu_us)},
        {"client_cpu_us_per_call", OrNull(k.client_cpu_us)}};
  }
  Json ratios = Json::object();
  for (const RatioFigures& r : report.ratios) {
    ratios[CallKindName(r.kind)] = {{"p50", OrNull(r.p50)},
                                    {"p99", OrNull(r.p99)},
                                    {"server_cpu", OrNull(r.server_cpu)},
                                    {"throughput", OrNull(r.throughput)},
                                    {"p50_round_min", OrNull(r.p50_round_min)},
                                    {"p50_round_max", OrNull(r.p50_round_max)}};
  }
  return Json{{"run", run}, {"kinds", kinds}, {"ratios", ratios}};
}

}  // namespace kneechat::cli
