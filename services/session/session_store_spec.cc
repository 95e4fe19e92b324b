#include "services/session/session_store_spec.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kneechat {
namespace {

constexpr absl::string_view kRedisScheme = "redis://";
constexpr absl::string_view kSentinelScheme = "redis-sentinel://";

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("--session_store: ", why,
                   "; expected memory, redis://[:PASSWORD@]HOST:PORT[/DB] or "
                   "redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTER_NAME"));
}

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    int value = 0;
    if (i + 2 >= text.size()) {
      return Invalid("malformed %-escape in the password");
    }
    for (int k = 1; k <= 2; ++k) {
      const char c = text[i + k];
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
        return Invalid("malformed %-escape in the password");
      }
      value = value * 16 + (absl::ascii_isdigit(static_cast<unsigned char>(c))
                                ? c - '0'
                                : absl::ascii_tolower(c) - 'a' + 10);
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

absl::StatusOr<RedisAddress> ParseHostPort(absl::string_view text) {
  RedisAddress address;
  absl::string_view port;
  if (absl::ConsumePrefix(&text, "[")) {
    const size_t close = text.find("]:");
    if (close == absl::string_view::npos) return Invalid("malformed address");
    address.host = std::string(text.substr(0, close));
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      return Invalid("an address needs HOST:PORT");
    }
    address.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (address.host.empty() || !absl::SimpleAtoi(port, &address.port) ||
      address.port < 1 || address.port > 65535) {
    return Invalid("an address needs HOST:PORT with a port 1-65535");
  }
  return address;
}

absl::StatusOr<SessionStoreSpec> ParseRedis(absl::string_view rest) {
  SessionStoreSpec spec;
  spec.kind = SessionStoreSpec::Kind::kRedis;
  const size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view user_info = rest.substr(0, at);
    rest = rest.substr(at + 1);
    // "[user]:password"; a user name is not used by Redis < 6 AUTH.
    const size_t colon = user_info.find(':');
    if (colon == absl::string_view::npos) {
      return Invalid("credentials must be written :PASSWORD@");
    }
    absl::StatusOr<std::string> password =
        PercentDecode(user_info.substr(colon + 1));
    if (!password.ok()) return password.status();
    spec.password = *std::move(password);
  }
  const size_t slash = rest.find('/');
  if (slash != absl::string_view::npos) {
    absl::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!absl::SimpleAtoi(db, &spec.db) || spec.db < 0)) {
      return Invalid("the database must be a number");
    }
    rest = rest.substr(0, slash);
  }
  absl::StatusOr<RedisAddress> address = ParseHostPort(rest);
  if (!address.ok()) return address.status();
  spec.addresses.push_back(*std::move(address));
  return spec;
}

absl::StatusOr<SessionStoreSpec> ParseSentinel(absl::string_view rest) {
  SessionStoreSpec spec;
  spec.kind = SessionStoreSpec::Kind::kSentinel;
  const size_t question = rest.find('?');
  if (question != absl::string_view::npos) {
    for (absl::string_view param :
         absl::StrSplit(rest.substr(question + 1), '&', absl::SkipEmpty())) {
      if (!absl::ConsumePrefix(&param, "password=")) {
        return Invalid("the only query parameter is password=");
      }
      absl::StatusOr<std::string> password = PercentDecode(param);
      if (!password.ok()) return password.status();
      spec.password = *std::move(password);
    }
    rest = rest.substr(0, question);
  }
  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos || slash + 1 == rest.size()) {
    return Invalid("a sentinel URL needs /MASTER_NAME");
  }
  spec.master_name = std::string(rest.substr(slash + 1));
  if (spec.master_name.find('/') != std::string::npos) {
    return Invalid("malformed master name");
  }
  for (absl::string_view host_port :
       absl::StrSplit(rest.substr(0, slash), ',')) {
    absl::StatusOr<RedisAddress> address = ParseHostPort(host_port);
    if (!address.ok()) return address.status();
    spec.addresses.push_back(*std::move(address));
  }
  return spec;
}

}  // namespace

absl::StatusOr<SessionStoreSpec> ParseSessionStoreSpec(std::string_view text) {
  absl::string_view rest(text.data(), text.size());
  if (rest == "memory") return SessionStoreSpec();
  if (absl::ConsumePrefix(&rest, kRedisScheme)) return ParseRedis(rest);
  if (absl::ConsumePrefix(&rest, kSentinelScheme)) return ParseSentinel(rest);
  return Invalid("unknown store");
}

}  // namespace kneechat
