#include "services/common/server_log.h"

#include <google/protobuf/stubs/logging.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace kneechat {
namespace {

absl::Mutex log_mu;
std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

struct ProtobufThrottle {
  absl::Mutex mu;
  absl::Time last_written ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  long suppressed ABSL_GUARDED_BY(mu) = 0;
};

ProtobufThrottle& Throttle() {
  static auto* throttle = new ProtobufThrottle;
  return *throttle;
}

std::atomic<long> protobuf_messages{0};

LogLevel ProtobufLevel(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return LogLevel::kInfo;
    case google::protobuf::LOGLEVEL_WARNING:
      return LogLevel::kWarning;
    default:
      return LogLevel::kError;
  }
}

// libprotobuf names the field and the rule broken, never the field's
// contents, so its messages may be logged as they are.
void ProtobufHandler(google::protobuf::LogLevel level, const char* filename,
                     int line, const std::string& message) {
  protobuf_messages.fetch_add(1, std::memory_order_relaxed);
  ProtobufThrottle& throttle = Throttle();
  long suppressed = 0;
  {
    absl::MutexLock lock(&throttle.mu);
    const absl::Time now = absl::Now();
    if (level != google::protobuf::LOGLEVEL_FATAL &&
        now - throttle.last_written < absl::Seconds(1)) {
      ++throttle.suppressed;
      return;
    }
    throttle.last_written = now;
    suppressed = throttle.suppressed;
    throttle.suppressed = 0;
  }
  LogFields fields;
  fields.Add("source", absl::StrCat(filename, ":", line))
      .Add("message", message);
  if (suppressed > 0)
    fields.Add("suppressed", static_cast<int64_t>(suppressed));
  LogEvent(ProtobufLevel(level), "libprotobuf", fields);
}

// Whether `c` is written as an escape in a JSON string.
bool NeedsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

// Appends `text` as a JSON string literal, quotes included: runs of
// characters that need no escape are copied whole.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t run = 0;  // start of the run not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!NeedsEscape(c)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        absl::StrAppendFormat(&out, "\\u%04x", c);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void AppendKey(std::string& out, std::string_view key) {
  out += ',';
  AppendJsonString(out, key);
  out += ':';
}

// One EVP_MD_CTX per thread, reused: EVP_Digest allocates and frees one on
// every call.
struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "error";
}

bool ParseLogLevel(std::string_view name, LogLevel* level) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning,
                     LogLevel::kError}) {
    if (name == LogLevelName(l)) {
      *level = l;
      return true;
    }
  }
  if (name == "warn") {
    *level = LogLevel::kWarning;
    return true;
  }
  return false;
}

void SetLogLevel(LogLevel level) {
  min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= min_level.load(std::memory_order_relaxed);
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(out, text);
  return out;
}

LogFields& LogFields::Add(std::string_view key, std::string_view value) {
  AppendKey(json_, key);
  AppendJsonString(json_, value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, int64_t value) {
  AppendKey(json_, key);
  absl::StrAppend(&json_, value);
  return *this;
}

LogFields& LogFields::Add(std::string_view key, double value) {
  AppendKey(json_, key);
  if (!std::isfinite(value)) {
    json_ += "null";
    return *this;
  }
  // As printf's "%.3f" (both round the exact binary value correctly);
  // larger values than the buffer holds go through printf.
  char buffer[48];
  const std::to_chars_result written = std::to_chars(
      buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, 3);
  if (written.ec == std::errc()) {
    json_.append(buffer, written.ptr);
  } else {
    absl::StrAppendFormat(&json_, "%.3f", value);
  }
  return *this;
}

LogFields& LogFields::Add(std::string_view key, bool value) {
  AppendKey(json_, key);
  json_ += value ? "true" : "false";
  return *this;
}

// `now` as "2026-12-04T09:33:46.693Z" (UTC, milliseconds truncated), the
// same as FormatTime("%Y-%m-%dT%H:%M:%E3SZ"); the part up to the second is
// formatted once per second on each thread.
std::string LogTime(absl::Time now) {
  thread_local int64_t cached_second = INT64_MIN;
  thread_local std::string cached;                 // "2026-12-04T09:33:46"
  const int64_t millis = absl::ToUnixMillis(now);  // rounds down
  const int64_t second = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
  if (second != cached_second) {
    cached =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second),
                         absl::UTCTimeZone());
    cached_second = second;
  }
  const int fraction = static_cast<int>(millis - second * 1000);
  char tail[6] = {'.',
                  static_cast<char>('0' + fraction / 100),
                  static_cast<char>('0' + fraction / 10 % 10),
                  static_cast<char>('0' + fraction % 10),
                  'Z',
                  '\0'};
  return absl::StrCat(cached, tail);
}

void LogEvent(LogLevel level, std::string_view event, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  std::string out;
  out.reserve(64 + event.size() + fields.json().size());
  out += "{\"time\":\"";
  out += LogTime(absl::Now());
  out += "\",\"level\":\"";
  out += LogLevelName(level);
  out += "\",\"event\":";
  AppendJsonString(out, event);
  out += fields.json();
  out += "}\n";
  absl::MutexLock lock(&log_mu);
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

void LogLine(std::string_view line, LogLevel level) {
  LogEvent(level, "message", LogFields().Add("message", line));
}

std::string HashedId(std::string_view id) {
  if (id.empty()) return "";
  static constexpr std::string_view kPrefix = "kneechat-session:";
  // Fetched once: OpenSSL 3 looks the algorithm up on every SHA256() call.
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(
      EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  if (sha256 == nullptr || context == nullptr ||
      EVP_DigestInit_ex2(context.get(), sha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), kPrefix.data(), kPrefix.size()) != 1 ||
      EVP_DigestUpdate(context.get(), id.data(), id.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, nullptr) != 1) {
    const std::string input =
        absl::StrCat(absl::string_view(kPrefix.data(), kPrefix.size()),
                     absl::string_view(id.data(), id.size()));
    SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
           digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 0; i < 8; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

void RouteProtobufLogging() {
  google::protobuf::SetLogHandler(&ProtobufHandler);
}

long ProtobufLogMessagesForTest() {
  return protobuf_messages.load(std::memory_order_relaxed);
}

}  // namespace kneechat
