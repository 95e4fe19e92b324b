#include "services/channels/twilio_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/channels/secure_compare.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::StatusOr<std::string> Decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        return absl::InvalidArgumentError("truncated %-escape in form body");
      }
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError("bad %-escape in form body");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  if (!IsValidUtf8(out)) {
    return absl::InvalidArgumentError("form body is not valid UTF-8");
  }
  return out;
}

struct UrlParts {
  std::string scheme;     // lower-case
  std::string authority;  // userinfo@host[:port]
  std::string host;       // userinfo@host, without port
  std::string port;       // "" when absent
  std::string rest;       // path, query
};

bool SplitUrl(std::string_view url, UrlParts* parts) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  parts->scheme = absl::AsciiStrToLower(std::string(url.substr(0, scheme_end)));
  const size_t auth_start = scheme_end + 3;
  const size_t auth_end = url.find_first_of("/?#", auth_start);
  parts->authority = std::string(url.substr(auth_start, auth_end - auth_start));
  parts->rest = auth_end == std::string_view::npos
                    ? ""
                    : std::string(url.substr(auth_end));
  const size_t colon = parts->authority.rfind(':');
  const size_t bracket = parts->authority.rfind(']');  // IPv6 literal
  uint32_t port = 0;
  if (colon != std::string::npos &&
      (bracket == std::string::npos || colon > bracket) &&
      absl::SimpleAtoi(parts->authority.substr(colon + 1), &port)) {
    parts->host = parts->authority.substr(0, colon);
    parts->port = parts->authority.substr(colon + 1);
  } else {
    parts->host = parts->authority;
  }
  return true;
}

}  // namespace

absl::StatusOr<FormParams> ParseFormUrlEncoded(std::string_view body) {
  FormParams params;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      absl::StatusOr<std::string> name = Decode(pair.substr(0, eq));
      if (!name.ok()) return name.status();
      absl::StatusOr<std::string> value =
          Decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
      if (!value.ok()) return value.status();
      params.emplace_back(*std::move(name), *std::move(value));
    }
    start = end + 1;
  }
  return params;
}

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params) {
  std::map<std::string, std::set<std::string>> sorted;
  for (const auto& [name, value] : params) sorted[name].insert(value);
  std::string data(url);
  for (const auto& [name, values] : sorted) {
    for (const std::string& value : values) absl::StrAppend(&data, name, value);
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &mac_length);
  return absl::Base64Escape(
      absl::string_view(reinterpret_cast<const char*>(mac), mac_length));
}

bool IsValidTwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params,
                            std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  std::vector<std::string> candidates = {std::string(url)};
  UrlParts parts;
  if (SplitUrl(url, &parts)) {
    const std::string prefix = absl::StrCat(parts.scheme, "://");
    if (!parts.port.empty()) {
      candidates.push_back(absl::StrCat(prefix, parts.host, parts.rest));
    } else if (parts.scheme == "https" || parts.scheme == "http") {
      candidates.push_back(
          absl::StrCat(prefix, parts.host,
                       parts.scheme == "https" ? ":443" : ":80", parts.rest));
    }
  }
  bool valid = false;
  for (const std::string& candidate : candidates) {
    valid |=
        SecureEquals(TwilioSignature(auth_token, candidate, params), signature);
  }
  return valid;
}

}  // namespace kneechat
