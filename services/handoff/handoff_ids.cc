#include "services/handoff/handoff_ids.h"

#include <openssl/sha.h>

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> Digest(absl::string_view a,
                                                       absl::string_view b) {
  const std::string input = absl::StrCat("kneechat-handoff\n", a, "\n", b);
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         digest.data());
  return digest;
}

}  // namespace

std::string HandoffKey(absl::string_view session_id,
                       absl::string_view occasion) {
  auto digest = Digest(session_id, occasion);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), 16));
}

std::string HandoffResourceUrn(absl::string_view session_id,
                               absl::string_view name) {
  auto digest = Digest(session_id, absl::StrCat("resource:", name));
  digest[6] = (digest[6] & 0x0f) | 0x50;  // version 5 (name-based)
  digest[8] = (digest[8] & 0x3f) | 0x80;  // RFC 4122 variant
  const std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), 16));
  return absl::StrCat("urn:uuid:", hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20, 12));
}

}  // namespace kneechat
