// Delivery to the clinic against a scripted transport and a fake clock:
// the signed request, retries with backoff and the same Idempotency-Key,
// what is final, and that Deliver never waits.
#include "services/handoff/clinic_delivery.h"

#include <deque>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/handoff/handoff_signature.h"

namespace kneechat {
namespace {

class ScriptedTransport : public HttpTransport {
 public:
  absl::StatusOr<HttpAnswer> Post(const HttpPost& post,
                                  absl::Duration) override {
    absl::MutexLock lock(&mu_);
    posts_.push_back(post);
    if (script_.empty()) return HttpAnswer{200, "{}", {}};
    absl::StatusOr<HttpAnswer> next = script_.front();
    script_.pop_front();
    return next;
  }
  void Then(absl::StatusOr<HttpAnswer> answer) {
    absl::MutexLock lock(&mu_);
    script_.push_back(std::move(answer));
  }
  std::vector<HttpPost> posts() {
    absl::MutexLock lock(&mu_);
    return posts_;
  }

 private:
  absl::Mutex mu_;
  std::deque<absl::StatusOr<HttpAnswer>> script_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpPost> posts_ ABSL_GUARDED_BY(mu_);
};

std::string Header(const HttpPost& post, const std::string& name) {
  for (const auto& [key, value] : post.headers) {
    if (key == name) return value;
  }
  return "";
}

class ClinicDeliveryTest : public ::testing::Test {
 protected:
  std::unique_ptr<ClinicWebhookDelivery> Make() {
    ClinicDeliveryOptions options;
    options.url = "https://clinic.example/kneechat";
    options.secret = "shared-secret";
    options.clock = &clock_;
    options.queue.workers = 1;
    options.queue.sleep = [this](absl::Duration d) {
      absl::MutexLock lock(&mu_);
      sleeps_.push_back(d);
      clock_.Advance(d);
    };
    return std::make_unique<ClinicWebhookDelivery>(transport_,
                                                   std::move(options));
  }
  static HandoffPackage Package() {
    HandoffPackage p;
    p.key = "0123456789abcdef0123456789abcdef";
    p.occasion = "consent";
    p.triage_level = v1::TRIAGE_LEVEL_URGENT;
    p.summary_text = "S - Situation\nTriage: URGENT";
    p.fhir_bundle_json = R"({"resourceType":"Bundle","type":"collection"})";
    return p;
  }
  std::vector<absl::Duration> sleeps() {
    absl::MutexLock lock(&mu_);
    return sleeps_;
  }

  FakeClock clock_;
  ScriptedTransport transport_;
  absl::Mutex mu_;
  std::vector<absl::Duration> sleeps_ ABSL_GUARDED_BY(mu_);
};

TEST_F(ClinicDeliveryTest, PostsSignedJsonWithIdempotencyKey) {
  auto delivery = Make();
  ASSERT_TRUE(delivery->Deliver(Package()).ok());
  delivery->Flush();
  std::vector<HttpPost> posts = transport_.posts();
  ASSERT_EQ(posts.size(), 1u);
  const HttpPost& post = posts[0];
  EXPECT_EQ(post.url, "https://clinic.example/kneechat");
  EXPECT_EQ(post.content_type, "application/json");
  EXPECT_EQ(Header(post, "Idempotency-Key"), Package().key);
  const std::string timestamp = Header(post, "X-Kneechat-Timestamp");
  EXPECT_EQ(timestamp, "1700000000");
  EXPECT_TRUE(VerifyHandoffSignature("shared-secret", timestamp,
                                     Header(post, "X-Kneechat-Signature"),
                                     post.body, clock_.Now())
                  .ok());
  const nlohmann::json body = nlohmann::json::parse(post.body);
  EXPECT_EQ(body["handoff_id"], Package().key);
  EXPECT_EQ(body["occasion"], "consent");
  EXPECT_EQ(body["triage_level"], "URGENT");
  EXPECT_EQ(body["summary_text"], Package().summary_text);
  EXPECT_EQ(body["fhir_bundle"]["resourceType"], "Bundle");
  EXPECT_EQ(delivery->stats().delivered, 1u);
}

TEST_F(ClinicDeliveryTest, RetriesFailuresWithBackoffAndTheSameRequest) {
  transport_.Then(absl::UnavailableError("connection refused"));
  transport_.Then(HttpAnswer{503, "busy", {}});
  transport_.Then(absl::UnavailableError("timed out"));
  auto delivery = Make();
  ASSERT_TRUE(delivery->Deliver(Package()).ok());
  delivery->Flush();
  std::vector<HttpPost> posts = transport_.posts();
  ASSERT_EQ(posts.size(), 4u);
  for (const HttpPost& post : posts) {
    EXPECT_EQ(post.body, posts[0].body);
    EXPECT_EQ(post.headers, posts[0].headers)
        << "same key, timestamp, signature";
  }
  EXPECT_EQ(sleeps(),
            (std::vector<absl::Duration>{absl::Milliseconds(500),
                                         absl::Seconds(1), absl::Seconds(2)}));
  EXPECT_EQ(delivery->stats().delivered, 1u);
  EXPECT_EQ(delivery->stats().retries, 3u);
}

TEST_F(ClinicDeliveryTest, GivesUpAfterTheLastAttempt) {
  for (int i = 0; i < 10; ++i) transport_.Then(HttpAnswer{500, "", {}});
  auto delivery = Make();
  ASSERT_TRUE(delivery->Deliver(Package()).ok());
  delivery->Flush();
  EXPECT_EQ(transport_.posts().size(), 6u);
  EXPECT_EQ(delivery->stats().failed, 1u);
  EXPECT_EQ(delivery->stats().delivered, 0u);
}

TEST_F(ClinicDeliveryTest, AClientErrorIsFinal) {
  transport_.Then(HttpAnswer{401, "bad signature", {}});
  auto delivery = Make();
  ASSERT_TRUE(delivery->Deliver(Package()).ok());
  delivery->Flush();
  EXPECT_EQ(transport_.posts().size(), 1u);
  EXPECT_EQ(delivery->stats().failed, 1u);
}

TEST_F(ClinicDeliveryTest, AMalformedBundleIsSentAsNull) {
  HandoffPackage package = Package();
  package.fhir_bundle_json = "{not json";
  const nlohmann::json body =
      nlohmann::json::parse(ClinicWebhookDelivery::Body(package));
  EXPECT_TRUE(body["fhir_bundle"].is_null());
  EXPECT_EQ(body["summary_text"], package.summary_text);
}

}  // namespace
}  // namespace kneechat
