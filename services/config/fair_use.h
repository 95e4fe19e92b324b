// Fair use of one kneechat process: per-client token buckets with a separate
// budget per channel (deployment config `fair_use`), so no single client —
// one address, one Telegram chat, one caller — can use up kneechat for the
// others, and a flood on one channel leaves the others their own budget.
//
// Refusals are kResourceExhausted with a retry hint (RetryAfter in
// services/common/rate_limiter.h): HTTP 429 with Retry-After, gRPC
// RESOURCE_EXHAUSTED with the hint in the message.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/common/clock.h"
#include "services/common/rate_limiter.h"
#include "services/config/deployment_config.h"

namespace kneechat {

enum class Channel {
  kWeb = 0,
  kGrpc = 1,
  kTelegram = 2,
  kVoice = 3,  // Twilio voice and SMS
  kWhatsApp = 4,
};
inline constexpr int kChannelCount = 5;

// Defaults for a budget left 0 in the config.
//   web:      60 requests/min (burst 20),  30 sessions/hour (burst 10)
//   grpc:   6000 requests/min (burst 600), 3000 sessions/hour (burst 300)
//   telegram: 30 requests/min (burst 10),  10 sessions/hour (burst 5)
//   voice:    30 requests/min (burst 10),  10 sessions/hour (burst 5)
//   whatsapp: 30 requests/min (burst 10),  10 sessions/hour (burst 5)
class FairUse {
 public:
  // `clock` is not owned (null: Clock::Real()) and must outlive this.
  explicit FairUse(const knowledge::v1::FairUseSettings& settings,
                   Clock* clock = nullptr);

  // One request (message or RPC) from `client` on `channel`.
  absl::Status AdmitRequest(Channel channel, std::string_view client);
  // One new session for `client` on `channel`.
  absl::Status AdmitNewSession(Channel channel, std::string_view client);

  // The client a request (HTTP or gRPC) comes from: `peer` (the socket's
  // address), or the last address in the configured header (HTTP header or
  // gRPC metadata) when `peer` is a trusted proxy and the header is present.
  // A trusted_proxies entry is an address ("127.0.0.1") or a network in
  // CIDR form ("10.0.0.0/8", "fd00::/8"; for proxies whose addresses
  // change, such as an ingress controller's pods).
  std::string ClientAddress(std::string_view peer,
                            std::string_view header_value) const;
  // The configured header ("" when none).
  const std::string& client_address_header() const { return header_; }
  // The peers allowed to set that header (nginx in front).
  const std::vector<std::string>& trusted_proxies() const {
    return trusted_proxies_;
  }

 private:
  std::array<std::unique_ptr<RateLimiter>, kChannelCount> requests_;
  std::array<std::unique_ptr<RateLimiter>, kChannelCount> sessions_;
  const std::string header_;
  const std::vector<std::string> trusted_proxies_;
};

}  // namespace kneechat
