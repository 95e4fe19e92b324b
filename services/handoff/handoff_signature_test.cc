#include "services/handoff/handoff_signature.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

TEST(HandoffSignatureTest, KnownVector) {
  // Python: hmac.new(b"secret", b'1700000000.{"a":1}', hashlib.sha256)
  EXPECT_EQ(SignHandoff("secret", 1700000000, R"({"a":1})"),
            "sha256="
            "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
}

TEST(HandoffSignatureTest, VerifiesWhatItSigns) {
  const std::string sig = SignHandoff("s3cret", 1700000000, "body");
  EXPECT_TRUE(
      VerifyHandoffSignature("s3cret", "1700000000", sig, "body", kNow).ok());
}

TEST(HandoffSignatureTest, RejectsTamperingAndReplays) {
  const std::string sig = SignHandoff("s3cret", 1700000000, "body");
  EXPECT_EQ(
      VerifyHandoffSignature("other", "1700000000", sig, "body", kNow).code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(
      VerifyHandoffSignature("s3cret", "1700000000", sig, "bodY", kNow).ok());
  EXPECT_FALSE(
      VerifyHandoffSignature("s3cret", "1700000001", sig, "body", kNow).ok())
      << "the timestamp is signed too";
  EXPECT_FALSE(VerifyHandoffSignature("s3cret", "1700000000", sig.substr(1),
                                      "body", kNow)
                   .ok());
  EXPECT_FALSE(VerifyHandoffSignature("s3cret", "1700000000", sig, "body",
                                      kNow + absl::Minutes(6))
                   .ok())
      << "too old";
  EXPECT_TRUE(VerifyHandoffSignature("s3cret", "1700000000", sig, "body",
                                     kNow + absl::Minutes(4))
                  .ok());
  EXPECT_FALSE(VerifyHandoffSignature("s3cret", "1700000000", sig, "body",
                                      kNow - absl::Minutes(6))
                   .ok())
      << "from the future";
  for (const char* bad : {"", "-1700000000", "+1700000000", "17e8",
                          "1700000000x", "99999999999999999999"}) {
    EXPECT_FALSE(VerifyHandoffSignature("s3cret", bad, sig, "body", kNow).ok())
        << bad;
  }
}

}  // namespace
}  // namespace kneechat
