#include "services/channels/whatsapp_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "services/channels/secure_compare.h"

namespace kneechat {
namespace {

constexpr std::string_view kPrefix = "sha256=";

}  // namespace

std::string WhatsAppSignature(std::string_view app_secret,
                              std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), app_secret.data(), static_cast<int>(app_secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
       &mac_len);
  return std::string(kPrefix) +
         absl::BytesToHexString(
             absl::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

bool IsValidWhatsAppSignature(std::string_view app_secret,
                              std::string_view body, std::string_view header) {
  if (app_secret.empty() ||
      !absl::StartsWithIgnoreCase(
          absl::string_view(header.data(), header.size()),
          absl::string_view(kPrefix.data(), kPrefix.size()))) {
    return false;
  }
  std::string given(header.substr(kPrefix.size()));
  absl::AsciiStrToLower(&given);
  const std::string expected =
      WhatsAppSignature(app_secret, body).substr(kPrefix.size());
  return SecureEquals(given, expected);
}

}  // namespace kneechat
