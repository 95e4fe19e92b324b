// The connection layer under abuse, in process, with small limits so each
// case takes about a second: header floods, byte-trickling clients, idle
// connections, pipelining, per-address limits, slow handlers.
#include "services/http/http_listener.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/http/testing/raw_http.h"

namespace kneechat {
namespace {

using ::kneechat::testing::BodyOf;
using ::kneechat::testing::Exchange;
using ::kneechat::testing::RawConnection;
using ::kneechat::testing::StatusOf;

constexpr char kAttacker[] = "127.0.0.3";
constexpr char kOther[] = "127.0.0.2";

std::string Get(const std::string& path) {
  return absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\n\r\n");
}

// Answers GET /<anything> with the path; /slow waits for `release`.
class EchoRouter : public HttpRequestRouter {
 public:
  bool Screen(const HttpRequest&, HttpResponse&, BodyPlan&) override {
    return false;
  }
  void Handle(const HttpRequest& request, HttpResponse& response) override {
    if (request.path == "/slow") {
      if (!slow_seen.exchange(true)) slow_started.Notify();
      release.WaitForNotification();
    }
    response.set_content(request.path + ":" + request.body, "text/plain");
  }
  const HttpHeaders& DefaultHeaders() const override { return headers_; }

  std::atomic<bool> slow_seen{false};
  absl::Notification slow_started, release;

 private:
  HttpHeaders headers_ = {{"X-Content-Type-Options", "nosniff"}};
};

HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.max_connections = 40;
  limits.max_connections_per_address = 8;
  limits.connection_memory_bytes = 16 * 1024;
  limits.max_header_count = 20;
  limits.max_body_bytes = 1024;
  limits.request_deadline_seconds = 1;
  limits.idle_timeout_seconds = 2;
  limits.handler_threads = 2;
  limits.max_queued_requests = 4;
  return limits;
}

class HttpListenerTest : public ::testing::Test {
 protected:
  void Start(const HttpLimits& limits = SmallLimits()) {
    auto listener = HttpListener::Start("127.0.0.1", 0, limits, &router_, {});
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = std::move(*listener);
    port_ = listener_->port();
  }
  void SetUp() override { Start(); }
  void TearDown() override {
    Release();
    listener_->Stop();
  }

  // Another client, from another address, is answered quickly.
  void ExpectOthersServed(absl::Duration within = absl::Seconds(2)) {
    const absl::Time start = absl::Now();
    const std::string response = Exchange(port_, Get("/ok"), within, kOther);
    EXPECT_EQ(StatusOf(response), 200) << response;
    EXPECT_LT(absl::Now() - start, within);
  }

  void Release() {
    if (!router_.release.HasBeenNotified()) router_.release.Notify();
  }

