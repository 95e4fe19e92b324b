// CurlTransport against a local HTTP server: what is sent, what comes back,
// connections kept alive, and a stalled server bounded by the timeout.
#include "services/outbound/curl_transport.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CurlTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/bot123:SECRET/echo",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   ++calls_;
                   res.set_header("X-Content-Type-Seen",
                                  req.get_header_value("Content-Type"));
                   res.set_content(req.body, "application/json");
                 });
    server_.Post("/busy", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "5");
      res.set_content(R"({"ok":false})", "application/json");
    });
    server_.Post("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(200 * 1024, 'x'), "text/plain");
    });
    server_.Post("/stall", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    server_.set_keep_alive_max_count(1000);
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  HttpPost Post(const std::string& path, std::string body = "{}") {
    HttpPost post;
    post.url = absl::StrCat("http://127.0.0.1:", port_, path);
    post.body = std::move(body);
    return post;
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> calls_{0};
};

TEST_F(CurlTransportTest, PostsTheBodyAndReadsTheAnswer) {
  CurlTransport transport;
  absl::StatusOr<HttpAnswer> answer = transport.Post(
      Post("/bot123:SECRET/echo", R"({"chat_id":1})"), absl::Seconds(5));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, R"({"chat_id":1})");
  EXPECT_FALSE(answer->retry_after.has_value());
}

TEST_F(CurlTransportTest, KeepsConnectionsAlive) {
  CurlTransport transport;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(
        transport.Post(Post("/bot123:SECRET/echo"), absl::Seconds(5)).ok());
  }
  EXPECT_EQ(calls_, 50);
  EXPECT_EQ(transport.connections_opened(), 1);
}

TEST_F(CurlTransportTest, ReadsRetryAfterOnA429) {
  CurlTransport transport;
  absl::StatusOr<HttpAnswer> answer =
      transport.Post(Post("/busy"), absl::Seconds(5));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 429);
  EXPECT_EQ(answer->retry_after, "5");
}

TEST_F(CurlTransportTest, CutsLongAnswers) {
  CurlTransport transport;
  absl::StatusOr<HttpAnswer> answer =
      transport.Post(Post("/big"), absl::Seconds(5));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->body.size(), HttpTransport::kMaxAnswerBytes);
}

TEST_F(CurlTransportTest, AStalledServerTimesOutWithoutNamingTheUrl) {
  CurlTransport transport;
  const auto start = std::chrono::steady_clock::now();
  HttpPost post = Post("/stall");
  post.url += "?token=123:SECRET";
  absl::StatusOr<HttpAnswer> answer =
      transport.Post(post, absl::Milliseconds(200));
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(1000));
  EXPECT_TRUE(absl::IsUnavailable(answer.status())) << answer.status();
  EXPECT_THAT(std::string(answer.status().message()), Not(HasSubstr("SECRET")));
  // The transport still works afterwards.
  EXPECT_TRUE(
      transport.Post(Post("/bot123:SECRET/echo"), absl::Seconds(5)).ok());
}

TEST_F(CurlTransportTest, RefusesOtherSchemesAndUnreachableHosts) {
  CurlTransport transport;
  HttpPost post = Post("/echo");
  post.url = "file:///etc/passwd";
  EXPECT_TRUE(
      absl::IsInvalidArgument(transport.Post(post, absl::Seconds(1)).status()));
  post.url = "http://127.0.0.1:1/nothing";
  EXPECT_TRUE(
      absl::IsUnavailable(transport.Post(post, absl::Seconds(1)).status()));
}

}  // namespace
}  // namespace kneechat
