// kneechat's own log: one JSON object per line on stderr (journald under
// systemd, the container runtime's log in Kubernetes), e.g.
//   {"time":"2026-12-03T18:40:00.123Z","level":"info","event":"request",
//    "rpc":"SendMessage","channel":"web","status":"OK","latency_ms":7.2,...}
// Every line has "time" (UTC, milliseconds), "level" (debug, info, warning,
// error) and "event"; free text goes in "message". Callers pass only what
// kneechat wrote (codes, method names, file paths, library messages,
// labels from bounded sets), never user text: messages, queries and phone
// numbers stay out of logs, and session ids appear only as HashedId.
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kneechat {

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning", "error".
const char* LogLevelName(LogLevel level);

// Parses a level name as written by LogLevelName (also "warn"); false for
// anything else.
bool ParseLogLevel(std::string_view name, LogLevel* level);

// Lines below `level` are dropped. The default is kInfo.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// The fields of one log line after time, level and event, in the order
// added. Keys are kneechat's own identifiers; values are JSON-escaped.
class LogFields {
 public:
  LogFields& Add(std::string_view key, std::string_view value);
  LogFields& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  LogFields& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  // Status messages and other Abseil strings (a distinct type in Debian's
  // Abseil).
  LogFields& Add(std::string_view key, absl::string_view value) {
    return Add(key, std::string_view(value.data(), value.size()));
  }
  LogFields& Add(std::string_view key, int64_t value);
  LogFields& Add(std::string_view key, int value) {
    return Add(key, static_cast<int64_t>(value));
  }
  // Written with at most three decimals.
  LogFields& Add(std::string_view key, double value);
  LogFields& Add(std::string_view key, bool value);

  const std::string& json() const { return json_; }  // ",\"k\":v..." or ""

 private:
  std::string json_;
};

// Writes one line when `level` is enabled. Lines from different threads
// never interleave.
void LogEvent(LogLevel level, std::string_view event,
              const LogFields& fields = LogFields());

// LogEvent(level, "message", {"message": line}): for free-form lines
// written by kneechat.
void LogLine(std::string_view line, LogLevel level = LogLevel::kWarning);

// `now` as a log line's "time": "2026-12-03T18:40:00.123Z" (UTC,
// milliseconds rounded down), as absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ")
// writes it. Thread-safe.
std::string LogTime(absl::Time now);

// A stable, non-reversible name for a session id in logs: the first 16 hex
// digits of SHA-256("kneechat-session:" + id). Empty for an empty id.
std::string HashedId(std::string_view id);

// `text` as a JSON string literal, quotes included.
std::string JsonString(std::string_view text);

// Routes libprotobuf's own log messages (e.g. "String field ... contains
// invalid UTF-8") into LogLine instead of raw stderr, at most one line per
// second, the rest counted in the next line that is written. Call once at
// start, before threads begin (libprotobuf's SetLogHandler is not
// thread-safe).
void RouteProtobufLogging();

// Lines RouteProtobufLogging's handler was given, written or not.
long ProtobufLogMessagesForTest();

}  // namespace kneechat
