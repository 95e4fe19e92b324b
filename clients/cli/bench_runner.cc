#include "clients/cli/bench_runner.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kneechat/v1/kneechat.grpc.pb.h"

namespace kneechat::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// A completion that finds this many completions below it on its own stack
// (calls that fail at once complete on the calling thread) hands its next
// call to the control thread instead of making it.
constexpr int kMaxInlineDepth = 16;
thread_local int inline_depth = 0;

// One conversation being played, between its calls.
struct ConversationRun {
  explicit ConversationRun(const Conversation& conversation)
      : script(conversation) {}
  ConversationScript script;
  std::string session_id;
};

// The request, response and context of one call in flight.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
  TimePoint start;
};

class Runner {
 public:
  Runner(std::shared_ptr<grpc::Channel> channel,
         const std::vector<std::string>& queries,
         const std::vector<Conversation>& conversations,
         const BenchOptions& options)
      : chat_(v1::KneeChat::NewStub(channel)),
        health_(grpc::health::v1::Health::NewStub(channel)),
        queries_(queries),
        conversations_(conversations),
        options_(options) {}

  // Runs one block of `workload` for `duration`.
  BlockResult RunBlock(Workload workload, int round, absl::Duration duration,
                       CpuClock* server_cpu, CpuClock* client_cpu);

 private:
  bool closed_loop() const { return options_.rate <= 0; }

  // Sends the next call of the current workload, counting from `start`.
  // The caller has counted it in in_flight_.
  void Launch(TimePoint start);
  void LaunchTurn(TimePoint start);

  // Records a finished call (with the kind of its reply, for SendMessage),
  // then (closed loop, block still on) makes the caller's next call, else
  // lets it go.
  void Finish(CallKind kind, TimePoint start, const grpc::Status& status,
              const v1::Reply* reply = nullptr);

  // Closed loop: makes the deferred next calls, or drops them once the
  // block is over.
  void RunDeferred();

  std::unique_ptr<ConversationRun> TakeConversation();
  void ReturnConversation(std::unique_ptr<ConversationRun> run);

  const std::unique_ptr<v1::KneeChat::Stub> chat_;
  const std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  const std::vector<std::string>& queries_;
  const std::vector<Conversation>& conversations_;
  const BenchOptions options_;

  std::atomic<bool> active_{false};
  // Changed only while nothing is in flight.
  std::atomic<Workload> workload_{Workload::kNull};

  absl::Mutex mu_;
  BlockResult block_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int deferred_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_query_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_conversation_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_message_ ABSL_GUARDED_BY(mu_) = 0;
  // Conversations waiting for their next call, longest waiting first.
  std::deque<std::unique_ptr<ConversationRun>> idle_ ABSL_GUARDED_BY(mu_);
};

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

void Runner::Launch(TimePoint start) {
  switch (workload_) {
    case Workload::kNull: {
      auto* call = new Call<HealthCheckRequest, HealthCheckResponse>();
      SetDeadline(call->context, options_.timeout);
      health_->async()->Check(&call->context, &call->request, &call->response,
                              [this, call, start](grpc::Status status) {
                                Finish(CallKind::kNull, start, status);
                                delete call;
                              });
      return;
    }
    case Workload::kSearch: {
      auto* call = new Call<v1::SearchRequest, v1::SearchResponse>();
      SetDeadline(call->context, options_.timeout);
      {
        absl::MutexLock lock(&mu_);
        call->request.set_query(queries_[next_query_++ % queries_.size()]);
      }
      call->request.set_page_size(options_.page_size);
      chat_->async()->Search(&call->context, &call->request, &call->response,
                             [this, call, start](grpc::Status status) {
                               Finish(CallKind::kSearch, start, status);
                               delete call;
                             });
      return;
    }
    case Workload::kTurn:
      LaunchTurn(start);
      return;
  }
}

std::unique_ptr<ConversationRun> Runner::TakeConversation() {
  absl::MutexLock lock(&mu_);
  if (!idle_.empty()) {
    std::unique_ptr<ConversationRun> run = std::move(idle_.front());
    idle_.pop_front();
    return run;
  }
  return std::make_unique<ConversationRun>(
      conversations_[next_conversation_++ % conversations_.size()]);
}

void Runner::ReturnConversation(std::unique_ptr<ConversationRun> run) {
  if (run->script.step() == ConversationScript::Step::kDone) return;
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(run));
}

