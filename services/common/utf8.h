// UTF-8 validation for text that crosses kneechat's edges.
#pragma once

#include <string_view>

namespace kneechat {

// True if `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no
// surrogates, nothing above U+10FFFF. Written by hand because none of our
// dependencies exposes a public validator.
bool IsValidUtf8(std::string_view text);

// Number of code points in valid UTF-8 `text`.
size_t Utf8Length(std::string_view text);

}  // namespace kneechat
