#include "services/handoff/handoff_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kneechat {

std::string SignHandoff(absl::string_view secret, int64_t timestamp,
                        absl::string_view body) {
  const std::string message = absl::StrCat(timestamp, ".", body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  return absl::StrCat("sha256=",
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(digest), length)));
}

absl::Status VerifyHandoffSignature(absl::string_view secret,
                                    absl::string_view timestamp,
                                    absl::string_view signature,
                                    absl::string_view body, absl::Time now,
                                    absl::Duration tolerance) {
  int64_t seconds = 0;
  if (timestamp.empty() || timestamp.size() > 18 ||
      !absl::SimpleAtoi(timestamp, &seconds) || timestamp[0] == '-' ||
      timestamp[0] == '+') {
    return absl::UnauthenticatedError("timestamp is not Unix seconds");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(seconds)) > tolerance) {
    return absl::UnauthenticatedError("timestamp is too old or in the future");
  }
  const std::string expected = SignHandoff(secret, seconds, body);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return absl::UnauthenticatedError("signature does not match");
  }
  return absl::OkStatus();
}

}  // namespace kneechat
