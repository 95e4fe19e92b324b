// Comparison of secrets that does not leak, through timing, where two
// values differ or how long the expected one is.
#pragma once

#include <string_view>

namespace kneechat {

// True if `a` equals `b`. Both are hashed (SHA-256) and the digests compared
// with CRYPTO_memcmp, so the time taken depends on neither content nor
// length. Thread-safe.
bool SecureEquals(std::string_view a, std::string_view b);

}  // namespace kneechat
