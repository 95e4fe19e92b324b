#include "services/common/server_log.h"

#include <google/protobuf/stubs/logging.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace kneechat {
namespace {

absl::Mutex log_mu;

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

const char* LevelName(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return "INFO";
    case google::protobuf::LOGLEVEL_WARNING:
      return "WARNING";
    case google::protobuf::LOGLEVEL_ERROR:
      return "ERROR";
    default:
      return "FATAL";
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
  LogLine(absl::StrCat(
      "libprotobuf ", LevelName(level), " ", filename, ":", line, ": ", message,
      suppressed > 0
          ? absl::StrCat(" (", suppressed, " similar messages not shown)")
          : ""));
}

}  // namespace

void LogLine(std::string_view line) {
  const std::string out = absl::StrCat(
      "kneechat: ", absl::string_view(line.data(), line.size()), "\n");
  absl::MutexLock lock(&log_mu);
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

void RouteProtobufLogging() {
  google::protobuf::SetLogHandler(&ProtobufHandler);
}

long ProtobufLogMessagesForTest() {
  return protobuf_messages.load(std::memory_order_relaxed);
}

}  // namespace kneechat
