// Twilio webhook authentication (twilio.com/docs/usage/security): the
// X-Twilio-Signature header is Base64(HMAC-SHA1(auth token, URL + the POST
// parameters sorted by name, each as name followed by value)).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace kneechat {

// Decoded name/value pairs, in request order.
using FormParams = std::vector<std::pair<std::string, std::string>>;

// Parses an application/x-www-form-urlencoded body ('+' is a space, %XX a
// byte). kInvalidArgument for a malformed escape or a name or value that is
// not valid UTF-8.
absl::StatusOr<FormParams> ParseFormUrlEncoded(std::string_view body);

// The signature Twilio sends for a POST to `url` with `params`: parameter
// names sorted (byte order); a repeated name contributes each of its
// distinct values, sorted.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params);

// True if `signature` is the signature of the request for `url` as given,
// with its port removed, or with the scheme's default port added (as the
// official SDKs accept). Constant-time comparison; false for an empty token
// or signature.
bool IsValidTwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params,
                            std::string_view signature);

}  // namespace kneechat
