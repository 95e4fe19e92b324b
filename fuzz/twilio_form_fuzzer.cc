// Fuzzes Twilio form parsing and signature checking
// (services/channels/twilio_signature): any body must parse or be refused;
// the signature computed for the parsed parameters must verify, for the
// URL as given and with the scheme's default port; any other signature,
// token or an added parameter must not.
//
// Input: "URL\nBODY"; without a newline the whole input is the body.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "services/channels/twilio_signature.h"
#include "services/common/utf8.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kToken = "fuzz-auth-token";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view url = "https://clinic.example/webhooks/twilio/voice";
  if (const size_t newline = input.find('\n');
      newline != std::string_view::npos) {
    url = input.substr(0, newline);
    input.remove_prefix(newline + 1);
  }
  absl::StatusOr<kneechat::FormParams> params =
      kneechat::ParseFormUrlEncoded(input);
  if (!params.ok()) {
    Check(params.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  for (const auto& [name, value] : *params) {
    Check(kneechat::IsValidUtf8(name) && kneechat::IsValidUtf8(value));
  }

  const std::string signature = kneechat::TwilioSignature(kToken, url, *params);
  Check(kneechat::IsValidTwilioSignature(kToken, url, *params, signature));
  Check(!kneechat::IsValidTwilioSignature("", url, *params, signature));
  Check(!kneechat::IsValidTwilioSignature(kToken, url, *params, ""));
  Check(!kneechat::IsValidTwilioSignature("other-token", url, *params,
                                          signature));
  std::string forged = signature;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  Check(!kneechat::IsValidTwilioSignature(kToken, url, *params, forged));
  // A parameter the request did not have. (Repeating a name and value it
  // had signs the same, as in Twilio's own SDKs: values are a set.)
  kneechat::FormParams extra = *params;
  std::pair<std::string, std::string> added("AddedByAttacker", "0");
  while (std::find(extra.begin(), extra.end(), added) != extra.end()) {
    added.second += "0";
  }
  extra.push_back(added);
  Check(!kneechat::IsValidTwilioSignature(kToken, url, extra, signature));
  // Whatever the URL, checking it must not fail on the fuzzer's bytes.
  kneechat::IsValidTwilioSignature(kToken, input, *params, signature);
  return 0;
}
