#include "services/channels/whatsapp_signature.h"

#include <string>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(WhatsAppSignatureTest, MatchesAKnownHmacSha256) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(WhatsAppSignature("Jefe", "what do ya want for nothing?"),
            "sha256="
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WhatsAppSignatureTest, AcceptsTheSignatureOfTheExactBody) {
  const std::string body = R"({"object":"whatsapp_business_account"})";
  const std::string header = WhatsAppSignature("app-secret", body);
  EXPECT_TRUE(IsValidWhatsAppSignature("app-secret", body, header));
  EXPECT_TRUE(IsValidWhatsAppSignature("app-secret", body,
                                       absl::AsciiStrToUpper(header)));
}

TEST(WhatsAppSignatureTest, RefusesForgeriesAndMalformedHeaders) {
  const std::string body = R"({"entry":[]})";
  const std::string header = WhatsAppSignature("app-secret", body);
  EXPECT_FALSE(IsValidWhatsAppSignature("other-secret", body, header));
  EXPECT_FALSE(IsValidWhatsAppSignature("app-secret", body + " ", header));
  // The same JSON re-serialised is different bytes.
  EXPECT_FALSE(
      IsValidWhatsAppSignature("app-secret", R"({"entry": []})", header));
  EXPECT_FALSE(IsValidWhatsAppSignature("app-secret", body, ""));
  EXPECT_FALSE(IsValidWhatsAppSignature("app-secret", body,
                                        header.substr(7)));  // no "sha256="
  EXPECT_FALSE(IsValidWhatsAppSignature("app-secret", body,
                                        header.substr(0, header.size() - 2)));
  EXPECT_FALSE(IsValidWhatsAppSignature("app-secret", body, "sha256="));
  // No secret configured: nothing is valid, not even an empty-key HMAC.
  EXPECT_FALSE(IsValidWhatsAppSignature("", body, WhatsAppSignature("", body)));
}

}  // namespace
}  // namespace kneechat
