// The outbound queue against a scripted transport, with a fake clock: what
// is retried, how long it waits, what is dropped, and that Submit never
// waits for the platform.
#include "services/outbound/outbound_queue.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;

// Answers from a script (then 200); can be made to hang until released.
class ScriptedTransport : public HttpTransport {
 public:
  absl::StatusOr<HttpAnswer> Post(const HttpPost& post,
                                  absl::Duration) override {
    absl::MutexLock lock(&mu_);
    bodies_.push_back(post.body);
    mu_.Await(absl::Condition(
        +[](bool* stalled) { return !*stalled; }, &stalled_));
    if (script_.empty()) return HttpAnswer{200, R"({"ok":true})", {}};
    absl::StatusOr<HttpAnswer> next = script_.front();
    script_.pop_front();
    return next;
  }
  void Then(absl::StatusOr<HttpAnswer> answer) {
    absl::MutexLock lock(&mu_);
    script_.push_back(std::move(answer));
  }
  void Stall(bool stalled) {
    absl::MutexLock lock(&mu_);
    stalled_ = stalled;
  }
  std::vector<std::string> bodies() {
    absl::MutexLock lock(&mu_);
    return bodies_;
  }

 private:
  absl::Mutex mu_;
  std::deque<absl::StatusOr<HttpAnswer>> script_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> bodies_ ABSL_GUARDED_BY(mu_);
  bool stalled_ ABSL_GUARDED_BY(mu_) = false;
};

class OutboundQueueTest : public ::testing::Test {
 protected:
  OutboundQueueOptions Options() {
    OutboundQueueOptions options;
    options.name = "test";
    options.workers = 1;
    options.clock = &clock_;
    options.sleep = [this](absl::Duration d) {
      absl::MutexLock lock(&mu_);
      sleeps_.push_back(d);
      clock_.Advance(d);
    };
    return options;
  }

  static OutboundRequest Request(std::string body, uint64_t key = 1) {
    OutboundRequest request;
    request.ordering_key = key;
    request.what = "sendMessage";
    request.post.url = "http://127.0.0.1:1/bot123:SECRET/sendMessage";
    request.post.body = std::move(body);
    return request;
  }

  std::vector<absl::Duration> sleeps() {
    absl::MutexLock lock(&mu_);
    return sleeps_;
  }

  FakeClock clock_;
  ScriptedTransport transport_;
  absl::Mutex mu_;
  std::vector<absl::Duration> sleeps_;
};

TEST_F(OutboundQueueTest, SendsAndReportsDone) {
  OutboundQueue queue(transport_, Options());
  absl::Status outcome = absl::UnknownError("not called");
  OutboundRequest request = Request("hello");
  request.done = [&](const absl::Status& s) { outcome = s; };
  ASSERT_TRUE(queue.Submit(std::move(request)).ok());
  queue.Flush();
  EXPECT_TRUE(outcome.ok());
  EXPECT_THAT(transport_.bodies(), ElementsAre("hello"));
  EXPECT_EQ(queue.stats().sent, 1u);
  EXPECT_EQ(queue.stats().waiting, 0u);
}

TEST_F(OutboundQueueTest, A429WaitsWhatTheAnswerAsksThenRetries) {
  OutboundQueueOptions options = Options();
  options.retry_after =
      [](const HttpAnswer& answer) -> std::optional<absl::Duration> {
    if (answer.body == "retry in 3") return absl::Seconds(3);
    return std::nullopt;
  };
  transport_.Then(HttpAnswer{429, "retry in 3", {}});
  OutboundQueue queue(transport_, options);
  ASSERT_TRUE(queue.Submit(Request("reply")).ok());
  queue.Flush();
  EXPECT_THAT(sleeps(), ElementsAre(absl::Seconds(3)));
  EXPECT_THAT(transport_.bodies(), ElementsAre("reply", "reply"));
  EXPECT_EQ(queue.stats().sent, 1u);
  EXPECT_EQ(queue.stats().rate_limited, 1u);
  EXPECT_EQ(queue.stats().retries, 1u);
}

TEST_F(OutboundQueueTest, A429WithoutAHintReadsRetryAfterHeader) {
  transport_.Then(HttpAnswer{429, "", std::string("7")});
  OutboundQueue queue(transport_, Options());
  ASSERT_TRUE(queue.Submit(Request("reply")).ok());
  queue.Flush();
  EXPECT_THAT(sleeps(), ElementsAre(absl::Seconds(7)));
  EXPECT_EQ(queue.stats().sent, 1u);
}

TEST_F(OutboundQueueTest, A429AskingTooLongIsNotWaitedFor) {
  transport_.Then(HttpAnswer{429, "", std::string("3600")});
  OutboundQueue queue(transport_, Options());
  absl::Status outcome;
  OutboundRequest request = Request("reply");
  request.done = [&](const absl::Status& s) { outcome = s; };
  ASSERT_TRUE(queue.Submit(std::move(request)).ok());
  queue.Flush();
  EXPECT_TRUE(absl::IsResourceExhausted(outcome));
  EXPECT_THAT(sleeps(), ElementsAre());
  EXPECT_EQ(queue.stats().failed, 1u);
}