  EchoRouter router_;
  std::unique_ptr<HttpListener> listener_;
  int port_ = 0;
};

TEST_F(HttpListenerTest, AnswersWithDefaultHeaders) {
  const std::string response = Exchange(port_, Get("/a"), absl::Seconds(2));
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_EQ(BodyOf(response), "/a:");
  EXPECT_NE(response.find("X-Content-Type-Options: nosniff"),
            std::string::npos);
}

TEST_F(HttpListenerTest, TooManyHeadersIs431) {
  std::string request = "GET /a HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 30; ++i) absl::StrAppend(&request, "X-", i, ": v\r\n");
  request += "\r\n";
  RawConnection connection(port_);
  ASSERT_TRUE(connection.Send(request));
  EXPECT_EQ(StatusOf(connection.ReadResponse(absl::Seconds(2))), 431);
  EXPECT_TRUE(connection.ClosedWithin(absl::Seconds(2)));
  EXPECT_EQ(listener_->stats().too_many_headers, 1);
  ExpectOthersServed();
}

TEST_F(HttpListenerTest, HeadersOverTheMemoryLimitAreRefused) {
  // Up to 2M small headers, as fast as the server reads them: it answers 431 or
  // closes once its per-connection memory is full, never reads them all.
  RawConnection connection(port_);
  ASSERT_TRUE(connection.Send("GET /a HTTP/1.1\r\nHost: x\r\n"));
  std::string chunk;
  for (int i = 0; i < 1000; ++i) chunk += "X: y\r\n";
  int sent = 0;
  while (sent < 2000 && connection.Send(chunk)) ++sent;
  EXPECT_LT(sent, 2000);
  const std::string response = connection.ReadResponse(absl::Seconds(2));
  EXPECT_TRUE(response.empty() || StatusOf(response) == 431 ||
              StatusOf(response) == 414)
      << response;
  ExpectOthersServed();
}

TEST_F(HttpListenerTest, ATricklingBodyIsCutAtTheDeadlineWhileOthersAreServed) {
  std::vector<RawConnection> tricklers;
  for (int i = 0; i < 6; ++i) {
    tricklers.emplace_back(port_, kAttacker);
    ASSERT_TRUE(tricklers.back().Send(
        "POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
  }
  const absl::Time start = absl::Now();
  bool all_cut = false;
  while (!all_cut && absl::Now() - start < absl::Seconds(6)) {
    all_cut = true;
    for (RawConnection& t : tricklers) all_cut &= !t.Send("a");
    ExpectOthersServed(absl::Seconds(1));
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(all_cut);
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));  // 1 s deadline + watch
  EXPECT_GE(listener_->stats().cut_request_deadline, 6);
}

TEST_F(HttpListenerTest, ATricklingRequestLineIsCutToo) {
  RawConnection connection(port_, kAttacker);
  ASSERT_TRUE(connection.Send("GET /"));
  EXPECT_TRUE(connection.ClosedWithin(absl::Seconds(3)));
}

TEST_F(HttpListenerTest, IdleConnectionsAreClosed) {
  RawConnection fresh(port_, kAttacker);
  RawConnection kept(port_, kAttacker);
  ASSERT_TRUE(kept.Send(Get("/a")));
  EXPECT_EQ(StatusOf(kept.ReadResponse(absl::Seconds(2))), 200);
  EXPECT_TRUE(fresh.ClosedWithin(absl::Seconds(3)));  // request deadline
  EXPECT_TRUE(kept.ClosedWithin(absl::Seconds(4)));   // idle timeout
}

TEST_F(HttpListenerTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(port_);
  ASSERT_TRUE(connection.Send(
      Get("/1") + Get("/2") +
      "POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody" +
      Get("/4")));
  for (const char* expected : {"/1:", "/2:", "/3:body", "/4:"}) {
    const std::string response = connection.ReadResponse(absl::Seconds(2));
    EXPECT_EQ(StatusOf(response), 200) << expected;
    EXPECT_EQ(BodyOf(response), expected);
  }
}

TEST_F(HttpListenerTest, OneAddressGetsOnlyItsShareOfConnections) {
  std::vector<RawConnection> held;
  for (int i = 0; i < 30; ++i) held.emplace_back(port_, kAttacker);
  absl::SleepFor(absl::Milliseconds(200));
  int open = 0;
  for (RawConnection& c : held)
    open += c.ClosedWithin(absl::ZeroDuration()) ? 0 : 1;
  EXPECT_LE(open, 8);
  EXPECT_GE(listener_->stats().refused_per_address, 22);
  ExpectOthersServed();
}

TEST_F(HttpListenerTest, WhenNearlyFullTheIdlestMakeRoom) {
  listener_->Stop();
  HttpLimits limits = SmallLimits();
  limits.request_deadline_seconds = 10;
  Start(limits);
  std::vector<RawConnection> held;
  for (int i = 0; i < 40; ++i) {
    held.emplace_back(port_, absl::StrCat("127.0.1.", 1 + i % 6));
  }
  absl::SleepFor(absl::Milliseconds(300));  // past the room grace
  ExpectOthersServed();
  EXPECT_GE(listener_->stats().cut_for_room, 1);
}

TEST_F(HttpListenerTest, ASlowHandlerHoldsOnlyItsOwnRequest) {
  RawConnection slow(port_);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  router_.slow_started.WaitForNotification();
  ExpectOthersServed(absl::Seconds(1));
  Release();
  EXPECT_EQ(StatusOf(slow.ReadResponse(absl::Seconds(2))), 200);
}

TEST_F(HttpListenerTest, AFullHandlerQueueIs503) {
  RawConnection slow(port_);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  router_.slow_started.WaitForNotification();
  // One thread left and a queue of 4: more requests than that wait or are
  // refused at once.
  std::vector<RawConnection> more;
  for (int i = 0; i < 8; ++i) {
    more.emplace_back(port_);
    ASSERT_TRUE(more.back().Send(Get("/slow")));
  }
  int refused = 0;
  for (RawConnection& c : more) {
    const std::string response = c.ReadResponse(absl::Milliseconds(500));
    if (StatusOf(response) == 503) {
      ++refused;
      EXPECT_NE(response.find("Retry-After: 1"), std::string::npos);
    }
  }
  EXPECT_GE(refused, 1);
  Release();
  EXPECT_EQ(StatusOf(slow.ReadResponse(absl::Seconds(2))), 200);
}

TEST_F(HttpListenerTest, BodyOverTheLimitIs413) {
  // Read and thrown away, then answered: a client still sending gets it.
  const std::string response =
      Exchange(port_,
               "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                   std::string(5000, 'a'),
               absl::Seconds(2));
  EXPECT_EQ(StatusOf(response), 413);
  // Too large to be worth reading: answered at once.
  const std::string huge = Exchange(
      port_, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n",
      absl::Seconds(2));
  EXPECT_EQ(StatusOf(huge), 413);
  RawConnection chunked(port_);
  ASSERT_TRUE(chunked.Send(
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 3; ++i) {
    chunked.Send("200\r\n" + std::string(512, 'a') + "\r\n");
  }
  chunked.Send("0\r\n\r\n");
  EXPECT_EQ(StatusOf(chunked.ReadResponse(absl::Seconds(2))), 413);
  // A chunked body past what is worth reading closes the connection.
  HttpLimits limits = SmallLimits();
  limits.max_discarded_body_bytes = 4096;
  listener_->Stop();
  Start(limits);
  RawConnection endless(port_);
  ASSERT_TRUE(endless.Send(
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 20; ++i) {
    endless.Send("400\r\n" + std::string(1024, 'a') + "\r\n");
  }
  EXPECT_TRUE(endless.ClosedWithin(absl::Seconds(2)));
}

TEST_F(HttpListenerTest, StopClosesThePortAndIsIdempotent) {
  listener_->Stop();
  listener_->Stop();
  RawConnection after(port_);
  EXPECT_FALSE(after.ok());
}

}  // namespace
}  // namespace kneechat
