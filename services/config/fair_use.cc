#include "services/config/fair_use.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace kneechat {
namespace {

struct Defaults {
  double requests_per_minute;
  int request_burst;
  double sessions_per_hour;
  int session_burst;
};

constexpr Defaults kDefaults[] = {
    {60, 20, 30, 10},  // web
    // gRPC is the integrators' API (a clinic's backend speaks for many
    // people, an evaluation plays hundreds of conversations): no per-client
    // budget unless the deployment sets one. The store's oldest-idle
    // eviction still keeps one caller from locking others out.
    {-1, 0, -1, 0},   // grpc
    {30, 10, 10, 5},  // telegram
    {30, 10, 10, 5},  // voice
    {30, 10, 10, 5},  // whatsapp
};
constexpr const char* kNames[] = {"web", "grpc", "telegram", "voice",
                                  "whatsapp"};

double Or(double value, double fallback) {
  return value == 0 ? fallback : value;
}
int Or(int value, int fallback) { return value <= 0 ? fallback : value; }

// The address's bytes (4 for IPv4, 16 for IPv6); 0 when not an address.
size_t AddressBytes(const std::string& text, unsigned char out[16]) {
  if (inet_pton(AF_INET, text.c_str(), out) == 1) return 4;
  if (inet_pton(AF_INET6, text.c_str(), out) == 1) return 16;
  return 0;
}

// `peer` is `entry`, or inside `entry` written as ADDRESS/PREFIX_BITS.
bool Matches(std::string_view peer, const std::string& entry) {
  const size_t slash = entry.find('/');
  if (slash == std::string::npos) return peer == entry;
  unsigned char network[16], address[16];
  const size_t size = AddressBytes(entry.substr(0, slash), network);
  if (size == 0 || AddressBytes(std::string(peer), address) != size) {
    return false;
  }
  int bits = 0;
  for (char c : entry.substr(slash + 1)) {
    if (!absl::ascii_isdigit(c) || bits > 128) return false;
    bits = bits * 10 + (c - '0');
  }
  if (slash + 1 == entry.size() || bits > static_cast<int>(size * 8)) {
    return false;
  }
  const size_t whole = static_cast<size_t>(bits) / 8;
  if (std::memcmp(network, address, whole) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (network[whole] & mask) == (address[whole] & mask);
}

}  // namespace

FairUse::FairUse(const knowledge::v1::FairUseSettings& settings, Clock* clock)
    : header_(settings.client_address_header()),
      trusted_proxies_(settings.trusted_proxies().begin(),
                       settings.trusted_proxies().end()) {
  const size_t max_clients = settings.max_tracked_clients() > 0
                                 ? settings.max_tracked_clients()
                                 : 100000;
  const knowledge::v1::ClientBudget* budgets[] = {
      &settings.web(), &settings.grpc(), &settings.telegram(),
      &settings.voice(), &settings.whatsapp()};
  for (int i = 0; i < kChannelCount; ++i) {
    const auto& b = *budgets[i];
    const Defaults& d = kDefaults[i];
    requests_[i] = std::make_unique<RateLimiter>(
        std::string(kNames[i]) + " requests",
        RateLimit{Or(b.requests_per_minute(), d.requests_per_minute),
                  Or(b.request_burst(), d.request_burst)},
        max_clients, clock);
    sessions_[i] = std::make_unique<RateLimiter>(
        std::string("new ") + kNames[i] + " sessions",
        RateLimit{Or(b.sessions_per_hour(), d.sessions_per_hour) / 60.0,
                  Or(b.session_burst(), d.session_burst)},
        max_clients, clock);
  }
}

absl::Status FairUse::AdmitRequest(Channel channel, std::string_view client) {
  return requests_[static_cast<int>(channel)]->Admit(client);
}

absl::Status FairUse::AdmitNewSession(Channel channel,
                                      std::string_view client) {
  return sessions_[static_cast<int>(channel)]->Admit(client);
}

std::string FairUse::ClientAddress(std::string_view peer,
                                   std::string_view header_value) const {
  if (header_.empty() || header_value.empty() ||
      std::none_of(
          trusted_proxies_.begin(), trusted_proxies_.end(),
          [peer](const std::string& entry) { return Matches(peer, entry); })) {
    return std::string(peer);
  }
  std::vector<absl::string_view> hops = absl::StrSplit(
      absl::string_view(header_value.data(), header_value.size()), ',');
  absl::string_view last = absl::StripAsciiWhitespace(hops.back());
  return last.empty() ? std::string(peer) : std::string(last);
}

}  // namespace kneechat