TEST_F(OutboundQueueTest, ServerErrorsAndNoAnswerBackOffDoubling) {
  OutboundQueueOptions options = Options();
  options.first_backoff = absl::Milliseconds(250);
  options.max_backoff = absl::Seconds(1);
  options.max_attempts = 6;
  transport_.Then(HttpAnswer{502, "", {}});
  transport_.Then(absl::UnavailableError("Timeout was reached"));
  transport_.Then(HttpAnswer{500, "", {}});
  transport_.Then(HttpAnswer{503, "", {}});
  OutboundQueue queue(transport_, options);
  ASSERT_TRUE(queue.Submit(Request("reply")).ok());
  queue.Flush();
  EXPECT_THAT(sleeps(),
              ElementsAre(absl::Milliseconds(250), absl::Milliseconds(500),
                          absl::Seconds(1), absl::Seconds(1)));
  EXPECT_EQ(transport_.bodies().size(), 5u);
  EXPECT_EQ(queue.stats().sent, 1u);
  EXPECT_EQ(queue.stats().retries, 4u);
}

TEST_F(OutboundQueueTest, GivesUpAfterMaxAttempts) {
  OutboundQueueOptions options = Options();
  options.max_attempts = 3;
  for (int i = 0; i < 5; ++i) transport_.Then(HttpAnswer{500, "", {}});
  OutboundQueue queue(transport_, options);
  absl::Status outcome;
  OutboundRequest request = Request("reply");
  request.done = [&](const absl::Status& s) { outcome = s; };
  ASSERT_TRUE(queue.Submit(std::move(request)).ok());
  queue.Flush();
  EXPECT_TRUE(absl::IsUnavailable(outcome));
  EXPECT_EQ(transport_.bodies().size(), 3u);
  EXPECT_EQ(queue.stats().failed, 1u);
}

TEST_F(OutboundQueueTest, ClientErrorsAreFinal) {
  transport_.Then(HttpAnswer{400, R"({"description":"Bad Request"})", {}});
  OutboundQueue queue(transport_, Options());
  absl::Status outcome;
  OutboundRequest request = Request("reply");
  request.done = [&](const absl::Status& s) { outcome = s; };
  ASSERT_TRUE(queue.Submit(std::move(request)).ok());
  queue.Flush();
  EXPECT_TRUE(absl::IsInvalidArgument(outcome));
  EXPECT_EQ(outcome.message(), "HTTP 400");
  EXPECT_EQ(transport_.bodies().size(), 1u);
}

TEST_F(OutboundQueueTest, TooOldToBeAnAnswerIsDropped) {
  OutboundQueueOptions options = Options();
  options.max_age = absl::Seconds(10);
  options.max_attempts = 100;
  for (int i = 0; i < 100; ++i) {
    transport_.Then(HttpAnswer{429, "", std::string("4")});
  }
  OutboundQueue queue(transport_, options);
  absl::Status outcome;
  OutboundRequest request = Request("reply");
  request.done = [&](const absl::Status& s) { outcome = s; };
  ASSERT_TRUE(queue.Submit(std::move(request)).ok());
  queue.Flush();
  EXPECT_TRUE(absl::IsDeadlineExceeded(outcome));
  EXPECT_EQ(transport_.bodies().size(), 3u);  // at 0, 4 and 8 s
}

TEST_F(OutboundQueueTest, OneKeyInOrderAfterARetry) {
  transport_.Then(HttpAnswer{500, "", {}});
  OutboundQueueOptions options = Options();
  options.workers = 4;
  OutboundQueue queue(transport_, options);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(queue.Submit(Request(absl::StrCat("m", i), 42)).ok());
  }
  queue.Flush();
  EXPECT_THAT(transport_.bodies(),
              ElementsAre("m0", "m0", "m1", "m2", "m3", "m4"));
}

TEST_F(OutboundQueueTest, StalledApiNeverBlocksSubmitAndAFullQueueRefuses) {
  transport_.Stall(true);
  OutboundQueueOptions options = Options();
  options.capacity = 3;
  OutboundQueue queue(transport_, options);
  ASSERT_TRUE(queue.Submit(Request("in flight")).ok());
  // Wait until the worker holds it, so the queue itself is empty.
  while (transport_.bodies().empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(queue.Submit(Request(absl::StrCat("q", i), i)).ok());
  }
  const absl::Status full = queue.Submit(Request("one too many"));
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(100));
  EXPECT_TRUE(absl::IsResourceExhausted(full));
  EXPECT_EQ(queue.stats().dropped_full, 1u);
  EXPECT_EQ(queue.stats().waiting, 4u);
  transport_.Stall(false);
  queue.Flush();
  EXPECT_EQ(queue.stats().sent, 4u);
  EXPECT_EQ(transport_.bodies().size(), 4u);
}

TEST_F(OutboundQueueTest, ShutdownDropsWhatCannotBeSentInTime) {
  std::atomic<int> dropped{0};
  std::thread release;
  {
    OutboundQueue queue(transport_, Options());
    transport_.Stall(true);
    for (int i = 0; i < 3; ++i) {
      OutboundRequest request = Request(absl::StrCat("q", i));
      request.done = [&](const absl::Status& s) {
        if (absl::IsCancelled(s)) ++dropped;
      };
      ASSERT_TRUE(queue.Submit(std::move(request)).ok());
    }
    while (transport_.bodies().empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Once the destructor has begun (Submit refuses), the drain time passes
    // and the API answers the call in flight.
    release = std::thread([&queue, this] {
      while (queue.Submit(Request("probe")).ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      clock_.Advance(OutboundQueue::kDrain + absl::Seconds(1));
      transport_.Stall(false);
    });
  }
  release.join();
  EXPECT_EQ(transport_.bodies().size(), 1u);
  EXPECT_EQ(dropped, 2);
}

}  // namespace
}  // namespace kneechat