void Runner::LaunchTurn(TimePoint start) {
  ConversationRun* run = TakeConversation().release();
  // After the call: the conversation moves on, or is dropped on an error
  // (its session, if any, expires on the server).
  auto done = [this, run, start](CallKind kind, const grpc::Status& status,
                                 const v1::Reply* reply) {
    std::unique_ptr<ConversationRun> owned(run);
    if (status.ok()) {
      owned->script.Advance(reply);
      ReturnConversation(std::move(owned));
    }
    Finish(kind, start, status, kind == CallKind::kTurn ? reply : nullptr);
  };
  switch (run->script.step()) {
    case ConversationScript::Step::kCreate: {
      auto* call =
          new Call<v1::CreateSessionRequest, v1::CreateSessionResponse>();
      SetDeadline(call->context, options_.timeout);
      call->request.set_channel(options_.channel);
      chat_->async()->CreateSession(
          &call->context, &call->request, &call->response,
          [run, call, done](grpc::Status status) {
            if (status.ok()) run->session_id = call->response.session_id();
            done(CallKind::kCreate, status, &call->response.reply());
            delete call;
          });
      return;
    }
    case ConversationScript::Step::kSend: {
      auto* call = new Call<v1::SendMessageRequest, v1::SendMessageResponse>();
      SetDeadline(call->context, options_.timeout);
      call->request.set_session_id(run->session_id);
      call->request.set_text(run->script.text());
      {
        absl::MutexLock lock(&mu_);
        call->request.set_message_id(absl::StrCat("bench-", ++next_message_));
      }
      chat_->async()->SendMessage(
          &call->context, &call->request, &call->response,
          [call, done](grpc::Status status) {
            done(CallKind::kTurn, status, &call->response.reply());
            delete call;
          });
      return;
    }
    case ConversationScript::Step::kDelete:
    case ConversationScript::Step::kDone: {
      auto* call =
          new Call<v1::DeleteSessionRequest, v1::DeleteSessionResponse>();
      SetDeadline(call->context, options_.timeout);
      call->request.set_session_id(run->session_id);
      chat_->async()->DeleteSession(&call->context, &call->request,
                                    &call->response,
                                    [call, done](grpc::Status status) {
                                      done(CallKind::kDelete, status, nullptr);
                                      delete call;
                                    });
      return;
    }
  }
}

void Runner::Finish(CallKind kind, TimePoint start, const grpc::Status& status,
                    const v1::Reply* reply) {
  const TimePoint end = SteadyClock::now();
  bool again = false;
  {
    absl::MutexLock lock(&mu_);
    CallRecord& record = block_.calls[kind];
    if (status.ok()) {
      record.latencies_us.push_back(
          std::chrono::duration<double, std::micro>(end - start).count());
      if (reply != nullptr) record.reply_kinds[reply->kind()]++;
    } else {
      record.errors[absl::StatusCodeToString(
          static_cast<absl::StatusCode>(status.error_code()))]++;
    }
    if (closed_loop() && active_.load()) {
      if (inline_depth < kMaxInlineDepth) {
        again = true;
      } else {
        ++deferred_;
      }
    } else {
      --in_flight_;
    }
  }
  if (again) {
    ++inline_depth;
    Launch(SteadyClock::now());
    --inline_depth;
  }
}

void Runner::RunDeferred() {
  int deferred = 0;
  {
    absl::MutexLock lock(&mu_);
    deferred = deferred_;
    deferred_ = 0;
    if (!active_.load()) {
      in_flight_ -= deferred;
      return;
    }
  }
  for (int i = 0; i < deferred; ++i) Launch(SteadyClock::now());
}

