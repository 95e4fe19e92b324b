// Fuzzes the phone line's webhook (services/channels/twilio_voice_webhook)
// end to end, behind its signature check: form parsing, call records, the
// replay cache, digits and menus, speech and TwiML rendering, with the
// engine's replies echoing what the caller said.
//
// Input: up to eight requests, one a line: "+TARGET<TAB>BODY" is signed as
// Twilio would sign it, "-TARGET<TAB>BODY" carries a forged signature. All
// requests of one input go to one fresh webhook, so a call's turns follow
// each other and every input replays the same way.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/echo_engine.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/twilio_voice_webhook.h"
#include "services/common/utf8.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr char kToken[] = "fuzz-auth-token";
constexpr char kBaseUrl[] = "https://clinic.example";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // libprotobuf logs every string field with invalid UTF-8 it parses; the
  // server routes that to its log (error_policy.h), here it is noise.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  kneechat::fuzz::EchoEngine engine;
  kneechat::TwilioVoiceOptions options;
  options.auth_token = kToken;
  options.public_base_url = kBaseUrl;
  options.clinic_transfer_number = size % 2 == 0 ? "+15550100" : "";
  options.max_calls = 4;
  options.replay_capacity = 8;
  kneechat::TwilioVoiceWebhook webhook(engine, options);

  for (int requests = 0; requests < 8 && !input.empty(); ++requests) {
    const size_t newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size()
                                                          : newline + 1);
    if (line.empty()) continue;
    const bool sign = line[0] == '+';
    line.remove_prefix(1);
    const size_t tab = line.find('\t');
    const std::string_view target = line.substr(0, tab);
    const std::string_view body =
        tab == std::string_view::npos ? "" : line.substr(tab + 1);

    std::string signature = "forged";
    if (sign) {
      absl::StatusOr<kneechat::FormParams> params =
          kneechat::ParseFormUrlEncoded(body);
      if (params.ok()) {
        signature = kneechat::TwilioSignature(
            kToken, std::string(kBaseUrl) + std::string(target), *params);
      }
    }
    const kneechat::WebhookResponse response =
        webhook.Handle(target, signature, body);
    Check(response.status >= 200 && response.status < 600);
    Check(kneechat::IsValidUtf8(response.body));
    if (!sign) Check(response.status != 200);
  }
  return 0;
}