BlockResult Runner::RunBlock(Workload workload, int round,
                             absl::Duration duration, CpuClock* server_cpu,
                             CpuClock* client_cpu) {
  {
    absl::MutexLock lock(&mu_);
    block_ = BlockResult();
    block_.workload = workload;
    block_.round = round;
  }
  workload_ = workload;
  absl::StatusOr<absl::Duration> server_start =
      server_cpu != nullptr ? server_cpu->CpuTime()
                            : absl::UnavailableError("not measured");
  absl::StatusOr<absl::Duration> client_start =
      client_cpu != nullptr ? client_cpu->CpuTime()
                            : absl::UnavailableError("not measured");
  const TimePoint start = SteadyClock::now();
  const TimePoint end = start + absl::ToChronoNanoseconds(duration);
  active_ = true;

  if (closed_loop()) {
    {
      absl::MutexLock lock(&mu_);
      in_flight_ += options_.concurrency;
    }
    for (int i = 0; i < options_.concurrency; ++i) Launch(SteadyClock::now());
    // Wakes every few milliseconds for calls deferred by Finish.
    while (SteadyClock::now() < end) {
      std::this_thread::sleep_until(
          std::min(end, SteadyClock::now() + std::chrono::milliseconds(5)));
      RunDeferred();
    }
  } else {
    // Each block its own repeatable schedule.
    ArrivalSchedule schedule(options_.rate, options_.arrivals,
                             options_.seed +
                                 3 * static_cast<uint64_t>(round + 1) +
                                 static_cast<uint64_t>(workload));
    for (;;) {
      const TimePoint due = start + absl::ToChronoNanoseconds(schedule.Next());
      if (due >= end) break;
      std::this_thread::sleep_until(due);
      bool send = false;
      {
        absl::MutexLock lock(&mu_);
        if (in_flight_ < options_.max_in_flight) {
          ++in_flight_;
          send = true;
        } else {
          const CallKind kind = workload == Workload::kNull ? CallKind::kNull
                                : workload == Workload::kSearch
                                    ? CallKind::kSearch
                                    : CallKind::kTurn;
          block_.calls[kind].errors["NOT_SENT"]++;
        }
      }
      if (send) Launch(due);
    }
    std::this_thread::sleep_until(end);
  }

  active_ = false;
  RunDeferred();
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* in_flight) { return *in_flight == 0; }, &in_flight_));
  }
  const TimePoint finish = SteadyClock::now();
  BlockResult result;
  {
    absl::MutexLock lock(&mu_);
    result = std::move(block_);
  }
  result.wall = absl::FromChrono(finish - start);
  if (server_start.ok()) {
    absl::StatusOr<absl::Duration> server_end = server_cpu->CpuTime();
    if (server_end.ok()) result.server_cpu = *server_end - *server_start;
  }
  if (client_start.ok()) {
    absl::StatusOr<absl::Duration> client_end = client_cpu->CpuTime();
    if (client_end.ok()) result.client_cpu = *client_end - *client_start;
  }
  return result;
}

// Whether no call of `block` succeeded and every one that failed was
// UNAVAILABLE: the server is gone, and going on would only spin.
bool ServerGone(const BlockResult& block) {
  bool failed = false;
  for (const auto& [kind, record] : block.calls) {
    if (!record.latencies_us.empty()) return false;
    for (const auto& [code, count] : record.errors) {
      if (code != "UNAVAILABLE") return false;
      failed = true;
    }
  }
  return failed;
}

}  // namespace

absl::StatusOr<BenchRun> RunBench(
    std::shared_ptr<grpc::Channel> channel,
    const std::vector<std::string>& queries,
    const std::vector<Conversation>& conversations, const BenchOptions& options,
    CpuClock* server_cpu, CpuClock* client_cpu) {
  if (queries.empty() || conversations.empty()) {
    return absl::InvalidArgumentError("no search queries or conversations");
  }
  if (options.rate <= 0 && options.concurrency < 1) {
    return absl::InvalidArgumentError("concurrency must be at least 1");
  }
  if (options.rounds < 1 || options.block <= absl::ZeroDuration() ||
      options.max_in_flight < 1 || options.warmup < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "rounds, block and max_in_flight must be positive");
  }
  Runner runner(std::move(channel), queries, conversations, options);
  constexpr Workload kOrder[] = {Workload::kNull, Workload::kSearch,
                                 Workload::kTurn};
  BenchRun run;
  if (options.warmup > absl::ZeroDuration()) {
    for (Workload workload : kOrder) {
      const BlockResult warmup =
          runner.RunBlock(workload, -1, options.warmup / 3, nullptr, nullptr);
      if (ServerGone(warmup)) {
        run.stopped_early =
            absl::StrCat("every call of the warm-up's ", WorkloadName(workload),
                         " block was UNAVAILABLE");
        return run;
      }
    }
  }
  for (int round = 0; round < options.rounds; ++round) {
    for (Workload workload : kOrder) {
      run.blocks.push_back(runner.RunBlock(workload, round, options.block,
                                           server_cpu, client_cpu));
      if (ServerGone(run.blocks.back())) {
        run.stopped_early =
            absl::StrCat("every call of round ", round + 1, "'s ",
                         WorkloadName(workload), " block was UNAVAILABLE");
        return run;
      }
    }
  }
  return run;
}

}  // namespace kneechat::cli
